# Import a product by its ID:
terraform import jsm_product.widget 3858a61a-d337-42e6-993e-e13e1c366d4f
