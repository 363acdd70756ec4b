# Import with an import block.
import {
  to = jsm_organization_customers.acme
  id = "12"
}
