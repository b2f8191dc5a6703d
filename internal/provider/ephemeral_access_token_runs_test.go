package provider

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/standin"
	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokendoc"
)

// The tests here run patterns a scheduled job runs, over several
// consecutive runs, against the fake in its worst-case mode (a refresh
// token dies the moment it is refreshed), and count what was lost.

const storeSecret = "etl/pinterest"

// seedDocument stands in for the first consent: a token set issued now, as
// the document a store holds.
func seedDocument(e *testEnv, scopes ...string) string {
	access, refresh := e.fake.IssueTokens(scopes...)
	now := e.clock.Now()
	return (&tokendoc.Document{
		AccessToken: sensitive.New(access), AccessTokenExpiresAt: now.Add(30 * day),
		RefreshToken: sensitive.New(refresh), RefreshTokenExpiresAt: now.Add(60 * day),
		TokenType: "bearer", Scopes: scopes, Generation: 1,
	}).Encode()
}

// storeHoldsCurrentDocument checks what a store holds now: a token document
// of the given generation whose refresh token Pinterest accepts.
func storeHoldsCurrentDocument(e *testEnv, store *standin.Store, generation int64) error {
	return secretHoldsCurrentDocument(e, store, storeSecret, generation)
}

// secretHoldsCurrentDocument checks one secret of a store the same way.
func secretHoldsCurrentDocument(e *testEnv, store *standin.Store, secret string, generation int64) error {
	raw, _ := store.Latest(secret)
	return documentHolds(e, raw, generation)
}

// documentHolds checks what a reader of the store finds: a token document
// of the given generation whose refresh token Pinterest accepts.
func documentHolds(e *testEnv, raw string, generation int64) error {
	if raw == "" {
		return fmt.Errorf("the store holds nothing")
	}
	doc, err := tokendoc.Parse(raw)
	if err != nil {
		return fmt.Errorf("the store does not hold a token document: %w", err)
	}
	if !e.fake.RefreshTokenValid(doc.RefreshToken.Reveal()) {
		return fmt.Errorf("the store holds generation %d, whose refresh token Pinterest no longer accepts: access is lost", doc.Generation)
	}
	if doc.Generation != generation {
		return fmt.Errorf("the store holds generation %d, want %d", doc.Generation, generation)
	}
	return nil
}

// storeLost returns 1 when the refresh token the store holds is no longer
// accepted: the team has lost access.
func storeLost(e *testEnv, store *standin.Store) int {
	raw, _ := store.Latest(storeSecret)
	return storeLostDocument(e, raw)
}

// storeLostDocument returns 1 when raw is not a document whose refresh
// token Pinterest accepts.
func storeLostDocument(e *testEnv, raw string) int {
	doc, err := tokendoc.Parse(raw)
	if err != nil || !e.fake.RefreshTokenValid(doc.RefreshToken.Reveal()) {
		return 1
	}
	return 0
}

// writeAction is what a store's write-back plans: a create in the first run,
// then a new version (replace) in every run.
func writeAction(first bool) plancheck.ResourceActionType {
	if first {
		return plancheck.ResourceActionCreate
	}
	return plancheck.ResourceActionDestroyBeforeCreate
}

func awsFactories(store *standin.Store) map[string]func() (tfprotov5.ProviderServer, error) {
	return map[string]func() (tfprotov5.ProviderServer, error){"aws": standin.AWS(store)}
}

// documentedCIPattern is the configuration the docs give for a scheduled CI
// job, with AWS's store: the document read from the store, apply_time so
// that nothing is opened during plan, and a write-back whose version is
// known only at apply, so that every run writes.
var documentedCIPattern = ciPattern + fmt.Sprintf(awsSecretVersion, ciDocument, ciVersion) + "\n"

// awsSecretVersion is the AWS guide's store resource with its arguments, for
// tests that compose their own configuration: the first %s is the
// document's expression, the second the version's.
const awsSecretVersion = `
resource "aws_secretsmanager_secret_version" "pinterest" {
  secret_id                = "etl/pinterest"
  secret_string_wo         = %s
  secret_string_wo_version = %s
}`

