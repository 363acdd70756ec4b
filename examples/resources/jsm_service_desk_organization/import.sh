# Import as <service_desk_id>/<organization_id>:
terraform import jsm_service_desk_organization.acme_it 1/12
