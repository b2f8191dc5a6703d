package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/standin"
)

// The ETL consumer guide's patterns, run as a schedule runs them: each cycle
// is a scheduled terraform apply, then the consumer's own sync, one day
// apart, against the fake in its strictest mode (a refresh retires the
// previous refresh token at once) with lifetimes short enough that both
// expiries pass within the test (access tokens 3 days, refresh tokens 6).

const (
	consumerCycles      = 8
	exampleRedirectURI  = "http://localhost:8085/"
	consumerScopes      = "boards:read,pins:read,user_accounts:read"
	shortAccessLifetime = 3 * day
)

func shortLifetimes(o *fakepinterest.Options) {
	o.AccessTokenTTL, o.RefreshTokenTTL = shortAccessLifetime, 2*shortAccessLifetime
	o.RedirectURIs = append(o.RedirectURIs, exampleRedirectURI)
}

// consumerResult is a row of the table TestAccConsumers prints.
type consumerResult struct {
	pattern, consumer string
	cycles, syncsOK   int
	tfRefreshes       int // refreshes Terraform made after the token set was delivered
	toolRefreshes     int
	toolAttempts      int // refreshes the tool sent, refused ones included
	lost              int // refresh tokens lost: the consumer's own holder no longer valid
	outcome           string
}

// recipe returns an example configuration of the guides without its
// terraform block, so that the test runs the blocks exactly as shown,
// behind a provider block that points at the fake.
func recipe(t *testing.T, name string) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "examples", "guides", "etl", name))
	if err != nil {
		t.Fatal(err)
	}
	return withoutTerraformBlock(string(raw))
}

