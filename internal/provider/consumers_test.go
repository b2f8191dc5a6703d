package provider

import (
	"context"
	"fmt"
	"maps"
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
	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/tfrun"
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
	toolAttempts      int    // refreshes the tool sent, refused ones included
	lost              int    // refresh tokens lost: the consumer's own holder no longer valid
	ids               string // source, connector and connection ids around a re-consent
	nonEmpty          string // plans that were not "No changes"
	outcome           string
}

// count adds a sync's own refresh, and its attempt, to the row.
func (r *consumerResult) count(res standin.SyncResult) {
	if res.Refreshed {
		r.toolRefreshes++
	}
	if res.Attempted {
		r.toolAttempts++
	}
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
	return tfrun.WithoutTerraformBlock(string(raw))
}

// TestAccConsumers runs every pattern of the ETL consumers guide for
// consumerCycles cycles and prints what each did.
func TestAccConsumers(t *testing.T) {
	var mu sync.Mutex
	var results []consumerResult
	t.Cleanup(func() {
		t.Logf("consumer cycles: | pattern | consumer | syncs | syncs ok | Terraform refreshes | tool refreshes | refresh tokens lost | ids | plans not \"No changes\" | outcome |")
		for _, r := range results {
			t.Logf("consumer cycles: | %s | %s | %d | %d | %d | %d | %d | %s | %s | %s |",
				r.pattern, r.consumer, r.cycles, r.syncsOK, r.tfRefreshes, r.toolRefreshes, r.lost, r.ids, r.nonEmpty, r.outcome)
		}
	})
	add := func(r consumerResult) {
		mu.Lock()
		defer mu.Unlock()
		results = append(results, r)
	}
	t.Run("access-token/airbyte", func(t *testing.T) { add(runAirbyte(t)) })
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
		r.count(res)
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

// runAirbyte runs the Airbyte recipe as written (airbyte_source and
// airbyte_connection of the current provider): this provider refreshes,
// Airbyte gets the access token and its expiry and never refreshes. The
// fake issues Pinterest's lifetimes (30 and 60 days); the scheduled apply
// runs every 7 days (rotate_before) and Airbyte syncs daily, for 11 applies
// (70 days, past both expiries of the first token set). In between: the
// source renamed in Airbyte's UI, a settings change, a re-consent (the
// source and its connection keep their ids), the next scheduled apply
// without the consent's version, and the source deleted in Airbyte.
func runAirbyte(t *testing.T) consumerResult {
	e := newTestEnv(t, func(o *fakepinterest.Options) { o.RedirectURIs = append(o.RedirectURIs, exampleRedirectURI) })
	c := &consumerTest{e: e, platform: standin.NewAirbytePlatform(e.fake.URL(), e.clock.Now)}
	r := consumerResult{pattern: "access token", consumer: "Airbyte (airbyte_source, airbyte_connection)"}
	cfg := e.providerBlock() + recipe(t, "airbyte.tf")
	// A settings change in Terraform: another start date.
	changed := strings.Replace(cfg, `start_date = "2026-01-01"`, `start_date = "2026-02-01"`, 1)
	if changed == cfg {
		t.Fatal("the recipe has no start_date to change")
	}
	vars := func(extra map[string]config.Variable) config.Variables {
		v := config.Variables{
			"pinterest_client_id":    config.StringVariable(testClientID),
			"airbyte_workspace_id":   config.StringVariable("3f1c0b4e-0000-4000-8000-000000000001"),
			"airbyte_destination_id": config.StringVariable("7a2d9e51-0000-4000-8000-000000000002"),
		}
		maps.Copy(v, extra)
		return v
	}
	failed := 0
	sync := func() {
		conns := c.platform.Connections()
		r.cycles++
		if len(conns) != 1 {
			failed++
			t.Errorf("sync %d: %d Airbyte connections, want 1", r.cycles, len(conns))
			return
		}
		for _, source := range conns {
			res := c.platform.Sync(context.Background(), source)
			r.count(res)
			if res.Err != nil {
				failed++
				t.Errorf("sync %d: %v", r.cycles, res.Err)
				return
			}
			r.syncsOK++
		}
	}
	// A week of daily syncs, then the scheduled apply.
	week := func(event func()) func() {
		return func() {
			for range 6 {
				e.clock.Advance(day)
				sync()
			}
			e.clock.Advance(day)
			if event != nil {
				event()
			}
		}
	}
	ids := func() (source, connection string) {
		for id, src := range c.platform.Connections() {
			return src, id
		}
		return "", ""
	}
	var sourceBefore, connBefore, sourceAfter, connAfter, reconsent string
	// After every apply Airbyte holds the state's access token and no
	// refresh token: no update carried anything else.
	current := stateCheckFunc(func(state *tfjson.State) error {
		at, _ := stateAttr(state, tokenAddrOf("airbyte"), "access_token")
		src, _ := ids()
		held, ok := c.platform.Source(src)
		if !ok || held.AccessToken != at || held.RefreshToken != "unused" {
			return fmt.Errorf("Airbyte does not hold the current access token alone")
		}
		return nil
	})
	notEmpty := &countNonEmptyPlans{}
	inPlace := func(extra ...plancheck.PlanCheck) resource.ConfigPlanChecks {
		return resource.ConfigPlanChecks{PreApply: append([]plancheck.PlanCheck{notEmpty,
			plancheck.ExpectResourceAction("airbyte_source.pinterest", plancheck.ResourceActionUpdate),
			plancheck.ExpectResourceAction("airbyte_connection.pinterest", plancheck.ResourceActionNoop)}, extra...)}
	}
	steps := []resource.TestStep{{
		Config: cfg, ConfigVariables: vars(map[string]config.Variable{"authorization_code": config.StringVariable(
			e.fake.IssueCode(exampleRedirectURI, strings.Split(consumerScopes, ",")...))}),
		ConfigStateChecks:  []statecheck.StateCheck{current, afterApply(func() error { sync(); return nil })},
		ExpectNonEmptyPlan: true, // the source's configuration, read back masked
	}}
	for i := 1; i <= 10; i++ {
		step := resource.TestStep{Config: cfg, ConfigVariables: vars(nil), ConfigPlanChecks: inPlace(),
			ConfigStateChecks:  []statecheck.StateCheck{current, afterApply(func() error { sync(); return nil })},
			ExpectNonEmptyPlan: true}
		switch i {
		case 2: // renamed in Airbyte's UI: drift, set back by a PUT of current values
			step.PreConfig = week(func() { src, _ := ids(); c.platform.RenameSource(src, "Pinterest (renamed)") })
		case 4: // a settings change in Terraform
			step.Config = changed
		case 6: // a new consent, with its version, in place
			step.PreConfig = week(func() {
				sourceBefore, connBefore = ids()
				reconsent = e.fake.IssueCode(exampleRedirectURI, strings.Split(consumerScopes, ",")...)
			})
			step.ConfigVariables = vars(map[string]config.Variable{"authorization_code": lazyVar{&reconsent},
				"consent_version": config.IntegerVariable(2)})
			step.ConfigPlanChecks = inPlace(plancheck.ExpectResourceAction(tokenAddrOf("airbyte"), plancheck.ResourceActionUpdate))
			step.ConfigStateChecks = append(step.ConfigStateChecks,
				statecheck.ExpectKnownValue(tokenAddrOf("airbyte"), tfjsonpath.New("authorization_code_wo_version"), knownvalue.Int64Exact(2)),
				afterApply(func() error {
					if src, conn := ids(); src != sourceBefore || conn != connBefore {
						return fmt.Errorf("re-consent changed the ids: source %s -> %s, connection %s -> %s", sourceBefore, src, connBefore, conn)
					}
					return nil
				}))
		case 8: // the source deleted in Airbyte, its connection with it
			step.PreConfig = week(func() { src, _ := ids(); c.platform.DeleteSource(src) })
			step.ConfigPlanChecks = resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{notEmpty,
				plancheck.ExpectResourceAction("airbyte_source.pinterest", plancheck.ResourceActionCreate),
				plancheck.ExpectResourceAction("airbyte_connection.pinterest", plancheck.ResourceActionCreate)}}
			step.ConfigStateChecks = append(step.ConfigStateChecks, afterApply(func() error {
				sourceAfter, connAfter = ids()
				return nil
			}))
		}
		if i >= 4 {
			step.Config = changed
		}
		if step.PreConfig == nil {
			step.PreConfig = week(nil)
		}
		steps = append(steps, step)
	}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: c.factories(),
		Steps:                    steps,
	})
	r.tfRefreshes = c.e.fake.Grants("refresh_token") - r.toolAttempts
	if r.toolAttempts != 0 || failed != 0 || r.syncsOK != 71 {
		t.Errorf("%d syncs ok of 71, %d failed, %d refreshes sent by Airbyte (want 0)", r.syncsOK, failed, r.toolAttempts)
	}
	if r.tfRefreshes < 2 {
		t.Errorf("Terraform rotated %d times in 70 days, want at least 2", r.tfRefreshes)
	}
	r.ids = fmt.Sprintf("source %s, connection %s: unchanged at re-consent; %s, %s re-created after the deletion in Airbyte",
		sourceBefore, connBefore, sourceAfter, connAfter)
	r.nonEmpty = fmt.Sprintf("%d of 10 scheduled plans (the provider reads Airbyte's masked configuration back)", notEmpty.n)
	r.outcome = "Airbyte never refreshes; rename, settings and re-consent update in place; a deleted source is re-created"
	return r
}

