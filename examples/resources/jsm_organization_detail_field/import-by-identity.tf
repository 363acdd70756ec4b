# Import an organization detail field by its identity, its name (Terraform 1.12 or newer).
import {
  to = jsm_organization_detail_field.tier
  identity = {
    name = "Support tier"
  }
}
