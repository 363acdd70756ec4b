resource "jsm_customer" "fred" {
  email        = "fred@example.com"
  display_name = "Fred F. User"
}

resource "jsm_customer_detail_field" "region" {
  name    = "Region"
  type    = "SELECT"
  options = ["APAC", "EMEA", "AMER"]
}

resource "jsm_customer_detail_field" "phone" {
  name = "Support phone"
  type = "TEXT"
}

resource "jsm_customer_details" "fred" {
  customer_id = jsm_customer.fred.id
  details = {
    # Keyed by the field resources' names, so Terraform creates the fields first.
    (jsm_customer_detail_field.region.name) = ["EMEA"]
    (jsm_customer_detail_field.phone.name)  = ["+44 20 7946 0000"]
  }
}
