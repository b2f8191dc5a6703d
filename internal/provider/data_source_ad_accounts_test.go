package provider

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/standin"
	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/tfrun"
	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokendoc"
)

// TestAccAdAccounts_ciPattern runs the data source page's CI example as
// written: the token document is in a secret store, read by an ephemeral
// resource during the plan; the provider block takes the stored access
// token (ephemeral, which the data source itself could not take), and the
// list feeds for_each during the plan. Nothing is refreshed, no token
// reaches the state, and an account the client un-shares leaves the
// for_each at the next plan.
func TestAccAdAccounts_ciPattern(t *testing.T) {
	agency := fakepinterest.UserAccount{ID: "549755885001", Username: "agency_data", AccountType: "BUSINESS"}
	e := newTestEnv(t, func(o *fakepinterest.Options) { o.User = agency })
	clients := map[string]string{"acme": "549755900001", "globex": "549755900002", "initech": "549755900003"}
	for name, id := range clients {
		e.fake.AddAdAccount(fakepinterest.UserAccount{ID: "6" + id[1:], Username: name + "_ads"}, id, name+" ads", "US", "USD")
		e.fake.ShareAdAccount(id, agency, "ANALYST")
	}
	store := standin.NewStore()
	store.Put("etl/pinterest/agency", seedDocument(e, "ads:read"))

	example, err := os.ReadFile("../../examples/data-sources/pinterest_ad_accounts/ci.tf")
	if err != nil {
		t.Fatal(err)
	}
	// The example's provider block reaches the fake, as the environment
	// variable PINTEREST_API_URL would make it (tests run in parallel, so
	// not through the environment). It needs no app credentials.
	cfg := strings.Replace(tfrun.WithoutTerraformBlock(string(example)), `provider "pinterest" {`, `provider "pinterest" {
  api_url      = "`+e.fake.URL()+`"`, 1)
	if !strings.Contains(cfg, e.fake.URL()) {
		t.Fatal("the example has no pinterest provider block")
	}
	source := func(id string) string { return `terraform_data.etl_source["` + id + `"]` }
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: e.factories(),
		ProtoV5ProviderFactories: map[string]func() (tfprotov5.ProviderServer, error){"aws": standin.AWS(store)},
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(source(clients["acme"]), plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction(source(clients["globex"]), plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction(source(clients["initech"]), plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{noSecretInState{e.issuedGrants}},
			},
			{
				PreConfig: func() { e.fake.UnshareAdAccount(clients["globex"], agency) },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(source(clients["globex"]), plancheck.ResourceActionDestroy),
					plancheck.ExpectResourceAction(source(clients["acme"]), plancheck.ResourceActionNoop),
				}},
			},
			// terraform-plugin-testing reads the state in the legacy form
			// before its final destroy, which has no string instance keys
			// (hashicorp/terraform-plugin-sdk#536): remove the instances first.
			{Config: e.providerBlock()},
		},
	})
	if n := e.fake.Requests(fakepinterest.TokenPath); n != 0 {
		t.Errorf("%d token requests; the stored access token must be used as it is", n)
	}
	if n := e.fake.Requests(fakepinterest.AdAccountsPath); n == 0 {
		t.Error("the ad accounts were never listed")
	}
}

// TestAccAdAccounts_tokenSources: a data source's own access_token wins
// over the provider block's; neither is refused by name; a provider token
// known only during apply is refused with the way out, never read as empty.
func TestAccAdAccounts_tokenSources(t *testing.T) {
	e := newTestEnv(t)
	e.fake.AddAdAccount(fakepinterest.DefaultUser, "549755800001", "own ads", "US", "USD")
	good, _ := e.fake.IssueTokens("ads:read")
	// A second provider block that reads with token; the data source uses
	// it. (A provider block cannot take a value of its own resources.)
	provider := func(token string) string {
		return e.providerBlock() + strings.Replace(e.providerBlock(), "provider \"pinterest\" {",
			"provider \"pinterest\" {\n  alias = \"reader\"\n  access_token = "+token, 1)
	}
	const listed = `
data "pinterest_ad_accounts" "test" {
  provider = pinterest.reader
}

output "ids" {
  value = data.pinterest_ad_accounts.test.ad_accounts[*].id
}
`
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				Config: provider(`"`+good+`"`) + listed,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownOutputValue("ids", knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("549755800001")})),
				}},
			},
			{
				// The data source's own token is used; the provider's is not valid.
				Config: provider(`"pina_not_a_token"`) + `
data "pinterest_ad_accounts" "test" {
  provider     = pinterest.reader
  access_token = "` + good + `"
}
`,
			},
			{
				Config:      provider("null") + listed,
				ExpectError: errorMatching("Missing Access Token", "pinterest_ad_accounts", "provider block"),
			},
			{
				Config: provider(`ephemeral.pinterest_access_token.later.access_token`) + `
ephemeral "pinterest_access_token" "later" {
  refresh_token = "pinr_unused"
  apply_time    = timestamp()
}
` + listed,
				ExpectError: errorMatching("Access Token Not Known During Plan", "jsondecode"),
			},
			{
				// The refresh token, taken from the wrong field of the document.
				Config:      provider(`"pinr_not_sent_anywhere"`) + listed,
				ExpectError: errorMatching("Invalid Access Token", "refresh or conversion token", ".access_token"),
			},
			{
				Config:      provider(`"pina_not_a_token"`) + listed,
				ExpectError: errorMatching("Pinterest Access Token Refused", "provider block's access_token", "configuration of its own"),
			},
		},
	})
	if n := e.fake.Requests(fakepinterest.TokenPath); n != 0 {
		t.Errorf("%d token requests, want none", n)
	}
}

