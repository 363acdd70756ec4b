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

# With exclusive = true the resource owns every member: anyone added by hand
# or by portal sign-up is drift, and the apply removes them (the plan names
# each). Destroying it removes every member.
resource "jsm_organization" "contractors" {
  name = "Contractors"
}

resource "jsm_organization_customers" "contractors" {
  organization_id = jsm_organization.contractors.id
  account_ids     = [jsm_customer.acme["grace@acme.example"].account_id]
  exclusive       = true
}
