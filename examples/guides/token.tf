# The token set every store's managed.tf writes; its code comes once, in
# TF_VAR_authorization_code.
variable "authorization_code" {
  type      = string
  sensitive = true
  ephemeral = true
  default   = null
}

resource "pinterest_oauth_token" "etl" {
  redirect_uri                  = "http://localhost:8085/"
  authorization_code_wo         = var.authorization_code
  authorization_code_wo_version = 1
}
