data "jsm_organization_detail_fields" "all" {}

output "tiers" {
  value = one([for f in data.jsm_organization_detail_fields.all.fields : f.options if f.name == "Support tier"])
}
