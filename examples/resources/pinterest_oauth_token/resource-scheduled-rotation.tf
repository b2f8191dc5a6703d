# Apply daily. A rotation raises generation, and the store's write-only
# version follows it, so the newest token document is always the one stored.
variable "authorization_code" {
  type      = string
  sensitive = true
  ephemeral = true
  default   = null # only the first apply needs it
}

resource "pinterest_oauth_token" "etl" {
  redirect_uri                  = "http://localhost:8085/"
  authorization_code_wo         = var.authorization_code
  authorization_code_wo_version = 1

  rotate_before   = "168h"                                             # 7 days, the default
  required_scopes = ["boards:read", "pins:read", "user_accounts:read"] # the health checks read the account

  # Optional: also rotate every 30 days, whatever the expiry says.
  rotation_triggers = {
    monthly = time_rotating.pinterest.id
  }
}

resource "time_rotating" "pinterest" {
  rotation_days = 30
}

resource "aws_secretsmanager_secret" "pinterest" {
  name = "etl/pinterest"
}

resource "aws_secretsmanager_secret_version" "pinterest" {
  secret_id                = aws_secretsmanager_secret.pinterest.id
  secret_string_wo         = pinterest_oauth_token.etl.token_document
  secret_string_wo_version = pinterest_oauth_token.etl.generation
}
