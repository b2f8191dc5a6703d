package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/standin"
	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/tfrun"
)

// storeCase is one secret store as the guides write to it: its stand-in,
// its example files (examples/guides/<name>) and where the document lands.
type storeCase struct {
	name     string
	provider func(*standin.Store) func() (tfprotov5.ProviderServer, error)
	secret   string
	// vars are the example files' own variables, as a user sets them.
	vars config.Variables
	// documentVariable: the CI example takes the document in
	// var.token_document, read by the store's CLI before the run, because
	// the store's provider has no ephemeral reader.
	documentVariable bool
	// wrapped: the document is stored under the key token_document of a JSON
	// object, which is what the ETL job's reader takes it from.
	wrapped bool
}

// document returns what the ETL job's reader takes from the secret: the
// token document, or "" when the secret holds none.
func (sc storeCase) document(store *standin.Store) string {
	raw, _ := store.Latest(sc.secret)
	if !sc.wrapped {
		return raw
	}
	var v struct {
		TokenDocument string `json:"token_document"`
	}
	if json.Unmarshal([]byte(raw), &v) != nil {
		return ""
	}
	return v.TokenDocument
}

// azureSecret is where the azurerm examples' secret lands.
const azureSecret = standin.AzureKeyVaultID + "/etl-pinterest"

var storeCases = []storeCase{
	{name: "aws", provider: standin.AWS, secret: "etl/pinterest"},
	{name: "vault", provider: standin.Vault, secret: "etl/pinterest", wrapped: true},
	{name: "google", provider: standin.Google, secret: "projects/my-project/secrets/etl-pinterest"},
	{name: "azurerm", provider: standin.Azure, secret: azureSecret,
		vars: config.Variables{"key_vault_id": config.StringVariable(standin.AzureKeyVaultID)}},
	{name: "kubernetes", provider: standin.Kubernetes, secret: "etl/pinterest/token.json", documentVariable: true},
	// The managed pattern only: a CI job cannot read a GitHub Actions secret
	// back (GitHub's API never returns a secret's value).
	{name: "github", provider: standin.GitHub, secret: "etl-pipelines/PINTEREST_TOKEN_DOCUMENT"},
}

// The two patterns, as the guides give them.
const (
	managedPattern = `
variable "authorization_code" {
  type      = string
  sensitive = true
  ephemeral = true
  default   = null
}

resource "pinterest_oauth_token" "etl" {
  redirect_uri                  = "` + testRedirectURI + `"
  authorization_code_wo         = var.authorization_code
  authorization_code_wo_version = 1
}
`
	ciPattern = `
variable "token_document" {
  type      = string
  sensitive = true
  ephemeral = true
}

ephemeral "pinterest_access_token" "etl" {
  token_document = var.token_document
  apply_time     = timestamp()
}
`
	managedDocument = "pinterest_oauth_token.etl.token_document"
	managedVersion  = "pinterest_oauth_token.etl.generation"
	ciDocument      = "ephemeral.pinterest_access_token.etl.latest_token_document"
	ciVersion       = `parseint(formatdate("YYYYMMDDhhmmss", timestamp()), 10)`
)

// storeResult is a row of the table TestAccStores prints.
type storeResult struct {
	store, pattern         string
	steps, rotations, lost int
}

// TestAccStores runs every store guide's example files as written, through
// stand-ins that copy each store's write-only rules and ephemeral reader,
// with both patterns, through a scheduled rotation; after every run the
// stored document must be the newest, valid at the fake.
func TestAccStores(t *testing.T) {
	var mu sync.Mutex
	var results []storeResult
	t.Cleanup(func() {
		var b strings.Builder
		fmt.Fprintf(&b, "\n| store | pattern | runs planned and applied | rotations | refresh tokens lost |\n|---|---|---|---|---|\n")
		for _, r := range results {
			fmt.Fprintf(&b, "| %s | %s | %d/%d | %d | %d |\n", r.store, r.pattern, r.steps, r.steps, r.rotations, r.lost)
		}
		t.Log(b.String())
	})
	for _, sc := range storeCases {
		for _, pattern := range []string{"managed", "ci"} {
			if _, err := os.Stat(filepath.Join("..", "..", "examples", "guides", sc.name, pattern+".tf")); err != nil {
				continue // the guide has no such pattern
			}
			t.Run(sc.name+"/"+pattern, func(t *testing.T) {
				r := runStorePattern(t, sc, pattern)
				mu.Lock()
				defer mu.Unlock()
				results = append(results, r)
			})
		}
	}
}

