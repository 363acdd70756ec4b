package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Configurations the benchmark applies. Every one reads the same customer
// list, customers.json ({email: display name}), through for_each, so the
// provider's configuration and Terraform's floor differ only in the
// resource type.

const customersHCL = `
locals {
  customers = jsondecode(file("${path.module}/customers.json"))
}
`

const jsmRequired = `
terraform {
  required_providers {
    jsm = {
      source = "jsmtf/jsm"
    }
  }
}

# Configured from JSM_URL, JSM_EMAIL and JSM_API_TOKEN.
provider "jsm" {}
`

// Scenarios 1, 2, 3, 5: N customers.
const customersConfig = jsmRequired + customersHCL + `
resource "jsm_customer" "c" {
  for_each     = local.customers
  email        = each.key
  display_name = each.value
}
`

// Terraform's floor: the same N instances of the built-in terraform_data,
// with the same input values. No provider process, no API.
const floorConfig = customersHCL + `
resource "terraform_data" "c" {
  for_each = local.customers
  input = {
    email        = each.key
    display_name = each.value
  }
}
`

// The plugin floor: N instances of a framework provider's resource with
// jsm_customer's schema that does no work (cmd/nullprovider).
const pluginFloorConfig = `
terraform {
  required_providers {
    benchnull = {
      source = "jsmtf/benchnull"
    }
  }
}
` + customersHCL + `
resource "benchnull_customer" "c" {
  for_each     = local.customers
  email        = each.key
  display_name = each.value
}
`

// Scenario 4: N customers, one organization holding all of them, and that
// organization given access to service desk IT, which gives all its members
// access to the desk in one request.
var membershipsConfig = customersConfig + membershipsHCL

// Scenario 4's plugin floor: the same configuration on the do-nothing
// stand-ins (cmd/nullprovider).
var pluginFloorMembershipsConfig = pluginFloorConfig + strings.ReplaceAll(membershipsHCL, "jsm_", "benchnull_")

const membershipsHCL = `
resource "jsm_organization" "acme" {
  name = "Bench Corp"
}

resource "jsm_organization_customers" "acme" {
  organization_id = jsm_organization.acme.id
  account_ids     = [for c in jsm_customer.c : c.account_id]
}

data "jsm_service_desk" "it" {
  project_key = "IT"
}

resource "jsm_service_desk_organization" "it_acme" {
  service_desk_id = data.jsm_service_desk.it.id
  organization_id = jsm_organization.acme.id
}
`

// writeConfig creates dir with main.tf and a customers.json of n customers.
func writeConfig(dir, hcl string, n int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	customers := make(map[string]string, n)
	for i := 1; i <= n; i++ {
		customers[fmt.Sprintf("bench-%05d@example.com", i)] = fmt.Sprintf("Bench Customer %05d", i)
	}
	b, err := json.MarshalIndent(customers, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "customers.json"), b, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "main.tf"), []byte(hcl), 0o644)
}
