# Import by organization ID: the state then lists all current members.
terraform import jsm_organization_customers.acme 12
