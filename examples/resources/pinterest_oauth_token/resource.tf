# The code from the consent redirect. Pass it once, within 10 minutes of
# consent, through the environment (TF_VAR_authorization_code), not -var,
# which Terraform logs. It is ephemeral: it reaches neither plan nor state.
variable "authorization_code" {
  type      = string
  sensitive = true
  ephemeral = true
  default   = null
}

resource "pinterest_oauth_token" "etl" {
  redirect_uri                  = "http://localhost:8085/"
  authorization_code_wo         = var.authorization_code
  authorization_code_wo_version = 1 # change it, with a new code, to start over
}