// TestReadToken is the rule of which access token a data source reads
// with, as a table: its own wins; else the provider block's; neither, or
// the provider's known only during apply, is refused by name.
func TestReadToken(t *testing.T) {
	for name, tc := range map[string]struct {
		own          types.String
		data         providerData
		want         string // the token; "" when refused
		fromProvider bool
		problem      string // the refusal's summary
	}{
		"its own":                         {types.StringValue("pina_own"), providerData{accessToken: sensitive.New("pina_provider")}, "pina_own", false, ""},
		"its own, the provider's unknown": {types.StringValue("pina_own"), providerData{accessTokenUnknown: true}, "pina_own", false, ""},
		"the provider's":                  {types.StringNull(), providerData{accessToken: sensitive.New("pina_provider")}, "pina_provider", true, ""},
		"the provider's, unknown":         {types.StringNull(), providerData{accessTokenUnknown: true}, "", true, "Access Token Not Known During Plan"},
		"neither":                         {types.StringNull(), providerData{}, "", true, "Missing Access Token"},
		"the provider's, a refresh token": {types.StringNull(), providerData{accessToken: sensitive.New("pinr_0123")}, "", true, "Invalid Access Token"},
	} {
		t.Run(name, func(t *testing.T) {
			tok, fromProvider, problem := tc.data.readToken(tc.own, "pinterest_ad_accounts")
			if tok.Reveal() != tc.want || fromProvider != tc.fromProvider {
				t.Errorf("token %q (from provider %v), want %q (%v)", tok.Reveal(), fromProvider, tc.want, tc.fromProvider)
			}
			switch {
			case tc.problem == "" && problem != nil:
				t.Errorf("refused: %s", problem.Summary())
			case tc.problem != "" && (problem == nil || problem.Summary() != tc.problem):
				t.Errorf("problem %v, want %q", problem, tc.problem)
			case problem != nil && !strings.Contains(problem.Detail(), "pinterest_ad_accounts"):
				t.Errorf("the message does not name the data source: %s", problem.Detail())
			}
		})
	}
	moved := fromProviderBlock(userAccountDiagnostic(errors.New("x")))
	if moved.Severity() != diag.SeverityError || !strings.Contains(moved.Detail(), "provider block's access_token") ||
		!strings.Contains(moved.Detail(), "configuration of its own") {
		t.Errorf("fromProviderBlock: %v %q", moved.Severity(), moved.Detail())
	}
	if w := fromProviderBlock(diag.NewWarningDiagnostic("W", "w")); w.Severity() != diag.SeverityWarning {
		t.Error("fromProviderBlock made a warning an error")
	}
}

// TestNotAnAccessToken: what the provider block's access_token may not be,
// as it comes from a store: another kind of token, or more than a token.
func TestNotAnAccessToken(t *testing.T) {
	for s, refused := range map[string]bool{
		"pina_0123456789": false, "": false,
		"pinr_0123456789": true, "pinc_0123456789": true,
		"pina_0123\n": true, " pina_0123": true, `{"access_token": "pina_0123"}`: true, "pina\x7f": true, `"pina_0123"`: true,
		// The whole document, as the provider writes it: compact JSON.
		(&tokendoc.Document{AccessToken: sensitive.New("pina_0123"), RefreshToken: sensitive.New("pinr_0123"), Generation: 1}).Encode(): true,
	} {
		if why := notAnAccessToken(s); (why != "") != refused || strings.Contains(why, "0123") {
			t.Errorf("%q: %q, want refused %v and no token in the reason", s, why, refused)
		}
	}
}
