package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
)

const tokenAddr = "pinterest_oauth_token.test"

func tokenConfig(e *testEnv, body string) string {
	return e.providerBlock() + fmt.Sprintf(`
resource "pinterest_oauth_token" "test" {
  redirect_uri = %q
%s
}
`, testRedirectURI, body)
}

// codeConfig is tokenConfig started from a code in authorization_code_wo,
// at the given version, with more of the body after it.
func codeConfig(e *testEnv, code string, version int, more ...string) string {
	return tokenConfig(e, fmt.Sprintf("authorization_code_wo = %q\nauthorization_code_wo_version = %d\n%s", code, version, strings.Join(more, "\n")))
}

// captureAttr stores a string attribute of a resource in *dst, so that a
// test can ask the fake about it. It never prints the value.
type captureAttr struct {
	addr, attr string
	dst        *string
}

func (c captureAttr) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	v, ok := stateAttr(req.State, c.addr, c.attr)
	if !ok {
		resp.Error = fmt.Errorf("%s.%s is not a string in state", c.addr, c.attr)
		return
	}
	*c.dst = v
}

func stateAttr(state *tfjson.State, addr, attr string) (string, bool) {
	if state == nil || state.Values == nil {
		return "", false
	}
	for _, r := range state.Values.RootModule.Resources {
		if r.Address == addr {
			s, ok := r.AttributeValues[attr].(string)
			return s, ok
		}
	}
	return "", false
}

