# OpenTofu only: state and plan files are encrypted before they are written.
variable "state_passphrase" {
  type      = string
  sensitive = true # TF_VAR_state_passphrase, 16 characters or more, from the CI's secret store
}

terraform {
  encryption {
    key_provider "pbkdf2" "state" {
      passphrase = var.state_passphrase
    }
    method "aes_gcm" "state" {
      keys = key_provider.pbkdf2.state
    }
    state {
      method   = method.aes_gcm.state
      enforced = true
    }
    plan {
      method   = method.aes_gcm.state
      enforced = true
    }
  }
}
