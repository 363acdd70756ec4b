# Look up an organization created elsewhere by its exact name...
data "jsm_organization" "acme" {
  name = "Acme Corporation"
}

# ...or by its ID.
data "jsm_organization" "globex" {
  id = "12"
}

output "acme_id" {
  value = data.jsm_organization.acme.id
}
