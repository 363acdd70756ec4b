# GitOps onboarding: customers.csv is the source of truth. Every row becomes a
# customer; every company becomes an organization holding its people, with
# access to the IT desk; rows with hr_access = yes are also customers of the
# HR desk. Add a row and apply to onboard someone; remove it to offboard them.
# Each person's region and each company's support tier are kept as customer and
# organization details (JSM's "Customer and organization profiles", on JSM
# Premium and Enterprise); drop the details resources on sites without them.
#
# The provider reads JSM_URL, JSM_EMAIL and JSM_API_TOKEN from the environment
# (`make demo` starts a local JSM site and sets them).
terraform {
  required_providers {
    jsm = {
      source = "jsmtf/jsm"
    }
  }
}

provider "jsm" {}

locals {
  people    = { for p in csvdecode(file("${path.module}/customers.csv")) : lower(p.email) => p }
  companies = toset([for p in local.people : p.company])
  # A company's tier: the one its rows agree on (one() fails on a disagreement).
  tiers = { for c in local.companies : c => one(distinct([for p in local.people : p.tier if p.company == c])) }
}

data "jsm_service_desk" "it" {
  project_key = "IT"
}

data "jsm_service_desk" "hr" {
  project_key = "HR"
}

resource "jsm_customer" "person" {
  for_each     = local.people
  email        = each.value.email
  display_name = each.value.display_name
}

resource "jsm_organization" "company" {
  for_each = local.companies
  name     = each.key
  properties = {
    onboarding = jsonencode({ source = "customers.csv", managed_by = "terraform" })
  }
}

resource "jsm_organization_customers" "company" {
  for_each        = local.companies
  organization_id = jsm_organization.company[each.key].id
  account_ids     = [for email, p in local.people : jsm_customer.person[email].account_id if p.company == each.key]
}

# Every member of a company's organization can raise IT requests.
resource "jsm_service_desk_organization" "it" {
  for_each        = local.companies
  service_desk_id = data.jsm_service_desk.it.id
  organization_id = jsm_organization.company[each.key].id
}

# Only the people marked hr_access = yes can raise HR requests.
resource "jsm_service_desk_customers" "hr" {
  service_desk_id = data.jsm_service_desk.hr.id
  account_ids     = [for email, p in local.people : jsm_customer.person[email].account_id if p.hr_access == "yes"]
}

# Details: the fields, then each person's region and each company's tier.
resource "jsm_customer_detail_field" "region" {
  name    = "Region"
  type    = "SELECT"
  options = sort(distinct([for p in local.people : p.region]))
}

resource "jsm_organization_detail_field" "tier" {
  name    = "Support tier"
  type    = "SELECT"
  options = ["Bronze", "Silver", "Gold"]
}

resource "jsm_customer_details" "person" {
  for_each    = local.people
  customer_id = jsm_customer.person[each.key].account_id
  details     = { (jsm_customer_detail_field.region.name) = [each.value.region] }
}

resource "jsm_organization_details" "company" {
  for_each        = local.companies
  organization_id = jsm_organization.company[each.key].id
  details         = { (jsm_organization_detail_field.tier.name) = [local.tiers[each.key]] }
}

# Every company is entitled to the managed support product (JSM's "Products
# and entitlements"), which every member of its organization then has.
resource "jsm_product" "support" {
  name = "Managed IT support"
}

resource "jsm_entitlement" "company" {
  for_each        = local.companies
  product_id      = jsm_product.support.id
  organization_id = jsm_organization.company[each.key].id
}

output "organizations" {
  description = "Organization ID by company."
  value       = { for name, o in jsm_organization.company : name => o.id }
}

output "members" {
  description = "Number of managed members by company."
  value       = { for name, m in jsm_organization_customers.company : name => length(m.account_ids) }
}

output "hr_customers" {
  description = "Number of managed customers of the HR desk."
  value       = length(jsm_service_desk_customers.hr.account_ids)
}

output "tiers" {
  description = "Support tier by company, as the site holds it."
  value       = { for name, d in jsm_organization_details.company : name => one(d.details["Support tier"]) }
}

output "regions" {
  description = "Region by customer email, as the site holds it."
  value       = { for email, d in jsm_customer_details.person : email => one(d.details["Region"]) }
}
