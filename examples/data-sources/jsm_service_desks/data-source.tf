data "jsm_service_desks" "all" {}

resource "jsm_organization" "acme" {
  name = "Acme Corporation"
}

# Give the organization access to every service desk.
resource "jsm_service_desk_organization" "acme" {
  for_each        = { for d in data.jsm_service_desks.all.service_desks : d.project_key => d.id }
  service_desk_id = each.value
  organization_id = jsm_organization.acme.id
}