// guideExample returns one of a store's example files, as written but for
// its terraform block (see tfrun.WithoutTerraformBlock), with the provider block that the environment gives a user's runs
// (PINTEREST_CLIENT_ID, PINTEREST_CLIENT_SECRET) and that reaches the fake.
func guideExample(t *testing.T, e *testEnv, sc storeCase, file string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "examples", "guides", sc.name, file))
	if err != nil {
		t.Fatal(err)
	}
	if file == "managed.tf" {
		// The guide shows the token set once, in token.tf, beside every
		// store's managed.tf.
		token, err := os.ReadFile(filepath.Join("..", "..", "examples", "guides", "token.tf"))
		if err != nil {
			t.Fatal(err)
		}
		b = append(token, b...)
	}
	return e.providerBlock() + tfrun.WithoutTerraformBlock(string(b))
}

// withVars adds a step's own variables to the example's.
func withVars(sc storeCase, extra config.Variables) config.Variables {
	out := config.Variables{}
	for k, v := range sc.vars {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

// runStorePattern runs a store's example files as the guide says, as a
// schedule runs them: the managed pattern from managed.tf through a
// rotation; or the CI pattern, managed.tf applied once with a code (the
// bootstrap), then ci.tf in its place (the hand-over: the token set is
// forgotten, the store's resources keep their addresses) for daily runs
// through a rotation. After every run the ETL job's reader must find the
// newest document, whose refresh token Pinterest accepts.
func runStorePattern(t *testing.T, sc storeCase, pattern string) storeResult {
	e := newTestEnv(t)
	store := standin.NewStore()
	factories := map[string]func() (tfprotov5.ProviderServer, error){sc.name: sc.provider(store)}
	holds := func(generation int64) statecheck.StateCheck {
		return stateCheckFunc(func(*tfjson.State) error { return documentHolds(e, sc.document(store), generation) })
	}
	lost := func() int { return storeLostDocument(e, sc.document(store)) }
	managed := guideExample(t, e, sc, "managed.tf")
	code := e.fake.IssueCode(exampleRedirectURI, "pins:read")
	bootstrap := resource.TestStep{
		Config:            managed,
		ConfigVariables:   withVars(sc, config.Variables{"authorization_code": config.StringVariable(code)}),
		ConfigStateChecks: []statecheck.StateCheck{holds(1)},
	}
	steps := []resource.TestStep{bootstrap}
	lostTokens := 0
	switch pattern {
	case "managed":
		steps = append(steps,
			resource.TestStep{PreConfig: func() { lostTokens += lost(); e.clock.Advance(24 * day) }, Config: managed, ConfigVariables: withVars(sc, nil), ConfigStateChecks: []statecheck.StateCheck{holds(2)}},
			resource.TestStep{PreConfig: func() { lostTokens += lost(); e.clock.Advance(day) }, Config: managed, ConfigVariables: withVars(sc, nil), ConfigStateChecks: []statecheck.StateCheck{holds(2)}},
		)
	case "ci":
		ci := guideExample(t, e, sc, "ci.tf")
		for _, run := range []struct {
			after      time.Duration
			generation int64
		}{{day, 1}, {day, 1}, {22 * day, 2}, {day, 2}} {
			vars := withVars(sc, nil)
			if sc.documentVariable {
				vars["token_document"] = lazyFunc(func() string { return sc.document(store) })
			}
			steps = append(steps, resource.TestStep{
				PreConfig: func() {
					lostTokens += lost()
					e.clock.Advance(run.after)
					// Stores that write in place (Vault, Azure, Kubernetes) skip
					// a write whose version equals the last one; a version from
					// timestamp() changes every second, and real runs are never
					// a second apart.
					nextSecond()
				},
				Config:          ci,
				ConfigVariables: vars,
				// No state holds the token set once the CI job owns it.
				ConfigStateChecks:  []statecheck.StateCheck{holds(run.generation), noSecretInState{e.issuedGrants}},
				ExpectNonEmptyPlan: true, // every run writes
			})
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: e.factories(),
		ProtoV5ProviderFactories: factories,
		Steps:                    steps,
	})
	lostTokens += lost()
	// The store's rules were checked at plan with "known after apply" for
	// the document, never with null.
	if seen := store.Planned(sc.secret); len(seen) == 0 || slices.Contains(seen, "null") || !slices.Contains(seen, "unknown") {
		t.Errorf("%s saw the write-only value at plan as %v; want unknown, never null", sc.name, seen)
	}
	if lostTokens > 0 {
		t.Errorf("%d refresh tokens lost", lostTokens)
	}
	return storeResult{store: sc.name, pattern: pattern, steps: len(steps), rotations: refreshGrants(e), lost: lostTokens}
}

// nextSecond waits for the wall clock's next second.
func nextSecond() {
	time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(time.Second)))
}

