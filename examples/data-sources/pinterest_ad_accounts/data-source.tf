# An agency's token set (ads:read) reads the ad accounts clients shared with
# it through Business Access.
variable "client_ad_accounts" {
  type = map(string) # client => ad account id
}

data "pinterest_ad_accounts" "agency" {
  access_token = pinterest_oauth_token.agency.access_token
}

locals {
  shared = toset(data.pinterest_ad_accounts.agency.ad_accounts[*].id)
}

# Warns only: fail the monitoring job on "Check block assertion failed".
check "client_ad_accounts_shared" {
  assert {
    condition     = alltrue([for id in values(var.client_ad_accounts) : contains(local.shared, id)])
    error_message = "No longer shared with the agency: ${join(", ", [for client, id in var.client_ad_accounts : "${client} (${id})" if !contains(local.shared, id)])}."
  }
}
