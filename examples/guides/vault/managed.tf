terraform {
  required_version = ">= 1.11"
  required_providers {
    vault     = { source = "hashicorp/vault", version = "~> 5.0" }
    pinterest = { source = "sprighub/pinterest", version = "~> 0.1" }
  }
}

resource "vault_kv_secret_v2" "pinterest" {
  mount                = "etl"
  name                 = "pinterest"
  disable_read         = true # never read the secret back into state
  data_json_wo         = jsonencode({ token_document = pinterest_oauth_token.etl.token_document })
  data_json_wo_version = pinterest_oauth_token.etl.generation
}