// countNonEmptyPlans counts the plans that change anything.
type countNonEmptyPlans struct{ n int }

func (p *countNonEmptyPlans) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, _ *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if !rc.Change.Actions.NoOp() {
			p.n++
			return
		}
	}
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
		r.count(res)
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
// Terraform delivers the token set once and never refreshes it; a settings
// change goes without auth; a re-consent reaches the same connector in
// place, and the next scheduled apply, without its version, plans nothing.
func runFivetranHandOff(t *testing.T) consumerResult {
	c := newConsumerTest(t)
	r := consumerResult{pattern: "hand-off", consumer: "Fivetran (fivetran_connector), presumed refresher"}
	cfg := c.e.providerBlock() + recipe(t, "fivetran-hand-off.tf")
	// A settings change in Terraform: another timeframe.
	changed := strings.Replace(cfg, `timeframe_months = "TWELVE"`, `timeframe_months = "SIX"`, 1)
	if changed == cfg {
		t.Fatal("the recipe has no timeframe_months to change")
	}
	vars := func(extra map[string]config.Variable) config.Variables {
		v := config.Variables{
			"pinterest_client_id": config.StringVariable(testClientID), "pinterest_client_secret": config.StringVariable(testClientSecret),
			"fivetran_group_id": config.StringVariable("decent_dropsy"),
		}
		maps.Copy(v, extra)
		return v
	}
	sync := c.syncOnce(&r, "Fivetran")
	connector := func() string { id, _ := c.onlySource(); return id }
	steps := []resource.TestStep{{
		Config: cfg, ConfigVariables: vars(map[string]config.Variable{"authorization_code": config.StringVariable(c.code)}),
		ConfigStateChecks: []statecheck.StateCheck{afterApply(sync)},
	}}
	var before, reconsent string
	notEmpty := &countNonEmptyPlans{}
	for i := 1; i < consumerCycles+2; i++ {
		step := resource.TestStep{
			PreConfig: func() { c.e.clock.Advance(day) },
			Config:    cfg, ConfigVariables: vars(nil),
			ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{notEmpty, plancheck.ExpectEmptyPlan()}},
			ConfigStateChecks: []statecheck.StateCheck{afterApply(sync)},
		}
		switch {
		case i == 3: // a settings change: in place, without auth
			step.Config = changed
			step.ConfigPlanChecks.PreApply = []plancheck.PlanCheck{notEmpty,
				plancheck.ExpectResourceAction("fivetran_connector.pinterest_ads", plancheck.ResourceActionUpdate)}
		case i == 6: // a new consent: auth changes, in place
			step.PreConfig = func() {
				c.e.clock.Advance(day)
				before = connector()
				reconsent = c.e.fake.IssueCode(exampleRedirectURI, strings.Split(consumerScopes, ",")...)
			}
			step.Config = changed
			step.ConfigVariables = vars(map[string]config.Variable{"authorization_code": lazyVar{&reconsent}, "consent_version": config.IntegerVariable(2)})
			step.ConfigPlanChecks.PreApply = []plancheck.PlanCheck{notEmpty,
				plancheck.ExpectResourceAction(tokenAddrOf("fivetran"), plancheck.ResourceActionUpdate),
				plancheck.ExpectResourceAction("fivetran_connector.pinterest_ads", plancheck.ResourceActionUpdate)}
			step.ConfigStateChecks = append(step.ConfigStateChecks, expectGenerationOf("fivetran", 2), afterApply(func() error {
				if after := connector(); after != before {
					return fmt.Errorf("re-consent replaced the connector: %s -> %s", before, after)
				}
				return nil
			}))
		case i > 3:
			step.Config = changed
		}
		steps = append(steps, step)
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
	if r.syncsOK != consumerCycles+2 || r.lost != 0 || r.toolRefreshes == 0 {
		t.Errorf("%d of %d syncs succeeded, %d refresh tokens lost, %d refreshes by the connector", r.syncsOK, consumerCycles+2, r.lost, r.toolRefreshes)
	}
	if writes, auth := c.platform.ConfigWrites(); writes != 3 || auth != 2 {
		t.Errorf("Terraform wrote the connector %d times, %d with auth; want 3 (create, settings, re-consent), 2 with auth", writes, auth)
	}
	r.ids = fmt.Sprintf("connector %s: unchanged at re-consent", before)
	r.nonEmpty = fmt.Sprintf("%d of %d (the settings change, the re-consent)", notEmpty.n, consumerCycles+1)
	r.outcome = "every sync succeeds; auth is sent at delivery and re-consent only"
	return r
}

