# The scheduled job owns the refresh. Start from managed.tf, applied once
# (the bootstrap), then replace its pinterest_oauth_token and variable with
# what is below: the store keeps its address, so nothing is destroyed.
terraform {
  required_version = ">= 1.11"
  required_providers {
    vault     = { source = "hashicorp/vault", version = "~> 5.0" }
    pinterest = { source = "sprighub/pinterest", version = "~> 0.1" }
  }
}

# The job reads the current document in the same command as the apply:
#   TF_VAR_token_document="$(vault kv get -format=json etl/pinterest | jq -c .data.data)" terraform apply
variable "token_document" {
  type      = string
  sensitive = true
  ephemeral = true
}

ephemeral "pinterest_access_token" "etl" {
  token_document = var.token_document
  apply_time     = timestamp()
}

resource "vault_kv_secret_v2" "pinterest" {
  mount                = "etl"
  name                 = "pinterest"
  disable_read         = true # never read the secret back into state
  data_json_wo         = ephemeral.pinterest_access_token.etl.latest_token_document
  data_json_wo_version = parseint(formatdate("YYYYMMDDhhmmss", timestamp()), 10)
}
