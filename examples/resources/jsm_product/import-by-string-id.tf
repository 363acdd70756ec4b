# Import a product with an import block, by its ID.
import {
  to = jsm_product.widget
  id = "3858a61a-d337-42e6-993e-e13e1c366d4f"
}