// TestAccAccessToken_documentedCIPattern runs the documented CI job on six
// scheduled days. Only the runs inside refresh_before refresh; every run
// plans with the generation unknown and the store's RequiredWith pairing
// satisfied, and writes the document back; no refresh token is lost.
func TestAccAccessToken_documentedCIPattern(t *testing.T) {
	e := newTestEnv(t)
	store := standin.NewStore()
	store.Put(storeSecret, seedDocument(e, "boards:read", "pins:read"))
	stored := func() string { v, _ := store.Latest(storeSecret); return v }

	runs := []struct {
		day        int
		generation int64
	}{
		{1, 1}, {2, 1}, {22, 1}, // 8 days or more left: nothing is refreshed
		{24, 2}, // 6 days left: refreshed
		{25, 2}, // the new access token has 29 days left
		{48, 3}, // 6 days left again
	}
	lost, elapsed := 0, 0
	var steps []resource.TestStep
	for _, run := range runs {
		steps = append(steps, resource.TestStep{
			PreConfig: func() {
				lost += storeLost(e, store)
				e.clock.Advance(time.Duration(run.day-elapsed) * day)
				elapsed = run.day
			},
			Config:          e.providerBlock() + documentedCIPattern,
			ConfigVariables: config.Variables{"token_document": lazyFunc(stored)},
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				// A new version every run: the write-back always runs.
				plancheck.ExpectResourceAction("aws_secretsmanager_secret_version.pinterest", writeAction(run.day == runs[0].day)),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				stateCheckFunc(func(*tfjson.State) error { return storeHoldsCurrentDocument(e, store, run.generation) }),
			},
			ExpectNonEmptyPlan: true, // every plan writes a new version
		})
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: e.factories(),
		ProtoV5ProviderFactories: awsFactories(store),
		Steps:                    steps,
	})
	if n := refreshGrants(e); n != 2 {
		t.Errorf("%d refreshes over %d runs, want 2 (the two runs inside refresh_before)", n, len(runs))
	}
	lost += storeLost(e, store)
	if err := storeHoldsCurrentDocument(e, store, 3); err != nil || lost > 0 {
		t.Errorf("after %d runs: %v; refresh tokens lost: %d", len(runs), err, lost)
	}
	// Nothing was opened during plan: the store's rules were checked with
	// "known after apply", never with null.
	if seen := store.Planned(storeSecret); slices.Contains(seen, "null") || !slices.Contains(seen, "unknown") {
		t.Errorf("the store saw the write-only value at plan as %v; want unknown, never null", seen)
	}
	t.Logf("documented CI pattern: %d runs, %d refreshes, %d store writes, %d refresh tokens lost",
		len(runs), refreshGrants(e), store.Writes(storeSecret)-1, lost)
}

// TestAccAccessToken_failedWriteBack: a run refreshes and the store refuses
// the write-back. The run says that a new refresh token was issued and not
// stored, and how to recover; the recovery it names (apply again from the
// same machine) stores the new token without a second refresh.
func TestAccAccessToken_failedWriteBack(t *testing.T) {
	e := newTestEnv(t)
	store := standin.NewStore()
	store.Put(storeSecret, seedDocument(e, "pins:read"))
	stored := func() string { v, _ := store.Latest(storeSecret); return v }

	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: e.factories(),
		ProtoV5ProviderFactories: awsFactories(store),
		Steps: []resource.TestStep{
			{
				// Day 24: due. The store refuses the write.
				PreConfig: func() {
					e.clock.Advance(24 * day)
					store.RefuseWrites(storeSecret, 1)
				},
				Config:          e.providerBlock() + documentedCIPattern,
				ConfigVariables: config.Variables{"token_document": lazyFunc(stored)},
				ExpectError:     errorMatching("AccessDeniedException"),
			},
			{
				// On-call applies again, minutes later, from the same machine,
				// and even narrows refresh_before so that the stored (retired)
				// document is not due: the newer token set still comes back.
				PreConfig: func() {
					if storeLost(e, store) != 1 {
						t.Error("the store should hold a retired token after the failed write-back")
					}
					e.clock.Advance(5 * time.Minute)
				},
				Config: e.providerBlock() + strings.Replace(documentedCIPattern, "apply_time     = timestamp()",
					"apply_time     = timestamp()\n  refresh_before = \"1h\"", 1),
				ConfigVariables:    config.Variables{"token_document": lazyFunc(stored)},
				ConfigStateChecks:  []statecheck.StateCheck{stateCheckFunc(func(*tfjson.State) error { return storeHoldsCurrentDocument(e, store, 2) })},
				ExpectNonEmptyPlan: true,
			},
		},
	})
	if n := refreshGrants(e); n != 1 {
		t.Errorf("%d refreshes, want 1: the recovery must hand back the same new token set", n)
	}
}