// withoutTerraformBlock drops an example's terraform block: the test
// harness serves every provider in process and picks their addresses itself
// (hashicorp/<name>), so the block's sources and versions cannot match it.
// The e2e tests run the README's blocks with theirs, through dev_overrides.
func withoutTerraformBlock(src string) string {
	var out []string
	skipping := false
	for _, line := range strings.Split(src, "\n") {
		switch {
		case strings.HasPrefix(line, "terraform {"):
			skipping = true
		case skipping && line == "}":
			skipping = false
		case !skipping:
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

// TestAccConsumers runs every pattern of the ETL consumers guide for
// consumerCycles cycles and prints what each did.
func TestAccConsumers(t *testing.T) {
	var mu sync.Mutex
	var results []consumerResult
	t.Cleanup(func() {
		t.Logf("consumer cycles: | pattern | consumer | cycles | syncs ok | Terraform refreshes after delivery | tool refreshes | refresh tokens lost | outcome |")
		for _, r := range results {
			t.Logf("consumer cycles: | %s | %s | %d | %d | %d | %d | %d | %s |",
				r.pattern, r.consumer, r.cycles, r.syncsOK, r.tfRefreshes, r.toolRefreshes, r.lost, r.outcome)
		}
	})
	add := func(r consumerResult) {
		mu.Lock()
		defer mu.Unlock()
		results = append(results, r)
	}
	t.Run("hand-off/airbyte", func(t *testing.T) { add(runAirbyteHandOff(t)) })
	t.Run("hand-off/fivetran", func(t *testing.T) { add(runFivetranHandOff(t)) })
	t.Run("hand-off/singer", func(t *testing.T) { add(runSingerHandOff(t)) })
	t.Run("access-token/meltano", func(t *testing.T) { add(runAccessTokenConsumer(t)) })
	t.Run("two-refreshers/airbyte", func(t *testing.T) { add(runTwoRefreshers(t)) })
}

// consumerTest holds what every pattern needs.
type consumerTest struct {
	e        *testEnv
	platform *standin.AirbytePlatform
	code     string
	vars     func(extra map[string]string) config.Variables
}

func newConsumerTest(t *testing.T) *consumerTest {
	e := newTestEnv(t, shortLifetimes)
	c := &consumerTest{e: e, platform: standin.NewAirbytePlatform(e.fake.URL(), e.clock.Now)}
	c.code = e.fake.IssueCode(exampleRedirectURI, strings.Split(consumerScopes, ",")...)
	c.vars = func(extra map[string]string) config.Variables {
		v := config.Variables{
			"pinterest_client_id": config.StringVariable(testClientID), "pinterest_client_secret": config.StringVariable(testClientSecret),
			"airbyte_workspace_id": config.StringVariable("3f1c0b4e-0000-4000-8000-000000000001"),
		}
		for k, val := range extra {
			v[k] = config.StringVariable(val)
		}
		return v
	}
	return c
}

func (c *consumerTest) factories() map[string]func() (tfprotov6.ProviderServer, error) {
	f := c.e.factories()
	f["airbyte"] = standin.Airbyte(c.platform)
	return f
}

// syncOnce returns one sync of the platform's only source, counted in r:
// the tool's refreshes, a failed sync, and a refresh token the tool holds
// that Pinterest no longer accepts.
func (c *consumerTest) syncOnce(r *consumerResult, tool string) func() error {
	return func() error {
		id, err := c.onlySource()
		if err != nil {
			return err
		}
		res := c.platform.Sync(context.Background(), id)
		if res.Refreshed {
			r.toolRefreshes++
		}
		if res.Attempted {
			r.toolAttempts++
		}
		if res.Err != nil {
			return fmt.Errorf("cycle %d: %s sync failed: %w", r.cycles, tool, res.Err)
		}
		r.cycles++
		r.syncsOK++
		if src, _ := c.platform.Source(id); !c.e.fake.RefreshTokenValid(src.RefreshToken) {
			r.lost++
		}
		return nil
	}
}

// onlySource returns the Airbyte source's id; there is one at a time.
func (c *consumerTest) onlySource() (string, error) {
	ids := c.platform.Sources()
	if len(ids) != 1 {
		return "", fmt.Errorf("%d Airbyte sources, want 1", len(ids))
	}
	return ids[0], nil
}

// afterApply runs fn after a step's apply, as the consumer's own run that
// follows the scheduled apply.
func afterApply(fn func() error) statecheck.StateCheck {
	return stateCheckFunc(func(*tfjson.State) error { return fn() })
}

// runAirbyteHandOff: Airbyte gets a token set of its own and refreshes it;
// Terraform delivers it once and never calls Pinterest for it again, past
// both expiries in state; a settings change is not pushed over Airbyte's
// rotated token; a new consent replaces the source with the new set.
func runAirbyteHandOff(t *testing.T) consumerResult {
	c := newConsumerTest(t)
	r := consumerResult{pattern: "hand-off", consumer: "Airbyte (airbyte_source_pinterest)"}
	cfg := c.e.providerBlock() + recipe(t, "airbyte-hand-off.tf")
	sync := c.syncOnce(&r, "Airbyte")
	steps := []resource.TestStep{{
		Config: cfg, ConfigVariables: c.vars(map[string]string{"authorization_code": c.code}),
		ConfigStateChecks: []statecheck.StateCheck{afterApply(sync)},
	}}
	for i := 1; i < consumerCycles; i++ {
		vars := map[string]string{}
		if i == 4 {
			vars["start_date"] = "2026-02-01" // a settings change: ignored, so Airbyte's token stays
		}
		steps = append(steps, resource.TestStep{
			PreConfig: func() { c.e.clock.Advance(day) },
			Config:    cfg, ConfigVariables: c.vars(vars),
			ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			ConfigStateChecks: []statecheck.StateCheck{afterApply(sync)},
		})
	}
	// Airbyte lost its token (a reset, say): a new consent, in the same
	// apply as its code and a new consent_version, replaces the source.
	var reconsent string
	steps = append(steps, resource.TestStep{
		PreConfig: func() {
			c.e.clock.Advance(day)
			reconsent = c.e.fake.IssueCode(exampleRedirectURI, strings.Split(consumerScopes, ",")...)
		},
		Config:          cfg,
		ConfigVariables: config.Variables{"authorization_code": lazyVar{&reconsent}, "consent_version": config.StringVariable("2")},
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(tokenAddrOf("airbyte"), plancheck.ResourceActionUpdate),
			plancheck.ExpectResourceAction("airbyte_source_pinterest.pinterest", plancheck.ResourceActionDestroyBeforeCreate),
		}},
		ConfigStateChecks: []statecheck.StateCheck{expectGenerationOf("airbyte", 2), afterApply(sync)},
	})
	for k, v := range c.vars(nil) {
		steps[len(steps)-1].ConfigVariables[k] = v
	}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: c.factories(),
		Steps:                    steps,
	})
	r.tfRefreshes = c.e.fake.Grants("refresh_token") - r.toolAttempts
	if r.tfRefreshes != 0 {
		t.Errorf("Terraform refreshed a handed-off token set %d times", r.tfRefreshes)
	}
	if r.syncsOK != consumerCycles+1 {
		t.Errorf("%d of %d syncs succeeded", r.syncsOK, consumerCycles+1)
	}
	if writes := c.platform.ConfigWrites(); writes != 2 {
		t.Errorf("Terraform wrote the Airbyte configuration %d times, want 2 (create, and the replacement after the new consent)", writes)
	}
	// Two exchanges and one account lookup each; everything else was Airbyte's.
	if n := c.e.fake.Grants("authorization_code"); n != 2 {
		t.Errorf("%d exchanges, want 2", n)
	}
	// Terraform's only calls: the two exchanges and an account lookup after
	// each; every other request was Airbyte's.
	if n := c.e.fake.Requests(fakepinterest.UserAccountPath); n != r.syncsOK+2 {
		t.Errorf("%d account reads, want %d (one per sync, one per exchange)", n, r.syncsOK+2)
	}
	if r.lost != 0 {
		t.Errorf("Airbyte's refresh token was lost %d times", r.lost)
	}
	r.outcome = "works past both expiries in state; a settings change is not pushed; re-consent replaces the source"
	return r
}

