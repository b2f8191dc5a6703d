variable "pinterest_app_secret" {
  type      = string
  sensitive = true
  ephemeral = true
}

provider "pinterest" {
  client_id       = "1484362"
  client_secret   = var.pinterest_app_secret
  api_url         = "https://api-sandbox.pinterest.com"
  request_timeout = "20s"
  max_retries     = 6
}
