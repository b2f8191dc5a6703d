# Starting from a bare refresh token obtained by hand: the first run refreshes
# it and stores the token document; from the next run on, give the stored
# document to token_document instead.
ephemeral "pinterest_access_token" "bootstrap" {
  refresh_token = var.refresh_token_from_curl
  apply_time    = timestamp()
}

resource "aws_secretsmanager_secret_version" "pinterest" {
  secret_id                = "etl/pinterest"
  secret_string_wo         = ephemeral.pinterest_access_token.bootstrap.latest_token_document
  secret_string_wo_version = parseint(formatdate("YYYYMMDDhhmmss", timestamp()), 10)
}
