resource "jsm_product" "widget" {
  name = "Acme Widget"
}
