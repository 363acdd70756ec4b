# Import an organization detail field with an import block, by its name.
import {
  to = jsm_organization_detail_field.tier
  id = "Support tier"
}
