# Import the details of a customer with an import block, by account ID.
import {
  to = jsm_customer_details.fred
  id = "qm:2a927c94-363f-4977-a0d6-9477d535f329:5b10ac8d82e05b22cc7d4ef5"
}
