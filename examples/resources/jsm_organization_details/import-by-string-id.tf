# Import the details of an organization with an import block, by its ID.
import {
  to = jsm_organization_details.acme
  id = "12"
}
