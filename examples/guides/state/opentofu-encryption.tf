# OpenTofu only: the state and plan files are encrypted on the client before
# they are written anywhere, so the backend (and whoever can read it) never
# sees the tokens. Terraform refuses this block.
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
