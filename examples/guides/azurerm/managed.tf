terraform {
  required_version = ">= 1.11"
  required_providers {
    azurerm   = { source = "hashicorp/azurerm", version = "~> 4.40" }
    pinterest = { source = "sprighub/pinterest", version = "~> 0.1" }
  }
}

provider "azurerm" {
  features {}
}

variable "key_vault_id" {
  type = string
}

resource "azurerm_key_vault_secret" "pinterest" {
  key_vault_id     = var.key_vault_id
  name             = "etl-pinterest"
  content_type     = "application/json"
  value_wo         = pinterest_oauth_token.etl.token_document
  value_wo_version = pinterest_oauth_token.etl.generation
}
