terraform {
  required_version = ">= 1.11"
  required_providers {
    github    = { source = "integrations/github", version = "~> 6.6" }
    pinterest = { source = "sprighub/pinterest", version = "~> 0.1" }
  }
}

provider "github" {
  owner = "my-org"
}

resource "github_actions_secret" "pinterest" {
  repository      = "etl-pipelines"
  secret_name     = "PINTEREST_TOKEN_DOCUMENT"
  plaintext_value = pinterest_oauth_token.etl.token_document
}
