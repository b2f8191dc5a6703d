# Open this URL in a browser, approve, and copy the `code` parameter from the
# address bar of the page Pinterest redirects to (valid for 10 minutes).
output "consent_url" {
  value = provider::pinterest::authorization_url(
    "1484362",
    "http://localhost:8085/",
    ["pins:read", "boards:read", "user_accounts:read"],
    "a-random-state-value",
  )
}
