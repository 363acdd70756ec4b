# Import an entitlement detail field by its identity, its name (Terraform 1.12 or newer).
import {
  to = jsm_entitlement_detail_field.level
  identity = {
    name = "Support level"
  }
}
