terraform {
  required_version = ">= 1.11"
  required_providers {
    kubernetes = { source = "hashicorp/kubernetes", version = "~> 2.38" }
    pinterest  = { source = "sprighub/pinterest", version = "~> 0.1" }
  }
}

# The job reads the document with kubectl in the same command as the apply:
#   TF_VAR_token_document="$(kubectl -n etl get secret pinterest -o jsonpath='{.data.token\.json}' | base64 -d)" terraform apply
variable "token_document" {
  type      = string
  sensitive = true
  ephemeral = true
}

ephemeral "pinterest_access_token" "etl" {
  token_document = var.token_document
  apply_time     = timestamp()
}

resource "kubernetes_secret_v1" "pinterest" {
  metadata {
    namespace = "etl"
    name      = "pinterest"
  }
  data_wo          = { "token.json" = ephemeral.pinterest_access_token.etl.latest_token_document }
  data_wo_revision = parseint(formatdate("YYYYMMDDhhmmss", timestamp()), 10)
}
