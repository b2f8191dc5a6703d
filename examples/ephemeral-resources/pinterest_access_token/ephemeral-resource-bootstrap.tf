# The first apply of a CI-owned token set: the exchange writes the first
# token document to the store.
variable "authorization_code" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "pinterest_oauth_token" "bootstrap" {
  redirect_uri                  = "http://localhost:8085/"
  authorization_code_wo         = var.authorization_code
  authorization_code_wo_version = 1
  rotate_before                 = "0s" # the CI job refreshes from now on
}

resource "aws_secretsmanager_secret" "pinterest" {
  name = "etl/pinterest"
}

resource "aws_secretsmanager_secret_version" "pinterest" {
  secret_id                = aws_secretsmanager_secret.pinterest.id
  secret_string_wo         = pinterest_oauth_token.bootstrap.token_document
  secret_string_wo_version = pinterest_oauth_token.bootstrap.generation
}
