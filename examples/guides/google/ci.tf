# After the bootstrap apply has written the first document (see the
# pinterest_access_token docs), the scheduled job owns the refresh.
terraform {
  required_version = ">= 1.11"
  required_providers {
    google    = { source = "hashicorp/google", version = "~> 7.0" }
    pinterest = { source = "sprighub/pinterest", version = "~> 0.1" }
  }
}

# The job reads the current document before the run:
#   export TF_VAR_token_document="$(gcloud secrets versions access latest --secret=etl-pinterest)"
variable "token_document" {
  type      = string
  sensitive = true
  ephemeral = true
}

ephemeral "pinterest_access_token" "etl" {
  token_document = var.token_document
  apply_time     = timestamp()
}

resource "google_secret_manager_secret_version" "pinterest" {
  secret                 = "projects/my-project/secrets/etl-pinterest"
  secret_data_wo         = ephemeral.pinterest_access_token.etl.latest_token_document
  secret_data_wo_version = parseint(formatdate("YYYYMMDDhhmmss", timestamp()), 10)
}
