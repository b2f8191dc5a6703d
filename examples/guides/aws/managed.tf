terraform {
  required_version = ">= 1.11"
  required_providers {
    aws       = { source = "hashicorp/aws", version = "~> 6.20" }
    pinterest = { source = "sprighub/pinterest", version = "~> 0.1" }
  }
}

resource "aws_secretsmanager_secret" "pinterest" {
  name = "etl/pinterest"
}

resource "aws_secretsmanager_secret_version" "pinterest" {
  secret_id                = aws_secretsmanager_secret.pinterest.id
  secret_string_wo         = pinterest_oauth_token.etl.token_document
  secret_string_wo_version = pinterest_oauth_token.etl.generation
}
