# The state holds the token set (pinterest_oauth_token keeps the tokens so
# that it can rotate them). Keep it in a bucket only the scheduled job and the
# token set's owners can read, encrypted with a key of your own, and locked
# while a run writes it.
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
