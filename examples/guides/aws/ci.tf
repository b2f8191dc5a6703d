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

ephemeral "aws_secretsmanager_secret_version" "pinterest" {
  secret_id = aws_secretsmanager_secret.pinterest.id
}

ephemeral "pinterest_access_token" "etl" {
  token_document = ephemeral.aws_secretsmanager_secret_version.pinterest.secret_string
  apply_time     = timestamp()
}

resource "aws_secretsmanager_secret_version" "pinterest" {
  secret_id                = aws_secretsmanager_secret.pinterest.id
  secret_string_wo         = ephemeral.pinterest_access_token.etl.latest_token_document
  secret_string_wo_version = parseint(formatdate("YYYYMMDDhhmmss", timestamp()), 10)
}
