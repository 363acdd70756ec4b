# GitOps onboarding: customers.csv (or customers.yaml) is the source of truth.
# Each person is one jsm_customer, declared here and keyed by the row's stable
# id; each company is one call of modules/client-company: its organization,
# its members, IT desk access for the organization and HR desk access for the
# people marked hr_access = yes. Add a row and apply to onboard someone;
# remove it to offboard them (their portal access is revoked, on_destroy).
# Moving a person to another company changes memberships and desk access,
# never the customer.
#
# Rows are keyed by their stable id column, never by email: resource addresses
# reach plan summaries and logs, and emails are personal data.
#
# Renaming a company renames its for_each key: say so with a moved block, and
# the organization is renamed (in place with csm_lifecycle = true; otherwise
# the plan stops at prevent_destroy, as a replacement would drop its links):
#
#   moved {
#     from = module.company["Umbrella Corp"]
#     to   = module.company["Umbrella Corporation"]
#   }
#
# csm_features = true also keeps each person's region and each company's
# support tier as details, and entitles each company to the support product:
# JSM's "Customer and organization profiles" and "Products and entitlements",
# on JSM Premium and Enterprise. Leave it false on JSM Standard.
#
# The provider reads JSM_URL, JSM_EMAIL and JSM_API_TOKEN from the environment
# (`make demo` starts a local JSM site, sets them and turns csm_features on).
terraform {
  required_providers {
    jsm = {
      source = "jsmtf/jsm"
    }
  }
}

provider "jsm" {}

variable "people_file" {
  description = "The people to onboard: a .csv or .yaml file beside this one, with the columns of customers.csv."
  type        = string
  default     = "customers.csv"
}

variable "csm_features" {
  description = "Manage details, products and entitlements too (JSM Premium or Enterprise, with the features on)."
  type        = bool
  default     = false
}

variable "on_destroy" {
  description = "What removing a person's row does to an account this configuration created: forget, revoke_portal_access or delete (delete needs csm_lifecycle)."
  type        = string
  default     = "revoke_portal_access"
}

variable "adopted_on_destroy" {
  description = "What removing a person's row does to an account that existed before (adopted or imported): unset, it is only forgotten. Never more than on_destroy."
  type        = string
  default     = null
}

variable "adopt_existing" {
  description = "Adopt the account a person's email already has (true), or fail the plan (false)."
  type        = bool
  default     = true
}

variable "on_name_mismatch" {
  description = "When a person's existing account has another name: fail, keep_site_name, or rename (needs csm_lifecycle)."
  type        = string
  default     = "fail"
}

variable "csm_lifecycle" {
  description = "Rename customer accounts and organizations in place, and allow on_destroy = \"delete\", through the CSM API."
  type        = bool
  default     = false
}

variable "adopt_existing_organizations" {
  description = "Adopt an organization whose name is taken (true), or fail the plan (false, the default: the configuration then owns every organization it manages)."
  type        = bool
  default     = false
}

locals {
  # Both sides of a conditional are evaluated, so each decodes an empty
  # document of the right shape when the file is of the other kind.
  is_csv  = endswith(var.people_file, ".csv")
  content = file("${path.module}/${var.people_file}")
  raw = (local.is_csv
    ? csvdecode(local.content)
    : concat(csvdecode("id,email,display_name,company,hr_access,region,tier\n"), yamldecode(local.content))
  )
  people    = module.people.by_id
  companies = toset([for p in local.people : p.company])
}

# The rows, validated (unique ids and emails, yes/no columns) and normalised.
module "people" {
  source = "./modules/people"
  rows   = local.raw
}

# Every person once, keyed by the stable id: a person who moves to another
# company keeps their customer, and only memberships and desk access change.
resource "jsm_customer" "person" {
  for_each           = local.people
  email              = each.value.email
  display_name       = each.value.display_name
  on_destroy         = var.on_destroy
  adopted_on_destroy = var.adopted_on_destroy
  adopt_existing     = var.adopt_existing
  on_name_mismatch   = var.on_name_mismatch
  csm_lifecycle      = var.csm_lifecycle
}

data "jsm_service_desk" "it" {
  project_key = "IT"
}

data "jsm_service_desk" "hr" {
  project_key = "HR"
}

# Site-wide definitions the companies share: created once, here.
resource "jsm_customer_detail_field" "region" {
  count   = var.csm_features ? 1 : 0
  name    = "Region"
  type    = "SELECT"
  options = sort(distinct([for p in local.people : p.region]))
}

resource "jsm_organization_detail_field" "tier" {
  count   = var.csm_features ? 1 : 0
  name    = "Support tier"
  type    = "SELECT"
  options = ["Bronze", "Silver", "Gold"]
}

resource "jsm_product" "support" {
  count = var.csm_features ? 1 : 0
  name  = "Managed IT support"
}

resource "jsm_customer_details" "person" {
  for_each    = var.csm_features ? local.people : {}
  customer_id = jsm_customer.person[each.key].account_id
  details     = { (jsm_customer_detail_field.region[0].name) = [each.value.region] }
}

module "company" {
  source   = "./modules/client-company"
  for_each = local.companies

  name = each.key
  members = { for id, p in local.people : id => {
    account_id = jsm_customer.person[id].account_id
    hr_access  = p.hr_access
  } if p.company == each.key }
  # A company's tier: the one its rows agree on (one() fails on a disagreement).
  tier = one(distinct([for p in local.people : p.tier if p.company == each.key]))

  it_desk_id     = data.jsm_service_desk.it.id
  hr_desk_id     = data.jsm_service_desk.hr.id
  adopt_existing = var.adopt_existing_organizations
  csm_lifecycle  = var.csm_lifecycle

  csm = var.csm_features ? {
    tier_field         = jsm_organization_detail_field.tier[0].name
    support_product_id = jsm_product.support[0].id
  } : null
}

output "organizations" {
  description = "Organization ID by company."
  value       = { for name, c in module.company : name => c.organization_id }
}

output "members" {
  description = "Number of managed members by company."
  value       = { for name, c in module.company : name => c.members }
}

output "hr_customers" {
  description = "Number of managed HR desk customers by company."
  value       = { for name, c in module.company : name => c.hr_customers }
}

output "tiers" {
  description = "Support tier by company, as the site holds it (null without csm_features)."
  value       = { for name, c in module.company : name => c.tier }
}
