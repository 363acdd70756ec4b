resource "jsm_organization" "acme" {
  name = "Acme Corporation"

  # Optional organization properties: JSON documents, compared as JSON.
  properties = {
    attributes = jsonencode({
      tier    = "gold"
      contact = "it@acme.example"
    })
  }
}
