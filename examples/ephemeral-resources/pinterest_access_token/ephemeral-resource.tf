# A CI job reads its refresh token from a secret store, trades it for an
# access token that never reaches the state, and writes the newest refresh
# token back in the same run: under continuous refresh the one it read may
# stop working at once.
ephemeral "aws_secretsmanager_secret_version" "pinterest" {
  secret_id = "ci/pinterest-refresh-token"
}

ephemeral "pinterest_access_token" "ci" {
  refresh_token = ephemeral.aws_secretsmanager_secret_version.pinterest.secret_string
  scopes        = ["pins:read"]      # narrow the access token
  enabled       = terraform.applying # no refresh during plan
}

resource "aws_secretsmanager_secret_version" "pinterest" {
  secret_id        = "ci/pinterest-refresh-token"
  secret_string_wo = ephemeral.pinterest_access_token.ci.latest_refresh_token
  # Every apply refreshes, so every apply writes the newest token.
  secret_string_wo_version = parseint(formatdate("YYYYMMDDhhmmss", plantimestamp()), 10)
}
