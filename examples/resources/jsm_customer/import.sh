# Import a customer by account ID:
terraform import jsm_customer.fred 'qm:a713c8ea-1075-4e30-9d96-891a7d181739:5ad6d3581db05e2a66fa80b'

# or by email (not possible when the person's privacy settings hide it):
terraform import jsm_customer.fred fred@example.com
