# Import with an import block.
import {
  to = jsm_service_desk_organization.acme_it
  id = "1/12"
}
