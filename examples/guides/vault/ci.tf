terraform {
  required_version = ">= 1.11"
  required_providers {
    vault     = { source = "hashicorp/vault", version = "~> 5.0" }
    pinterest = { source = "sprighub/pinterest", version = "~> 0.1" }
  }
}

ephemeral "vault_kv_secret_v2" "pinterest" {
  mount = "etl"
  name  = "pinterest"
}

ephemeral "pinterest_access_token" "etl" {
  token_document = ephemeral.vault_kv_secret_v2.pinterest.data.token_document
  apply_time     = timestamp()
}

resource "vault_kv_secret_v2" "pinterest" {
  mount                = "etl"
  name                 = "pinterest"
  disable_read         = true # never read the secret back into state
  data_json_wo         = jsonencode({ token_document = ephemeral.pinterest_access_token.etl.latest_token_document })
  data_json_wo_version = parseint(formatdate("YYYYMMDDhhmmss", timestamp()), 10)
}
