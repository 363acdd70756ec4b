# Import a product by its identity, its ID (Terraform 1.12 or newer).
import {
  to = jsm_product.widget
  identity = {
    id = "3858a61a-d337-42e6-993e-e13e1c366d4f"
  }
}
