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

# With exclusive = true the resource owns every customer of the desk: anyone
# added by hand is drift, and the apply removes them (the plan names each).
# Destroying it removes every customer.
data "jsm_service_desk" "payroll" {
  project_key = "PAY"
}

resource "jsm_service_desk_customers" "payroll" {
  service_desk_id = data.jsm_service_desk.payroll.id
  account_ids     = [data.jsm_customer.fred.account_id]
  exclusive       = true
}
