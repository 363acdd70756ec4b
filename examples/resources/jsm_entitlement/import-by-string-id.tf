# Import an entitlement with an import block, as customer/<account_id>/<entitlement_id>
# or organization/<organization_id>/<entitlement_id>.
import {
  to = jsm_entitlement.acme_widget
  id = "organization/12/0f8fad5b-d9cb-469f-a165-70867728950e"
}
