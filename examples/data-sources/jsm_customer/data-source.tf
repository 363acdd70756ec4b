# Look up an account by email (matched exactly, ignoring letter case)...
data "jsm_customer" "by_email" {
  email = "fred@example.com"
}

# ...or by account ID, which works even when the email is hidden.
data "jsm_customer" "by_id" {
  account_id = "qm:a713c8ea-1075-4e30-9d96-891a7d181739:5ad6d3581db05e2a66fa80b"
}

output "fred_account_id" {
  value = data.jsm_customer.by_email.account_id
}
