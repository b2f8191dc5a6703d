# Encrypted with a key of your own, locked, readable by the job and owners only.
terraform {
  backend "s3" {
    bucket       = "example-terraform-state"
    key          = "pinterest/etl.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    kms_key_id   = "alias/terraform-state" # a customer-managed key; its key policy names who may decrypt
    use_lockfile = true                    # S3-native locking (Terraform 1.11+, OpenTofu 1.10+)
  }
}
