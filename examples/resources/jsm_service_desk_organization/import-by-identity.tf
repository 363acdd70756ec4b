# Import by identity, the pair of IDs (Terraform 1.12 or newer).
import {
  to = jsm_service_desk_organization.acme_it
  identity = {
    service_desk_id = "1"
    organization_id = "12"
  }
}