// TestAccStores_failedInPlaceWrite: with the managed pattern, a store that
// writes in place (Vault here; Azure and Kubernetes alike) refuses the write
// of a rotation. The SDK such providers are built on keeps the planned
// version in state after a failed update, so the next apply plans nothing
// and the store would keep the old document: the guides' recovery is a
// replacement of the store resource (terraform apply -replace=...), which
// this test runs as a taint.
func TestAccStores_failedInPlaceWrite(t *testing.T) {
	e := newTestEnv(t)
	store := standin.NewStore()
	sc := storeCases[1] // vault
	cfg := guideExample(t, e, sc, "managed.tf")
	code := e.fake.IssueCode(exampleRedirectURI, "pins:read")
	holds := func(generation int64) statecheck.StateCheck {
		return stateCheckFunc(func(*tfjson.State) error { return documentHolds(e, sc.document(store), generation) })
	}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: e.factories(),
		ProtoV5ProviderFactories: map[string]func() (tfprotov5.ProviderServer, error){sc.name: sc.provider(store)},
		Steps: []resource.TestStep{
			{Config: cfg, ConfigVariables: config.Variables{"authorization_code": config.StringVariable(code)}, ConfigStateChecks: []statecheck.StateCheck{holds(1)}},
			{
				PreConfig:   func() { e.clock.Advance(24 * day); store.RefuseWrites(sc.secret, 1) },
				Config:      cfg,
				ExpectError: errorMatching("AccessDeniedException"),
			},
			{
				// The plain next apply: nothing planned, the store is stale.
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				// The recovery the guides give: replace the store resource.
				Taint:             []string{"vault_kv_secret_v2.pinterest"},
				Config:            cfg,
				ConfigStateChecks: []statecheck.StateCheck{holds(2)},
			},
		},
	})
}

// TestAccStores_vaultReaderNeedsOneStringKey is why the Vault guide stores
// the document under one key: its ci.tf, given a secret that holds the
// document's own fields as its keys, fails reading it, because
// hashicorp/vault's ephemeral vault_kv_secret_v2 converts the secret's data
// to a map of strings and the document's list of scopes and boolean fail
// that conversion.
func TestAccStores_vaultReaderNeedsOneStringKey(t *testing.T) {
	e := newTestEnv(t)
	store := standin.NewStore()
	sc := storeCases[1]                                // vault
	store.Put(sc.secret, seedDocument(e, "pins:read")) // the fields as the secret's keys
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: e.factories(),
		ProtoV5ProviderFactories: map[string]func() (tfprotov5.ProviderServer, error){sc.name: sc.provider(store)},
		Steps: []resource.TestStep{{
			Config:      guideExample(t, e, sc, "ci.tf"),
			ExpectError: errorMatching("Value Conversion Error"),
		}},
	})
	if n := refreshGrants(e); n != 0 {
		t.Errorf("%d refreshes for a document that could not be read", n)
	}
}

