data "jsm_service_desk" "it" {
  project_key = "IT"
}

resource "jsm_organization" "acme" {
  name = "Acme Corporation"
}

# Every member of the organization can raise requests on the IT desk.
resource "jsm_service_desk_organization" "acme_it" {
  service_desk_id = data.jsm_service_desk.it.id
  organization_id = jsm_organization.acme.id
}
