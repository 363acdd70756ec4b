# Import an entitlement detail field by its name:
terraform import jsm_entitlement_detail_field.level 'Support level'
