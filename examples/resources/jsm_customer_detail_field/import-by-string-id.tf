# Import a customer detail field with an import block, by its name.
import {
  to = jsm_customer_detail_field.region
  id = "Region"
}
