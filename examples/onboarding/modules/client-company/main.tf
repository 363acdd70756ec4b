# One client company: its organization, its people, their portal access and,
# when csm is set, its details and entitlement.
#
# Offboarding: remove a person's row and the apply revokes their portal access
# (on_destroy) and removes them from the organization and the HR desk. An
# empty people map is fine: the organization stays, with no managed members.
# The organization itself is guarded by prevent_destroy, because destroying it
# deletes it on the site with every link to it: deleting a company is a
# deliberate, reviewed change to this module.
terraform {
  required_providers {
    jsm = {
      source = "jsmtf/jsm"
    }
  }
}

variable "name" {
  description = "The company's organization name."
  type        = string
}

variable "people" {
  description = "The company's people by stable id: email, display_name, hr_access (\"yes\" or \"no\") and region."
  type = map(object({
    email        = string
    display_name = string
    hr_access    = string
    region       = string
  }))
}

variable "tier" {
  description = "The company's support tier (kept as an organization detail when csm is set)."
  type        = string
}

variable "it_desk_id" {
  description = "The service desk every member can raise requests on."
  type        = string
}

variable "hr_desk_id" {
  description = "The service desk only people with hr_access = \"yes\" can raise requests on."
  type        = string
}

variable "csm" {
  description = "The site-wide detail fields and product for details and entitlements; null leaves them out (JSM Standard)."
  type = object({
    region_field       = string
    tier_field         = string
    support_product_id = string
  })
  default = null
}

resource "jsm_customer" "person" {
  for_each     = var.people
  email        = each.value.email
  display_name = each.value.display_name
  # Offboarding takes the portal away; the account stays (deleting it needs
  # csm_lifecycle = true and on_destroy = "delete", and cannot be undone).
  on_destroy = "revoke_portal_access"
}

resource "jsm_organization" "this" {
  name = var.name
  properties = {
    onboarding = jsonencode({ source = "customers file", managed_by = "terraform" })
  }
  lifecycle {
    prevent_destroy = true
  }
}

resource "jsm_organization_customers" "this" {
  organization_id = jsm_organization.this.id
  account_ids     = [for id, c in jsm_customer.person : c.account_id]
}

# Every member of the organization can raise IT requests.
resource "jsm_service_desk_organization" "it" {
  service_desk_id = var.it_desk_id
  organization_id = jsm_organization.this.id
}

# Only the people marked hr_access = "yes" can raise HR requests (maybe none).
resource "jsm_service_desk_customers" "hr" {
  service_desk_id = var.hr_desk_id
  account_ids     = [for id, p in var.people : jsm_customer.person[id].account_id if p.hr_access == "yes"]
}

resource "jsm_customer_details" "person" {
  for_each    = var.csm == null ? {} : var.people
  customer_id = jsm_customer.person[each.key].account_id
  details     = { (var.csm.region_field) = [each.value.region] }
}

resource "jsm_organization_details" "this" {
  count           = var.csm == null ? 0 : 1
  organization_id = jsm_organization.this.id
  details         = { (var.csm.tier_field) = [var.tier] }
}

# The company is entitled to the support product, and so is every member.
resource "jsm_entitlement" "support" {
  count           = var.csm == null ? 0 : 1
  product_id      = var.csm.support_product_id
  organization_id = jsm_organization.this.id
}

output "organization_id" {
  description = "The organization's ID."
  value       = jsm_organization.this.id
}

output "members" {
  description = "How many members the module manages."
  value       = length(jsm_organization_customers.this.account_ids)
}

output "hr_customers" {
  description = "How many HR desk customers the module manages."
  value       = length(jsm_service_desk_customers.hr.account_ids)
}

output "tier" {
  description = "The support tier as the site holds it, or null without csm."
  value       = var.csm == null ? null : one(jsm_organization_details.this[0].details[var.csm.tier_field])
}
