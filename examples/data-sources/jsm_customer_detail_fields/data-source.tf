data "jsm_customer_detail_fields" "all" {}

output "customer_fields" {
  value = [for f in data.jsm_customer_detail_fields.all.fields : f.name]
}
