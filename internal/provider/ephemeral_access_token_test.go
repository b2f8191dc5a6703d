package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
)

// refreshTokenVariable passes a refresh token as a CI job would: an
// ephemeral variable, filled from a secret store.
const refreshTokenVariable = `
variable "refresh_token" {
  type      = string
  sensitive = true
  ephemeral = true
}
`

// TestAccAccessToken_reachesConsumer copies the ephemeral result into the
// echo provider, the one way a test can see it.
func TestAccAccessToken_reachesConsumer(t *testing.T) {
	e := newTestEnv(t, func(o *fakepinterest.Options) { o.PreviousRefreshTokenStaysValid = true })
	_, refresh := e.fake.IssueTokens("pins:read", "boards:read", "user_accounts:read")
	echoed := func(attr string) tfjsonpath.Path { return tfjsonpath.New("data").AtMapKey(attr) }

	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.providerBlock() + refreshTokenVariable + `
ephemeral "pinterest_access_token" "test" {
  refresh_token = var.refresh_token
  requested_scopes = ["pins:read"]
  enabled       = true # opened during plan, where the echo provider sees it
}
provider "echo" {
  data = ephemeral.pinterest_access_token.test
}
resource "echo" "test" {}
`,
			ConfigVariables: config.Variables{"refresh_token": config.StringVariable(refresh)},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("echo.test", echoed("access_token"), knownvalue.StringRegexp(regexp.MustCompile(`^pina_`))),
				statecheck.ExpectKnownValue("echo.test", echoed("token_type"), knownvalue.StringExact("bearer")),
				statecheck.ExpectKnownValue("echo.test", echoed("scopes"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("pins:read")})),
				statecheck.ExpectKnownValue("echo.test", echoed("latest_refresh_token"), knownvalue.StringRegexp(regexp.MustCompile(`^pinr_`))),
				statecheck.ExpectKnownValue("echo.test", echoed("access_token_expires_at"), knownvalue.NotNull()),
				statecheck.ExpectKnownValue("echo.test", echoed("refresh_token_expires_at"), knownvalue.NotNull()),
			},
		}},
	})
	for _, f := range e.fake.Forms(fakepinterest.TokenPath) {
		if f.Get("grant_type") != "refresh_token" || f.Get("scope") != "pins:read" {
			t.Errorf("unexpected token request: grant_type=%q scope=%q", f.Get("grant_type"), f.Get("scope"))
		}
	}
}

// TestAccAccessToken_neverInStateOrPlan uses the token the way a pipeline
// does, in a provisioner's environment, and then searches the state and the
// plan for every secret the fake issued.
func TestAccAccessToken_neverInStateOrPlan(t *testing.T) {
	e := newTestEnv(t)
	_, refresh := e.fake.IssueTokens("pins:read")
	secrets := e.issuedGrants

	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.providerBlock() + refreshTokenVariable + `
ephemeral "pinterest_access_token" "ci" {
  refresh_token = var.refresh_token
  enabled       = terraform.applying
}
resource "terraform_data" "job" {
  provisioner "local-exec" {
    command     = "case \"$TOKEN\" in pina_*) exit 0;; *) exit 1;; esac"
    environment = { TOKEN = ephemeral.pinterest_access_token.ci.access_token }
  }
}
`,
			ConfigVariables: config.Variables{"refresh_token": config.StringVariable(refresh)},
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{noSecretInPlan{secrets}},
			},
			ConfigStateChecks: []statecheck.StateCheck{noSecretInState{secrets}},
		}},
	})
	if refreshes := refreshGrants(e); refreshes != 1 {
		t.Errorf("enabled = terraform.applying: %d refreshes, want exactly 1 (apply only)", refreshes)
	}
}

func TestAccAccessToken_rejectedRefreshToken(t *testing.T) {
	e := newTestEnv(t)
	_, refresh := e.fake.IssueTokens("pins:read")
	if _, err := e.fake.ForeignRefresh(refresh); err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.providerBlock() + refreshTokenVariable + `
ephemeral "pinterest_access_token" "test" {
  refresh_token = var.refresh_token
  enabled       = true
}
provider "echo" {
  data = ephemeral.pinterest_access_token.test
}
resource "echo" "test" {}
`,
			ConfigVariables: config.Variables{"refresh_token": config.StringVariable(refresh)},
			ExpectError:     errorMatching("Refresh Token Rejected", "another party", "60 days", "what the store holds now", "request id fake-"),
		}},
	})
}

func TestAccAccessToken_unknownScope(t *testing.T) {
	e := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.providerBlock() + `
ephemeral "pinterest_access_token" "test" {
  refresh_token = "pinr_whatever"
  requested_scopes = ["pins:reed"]
  apply_time    = timestamp()
}
provider "echo" {
  data = ephemeral.pinterest_access_token.test
}
resource "echo" "test" {}
`,
			ExpectError: errorMatching("Unknown Pinterest Scope", `"pins:reed" is not a Pinterest API v5 scope`),
		}},
	})
	if n := e.fake.Requests(fakepinterest.TokenPath); n != 0 {
		t.Errorf("%d requests sent for an invalid configuration", n)
	}
}
