# One client company, in a repository with a state per company
# (docs/guides/gitops-onboarding.md): its people, one jsm_customer each keyed
# by the row's stable id, its organization, their membership and their
# portal access: every member on the IT desk, through the organization, and
# the people marked hr_access on the HR desk.
#
# A person moved to another company's file is forgotten here and adopted
# there, in whichever order the two states apply: on_destroy stays "forget",
# because this state cannot see that another one still declares the person.
# Offboarding (a row removed) takes away the person's membership and desk
# access; the account itself remains, as Atlassian advises.
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
  description = "The company's people: the rows of its people file (id, email, display_name, hr_access), as csvdecode gives them."
  type = list(object({
    id           = string
    email        = string
    display_name = string
    hr_access    = string
  }))

  validation {
    condition     = length(distinct([for p in var.people : p.id])) == length(var.people)
    error_message = "Each row needs an id of its own: the id keys the person's customer, and two rows with one id are one person declared twice."
  }
  validation {
    # JSM compares emails without regard to letter case.
    condition     = length(distinct([for p in var.people : lower(trimspace(p.email))])) == length(var.people)
    error_message = "Two rows hold the same email (letter case aside): JSM has one account per email, so they would be one customer. Keep one row per person."
  }
  validation {
    condition     = alltrue([for p in var.people : contains(["yes", "no", "true", "false"], lower(trimspace(p.hr_access)))])
    error_message = "hr_access must be yes or no."
  }
}

variable "it_desk" {
  description = "The project key of the service desk every member can raise requests on."
  type        = string
  default     = "IT"
}

variable "hr_desk" {
  description = "The project key of the service desk only people with hr_access can raise requests on."
  type        = string
  default     = "HR"
}

variable "csm_lifecycle" {
  description = "Rename customer accounts and the organization in place through the CSM API (JSM Premium or Enterprise); false fails the plan of a rename instead."
  type        = bool
  default     = false
}

locals {
  people = { for p in var.people : p.id => {
    email        = trimspace(p.email)
    display_name = p.display_name
    hr_access    = contains(["yes", "true"], lower(trimspace(p.hr_access)))
  } }
}

resource "jsm_customer" "person" {
  for_each      = local.people
  email         = each.value.email
  display_name  = each.value.display_name
  on_destroy    = "forget"
  csm_lifecycle = var.csm_lifecycle
}

resource "jsm_organization" "this" {
  name          = var.name
  csm_lifecycle = var.csm_lifecycle
}

resource "jsm_organization_customers" "this" {
  organization_id = jsm_organization.this.id
  account_ids     = [for c in jsm_customer.person : c.account_id]
}

data "jsm_service_desk" "it" {
  project_key = var.it_desk
}

data "jsm_service_desk" "hr" {
  project_key = var.hr_desk
}

# Every member of the organization can raise IT requests.
resource "jsm_service_desk_organization" "it" {
  service_desk_id = data.jsm_service_desk.it.id
  organization_id = jsm_organization.this.id
}

# Only the people marked hr_access can raise HR requests (maybe none).
resource "jsm_service_desk_customers" "hr" {
  service_desk_id = data.jsm_service_desk.hr.id
  account_ids     = [for id, p in local.people : jsm_customer.person[id].account_id if p.hr_access]
}

output "organization_id" {
  description = "The organization's ID."
  value       = jsm_organization.this.id
}

output "account_ids" {
  description = "The people's account IDs, by id."
  value       = { for id, c in jsm_customer.person : id => c.account_id }
}
