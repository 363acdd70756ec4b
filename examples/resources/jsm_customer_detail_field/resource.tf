# A single-choice field every customer can hold a value in. Destroying it (or
# changing its type) deletes the values of every customer: protect it.
resource "jsm_customer_detail_field" "region" {
  name    = "Region"
  type    = "SELECT"
  options = ["APAC", "EMEA", "AMER"]

  lifecycle {
    prevent_destroy = true
  }
}

resource "jsm_customer_detail_field" "phone" {
  name = "Support phone"
  type = "TEXT"
}
