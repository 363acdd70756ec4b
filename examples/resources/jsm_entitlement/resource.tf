resource "jsm_product" "widget" {
  name = "Acme Widget"
}

resource "jsm_organization" "acme" {
  name = "Acme Corporation"
}

resource "jsm_entitlement_detail_field" "level" {
  name    = "Support level"
  type    = "SELECT"
  options = ["8x5", "24x7"]
}

# Every member of Acme is entitled to the widget, with round-the-clock support.
resource "jsm_entitlement" "acme_widget" {
  product_id      = jsm_product.widget.id
  organization_id = jsm_organization.acme.id
  details = {
    (jsm_entitlement_detail_field.level.name) = ["24x7"]
  }
}
