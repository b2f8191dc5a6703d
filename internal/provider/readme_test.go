package provider

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/standin"
	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/tfrun"
)

// readmeConfigs returns README.md's configuration by section: every block
// of step 2 (the exchange) and step 3 (the store), however many each shows. A block in any other section fails the test,
// which names it: every block the README shows runs here or in the
// end-to-end tests (readme_test.go there), never nowhere.
func readmeConfigs(t *testing.T) (exchange, store string) {
	t.Helper()
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	steps := map[string]*string{"### 2. ": &exchange, "### 3. ": &store}
	for _, section := range tfrun.ConfigSections(string(raw)) {
		to := (*string)(nil)
		for prefix, s := range steps {
			if strings.HasPrefix(section.Heading, prefix) {
				to = s
			}
		}
		if to == nil {
			t.Errorf("README.md section %q shows %d configuration block(s) that no test runs: give them a step here", section.Heading, len(section.Blocks))
			continue
		}
		*to = strings.Join(section.Blocks, "\n")
	}
	if exchange == "" || store == "" {
		t.Fatal("README.md no longer shows steps 2 and 3 with their configuration")
	}
	return exchange, store
}

// without returns src with the named top-level blocks removed, as a user
// removes them by hand ("resource pinterest_oauth_token etl").
func without(t *testing.T, src string, blocks ...string) string {
	t.Helper()
	f, diags := hclwrite.ParseConfig([]byte(src), "README.md", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	for _, name := range blocks {
		found := false
		for _, b := range f.Body().Blocks() {
			if strings.Join(append([]string{b.Type()}, b.Labels()...), " ") == name {
				f.Body().RemoveBlock(b)
				found = true
			}
		}
		if !found {
			t.Fatalf("README.md has no %s block to remove", name)
		}
	}
	return string(f.Bytes())
}

// TestAccReadmeRunsAsWritten follows README.md steps 2 and 3 with their
// blocks as written (their terraform block aside, see
// tfrun.WithoutTerraformBlock), the provider configured from the environment as
// step 2 says, and AWS Secrets Manager through its stand-in, as a schedule
// runs them: the exchange, then daily applies through a rotation (the
// hand-over to the CI pattern is the secret-stores guide's, run by
// TestAccStores). After every run the ETL job's reader
// takes the access token from the secret and calls Pinterest with it.
func TestAccReadmeRunsAsWritten(t *testing.T) {
	e := newTestEnv(t)
	// Not parallel: the provider block is empty, so the provider reads the
	// environment, which t.Setenv sets for this test alone.
	t.Setenv("PINTEREST_CLIENT_ID", testClientID)
	t.Setenv("PINTEREST_CLIENT_SECRET", testClientSecret)
	t.Setenv("PINTEREST_API_URL", e.fake.URL())
	store := standin.NewStore()
	exchange, storeBlock := readmeConfigs(t)
	managed := tfrun.WithoutTerraformBlock(exchange) + "\n" + storeBlock

	reads := 0
	reader := func() error {
		doc, _ := store.Latest("etl/pinterest")
		if res := standin.AccessTokenSync(context.Background(), e.fake.URL(), doc); res.Err != nil {
			return fmt.Errorf("the ETL job's read after run %d: %w", reads+1, res.Err)
		}
		if storeLostDocument(e, doc) != 0 {
			return fmt.Errorf("after run %d the secret's refresh token is no longer accepted", reads+1)
		}
		reads++
		return nil
	}
	holds := func(generation int64) []statecheck.StateCheck {
		return []statecheck.StateCheck{afterApply(func() error {
			if err := storeHoldsCurrentDocument(e, store, generation); err != nil {
				return err
			}
			return reader()
		})}
	}
	later := func(d time.Duration) func() { return func() { e.clock.Advance(d); nextSecond() } }
	empty := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}
	code := e.fake.IssueCode(exampleRedirectURI, "boards:read", "pins:read", "user_accounts:read")
	steps := []resource.TestStep{
		// Step 2 and 3, day 0: the exchange writes generation 1.
		{Config: managed, ConfigVariables: config.Variables{"authorization_code": config.StringVariable(code)}, ConfigStateChecks: holds(1)},
		// Daily applies: nothing to do until the access token has 7 days left.
		{PreConfig: later(day), Config: managed, ConfigPlanChecks: empty, ConfigStateChecks: holds(1)},
		{PreConfig: later(22 * day), Config: managed, ConfigStateChecks: holds(2)},
		{PreConfig: later(day), Config: managed, ConfigPlanChecks: empty, ConfigStateChecks: holds(2)},
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: e.factories(),
		ProtoV5ProviderFactories: map[string]func() (tfprotov5.ProviderServer, error){"aws": standin.AWS(store)},
		Steps:                    steps,
	})
	if reads != len(steps) {
		t.Errorf("the reader succeeded after %d of %d runs", reads, len(steps))
	}
	if got := refreshGrants(e); got != 1 {
		t.Errorf("%d refreshes in %d runs; want 1 (one rotation)", got, len(steps))
	}
}
