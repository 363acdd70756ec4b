# Import an entitlement by its identity: its owner (owner_type "customer" or "organization",
# and the account ID or organization ID) and its ID (Terraform 1.12 or newer).
import {
  to = jsm_entitlement.acme_widget
  identity = {
    owner_type = "organization"
    owner_id   = "12"
    id         = "0f8fad5b-d9cb-469f-a165-70867728950e"
  }
}