// TestAccAccessToken_unsaidPlanIsRefused: a configuration that says
// nothing about plan would be opened, and could refresh, during every plan.
// It is refused before anything is sent, with what to set.
func TestAccAccessToken_unsaidPlanIsRefused(t *testing.T) {
	e := newTestEnv(t)
	_, refresh := e.fake.IssueTokens("pins:read")
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.providerBlock() + refreshTokenVariable + `
ephemeral "pinterest_access_token" "test" {
  refresh_token = var.refresh_token
}
`,
			ConfigVariables: config.Variables{"refresh_token": config.StringVariable(refresh)},
			ExpectError:     errorMatching("Missing apply_time", "apply_time = timestamp()", "enabled = true"),
		}},
	})
	if n := e.fake.Requests(fakepinterest.TokenPath); n != 0 || !e.fake.RefreshTokenValid(refresh) {
		t.Errorf("%d token requests for a refused configuration; the refresh token must stay valid", n)
	}
}

// keptConfig is a bare refresh token in, and the token the run hands out
// kept in a store, in a new version every run.
const keptConfig = refreshTokenVariable + `
ephemeral "pinterest_access_token" "test" {
  refresh_token = var.refresh_token
  %s
}

variable "run" {
  type = number
}
resource "aws_secretsmanager_secret_version" "kept" {
  secret_id                = "etl/pinterest"
  secret_string_wo         = ephemeral.pinterest_access_token.test.latest_refresh_token
  secret_string_wo_version = var.run
}
`

// runKept runs keptConfig with the given line three times and returns the
// refreshes and the refresh tokens lost.
func runKept(t *testing.T, line string) (refreshes, lost int) {
	e := newTestEnv(t)
	store := standin.NewStore()
	_, first := e.fake.IssueTokens("pins:read")
	store.Put(storeSecret, first)
	held := func() string { v, _ := store.Latest(storeSecret); return v }
	var steps []resource.TestStep
	for run := 1; run <= 3; run++ {
		steps = append(steps, resource.TestStep{
			PreConfig: func() {
				if !e.fake.RefreshTokenValid(held()) {
					lost++
				}
			},
			Config:          e.providerBlock() + fmt.Sprintf(keptConfig, line),
			ConfigVariables: config.Variables{"refresh_token": lazyFunc(held), "run": config.IntegerVariable(run)},
		})
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: e.factories(),
		ProtoV5ProviderFactories: awsFactories(store),
		Steps:                    steps,
	})
	if !e.fake.RefreshTokenValid(held()) {
		lost++
	}
	return refreshGrants(e), lost
}

// TestAccAccessToken_simplestConfiguration: the simplest configuration that
// validates, a bare refresh token and apply_time, over three runs: one
// refresh per run, at apply, and the token the run hands out stays valid.
func TestAccAccessToken_simplestConfiguration(t *testing.T) {
	refreshes, lost := runKept(t, "apply_time = timestamp()")
	if refreshes != 3 || lost > 0 {
		t.Errorf("3 runs: %d refreshes (want 3, one per run), %d refresh tokens lost (want 0)", refreshes, lost)
	}
	t.Logf("simplest configuration: 3 runs, %d refreshes, %d refresh tokens lost", refreshes, lost)
}

// TestAccAccessToken_openedDuringPlan: enabled = true opens the resource
// during plan and again during apply. The apply gets what the plan got, so
// each run refreshes once, and nothing is lost over three runs.
func TestAccAccessToken_openedDuringPlan(t *testing.T) {
	refreshes, lost := runKept(t, "enabled = true")
	if refreshes != 3 || lost > 0 {
		t.Errorf("3 runs: %d refreshes (want 3, one per run), %d refresh tokens lost (want 0)", refreshes, lost)
	}
	t.Logf("opened during plan: 3 runs, %d refreshes, %d refresh tokens lost", refreshes, lost)
}

