# A product made in the JSM UI; one() fails if the name is not unique.
data "jsm_products" "support" {
  name = "Managed IT support"
}

resource "jsm_organization" "acme" {
  name = "Acme Corporation"
}

resource "jsm_entitlement" "acme_support" {
  product_id      = one(data.jsm_products.support.products).id
  organization_id = jsm_organization.acme.id
}
