package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// The function needs no credentials, so these configurations have no
// provider block at all.
func TestAccFunctionAuthorizationURL(t *testing.T) {
	e := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				Config: `
output "url" {
  value = provider::pinterest::authorization_url("1484362", "https://etl.example.com/oauth/callback?team=data", ["pins:read", "user_accounts:read", "pins:read"], "x/y z")
}`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("url", knownvalue.StringExact(
						"https://www.pinterest.com/oauth/?client_id=1484362"+
							"&redirect_uri=https%3A%2F%2Fetl.example.com%2Foauth%2Fcallback%3Fteam%3Ddata"+
							"&response_type=code&scope=pins%3Aread%2Cuser_accounts%3Aread&state=x%2Fy+z")),
				},
			},
			{
				Config:      `output "url" { value = provider::pinterest::authorization_url("1484362", "https://x.example.com/cb", ["pins:read", "pins:everything"], "s") }`,
				ExpectError: errorMatching(`"scopes" parameter`, `"pins:everything" is not a Pinterest API v5 scope`),
			},
			{
				Config:      `output "url" { value = provider::pinterest::authorization_url("1484362", "https://x.example.com/cb", [], "s") }`,
				ExpectError: errorMatching(`"scopes" parameter`, "scopes is empty"),
			},
			{
				Config:      `output "url" { value = provider::pinterest::authorization_url("1484362", "/oauth/callback", ["pins:read"], "s") }`,
				ExpectError: errorMatching(`"redirect_uri" parameter`, "not an absolute URL"),
			},
			{
				Config:      `output "url" { value = provider::pinterest::authorization_url("", "https://x.example.com/cb", ["pins:read"], "s") }`,
				ExpectError: errorMatching(`"client_id" parameter`, "client_id is empty"),
			},
		},
	})
}
