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

resource "google_secret_manager_secret_version" "pinterest" {
  secret                 = google_secret_manager_secret.pinterest.id
  secret_data_wo         = pinterest_oauth_token.etl.token_document
  deletion_policy        = "ABANDON"
  secret_data_wo_version = pinterest_oauth_token.etl.generation
}
