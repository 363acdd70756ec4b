resource "jsm_organization" "acme" {
  name = "Acme Corporation"
}

resource "jsm_organization_detail_field" "tier" {
  name    = "Support tier"
  type    = "SELECT"
  options = ["Bronze", "Silver", "Gold"]
}

resource "jsm_organization_detail_field" "segments" {
  name    = "Segments"
  type    = "MULTISELECT"
  options = ["Retail", "Finance", "Public sector"]
}

resource "jsm_organization_details" "acme" {
  organization_id = jsm_organization.acme.id
  details = {
    (jsm_organization_detail_field.tier.name)     = ["Gold"]
    (jsm_organization_detail_field.segments.name) = ["Retail", "Finance"] # any order
  }
}
