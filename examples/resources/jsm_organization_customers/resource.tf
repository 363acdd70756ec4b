resource "jsm_organization" "acme" {
  name = "Acme Corporation"
}

resource "jsm_customer" "acme" {
  for_each     = toset(["ada@acme.example", "grace@acme.example"])
  email        = each.key
  display_name = split("@", each.key)[0]
}

# Only these accounts are managed: other members of the organization (portal
# sign-ups, other configurations) are left alone.
resource "jsm_organization_customers" "acme" {
  organization_id = jsm_organization.acme.id
  account_ids     = [for c in jsm_customer.acme : c.account_id]
}
