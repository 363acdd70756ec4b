# companies/globex/main.tf: one company, one state. Its backend lives in
# backend.tf beside this file (see the guide); people.csv is its people.
terraform {
  required_providers {
    jsm = {
      source  = "jsmtf/jsm"
      version = "~> 0.1"
    }
  }
}

# url and credentials from JSM_URL and JSM_CLIENT_ID, JSM_CLIENT_SECRET
# (or JSM_EMAIL, JSM_API_TOKEN).
provider "jsm" {}

variable "csm_lifecycle" {
  description = "Rename people and the organization in place (JSM Premium or Enterprise)."
  type        = bool
  default     = false
}

module "company" {
  source        = "../../modules/company"
  name          = "Globex Corporation"
  people        = csvdecode(file("${path.module}/people.csv"))
  csm_lifecycle = var.csm_lifecycle
}

output "organization_id" {
  value = module.company.organization_id
}
