terraform {
  required_version = ">= 1.11"
  required_providers {
    kubernetes = { source = "hashicorp/kubernetes", version = "~> 2.38" }
    pinterest  = { source = "sprighub/pinterest", version = "~> 0.1" }
  }
}

resource "kubernetes_secret_v1" "pinterest" {
  metadata {
    namespace = "etl"
    name      = "pinterest"
  }
  data_wo          = { "token.json" = pinterest_oauth_token.etl.token_document }
  data_wo_revision = pinterest_oauth_token.etl.generation
}
