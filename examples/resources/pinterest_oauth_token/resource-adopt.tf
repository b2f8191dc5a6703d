# Start from a refresh token the team holds (TF_VAR_refresh_token); this
# resource owns the refresh from then on, so retire every other copy.
variable "refresh_token" {
  type      = string
  sensitive = true
  ephemeral = true
  default   = null
}

resource "pinterest_oauth_token" "etl" {
  redirect_uri             = "http://localhost:8085/"
  refresh_token_wo         = var.refresh_token
  refresh_token_wo_version = 1
}
