# The organizations whose name starts with "Globex", with their properties.
list "jsm_organization" "globex" {
  provider         = jsm
  include_resource = true

  config {
    name_prefix = "Globex"
  }
}

# The members of one organization.
list "jsm_customer" "globex" {
  provider         = jsm
  include_resource = true

  config {
    organization_id = var.organization_id
  }
}
