# Every organization whose name starts with "Acme" (letter case aside).
data "jsm_organizations" "acme" {
  name_prefix = "Acme"
}

output "acme_organization_ids" {
  value = { for o in data.jsm_organizations.acme.organizations : o.name => o.id }
}
