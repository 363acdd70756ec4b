# Import the details of an organization by their identity, the organization ID (Terraform 1.12 or newer).
# Every field holding a value is then managed.
import {
  to = jsm_organization_details.acme
  identity = {
    organization_id = "12"
  }
}
