# Adopt what already exists on a site with a CLI that has no terraform query
# (Terraform 1.7 to 1.13): a data source lists the customers, and import
# blocks with for_each take them, and the organizations named below, over.
# See the README, "Bring an existing site under Terraform".
terraform {
  required_providers {
    jsm = {
      source = "jsmtf/jsm"
    }
  }
}

# Configured from JSM_URL, JSM_EMAIL and JSM_API_TOKEN.
provider "jsm" {}

# Every customer of the HR desk whose email shows (a hidden email cannot be
# written into the configuration: adopt such a customer by hand).
data "jsm_customers" "hr" {
  service_desk_id = "2"
}

locals {
  hr_customers = { for c in data.jsm_customers.hr.customers : c.email => c if c.email != null }

  # The organizations to adopt, by exact name, each with the properties it
  # holds (null for none): an import reads every property, and one missing
  # here would be deleted by the next apply.
  organizations = {
    "Globex Corporation" = { attributes = jsonencode({ tier = "gold" }) }
  }
}

import {
  for_each = local.hr_customers
  to       = jsm_customer.hr[each.key]
  id       = each.value.account_id
}

resource "jsm_customer" "hr" {
  for_each     = local.hr_customers
  email        = each.value.email
  display_name = each.value.display_name
}

import {
  for_each = local.organizations
  to       = jsm_organization.adopted[each.key]
  id       = each.key # the exact name; the ID works too
}

resource "jsm_organization" "adopted" {
  for_each   = local.organizations
  name       = each.key
  properties = each.value
}
