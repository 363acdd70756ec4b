# Adopt what already exists on a site with terraform query (Terraform 1.14 or
# newer): adopt.tfquery.hcl lists it, and
#   terraform query -generate-config-out=generated.tf -var organization_id=<ID>
# writes a resource and an import block for each result. See the README,
# "Bring an existing site under Terraform".
terraform {
  required_providers {
    jsm = {
      source = "jsmtf/jsm"
    }
  }
}

# Configured from JSM_URL, JSM_EMAIL and JSM_API_TOKEN.
provider "jsm" {}

variable "organization_id" {
  description = "The organization whose members adopt.tfquery.hcl lists; only terraform query uses it."
  type        = string
  default     = null
}
