# Import an entitlement detail field with an import block, by its name.
import {
  to = jsm_entitlement_detail_field.level
  id = "Support level"
}
