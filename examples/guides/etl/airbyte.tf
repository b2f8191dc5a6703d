terraform {
  required_version = ">= 1.11"
  required_providers {
    airbyte   = { source = "airbytehq/airbyte", version = "~> 1.0" }
    pinterest = { source = "sprighub/pinterest", version = "~> 0.1" }
  }
}

variable "authorization_code" {
  type      = string
  sensitive = true
  ephemeral = true
  default   = null # only a start needs it
}

variable "consent_version" {
  type    = number
  default = null # set higher with each new consent's code; unset keeps the last
}

variable "pinterest_client_id" {
  type = string
}

variable "airbyte_workspace_id" {
  type = string
}

variable "airbyte_destination_id" {
  type = string
}

resource "pinterest_oauth_token" "airbyte" {
  redirect_uri                  = "http://localhost:8085/"
  authorization_code_wo         = var.authorization_code
  authorization_code_wo_version = var.consent_version
}

resource "airbyte_source" "pinterest" {
  name          = "Pinterest"
  workspace_id  = var.airbyte_workspace_id
  definition_id = "5cb7e5fe-38c2-11ec-8d3d-0242ac130003" # source-pinterest
  configuration = jsonencode({
    start_date = "2026-01-01"
    credentials = {
      auth_method       = "oauth2.0"
      client_id         = var.pinterest_client_id
      client_secret     = "unused" # no refresh by Airbyte: it cannot spend the token set
      refresh_token     = "unused"
      access_token      = pinterest_oauth_token.airbyte.access_token
      token_expiry_date = pinterest_oauth_token.airbyte.access_token_expires_at
    }
  })
}

resource "airbyte_connection" "pinterest" {
  name           = "Pinterest"
  source_id      = airbyte_source.pinterest.source_id
  destination_id = var.airbyte_destination_id
}
