resource "jsm_entitlement_detail_field" "level" {
  name    = "Support level"
  type    = "SELECT"
  options = ["8x5", "24x7"]
}
