# A CI job that holds a refresh token in its secret store. Each run trades it
# for an access token that never reaches the state, and writes the newest
# refresh token back: under continuous refresh the one it read may stop
# working at once. Here the "secret store" is a file the job writes; in real
# use it is a secret store's write-only argument.

terraform {
  required_version = ">= 1.11"
  required_providers {
    pinterest = {
      source = "sprighub/pinterest"
    }
  }
}

provider "pinterest" {}

variable "refresh_token" {
  description = "The refresh token read from the job's secret store."
  type        = string
  sensitive   = true
  ephemeral   = true
}

# Refresh during apply only: every open is one refresh at Pinterest.
ephemeral "pinterest_access_token" "job" {
  refresh_token = var.refresh_token
  enabled       = terraform.applying
}

# Stands in for the job: it receives the access token in its environment,
# records only its length and prefix, and stores the newest refresh token.
resource "terraform_data" "job" {
  provisioner "local-exec" {
    interpreter = ["/bin/sh", "-c"]
    command     = <<-EOT
      printf '%s characters, starting with %s' "$${#TOKEN}" "$(printf '%s' "$TOKEN" | cut -c1-4)" > job_result.txt
      (umask 077 && printf '%s' "$LATEST_REFRESH_TOKEN" > secret_store_refresh_token)
    EOT
    environment = {
      TOKEN                = ephemeral.pinterest_access_token.job.access_token
      LATEST_REFRESH_TOKEN = ephemeral.pinterest_access_token.job.latest_refresh_token
    }
  }
}
