# GitOps onboarding: customers.csv (or customers.yaml) is the source of truth.
# Each company becomes one call of modules/client-company: its organization,
# its people as customers and members, IT desk access for the organization and
# HR desk access for the people marked hr_access = yes. Add a row and apply to
# onboard someone; remove it to offboard them (their portal access is revoked).
#
# Rows are keyed by their stable id column, never by email: resource addresses
# reach plan summaries and logs, and emails are personal data.
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

locals {
  # Both sides of a conditional are evaluated, so each decodes an empty
  # document of the right shape when the file is of the other kind.
  is_csv  = endswith(var.people_file, ".csv")
  content = file("${path.module}/${var.people_file}")
  raw = (local.is_csv
    ? csvdecode(local.content)
    : concat(csvdecode("id,email,display_name,company,hr_access,region,tier\n"), yamldecode(local.content))
  )
  people    = { for p in local.raw : p.id => p }
  companies = toset([for p in local.people : p.company])
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

module "company" {
  source   = "./modules/client-company"
  for_each = local.companies

  name   = each.key
  people = { for id, p in local.people : id => p if p.company == each.key }
  # A company's tier: the one its rows agree on (one() fails on a disagreement).
  tier = one(distinct([for p in local.people : p.tier if p.company == each.key]))

  it_desk_id = data.jsm_service_desk.it.id
  hr_desk_id = data.jsm_service_desk.hr.id

  csm = var.csm_features ? {
    region_field       = jsm_customer_detail_field.region[0].name
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
