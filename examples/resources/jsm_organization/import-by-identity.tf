# Import an organization by its identity, its ID (Terraform 1.12 or newer).
import {
  to = jsm_organization.acme
  identity = {
    id = "12"
  }
}
