# The ETL team's token set, started from a write-only authorization code.
# `make demo` applies this against the built-in fake Pinterest, twice: the
# second apply plans no change.

terraform {
  required_version = ">= 1.11"
  required_providers {
    pinterest = {
      source = "sprighub/pinterest"
    }
  }
}

# Credentials and the API URL come from the environment:
# PINTEREST_CLIENT_ID, PINTEREST_CLIENT_SECRET and PINTEREST_API_URL.
provider "pinterest" {}

variable "redirect_uri" {
  description = "The redirect URI registered on the app and used on the consent page."
  type        = string
}

variable "authorization_code" {
  description = "The code from the consent redirect; needed only for the first apply, within 10 minutes."
  type        = string
  sensitive   = true
  ephemeral   = true
  default     = null
}

resource "pinterest_oauth_token" "etl" {
  redirect_uri                  = var.redirect_uri
  authorization_code_wo         = var.authorization_code
  authorization_code_wo_version = 1
}

output "token_set_id" {
  value = pinterest_oauth_token.etl.id
}

output "scopes" {
  value = pinterest_oauth_token.etl.scopes
}

output "access_token_expires_at" {
  value = pinterest_oauth_token.etl.access_token_expires_at
}

output "refresh_token_expires_at" {
  value = pinterest_oauth_token.etl.refresh_token_expires_at
}
