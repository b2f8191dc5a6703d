# Apply daily: a rotation raises generation, which a store's *_wo_version
# follows. Optionally also rotate every 30 days, whatever the expiry says.
resource "pinterest_oauth_token" "etl" {
  redirect_uri                  = "http://localhost:8085/"
  authorization_code_wo         = var.authorization_code
  authorization_code_wo_version = 1
  required_scopes               = ["boards:read", "pins:read", "user_accounts:read"]

  rotation_triggers = {
    monthly = time_rotating.pinterest.id
  }
}

resource "time_rotating" "pinterest" {
  rotation_days = 30
}
