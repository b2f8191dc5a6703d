terraform {
  required_version = ">= 1.11"
  required_providers {
    pinterest = {
      source = "sprighub/pinterest"
    }
  }
}

# With no settings, the app credentials come from PINTEREST_CLIENT_ID and
# PINTEREST_CLIENT_SECRET, as most pipelines provide them.
provider "pinterest" {}