// runTwoRefreshers is the mistake the guide warns of, kept as a test so the
// warning stays true: the Airbyte recipe given the token set's refresh token
// and the app secret instead of the placeholders. Airbyte's first sync
// refreshes it; Terraform's next rotation is refused.
func runTwoRefreshers(t *testing.T) consumerResult {
	c := newConsumerTest(t)
	r := consumerResult{pattern: "two refreshers (don't)", consumer: "Airbyte given the refresh token",
		outcome: "Terraform's next rotation: Refresh Token Rejected"}
	cfg := c.e.providerBlock() + strings.NewReplacer(
		`"unused" # no refresh by Airbyte: it cannot spend the token set`, `var.pinterest_client_secret`,
		`refresh_token     = "unused"`, `refresh_token     = pinterest_oauth_token.airbyte.refresh_token`,
		`token_expiry_date = pinterest_oauth_token.airbyte.access_token_expires_at`, ``,
	).Replace(recipe(t, "airbyte.tf")) + `
variable "pinterest_client_secret" {
  type      = string
  sensitive = true
}
`
	vars := config.Variables{
		"pinterest_client_id": config.StringVariable(testClientID), "pinterest_client_secret": config.StringVariable(testClientSecret),
		"airbyte_workspace_id":   config.StringVariable("3f1c0b4e-0000-4000-8000-000000000001"),
		"airbyte_destination_id": config.StringVariable("7a2d9e51-0000-4000-8000-000000000002"),
	}
	sync := func() error {
		id, err := c.onlySource()
		if err != nil {
			return err
		}
		res := c.platform.Sync(context.Background(), id)
		r.cycles++
		r.count(res)
		if res.Err == nil {
			r.syncsOK++
		}
		return nil
	}
	first := maps.Clone(vars)
	first["authorization_code"] = config.StringVariable(c.code)
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: c.factories(),
		Steps: []resource.TestStep{
			{
				Config: cfg, ConfigVariables: first,
				ConfigStateChecks:  []statecheck.StateCheck{afterApply(sync)},
				ExpectNonEmptyPlan: true, // always due: the access token lives less than rotate_before
			},
			{
				// The default rotate_before (7 days) exceeds the 3-day access
				// token: the next apply rotates, with a token Airbyte retired.
				PreConfig: func() { c.e.clock.Advance(day) }, Config: cfg, ConfigVariables: vars,
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
