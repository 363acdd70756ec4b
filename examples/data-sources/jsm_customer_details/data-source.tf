resource "jsm_customer" "fred" {
  email        = "fred@example.com"
  display_name = "Fred F. User"
}

data "jsm_customer_details" "fred" {
  customer_id = jsm_customer.fred.id
}

output "fred_region" {
  value = try(one(data.jsm_customer_details.fred.details["Region"]), null)
}
