# From a token set whose consent asked for ads:write.
resource "pinterest_conversion_token" "segment" {
  access_token_wo = pinterest_oauth_token.ads.access_token
  triggers        = { renewed = "2026-12" } # change it to make a new token
}

resource "aws_secretsmanager_secret_version" "conversion_token" {
  secret_id                = "segment/pinterest-conversion-token"
  secret_string_wo         = pinterest_conversion_token.segment.token
  secret_string_wo_version = pinterest_conversion_token.segment.version
}
