package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokendoc"
)

// TestAccOAuthToken_recoveryDocument: a store's document is adopted, with
// no call to Pinterest, only when it is the direct successor of the set in
// state (a run that wrote the store and died before its state was saved).
// A later generation of another token set, one that skips a generation and
// one handed off are ignored. The store is a file the steps rewrite, read
// with file() at plan.
func TestAccOAuthToken_recoveryDocument(t *testing.T) {
	e := newTestEnv(t)
	code := e.fake.IssueCode(testRedirectURI, "pins:read")
	store := filepath.Join(t.TempDir(), "store.json")
	if err := os.WriteFile(store, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	config := tokenConfig(e, fmt.Sprintf("authorization_code = %q\nrecovery_document_wo = file(%q)", code, store))
	var first, successor string
	var requests int
	storeHolds := func(refresh string, generation int64, follows func() string, handedOff bool) func() {
		return func() {
			d := &tokendoc.Document{AccessToken: sensitive.New("pina_recovered_0123456789"), AccessTokenExpiresAt: e.clock.Now().Add(30 * day),
				RefreshToken: sensitive.New(refresh), RefreshTokenExpiresAt: e.clock.Now().Add(60 * day), TokenType: "bearer",
				Scopes: []string{"pins:read"}, Generation: generation, Follows: follows(), HandedOff: handedOff}
			if refresh == "" {
				d.RefreshToken = sensitive.New(successor)
			}
			if err := os.WriteFile(store, []byte(d.Encode()), 0o600); err != nil {
				t.Fatal(err)
			}
			requests = e.fake.Requests(fakepinterest.TokenPath)
		}
	}
	followsFirst := func() string { return tokendoc.Follow(sensitive.New(first)) }
	none := func() string { return "" }
	noCall := stateCheckFunc(func(*tfjson.State) error {
		if n := e.fake.Requests(fakepinterest.TokenPath); n != requests {
			return fmt.Errorf("%d token requests, want %d: recovery calls nobody", n, requests)
		}
		return nil
	})
	ignored := func(pre func()) resource.TestStep {
		return resource.TestStep{PreConfig: pre, Config: config,
			ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(tokenAddr, plancheck.ResourceActionNoop)}},
			ConfigStateChecks: []statecheck.StateCheck{expectGeneration(1), storedRefreshTokenIsCurrent(e, &first), noCall}}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{Config: config, ConfigStateChecks: []statecheck.StateCheck{storedRefreshTokenIsCurrent(e, &first), expectGeneration(1)}},
			ignored(storeHolds("pinr_another_set_0123456789", 2, none, false)),
			ignored(storeHolds("pinr_another_set_0123456789", 3, followsFirst, false)),
			ignored(storeHolds("pinr_handed_off_0123456789", 2, followsFirst, true)),
			{
				// The dead run's refresh went through and its store write ran.
				PreConfig: func() {
					var err error
					if successor, err = e.fake.ForeignRefresh(first); err != nil {
						t.Fatal(err)
					}
					storeHolds("", 2, followsFirst, false)()
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(tokenAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{expectGeneration(2), noCall, stateCheckFunc(func(s *tfjson.State) error {
					if rt, _ := stateAttr(s, tokenAddr, "refresh_token"); rt != successor || !e.fake.RefreshTokenValid(rt) {
						return fmt.Errorf("the state does not hold the store's working refresh token")
					}
					return nil
				})},
			},
		},
	})
}
