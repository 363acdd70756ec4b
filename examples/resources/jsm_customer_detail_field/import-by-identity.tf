# Import a customer detail field by its identity, its name (Terraform 1.12 or newer).
import {
  to = jsm_customer_detail_field.region
  identity = {
    name = "Region"
  }
}
