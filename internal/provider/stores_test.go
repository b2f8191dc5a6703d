package provider

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/sprighub/terraform-provider-pinterest/internal/standin"
)

// storeCase is one secret store as the guides write to it: its stand-in,
// where the document lands, and the store resource with the arguments the
// guide's examples give it (examples/guides/<store>). The first %s in the
// HCL is the document's expression, the second the version's.
type storeCase struct {
	name     string
	provider func(*standin.Store) *schema.Provider
	secret   string
	resource string
}

var storeCases = []storeCase{
	{"aws", standin.AWS, "etl/pinterest", `
resource "aws_secretsmanager_secret_version" "pinterest" {
  secret_id                = "etl/pinterest"
  secret_string_wo         = %s
  secret_string_wo_version = %s
}`},
	{"vault", standin.Vault, "etl/pinterest", `
resource "vault_kv_secret_v2" "pinterest" {
  mount                = "etl"
  name                 = "pinterest"
  disable_read         = true
  data_json_wo         = %s
  data_json_wo_version = %s
}`},
	{"google", standin.Google, "projects/my-project/secrets/etl-pinterest", `
resource "google_secret_manager_secret_version" "pinterest" {
  secret                 = "projects/my-project/secrets/etl-pinterest"
  secret_data_wo         = %s
  deletion_policy        = "ABANDON"
  secret_data_wo_version = %s
}`},
	{"azurerm", standin.Azure, "etl/pinterest", `
resource "azurerm_key_vault_secret" "pinterest" {
  key_vault_id     = "etl"
  name             = "pinterest"
  value_wo         = %s
  value_wo_version = %s
}`},
	{"kubernetes", standin.Kubernetes, "etl/pinterest/token.json", `
resource "kubernetes_secret_v1" "pinterest" {
  metadata {
    namespace = "etl"
    name      = "pinterest"
  }
  data_wo          = { "token.json" = %s }
  data_wo_revision = %s
}`},
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
  authorization_code_wo_version = "1"
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

// TestAccStores writes the token document into every store the guides
// cover, through stand-ins that copy each store's write-only rules, with
// both patterns, through a scheduled rotation; each stored document must end
// as the newest, valid at the fake.
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
			t.Run(sc.name+"/"+pattern, func(t *testing.T) {
				r := runStorePattern(t, sc, pattern)
				mu.Lock()
				defer mu.Unlock()
				results = append(results, r)
			})
		}
	}
}

func runStorePattern(t *testing.T, sc storeCase, pattern string) storeResult {
	e := newTestEnv(t)
	store := standin.NewStore()
	factories := map[string]func() (tfprotov5.ProviderServer, error){sc.name: standin.ProtoV5(sc.provider(store))}
	holds := func(generation int64) statecheck.StateCheck {
		return stateCheckFunc(func(*tfjson.State) error { return secretHoldsCurrentDocument(e, store, sc.secret, generation) })
	}
	lost := func() int {
		raw, _ := store.Latest(sc.secret)
		return storeLostDocument(e, raw)
	}
	var steps []resource.TestStep
	lostTokens := 0
	switch pattern {
	case "managed":
		cfg := e.providerBlock() + managedPattern + fmt.Sprintf(sc.resource, managedDocument, managedVersion)
		code := e.fake.IssueCode(testRedirectURI, "pins:read")
		steps = []resource.TestStep{
			{Config: cfg, ConfigVariables: config.Variables{"authorization_code": config.StringVariable(code)}, ConfigStateChecks: []statecheck.StateCheck{holds(1)}},
			{PreConfig: func() { lostTokens += lost(); e.clock.Advance(24 * day) }, Config: cfg, ConfigStateChecks: []statecheck.StateCheck{holds(2)}},
			{PreConfig: func() { lostTokens += lost(); e.clock.Advance(day) }, Config: cfg, ConfigStateChecks: []statecheck.StateCheck{holds(2)}},
		}
	case "ci":
		store.Put(sc.secret, seedDocument(e, "pins:read"))
		stored := func() string { v, _ := store.Latest(sc.secret); return v }
		cfg := e.providerBlock() + ciPattern + fmt.Sprintf(sc.resource, ciDocument, ciVersion)
		for _, run := range []struct {
			after      time.Duration
			generation int64
		}{{day, 1}, {23 * day, 2}, {day, 2}} {
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
				Config:             cfg,
				ConfigVariables:    config.Variables{"token_document": lazyFunc(stored)},
				ConfigStateChecks:  []statecheck.StateCheck{holds(run.generation)},
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
	cfg := e.providerBlock() + managedPattern + fmt.Sprintf(sc.resource, managedDocument, managedVersion)
	code := e.fake.IssueCode(testRedirectURI, "pins:read")
	holds := func(generation int64) statecheck.StateCheck {
		return stateCheckFunc(func(*tfjson.State) error { return secretHoldsCurrentDocument(e, store, sc.secret, generation) })
	}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: e.factories(),
		ProtoV5ProviderFactories: map[string]func() (tfprotov5.ProviderServer, error){sc.name: standin.ProtoV5(sc.provider(store))},
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
