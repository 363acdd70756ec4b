# One client company: its organization, its members, their portal access and,
# when csm is set, its details and entitlement. The people themselves (their
# jsm_customer resources) are declared once, by the caller, keyed by a stable
# id: a person moving to another company then changes memberships here, never
# their customer.
#
# Offboarding: a person who leaves the members map is removed from the
# organization and the HR desk. An empty members map is fine: the organization
# stays, with no managed members. The organization itself is guarded by
# prevent_destroy, because destroying it deletes it on the site with every
# link to it: deleting a company is a deliberate, reviewed change to this
# module.
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

variable "members" {
  description = "The company's people by stable id: each one's account_id (a jsm_customer's) and hr_access."
  type = map(object({
    account_id = string
    hr_access  = bool
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
  description = "The service desk only people with hr_access can raise requests on."
  type        = string
}

variable "adopt_existing" {
  description = "Adopt an organization of this name that already exists, instead of failing the plan. An adopted organization is still deleted on destroy: adopt only what this configuration owns."
  type        = bool
  default     = false
}

variable "csm_lifecycle" {
  description = "Rename the organization in place through the CSM API when the company is renamed (with a moved block), instead of replacing it."
  type        = bool
  default     = false
}

variable "csm" {
  description = "The site-wide detail field and product for details and entitlements; null leaves them out (JSM Standard)."
  type = object({
    tier_field         = string
    support_product_id = string
  })
  default = null
}

resource "jsm_organization" "this" {
  name           = var.name
  adopt_existing = var.adopt_existing
  csm_lifecycle  = var.csm_lifecycle
  properties = {
    onboarding = jsonencode({ source = "customers file", managed_by = "terraform" })
  }
  lifecycle {
    prevent_destroy = true
  }
}

resource "jsm_organization_customers" "this" {
  organization_id = jsm_organization.this.id
  account_ids     = [for id, m in var.members : m.account_id]
}

# Every member of the organization can raise IT requests.
resource "jsm_service_desk_organization" "it" {
  service_desk_id = var.it_desk_id
  organization_id = jsm_organization.this.id
}

# Only the people marked hr_access can raise HR requests (maybe none).
resource "jsm_service_desk_customers" "hr" {
  service_desk_id = var.hr_desk_id
  account_ids     = [for id, m in var.members : m.account_id if m.hr_access]
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
