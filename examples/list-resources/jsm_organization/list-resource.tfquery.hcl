# Every organization whose name starts with "Acme" (letter case ignored),
# with its properties, as resources to import: run
#   terraform query -generate-config-out=generated.tf
list "jsm_organization" "acme" {
  provider         = jsm
  include_resource = true

  config {
    name_prefix = "Acme"
  }
}

# Every organization of the site.
list "jsm_organization" "all" {
  provider = jsm

  config {}
}
