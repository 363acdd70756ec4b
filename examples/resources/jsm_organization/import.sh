# Import an organization by ID:
terraform import jsm_organization.acme 12

# or by its exact name:
terraform import jsm_organization.acme 'Acme Corporation'
