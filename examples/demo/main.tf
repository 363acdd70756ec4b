# The configuration `make demo` applies against the local JSM site. The
# provider reads JSM_URL, JSM_EMAIL and JSM_API_TOKEN from the environment.
terraform {
  required_providers {
    jsm = {
      source = "jsmtf/jsm"
    }
  }
}

provider "jsm" {}

locals {
  customers = {
    "ada@acme.example"    = "Ada Lovelace"
    "grace@acme.example"  = "Grace Hopper"
    "alan@globex.example" = "Alan Turing"
  }
}

resource "jsm_customer" "demo" {
  for_each     = local.customers
  email        = each.key
  display_name = each.value
}

output "account_ids" {
  value = { for email, c in jsm_customer.demo : email => c.account_id }
}
