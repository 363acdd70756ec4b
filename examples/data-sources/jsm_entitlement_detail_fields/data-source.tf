data "jsm_entitlement_detail_fields" "all" {}

output "entitlement_field_names" {
  value = [for f in data.jsm_entitlement_detail_fields.all.fields : f.name]
}
