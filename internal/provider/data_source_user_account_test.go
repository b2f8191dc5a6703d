package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
)

const userAccountConfig = `
variable "access_token" {
  type      = string
  sensitive = true
}

data "pinterest_user_account" "test" {
  access_token = var.access_token
}
`

func TestAccUserAccount(t *testing.T) {
	e := newTestEnv(t)
	good, _ := e.fake.IssueTokens("user_accounts:read")
	noScope, _ := e.fake.IssueTokens("pins:read")
	revoked, _ := e.fake.IssueTokens("user_accounts:read")
	cfg := e.providerBlock() + userAccountConfig
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				Config:          cfg,
				ConfigVariables: config.Variables{"access_token": config.StringVariable(good)},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.pinterest_user_account.test", tfjsonpath.New("id"), knownvalue.StringExact(fakepinterest.DefaultUser.ID)),
					statecheck.ExpectKnownValue("data.pinterest_user_account.test", tfjsonpath.New("username"), knownvalue.StringExact(fakepinterest.DefaultUser.Username)),
					statecheck.ExpectKnownValue("data.pinterest_user_account.test", tfjsonpath.New("account_type"), knownvalue.StringExact("BUSINESS")),
				},
			},
			{
				Config:          cfg,
				ConfigVariables: config.Variables{"access_token": config.StringVariable(noScope)},
				ExpectError:     errorMatching("Pinterest Account Not Readable", "user_accounts:read"),
			},
			{
				PreConfig:       e.fake.RevokeEverything, // the account owner removed the app's access
				Config:          cfg,
				ConfigVariables: config.Variables{"access_token": config.StringVariable(revoked)},
				ExpectError:     errorMatching("Pinterest Access Token Refused", "expired", "removed the app's access", "approve again"),
			},
		},
	})
	if n := e.fake.Requests(fakepinterest.TokenPath); n != 0 {
		t.Errorf("reading the account sent %d token request(s); it must spend no refresh", n)
	}
}