// runSingerHandOff: singer-io/tap-pinterest-ads refreshes at every run and
// keeps nothing, so its second run sends a retired refresh token. The guide
// says so; this proves it.
func runSingerHandOff(t *testing.T) consumerResult {
	c := newConsumerTest(t)
	r := consumerResult{pattern: "hand-off", consumer: "singer-io/tap-pinterest-ads", outcome: "fails from run 2 (documented: keeps nothing)"}
	cfg := c.e.providerBlock() + fmt.Sprintf(`
variable "authorization_code" {
  type      = string
  sensitive = true
  ephemeral = true
  default   = null
}

resource "pinterest_oauth_token" "singer" {
  redirect_uri                  = %q
  authorization_code_wo         = var.authorization_code
  authorization_code_wo_version = 1
  hand_off                      = true
}
`, exampleRedirectURI)
	var tapConfig standin.Credentials // the tap's config.json, written once from the delivered set
	sync := func(state *tfjson.State) error {
		if tapConfig.RefreshToken == "" {
			rt, _ := stateAttr(state, tokenAddrOf("singer"), "refresh_token")
			tapConfig = standin.Credentials{ClientID: testClientID, ClientSecret: testClientSecret, RefreshToken: rt}
		}
		res := standin.SingerSync(context.Background(), c.e.fake.URL(), tapConfig, c.e.clock.Now())
		r.cycles++
		if res.Refreshed {
			r.toolRefreshes++
		}
		if res.Attempted {
			r.toolAttempts++
		}
		switch {
		case res.Err == nil && r.cycles == 1:
			r.syncsOK++
		case res.Err != nil && r.cycles > 1 && strings.Contains(res.Err.Error(), "HTTP 401"):
			// The documented failure: the first run retired the refresh token.
		default:
			return fmt.Errorf("run %d of the Singer tap: %w", r.cycles, res.Err)
		}
		return nil
	}
	var steps []resource.TestStep
	for i := range 3 {
		step := resource.TestStep{Config: cfg, ConfigStateChecks: []statecheck.StateCheck{stateCheckFunc(sync)}}
		if i == 0 {
			step.ConfigVariables = config.Variables{"authorization_code": config.StringVariable(c.code)}
		} else {
			step.PreConfig = func() { c.e.clock.Advance(day) }
		}
		steps = append(steps, step)
	}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: c.factories(),
		Steps:                    steps,
	})
	r.tfRefreshes = c.e.fake.Grants("refresh_token") - r.toolAttempts
	if r.tfRefreshes != 0 || r.syncsOK != 1 || r.cycles != 3 {
		t.Errorf("Singer: %d syncs ok of %d, Terraform refreshed %d times", r.syncsOK, r.cycles, r.tfRefreshes)
	}
	r.lost = 1 // the tap's only refresh token is retired by its own first run
	return r
}

