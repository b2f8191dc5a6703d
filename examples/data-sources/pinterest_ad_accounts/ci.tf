# A configuration of its own; the agency's token document is in a secret store.
terraform {
  required_version = ">= 1.11"
  required_providers {
    aws       = { source = "hashicorp/aws", version = "~> 6.20" }
    pinterest = { source = "sprighub/pinterest", version = "~> 0.1" }
  }
}

ephemeral "aws_secretsmanager_secret_version" "agency" {
  secret_id = "etl/pinterest/agency"
}

# The stored access token, never refreshed here: known during the plan.
provider "pinterest" {
  access_token = jsondecode(ephemeral.aws_secretsmanager_secret_version.agency.secret_string).access_token
}

data "pinterest_ad_accounts" "agency" {}

# One ETL source per ad account; terraform_data stands in for it here.
resource "terraform_data" "etl_source" {
  for_each = { for a in data.pinterest_ad_accounts.agency.ad_accounts : a.id => a.name }
  input    = each.value
}