// TestAccStores_githubRefusesTheCIPattern keeps the GitHub guide's warning
// true: github_actions_secret has no write-only argument, and Terraform
// refuses an ephemeral document given to plaintext_value.
func TestAccStores_githubRefusesTheCIPattern(t *testing.T) {
	e := newTestEnv(t)
	store := standin.NewStore()
	store.Put("etl-pipelines/PINTEREST_TOKEN_DOCUMENT", seedDocument(e, "pins:read"))
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: e.factories(),
		ProtoV5ProviderFactories: map[string]func() (tfprotov5.ProviderServer, error){"github": standin.GitHub(store)},
		Steps: []resource.TestStep{{
			Config: e.providerBlock() + ciPattern + `
resource "github_actions_secret" "pinterest" {
  repository      = "etl-pipelines"
  secret_name     = "PINTEREST_TOKEN_DOCUMENT"
  plaintext_value = ephemeral.pinterest_access_token.etl.latest_token_document
}
`,
			ConfigVariables: config.Variables{"token_document": config.StringVariable(seedDocument(e, "pins:read"))},
			// Terraform's wording, then OpenTofu's.
			ExpectError: regexp.MustCompile(errorMatching("Invalid use of ephemeral value").String() + "|" +
				errorMatching("Ephemeral value used in non-ephemeral context").String()),
		}},
	})
	if n := refreshGrants(e); n != 0 {
		t.Errorf("%d refreshes for a configuration Terraform refuses", n)
	}
}

// TestAccRunbookRecoveryBlock runs the on-call runbook's
// recovery_document_wo block ("When a run dies") as written, in the AWS
// recipe's managed.tf in place of its pinterest_oauth_token, as a schedule
// runs it: the day-0 apply without -var first_apply=true fails reading a
// secret with no version, before the code is spent, as the runbook says;
// with it, the exchange; then daily runs that pass the store's document (the
// usual case: silently not adopted) through a rotation.
func TestAccRunbookRecoveryBlock(t *testing.T) {
	e := newTestEnv(t)
	store := standin.NewStore()
	raw, err := os.ReadFile("../../docs/guides/runbook.md")
	if err != nil {
		t.Fatal(err)
	}
	var block string
	for _, b := range tfrun.ConfigBlocks(string(raw)) {
		if strings.Contains(b, "recovery_document_wo") {
			block = b
		}
	}
	if block == "" {
		t.Fatal("the on-call runbook shows no recovery_document_wo block")
	}
	cfg := without(t, guideExample(t, e, storeCases[0], "managed.tf"), "resource pinterest_oauth_token etl") + "\n" + block
	code := e.fake.IssueCode(exampleRedirectURI, "pins:read")
	holds := func(generation int64) []statecheck.StateCheck {
		return []statecheck.StateCheck{stateCheckFunc(func(*tfjson.State) error { return documentHolds(e, storeCases[0].document(store), generation) })}
	}
	empty := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}
	withCode := config.Variables{"authorization_code": config.StringVariable(code)}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: e.factories(),
		ProtoV5ProviderFactories: map[string]func() (tfprotov5.ProviderServer, error){"aws": standin.AWS(store)},
		Steps: []resource.TestStep{
			{Config: cfg, ConfigVariables: withCode, ExpectError: errorMatching("ResourceNotFoundException")},
			{
				PreConfig: func() {
					if n := e.fake.Grants("authorization_code"); n != 0 {
						t.Errorf("the failed day-0 apply spent the code (%d exchanges)", n)
					}
				},
				Config: cfg, ConfigVariables: config.Variables{"authorization_code": config.StringVariable(code), "first_apply": config.BoolVariable(true)},
				ConfigStateChecks: holds(1),
			},
			{PreConfig: func() { e.clock.Advance(day) }, Config: cfg, ConfigPlanChecks: empty, ConfigStateChecks: holds(1)},
			{PreConfig: func() { e.clock.Advance(23 * day) }, Config: cfg, ConfigStateChecks: holds(2)},
			{PreConfig: func() { e.clock.Advance(day) }, Config: cfg, ConfigPlanChecks: empty, ConfigStateChecks: holds(2)},
		},
	})
	if n := refreshGrants(e); n != 1 {
		t.Errorf("%d refreshes, want 1 (the rotation)", n)
	}
}
