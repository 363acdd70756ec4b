# Import the details of a customer by their identity, the account ID (Terraform 1.12 or newer).
# Every field holding a value is then managed.
import {
  to = jsm_customer_details.fred
  identity = {
    customer_id = "qm:2a927c94-363f-4977-a0d6-9477d535f329:5b10ac8d82e05b22cc7d4ef5"
  }
}
