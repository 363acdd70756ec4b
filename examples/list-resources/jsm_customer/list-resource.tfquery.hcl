# The customers of a service desk, as resources to import: run
#   terraform query -generate-config-out=generated.tf
list "jsm_customer" "hr" {
  provider         = jsm
  include_resource = true

  config {
    service_desk_id = "2"
  }
}

# The members of an organization whose name or email starts with "fred".
list "jsm_customer" "acme_freds" {
  provider = jsm

  config {
    organization_id = "12"
    query           = "fred"
  }
}

# Every active portal-only customer whose name or email starts with "a",
# at most 500 of them.
list "jsm_customer" "a" {
  provider = jsm
  limit    = 500

  config {
    query = "a"
  }
}
