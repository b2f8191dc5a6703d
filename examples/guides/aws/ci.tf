# After the bootstrap apply has written the first document (see the
# pinterest_access_token docs), the scheduled job owns the refresh.
terraform {
  required_version = ">= 1.11"
  required_providers {
    aws       = { source = "hashicorp/aws", version = "~> 6.20" }
    pinterest = { source = "sprighub/pinterest", version = "~> 0.1" }
  }
}

ephemeral "aws_secretsmanager_secret_version" "pinterest" {
  secret_id = "etl/pinterest"
}

ephemeral "pinterest_access_token" "etl" {
  token_document = ephemeral.aws_secretsmanager_secret_version.pinterest.secret_string
  apply_time     = timestamp()
}

resource "aws_secretsmanager_secret_version" "pinterest" {
  secret_id                = "etl/pinterest"
  secret_string_wo         = ephemeral.pinterest_access_token.etl.latest_token_document
  secret_string_wo_version = parseint(formatdate("YYYYMMDDhhmmss", timestamp()), 10)
}
