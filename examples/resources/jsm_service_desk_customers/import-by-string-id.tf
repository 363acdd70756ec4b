# Import with an import block.
import {
  to = jsm_service_desk_customers.hr
  id = "2"
}
