# Basic auth with an API token against the site. Leave any attribute out to
# take it from the environment: JSM_URL, JSM_EMAIL, JSM_API_TOKEN.
provider "jsm" {
  url       = "https://your-domain.atlassian.net"
  email     = "admin@your-domain.com"
  api_token = var.jsm_api_token
}

variable "jsm_api_token" {
  type      = string
  sensitive = true
}

# An OAuth 2.0 access token goes through the API gateway instead:
#
# provider "jsm" {
#   url          = "https://api.atlassian.com/ex/jira/<cloudId>"
#   access_token = var.jsm_access_token
# }
