terraform {
  required_version = ">= 1.11"
  required_providers {
    google    = { source = "hashicorp/google", version = "~> 7.0" }
    pinterest = { source = "sprighub/pinterest", version = "~> 0.1" }
  }
}

resource "google_secret_manager_secret" "pinterest" {
  secret_id = "etl-pinterest"
  replication {
    auto {}
  }
}

ephemeral "google_secret_manager_secret_version" "pinterest" {
  secret = google_secret_manager_secret.pinterest.id # the latest version
}

ephemeral "pinterest_access_token" "etl" {
  token_document = ephemeral.google_secret_manager_secret_version.pinterest.secret_data
  apply_time     = timestamp()
}

resource "google_secret_manager_secret_version" "pinterest" {
  secret                 = google_secret_manager_secret.pinterest.id
  secret_data_wo         = ephemeral.pinterest_access_token.etl.latest_token_document
  deletion_policy        = "ABANDON"
  secret_data_wo_version = parseint(formatdate("YYYYMMDDhhmmss", timestamp()), 10)
}
