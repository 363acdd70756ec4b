# Import with an import block, by ID or by exact name.
import {
  to = jsm_organization.acme
  id = "12"
}
