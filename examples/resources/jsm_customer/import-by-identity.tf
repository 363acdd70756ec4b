# Import a customer by its identity, its account ID (Terraform 1.12 or newer).
import {
  to = jsm_customer.fred
  identity = {
    account_id = "qm:a713c8ea-1075-4e30-9d96-891a7d181739:5ad6d3581db05e2a66fa80b"
  }
}