func TestAccOAuthToken_lifecycle(t *testing.T) {
	e := newTestEnv(t)
	code1 := e.fake.IssueCode(testRedirectURI, "pins:read", "boards:read")
	code2 := e.fake.IssueCode(testRedirectURI, "pins:read")
	var refresh1 string
	sameID := statecheck.CompareValue(compare.ValuesSame())
	newID := statecheck.CompareValue(compare.ValuesDiffer())

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				Config: codeConfig(e, code1, 1),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{32}$`))),
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("access_token"), knownvalue.StringRegexp(regexp.MustCompile(`^pina_`))),
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("refresh_token"), knownvalue.StringRegexp(regexp.MustCompile(`^pinr_`))),
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("token_type"), knownvalue.StringExact("bearer")),
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("scopes"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("boards:read"), knownvalue.StringExact("pins:read"),
					})),
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("access_token_expires_at"), knownvalue.StringExact(testEpoch.Add(30*24*time.Hour).Format(time.RFC3339))),
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("refresh_token_expires_at"), knownvalue.StringExact(testEpoch.Add(60*24*time.Hour).Format(time.RFC3339))),
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("continuous_refresh"), knownvalue.Bool(true)),
					statecheck.ExpectSensitiveValue(tokenAddr, tfjsonpath.New("access_token")),
					statecheck.ExpectSensitiveValue(tokenAddr, tfjsonpath.New("refresh_token")),
					captureAttr{tokenAddr, "refresh_token", &refresh1},
					sameID.AddStateValue(tokenAddr, tfjsonpath.New("id")),
					newID.AddStateValue(tokenAddr, tfjsonpath.New("id")),
				},
			},
			{
				// The spent code left in place, with its version, plans nothing.
				PreConfig: func() {
					if !e.fake.RefreshTokenValid(refresh1) {
						t.Error("the stored refresh token is not valid at the fake")
					}
					forms := e.fake.Forms(fakepinterest.TokenPath)
					if len(forms) != 1 || forms[0].Get("continuous_refresh") != "true" || forms[0].Get("grant_type") != "authorization_code" {
						t.Errorf("expected one authorization_code exchange with continuous_refresh=true, got %d requests", len(forms))
					}
				},
				Config: codeConfig(e, code1, 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(tokenAddr, tfjsonpath.New("id"))},
			},
			{
				// Removing the spent code plans nothing either.
				Config: tokenConfig(e, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(tokenAddr, tfjsonpath.New("id"))},
			},
			{
				// A new version with a new code is a new exchange: a new
				// token set, in place, whose generation counts on.
				Config: codeConfig(e, code2, 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(tokenAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("generation"), knownvalue.Int64Exact(2)),
						plancheck.ExpectUnknownValue(tokenAddr, tfjsonpath.New("access_token")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					newID.AddStateValue(tokenAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("scopes"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("pins:read")})),
				},
			},
		},
	})
	if n := len(e.fake.Forms(fakepinterest.TokenPath)); n != 2 {
		t.Errorf("token endpoint saw %d grants over four steps, want 2 (one per exchange, none from plan or read)", n)
	}
}

func TestAccOAuthToken_writeOnlyCode(t *testing.T) {
	e := newTestEnv(t)
	code1 := e.fake.IssueCode(testRedirectURI, "pins:read")
	code2 := e.fake.IssueCode(testRedirectURI, "pins:read")
	codes := func() []string { return []string{code1, code2} }
	newID := statecheck.CompareValue(compare.ValuesDiffer())
	// The code arrives as users pass it: an ephemeral variable (-var or
	// TF_VAR_...), which Terraform keeps out of the plan file.
	woConfig := func(version string) string {
		return tokenConfig(e, fmt.Sprintf("authorization_code_wo = var.code\nauthorization_code_wo_version = %s", version)) + `
variable "code" {
  type      = string
  sensitive = true
  ephemeral = true
}`
	}

	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				Config:          woConfig("1"),
				ConfigVariables: config.Variables{"code": config.StringVariable(code1)},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{noSecretInPlan{codes}},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("authorization_code_wo"), knownvalue.Null()),
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("authorization_code_wo_version"), knownvalue.Int64Exact(1)),
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("access_token"), knownvalue.StringRegexp(regexp.MustCompile(`^pina_`))),
					noSecretInState{codes},
					newID.AddStateValue(tokenAddr, tfjsonpath.New("id")),
				},
			},
			{
				// A new version with a new code starts a new token set in place.
				Config:          woConfig("2"),
				ConfigVariables: config.Variables{"code": config.StringVariable(code2)},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(tokenAddr, plancheck.ResourceActionUpdate), noSecretInPlan{codes}},
				},
				ConfigStateChecks: []statecheck.StateCheck{noSecretInState{codes}, newID.AddStateValue(tokenAddr, tfjsonpath.New("id"))},
			},
			{
				// Dropping the spent write-only code and its version plans nothing.
				Config: tokenConfig(e, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

func TestAccOAuthToken_startValidation(t *testing.T) {
	e := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				Config:      tokenConfig(e, ""),
				PlanOnly:    true,
				ExpectError: errorMatching("Missing Authorization Code", "authorization_code_wo", "valid for 10 minutes"),
			},
			{
				Config:      tokenConfig(e, "authorization_code_wo = \"abc\"\nrefresh_token_wo = \"def\""),
				PlanOnly:    true,
				ExpectError: errorMatching("Invalid Attribute Combination", "authorization_code_wo", "refresh_token_wo"),
			},
		},
	})
	if n := e.fake.Requests(fakepinterest.TokenPath); n != 0 {
		t.Errorf("a rejected configuration sent %d requests to Pinterest", n)
	}
}

func TestAccOAuthToken_exchangeErrors(t *testing.T) {
	codeRejected := errorMatching("Authorization Code Rejected", "valid for 10 minutes", "exchanged only once", "same redirect_uri", "provider::pinterest::authorization_url", "request id fake-")
	for name, tc := range map[string]struct {
		setup  func(e *testEnv) (code string)
		config func(e *testEnv, code string) string
		want   *regexp.Regexp
	}{
		"wrong redirect_uri": {
			setup: func(e *testEnv) string { return e.fake.IssueCode(testRedirectURI, "pins:read") },
			config: func(e *testEnv, code string) string {
				return e.providerBlock() + fmt.Sprintf(`
resource "pinterest_oauth_token" "test" {
  redirect_uri       = "https://elsewhere.example.com/cb"
  authorization_code_wo = %q
}`, code)
			},
			want: codeRejected,
		},
	} {
		t.Run(name, func(t *testing.T) {
			e := newTestEnv(t)
			code := tc.setup(e)
			config := tokenConfig(e, fmt.Sprintf("authorization_code_wo = %q", code))
			if tc.config != nil {
				config = tc.config(e, code)
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps:                    []resource.TestStep{{Config: config, ExpectError: tc.want}},
			})
		})
	}
}

func TestAccOAuthToken_importRefused(t *testing.T) {
	e := newTestEnv(t)
	code := e.fake.IssueCode(testRedirectURI, "pins:read")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{Config: tokenConfig(e, fmt.Sprintf("authorization_code_wo = %q", code))},
			{
				Config:        tokenConfig(e, fmt.Sprintf("authorization_code_wo = %q", code)),
				ResourceName:  tokenAddr,
				ImportState:   true,
				ImportStateId: "anything",
				ExpectError:   errorMatching("Import Not Supported", "new authorization code"),
			},
		},
	})
}

// TestAccOAuthToken_requiredAccount: a code approved by another account
// than required_account (a swapped code, or one a local user delivered
// first) fails before anything is stored, naming the account that
// approved, at create and at a start in place; the right account's code
// succeeds, and a failed start in place leaves the token set as it was.
func TestAccOAuthToken_requiredAccount(t *testing.T) {
	e := newTestEnv(t)
	other := fakepinterest.UserAccount{ID: "1130000000001", Username: "client_b", AccountType: "BUSINESS"}
	scopes := []string{"pins:read", "user_accounts:read"}
	wrong := e.fake.IssueCodeAs(other, testRedirectURI, scopes...)
	right := e.fake.IssueCode(testRedirectURI, scopes...)
	later := e.fake.IssueCodeAs(other, testRedirectURI, scopes...)
	config := func(code string, version int) string {
		return codeConfig(e, code, version, `required_account = "sprig_data"`)
	}
	var current string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{Config: config(wrong, 1), ExpectError: errorMatching("Wrong Pinterest Account Approved", "client_b (id 1130000000001)",
				`required_account is "sprig_data"`, "nothing was stored")},
			{Config: config(right, 1), ConfigStateChecks: []statecheck.StateCheck{expectGeneration(1), storedRefreshTokenIsCurrent(e, &current),
				statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("user_account").AtMapKey("username"), knownvalue.StringExact("sprig_data"))}},
			{Config: config(later, 2), ExpectError: errorMatching("Wrong Pinterest Account Approved", "client_b")},
			{Config: config(right, 1), ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{expectGeneration(1), storedRefreshTokenIsCurrent(e, &current)}},
		},
	})
}
