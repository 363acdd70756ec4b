# Import by identity, the service desk ID (Terraform 1.12 or newer).
import {
  to = jsm_service_desk_customers.hr
  identity = {
    service_desk_id = "2"
  }
}