// TestAccOAuthToken_storeFollowsGeneration is the managed pattern: the
// store's write-only version follows generation, through a rotation and a
// new start with a new code, and always ends up with the current document.
func TestAccOAuthToken_storeFollowsGeneration(t *testing.T) {
	e := newTestEnv(t)
	store := standin.NewStore()
	var code string
	cfg := tokenConfig(e, "authorization_code_wo = var.code\nauthorization_code_wo_version = var.code_version") + `
variable "code" {
  type      = string
  sensitive = true
  ephemeral = true
  default   = null
}
variable "code_version" {
  type = string
}
resource "aws_secretsmanager_secret_version" "pinterest" {
  secret_id                = "etl/pinterest"
  secret_string_wo         = pinterest_oauth_token.test.token_document
  secret_string_wo_version = pinterest_oauth_token.test.generation
}
`
	stored := func(generation int64) statecheck.StateCheck {
		return stateCheckFunc(func(*tfjson.State) error { return storeHoldsCurrentDocument(e, store, generation) })
	}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: e.factories(),
		ProtoV5ProviderFactories: awsFactories(store),
		Steps: []resource.TestStep{
			{
				PreConfig:         func() { code = e.fake.IssueCode(testRedirectURI, "pins:read") },
				Config:            cfg,
				ConfigVariables:   config.Variables{"code": lazyVar{&code}, "code_version": config.StringVariable("1")},
				ConfigStateChecks: []statecheck.StateCheck{expectGeneration(1), stored(1)},
			},
			{
				// Day 24: rotation; the store writes a new version.
				PreConfig:       func() { e.clock.Advance(24 * day) },
				Config:          cfg,
				ConfigVariables: config.Variables{"code_version": config.StringVariable("1")},
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("aws_secretsmanager_secret_version.pinterest", plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{expectGeneration(2), stored(2)},
			},
			{
				// A person approves again (a new code): generation counts on.
				PreConfig:       func() { code = e.fake.IssueCode(testRedirectURI, "pins:read") },
				Config:          cfg,
				ConfigVariables: config.Variables{"code": lazyVar{&code}, "code_version": config.StringVariable("2")},
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(tokenAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("aws_secretsmanager_secret_version.pinterest", plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{expectGeneration(3), stored(3)},
			},
		},
	})
	if n := store.Writes(storeSecret); n != 3 {
		t.Errorf("the store was written %d times, want 3 (one per token set)", n)
	}
}

// bootstrapConfig is the documented first apply of a CI-owned token set: a
// pinterest_oauth_token writes the first token document to the store.
const bootstrapConfig = `
variable "authorization_code" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "pinterest_oauth_token" "etl" {
  redirect_uri                  = "` + testRedirectURI + `"
  authorization_code_wo         = var.authorization_code
  authorization_code_wo_version = 1
  rotate_before                 = "0s"
}

resource "aws_secretsmanager_secret_version" "pinterest" {
  secret_id                = "etl/pinterest"
  secret_string_wo         = pinterest_oauth_token.etl.token_document
  secret_string_wo_version = pinterest_oauth_token.etl.generation
}
`

// TestAccAccessToken_handOverFromBootstrap starts a CI-owned token set the
// documented way: a person's code, a bootstrap pinterest_oauth_token that
// writes the first document, then the switch to the scheduled configuration,
// which forgets the bootstrap resource (no call to Pinterest) and owns the
// refresh from then on, over three scheduled runs.
func TestAccAccessToken_handOverFromBootstrap(t *testing.T) {
	e := newTestEnv(t)
	store := standin.NewStore()
	code := e.fake.IssueCode(testRedirectURI, "pins:read")
	stored := func() string { v, _ := store.Latest(storeSecret); return v }
	steps := []resource.TestStep{{
		Config:            e.providerBlock() + bootstrapConfig,
		ConfigVariables:   config.Variables{"authorization_code": config.StringVariable(code)},
		ConfigStateChecks: []statecheck.StateCheck{stateCheckFunc(func(*tfjson.State) error { return storeHoldsCurrentDocument(e, store, 1) })},
	}}
	lost := 0
	for i, run := range []struct {
		days       int
		generation int64
	}{{1, 1}, {23, 2}, {1, 2}} {
		check := []plancheck.PlanCheck{plancheck.ExpectResourceAction("aws_secretsmanager_secret_version.pinterest", plancheck.ResourceActionDestroyBeforeCreate)}
		if i == 0 {
			// The hand-over: the bootstrap resource is forgotten.
			check = append(check, plancheck.ExpectResourceAction("pinterest_oauth_token.etl", plancheck.ResourceActionDestroy))
		}
		steps = append(steps, resource.TestStep{
			PreConfig: func() {
				lost += storeLost(e, store)
				e.clock.Advance(time.Duration(run.days) * day)
			},
			Config:             e.providerBlock() + documentedCIPattern,
			ConfigVariables:    config.Variables{"token_document": lazyFunc(stored)},
			ConfigPlanChecks:   resource.ConfigPlanChecks{PreApply: check},
			ConfigStateChecks:  []statecheck.StateCheck{stateCheckFunc(func(*tfjson.State) error { return storeHoldsCurrentDocument(e, store, run.generation) })},
			ExpectNonEmptyPlan: true,
		})
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: e.factories(),
		ProtoV5ProviderFactories: awsFactories(store),
		Steps:                    steps,
	})
	lost += storeLost(e, store)
	if n := refreshGrants(e); n != 1 || lost > 0 {
		t.Errorf("hand-over and 3 runs: %d refreshes (want 1, on day 24), %d refresh tokens lost (want 0)", n, lost)
	}
	if n := e.fake.Requests(fakepinterest.RevokePath); n != 0 {
		t.Errorf("the hand-over sent %d revoke request(s); forgetting the bootstrap resource must not touch the tokens", n)
	}
}
