# Import by identity, the organization ID (Terraform 1.12 or newer).
import {
  to = jsm_organization_customers.acme
  identity = {
    organization_id = "12"
  }
}
