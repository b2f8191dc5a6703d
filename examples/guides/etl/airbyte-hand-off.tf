terraform {
  required_version = ">= 1.11"
  required_providers {
    airbyte   = { source = "airbytehq/airbyte", version = "~> 0.13" }
    pinterest = { source = "sprighub/pinterest", version = "~> 0.1" }
  }
}

variable "authorization_code" {
  type      = string
  sensitive = true
  ephemeral = true
  default   = null # only an apply that starts a token set needs it
}

variable "consent_version" {
  type        = string
  default     = "1"
  description = "Raise with each new consent, in the same apply as its code."
}

variable "pinterest_client_id" {
  type = string
}

variable "pinterest_client_secret" {
  type      = string
  sensitive = true
}

variable "airbyte_workspace_id" {
  type = string
}

variable "start_date" {
  type    = string
  default = "2026-01-01"
}

# Airbyte's own token set; Airbyte is its only refresher.
resource "pinterest_oauth_token" "airbyte" {
  redirect_uri                  = "http://localhost:8085/"
  authorization_code_wo         = var.authorization_code
  authorization_code_wo_version = var.consent_version
  hand_off                      = true
}

resource "airbyte_source_pinterest" "pinterest" {
  name         = "Pinterest"
  workspace_id = var.airbyte_workspace_id
  configuration = {
    start_date = var.start_date
    credentials = {
      client_id     = var.pinterest_client_id
      client_secret = var.pinterest_client_secret
      refresh_token = pinterest_oauth_token.airbyte.refresh_token
    }
  }

  lifecycle {
    # An update would send the first refresh token over Airbyte's newer one.
    ignore_changes = [configuration]
    # A new consent (a new generation) replaces the source with the new set.
    replace_triggered_by = [pinterest_oauth_token.airbyte.generation]
  }
}
