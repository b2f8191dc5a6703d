# Health checks that spend no refresh: they warn, without failing the run,
# when the token set needs a person. Run them from a monitoring job with
# terraform plan -refresh-only (or HCP Terraform's continuous validation): a
# normal plan of a token set that is due plans the rotation, and the checks
# then wait for the apply.

# Pinterest still accepts the access token (a revoked app access or an
# expired token becomes a warning naming the cause and the way back).
check "pinterest_token_accepted" {
  data "pinterest_user_account" "etl" {
    access_token = pinterest_oauth_token.etl.access_token
  }

  assert {
    condition     = data.pinterest_user_account.etl.id != ""
    error_message = "Pinterest did not say which account the token belongs to."
  }
}

# The scheduled apply is still running: it rotates at 7 days left, so less
# than 5 days left means it has stopped.
check "pinterest_token_rotating" {
  assert {
    condition     = timecmp(pinterest_oauth_token.etl.access_token_expires_at, timeadd(plantimestamp(), "120h")) > 0
    error_message = "The Pinterest access token expires at ${pinterest_oauth_token.etl.access_token_expires_at}, in less than 5 days: the scheduled apply that rotates it has stopped. Run it now (terraform apply); see the token timeline guide."
  }

  assert {
    condition     = timecmp(pinterest_oauth_token.etl.refresh_token_expires_at, timeadd(plantimestamp(), "240h")) > 0
    error_message = "The Pinterest refresh token expires at ${pinterest_oauth_token.etl.refresh_token_expires_at}, in less than 10 days: without an apply before then, a person must approve again."
  }
}
