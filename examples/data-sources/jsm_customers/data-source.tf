data "jsm_service_desk" "hr" {
  project_key = "HR"
}

# Every customer of the desk...
data "jsm_customers" "hr" {
  service_desk_id = data.jsm_service_desk.hr.id
}

# ...or only those with a word of the name, or the email, starting with "acme"
# (JSM matches word prefixes: "acme" finds "Acme Ltd" and acme@..., not "Bigacme").
data "jsm_customers" "hr_acme" {
  service_desk_id = data.jsm_service_desk.hr.id
  query           = "acme"
}

output "hr_customer_emails" {
  value = [for c in data.jsm_customers.hr.customers : c.email if c.email != null]
}
