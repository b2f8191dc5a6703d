terraform {
  required_version = ">= 1.11"
  required_providers {
    fivetran  = { source = "fivetran/fivetran", version = "~> 1.9" }
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

variable "pinterest_client_secret" {
  type      = string
  sensitive = true
}

variable "fivetran_group_id" {
  type = string
}

# Fivetran's own token set; Fivetran is its only refresher.
resource "pinterest_oauth_token" "fivetran" {
  redirect_uri                  = "http://localhost:8085/"
  authorization_code_wo         = var.authorization_code
  authorization_code_wo_version = var.consent_version
  hand_off                      = true
}

resource "fivetran_connector" "pinterest_ads" {
  group_id = var.fivetran_group_id
  service  = "pinterest_ads"

  destination_schema {
    name = "pinterest_ads"
  }

  config {
    timeframe_months = "TWELVE"
  }

  # Sent only when it changes (a new consent), as an in-place update.
  auth {
    refresh_token = pinterest_oauth_token.fivetran.refresh_token
    client_access {
      client_id     = var.pinterest_client_id
      client_secret = var.pinterest_client_secret
    }
  }
}
