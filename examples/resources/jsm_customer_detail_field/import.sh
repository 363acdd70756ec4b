# Import a customer detail field by its name:
terraform import jsm_customer_detail_field.region Region
