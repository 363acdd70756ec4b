# Look up a service desk by its project key...
data "jsm_service_desk" "it" {
  project_key = "IT"
}

# ...or by its ID.
data "jsm_service_desk" "hr" {
  id = "2"
}

output "it_desk_id" {
  value = data.jsm_service_desk.it.id
}