// runAccessTokenConsumer: the provider owns the refresh (the managed
// pattern into a store); the job reads access_token from the store at the
// start of each run (MeltanoLabs/tap-pinterest's access_token setting).
func runAccessTokenConsumer(t *testing.T) consumerResult {
	e := newTestEnv(t, shortLifetimes)
	r := consumerResult{pattern: "access token", consumer: "Meltano tap-pinterest (access_token), ingestr, scripts", outcome: "works; the provider is the only refresher"}
	store := standin.NewStore()
	sc := storeCases[0] // aws
	cfg := e.providerBlock() + strings.Replace(managedPattern, `authorization_code_wo_version = 1`,
		`authorization_code_wo_version = 1
  rotate_before                 = "36h"`, 1) + fmt.Sprintf(awsSecretVersion, managedDocument, managedVersion)
	code := e.fake.IssueCode(testRedirectURI, strings.Split(consumerScopes, ",")...)
	sync := func() error {
		doc, _ := store.Latest(sc.secret)
		r.cycles++
		if res := standin.AccessTokenSync(context.Background(), e.fake.URL(), doc); res.Err != nil {
			return fmt.Errorf("cycle %d: %w", r.cycles, res.Err)
		}
		r.syncsOK++
		r.lost += storeLostDocument(e, doc)
		return nil
	}
	var steps []resource.TestStep
	for i := range consumerCycles {
		step := resource.TestStep{Config: cfg, ConfigStateChecks: []statecheck.StateCheck{afterApply(sync)}}
		if i == 0 {
			step.ConfigVariables = config.Variables{"authorization_code": config.StringVariable(code)}
		} else {
			step.PreConfig = func() { e.clock.Advance(day) }
		}
		steps = append(steps, step)
	}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: e.factories(),
		ProtoV5ProviderFactories: map[string]func() (tfprotov5.ProviderServer, error){sc.name: sc.provider(store)},
		Steps:                    steps,
	})
	r.tfRefreshes = refreshGrants(e)
	if r.syncsOK != consumerCycles || r.lost != 0 || r.tfRefreshes < 3 {
		t.Errorf("%d of %d syncs, %d lost, %d rotations", r.syncsOK, consumerCycles, r.lost, r.tfRefreshes)
	}
	return r
}

