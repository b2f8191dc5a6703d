# A scheduled CI job. Its secret store holds the token document; each run
# hands the job an access token that never reaches the state, refreshes only
# when the stored access token is near expiry, and writes the document back
# in every run. Here the "secret store" is a file; in real use it is a
# secret store's write-only argument (see the pinterest_access_token docs).

terraform {
  required_version = ">= 1.11"
  required_providers {
    pinterest = {
      source = "sprighub/pinterest"
    }
  }
}

provider "pinterest" {}

variable "token_document" {
  description = "The token document read from the job's secret store."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "store_path" {
  description = "Where the job's secret store keeps the token document."
  type        = string
}

variable "refresh_before" {
  description = "Refresh when the access token expires within this duration."
  type        = string
  default     = "168h"
}

ephemeral "pinterest_access_token" "job" {
  token_document = var.token_document
  refresh_before = var.refresh_before
  # Known only during apply: nothing is opened, or refreshed, during plan
  # (the CLI says "Configuration unknown, deferring...").
  apply_time = timestamp()
}

# The write-back. timestamp() makes it run in every run, so that a run that
# refreshed can never skip it; a run that did not refresh writes the same
# document again.
resource "terraform_data" "store" {
  triggers_replace = timestamp()

  provisioner "local-exec" {
    interpreter = ["/bin/sh", "-c"]
    command     = "(umask 077 && printf '%s' \"$DOC\" > \"$STORE.new\" && mv \"$STORE.new\" \"$STORE\")"
    environment = {
      DOC   = ephemeral.pinterest_access_token.job.latest_token_document
      STORE = var.store_path
    }
  }
}

# Stands in for the job: it receives the access token in its environment
# and records only its length and prefix. It runs after the write-back.
resource "terraform_data" "job" {
  triggers_replace = timestamp()
  depends_on       = [terraform_data.store]

  provisioner "local-exec" {
    interpreter = ["/bin/sh", "-c"]
    command     = "printf '%s characters, starting with %s' \"$${#TOKEN}\" \"$(printf '%s' \"$TOKEN\" | cut -c1-4)\" > job_result.txt"
    environment = {
      TOKEN = ephemeral.pinterest_access_token.job.access_token
    }
  }
}
