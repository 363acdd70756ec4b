data "jsm_service_desk" "hr" {
  project_key = "HR"
}

data "jsm_customer" "fred" {
  email = "fred@example.com"
}

# Give accounts access to a desk restricted to its customers. Only these
# accounts are managed: the desk's other customers are left alone.
resource "jsm_service_desk_customers" "hr" {
  service_desk_id = data.jsm_service_desk.hr.id
  account_ids     = [data.jsm_customer.fred.account_id]
}
