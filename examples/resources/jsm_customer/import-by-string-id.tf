# Import a customer with an import block, by account ID or by email.
import {
  to = jsm_customer.fred
  id = "fred@example.com"
}
