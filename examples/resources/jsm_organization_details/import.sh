# Import the details of an organization by its ID:
terraform import jsm_organization_details.acme 12
