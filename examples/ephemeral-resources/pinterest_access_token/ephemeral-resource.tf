# Every run writes the document back, so a run that refreshed never skips it.
resource "aws_secretsmanager_secret" "pinterest" {
  name = "etl/pinterest"
}

ephemeral "aws_secretsmanager_secret_version" "pinterest" {
  secret_id = aws_secretsmanager_secret.pinterest.id
}

ephemeral "pinterest_access_token" "etl" {
  token_document = ephemeral.aws_secretsmanager_secret_version.pinterest.secret_string
  # Known only during apply: a plan never spends a refresh.
  apply_time = timestamp()
}

resource "aws_secretsmanager_secret_version" "pinterest" {
  secret_id        = aws_secretsmanager_secret.pinterest.id
  secret_string_wo = ephemeral.pinterest_access_token.etl.latest_token_document
  # Known only during apply, like apply_time.
  secret_string_wo_version = parseint(formatdate("YYYYMMDDhhmmss", timestamp()), 10)
}
