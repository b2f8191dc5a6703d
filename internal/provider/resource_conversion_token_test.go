package provider

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/standin"
)

const conversionSecret = "segment/pinterest-conversion-token"

// TestAccConversionToken runs the resource's example as written: a token
// set with ads:write, a conversion token made from its access token and
// written to a store. The token set's rotation leaves the conversion token
// alone (write-only input, no refresh of its own); a change of triggers
// makes a new one, written to the store under a new version; nothing is
// called at plan, read or destroy.
func TestAccConversionToken(t *testing.T) {
	e := newTestEnv(t, func(o *fakepinterest.Options) { o.RedirectURIs = append(o.RedirectURIs, exampleRedirectURI) })
	raw, err := os.ReadFile("../../examples/resources/pinterest_conversion_token/resource.tf")
	if err != nil {
		t.Fatal(err)
	}
	example := e.providerBlock() + `
variable "authorization_code" {
  type      = string
  sensitive = true
  ephemeral = true
  default   = null
}

resource "pinterest_oauth_token" "ads" {
  redirect_uri                  = "` + exampleRedirectURI + `"
  authorization_code_wo         = var.authorization_code
  authorization_code_wo_version = 1
  required_scopes               = ["ads:write"]
}
` + string(raw)
	renewed := strings.Replace(example, `renewed = "2026-12"`, `renewed = "2027-01"`, 1)
	store := standin.NewStore()
	code := e.fake.IssueCode(exampleRedirectURI, "ads:read", "ads:write", "user_accounts:read")
	var tokens []string
	inStore := stateCheckFunc(func(state *tfjson.State) error {
		tok, _ := stateAttr(state, "pinterest_conversion_token.segment", "token")
		if minted, known := e.fake.ConversionTokens(tok); !known {
			return fmt.Errorf("the state's conversion token is not one the fake minted (%d minted)", minted)
		}
		if v, _ := store.Latest(conversionSecret); v != tok {
			return fmt.Errorf("the store does not hold the state's conversion token")
		}
		if len(tokens) == 0 || tokens[len(tokens)-1] != tok {
			tokens = append(tokens, tok)
		}
		return nil
	})
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: e.factories(),
		ProtoV5ProviderFactories: awsFactories(store),
		Steps: []resource.TestStep{
			{
				Config: example, ConfigVariables: config.Variables{"authorization_code": config.StringVariable(code)},
				ConfigStateChecks: []statecheck.StateCheck{inStore},
			},
			{
				// 25 days on, the token set rotates; the conversion token stays.
				PreConfig: func() { e.clock.Advance(25 * day) },
				Config:    example,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("pinterest_oauth_token.ads", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("pinterest_conversion_token.segment", plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction("aws_secretsmanager_secret_version.conversion_token", plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{inStore},
			},
			{
				Config: renewed,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("pinterest_conversion_token.segment", plancheck.ResourceActionDestroyBeforeCreate),
					plancheck.ExpectResourceAction("aws_secretsmanager_secret_version.conversion_token", plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{inStore},
			},
		},
	})
	if minted, _ := e.fake.ConversionTokens(""); minted != 2 || len(tokens) != 2 {
		t.Errorf("%d conversion tokens minted, %d stored; want 2 (create, new triggers)", minted, len(tokens))
	}
	if n := store.Writes(conversionSecret); n != 2 {
		t.Errorf("the store was written %d times, want 2", n)
	}
}

// TestAccConversionToken_withoutAdsWrite: a token set without ads:write
// gets a diagnostic that names the scope, and no token.
func TestAccConversionToken_withoutAdsWrite(t *testing.T) {
	e := newTestEnv(t)
	code := e.fake.IssueCode(testRedirectURI, "ads:read")
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: tokenConfig(e, fmt.Sprintf("authorization_code_wo = %q", code)) + `
resource "pinterest_conversion_token" "test" {
  access_token_wo = pinterest_oauth_token.test.access_token
}
`,
			ExpectError: regexp.MustCompile(`(?s)Missing Pinterest Scopes.*ads:write`),
		}},
	})
	if minted, _ := e.fake.ConversionTokens(""); minted != 0 {
		t.Errorf("%d conversion tokens minted", minted)
	}
}
