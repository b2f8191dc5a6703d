# Run with terraform plan -refresh-only from a monitoring job.
check "pinterest_token_accepted" {
  data "pinterest_user_account" "etl" {
    access_token = pinterest_oauth_token.etl.access_token
  }

  assert {
    condition     = data.pinterest_user_account.etl.id != ""
    error_message = "Pinterest did not say which account the token belongs to."
  }
}

# The schedule rotates at 7 days left: less than 5 means it has stopped.
check "pinterest_token_rotating" {
  assert {
    condition     = timecmp(pinterest_oauth_token.etl.access_token_expires_at, timeadd(plantimestamp(), "120h")) > 0
    error_message = "The Pinterest access token expires at ${pinterest_oauth_token.etl.access_token_expires_at}, in less than 5 days: the scheduled apply that rotates it has stopped. Run it now (terraform apply); see the on-call runbook guide."
  }

  assert {
    condition     = timecmp(pinterest_oauth_token.etl.refresh_token_expires_at, timeadd(plantimestamp(), "240h")) > 0
    error_message = "The Pinterest refresh token expires at ${pinterest_oauth_token.etl.refresh_token_expires_at}, in less than 10 days: without an apply before then, a person must approve again."
  }
}
