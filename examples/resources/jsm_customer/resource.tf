resource "jsm_customer" "fred" {
  email        = "fred@example.com"
  display_name = "Fred F. User"
}

# Revoke the customer's portal access when the resource is destroyed, and
# fail instead of adopting an account that already holds the email.
resource "jsm_customer" "contractor" {
  email          = "contractor@partner.example"
  display_name   = "Casey Contractor"
  on_destroy     = "revoke_portal_access"
  adopt_existing = false
}

# A name an admin manages in Atlassian Administration: Terraform only creates
# the customer and never reports the name as a change.
resource "jsm_customer" "renamed_by_admins" {
  email        = "pat@example.com"
  display_name = "Pat"

  lifecycle {
    ignore_changes = [display_name]
  }
}

# Opt in to the experimental Customer Service Management API: a change of
# display_name renames the customer account in place, an existing account of
# the email named otherwise is renamed to display_name, and destroying the
# resource deletes the account, which cannot be undone.
resource "jsm_customer" "trial_user" {
  email            = "trial@example.com"
  display_name     = "Trial User"
  csm_lifecycle    = true
  on_name_mismatch = "rename"
  on_destroy       = "delete"
}
