# Import as customer/<account_id>/<entitlement_id> or organization/<organization_id>/<entitlement_id>.
# details are not imported: the fields named in the configuration are written on the next apply.
terraform import jsm_entitlement.acme_widget organization/12/0f8fad5b-d9cb-469f-a165-70867728950e
