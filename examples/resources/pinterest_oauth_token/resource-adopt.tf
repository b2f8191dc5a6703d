# Start from a refresh token the team already holds, for example one made
# with the manual curl steps, passed as TF_VAR_refresh_token.
# The provider refreshes it once to check it; from then on this resource owns
# the refresh, so retire every other copy of that token.
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
