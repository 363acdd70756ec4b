resource "jsm_organization" "acme" {
  name = "Acme Corporation"
}

data "jsm_organization_details" "acme" {
  organization_id = jsm_organization.acme.id
}

output "acme_tier" {
  value = try(one(data.jsm_organization_details.acme.details["Support tier"]), null)
}
