# Import an organization detail field by its name:
terraform import jsm_organization_detail_field.tier 'Support tier'
