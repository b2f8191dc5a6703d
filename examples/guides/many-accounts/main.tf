terraform {
  required_version = ">= 1.11"
  required_providers {
    pinterest = { source = "sprighub/pinterest", version = "~> 0.1" }
  }
}

# One client's token set, in the client's own workspace (state).
locals {
  client = terraform.workspace
}

variable "approvers" {
  type = map(string) # client => Pinterest username that must approve; in terraform.tfvars
}

variable "authorization_code" {
  type      = string
  sensitive = true
  ephemeral = true
  default   = null
}

variable "consent_version" {
  type    = number
  default = null # set higher with a client's new code; unset keeps the last
}

resource "pinterest_oauth_token" "etl" {
  redirect_uri                  = "https://agency.example.com/pinterest/callback" # clients approve from afar
  authorization_code_wo         = var.authorization_code
  authorization_code_wo_version = var.consent_version
  required_account              = var.approvers[local.client] # a swapped code fails for this client only
}

# Read by apply-each.sh's health run (HEALTH=1): a refused token warns.
check "pinterest_token_accepted" {
  data "pinterest_user_account" "etl" {
    access_token = pinterest_oauth_token.etl.access_token
  }
  assert {
    condition     = data.pinterest_user_account.etl.id != ""
    error_message = "Pinterest did not say which account the token belongs to."
  }
}

# The store: a secret-stores guide recipe, named etl/pinterest/${local.client}.
