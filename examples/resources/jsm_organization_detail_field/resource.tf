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