// runFivetranHandOff runs the Fivetran recipe as written for
// consumerCycles daily cycles: a scheduled apply, then a sync of the
// connector, which (the guide presumes) refreshes and keeps what it rotates.
// Terraform must deliver the token set once and never refresh it again.
func runFivetranHandOff(t *testing.T) consumerResult {
	c := newConsumerTest(t)
	r := consumerResult{pattern: "hand-off", consumer: "Fivetran (fivetran_connector), presumed refresher"}
	cfg := c.e.providerBlock() + recipe(t, "fivetran-hand-off.tf")
	vars := func(extra map[string]string) config.Variables {
		v := c.vars(extra)
		delete(v, "airbyte_workspace_id")
		v["fivetran_group_id"] = config.StringVariable("decent_dropsy")
		return v
	}
	sync := c.syncOnce(&r, "Fivetran")
	steps := []resource.TestStep{{
		Config: cfg, ConfigVariables: vars(map[string]string{"authorization_code": c.code}),
		ConfigStateChecks: []statecheck.StateCheck{afterApply(sync)},
	}}
	for i := 1; i < consumerCycles; i++ {
		steps = append(steps, resource.TestStep{
			PreConfig: func() { c.e.clock.Advance(day) },
			Config:    cfg, ConfigVariables: vars(nil),
			ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			ConfigStateChecks: []statecheck.StateCheck{afterApply(sync)},
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: func() map[string]func() (tfprotov6.ProviderServer, error) {
			f := c.e.factories()
			f["fivetran"] = standin.Fivetran(c.platform)
			return f
		}(),
		Steps: steps,
	})
	r.tfRefreshes = c.e.fake.Grants("refresh_token") - r.toolAttempts
	if r.tfRefreshes != 0 {
		t.Errorf("Terraform refreshed a handed-off token set %d times", r.tfRefreshes)
	}
	if r.syncsOK != consumerCycles || r.lost != 0 || r.toolRefreshes == 0 {
		t.Errorf("%d of %d syncs succeeded, %d refresh tokens lost, %d refreshes by the connector", r.syncsOK, consumerCycles, r.lost, r.toolRefreshes)
	}
	if writes := c.platform.ConfigWrites(); writes != 1 {
		t.Errorf("Terraform wrote the connector %d times, want 1 (the delivery)", writes)
	}
	r.outcome = "every sync succeeds; Terraform never refreshes after the delivery"
	return r
}

// runTwoRefreshers is the mistake the guide warns of, kept as a test so the
// warning stays true: the managed resource's own refresh token handed to
// Airbyte, which refreshes it; the next scheduled rotation is refused.
func runTwoRefreshers(t *testing.T) consumerResult {
	c := newConsumerTest(t)
	r := consumerResult{pattern: "two refreshers (don't)", consumer: "Airbyte given a managed set",
		outcome: "Terraform's next rotation: Refresh Token Rejected"}
	cfg := c.e.providerBlock() + strings.Replace(recipe(t, "airbyte-hand-off.tf"), "hand_off                      = true", "", 1)
	sync := func() error {
		id, err := c.onlySource()
		if err != nil {
			return err
		}
		res := c.platform.Sync(context.Background(), id)
		r.cycles++
		if res.Refreshed {
			r.toolRefreshes++
		}
		if res.Attempted {
			r.toolAttempts++
		}
		if res.Err == nil {
			r.syncsOK++
		}
		return nil
	}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: c.factories(),
		Steps: []resource.TestStep{
			{
				Config: cfg, ConfigVariables: c.vars(map[string]string{"authorization_code": c.code}),
				ConfigStateChecks:  []statecheck.StateCheck{afterApply(sync)},
				ExpectNonEmptyPlan: true, // always due: the access token lives less than rotate_before
			},
			{
				// The default rotate_before (7 days) exceeds the 3-day access
				// token: the next apply rotates, with a token Airbyte retired.
				PreConfig: func() { c.e.clock.Advance(day) }, Config: cfg, ConfigVariables: c.vars(nil),
				ExpectError: errorMatching("Refresh Token Rejected", "another party"),
			},
		},
	})
	r.tfRefreshes = c.e.fake.Grants("refresh_token") - r.toolAttempts
	r.lost = 1 // Terraform's refresh token, and with it the managed pattern
	return r
}

func tokenAddrOf(name string) string { return "pinterest_oauth_token." + name }

func expectGenerationOf(name string, n int64) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(tokenAddrOf(name), tfjsonpath.New("generation"), knownvalue.Int64Exact(n))
}

// TestAccOAuthToken_handOffLater: a token set this resource managed can be
// handed off later; the apply marks the document and calls nobody.
func TestAccOAuthToken_handOffLater(t *testing.T) {
	e := newTestEnv(t)
	code := e.fake.IssueCode(testRedirectURI, "pins:read")
	markedHandedOff := stateCheckFunc(func(state *tfjson.State) error {
		doc, _ := stateAttr(state, tokenAddr, "token_document")
		if !strings.Contains(doc, `"handed_off":true`) {
			return fmt.Errorf("token_document is not marked handed off")
		}
		return nil
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{Config: tokenConfig(e, fmt.Sprintf("authorization_code_wo = %q", code))},
			{
				PreConfig: func() { e.clock.Advance(40 * day) }, // rotation would be due
				Config:    tokenConfig(e, fmt.Sprintf("authorization_code_wo = %q\nhand_off = true", code)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(tokenAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("refresh_token"), knownvalue.NotNull()),
				}},
				// A new generation, so that stores following it write the marked document.
				ConfigStateChecks: []statecheck.StateCheck{expectGeneration(2), markedHandedOff},
			},
		},
	})
	if n := e.fake.Requests(fakepinterest.TokenPath); n != 1 {
		t.Errorf("%d token requests, want the one exchange", n)
	}
}
