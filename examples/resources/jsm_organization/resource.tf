resource "jsm_organization" "acme" {
  name = "Acme Corporation"

  # Optional organization properties: JSON documents, compared as JSON.
  properties = {
    attributes = jsonencode({
      tier    = "gold"
      contact = "it@acme.example"
    })
  }

  # Destroying the resource deletes the organization, and a rename replaces
  # it: guard an organization that holds people and service desk access.
  lifecycle {
    prevent_destroy = true
  }
}

# An organization that already exists (made by hand, say) is adopted only
# when the configuration says so; the plan names it.
resource "jsm_organization" "globex" {
  name           = "Globex"
  adopt_existing = true
}

# Opt in to the experimental Customer Service Management API: a change of
# name renames the organization in place, keeping its ID, members and
# service desks, instead of replacing it.
resource "jsm_organization" "initech" {
  name          = "Initech"
  csm_lifecycle = true
}
