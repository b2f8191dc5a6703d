package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/journal"
	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokendoc"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokenset"
)

// Every test here runs the fake in its default, worst-case mode: a refresh
// token dies the moment it is refreshed.

const day = 24 * time.Hour

func expectGeneration(n int64) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("generation"), knownvalue.Int64Exact(n))
}

// storedRefreshTokenIsCurrent checks that the refresh token in state is the
// one Pinterest (the fake) accepts now, and records it in *last.
func storedRefreshTokenIsCurrent(e *testEnv, last *string) statecheck.StateCheck {
	return stateCheckFunc(func(state *tfjson.State) error {
		rt, ok := stateAttr(state, tokenAddr, "refresh_token")
		if !ok {
			return errors.New("no refresh_token in state")
		}
		if !e.fake.RefreshTokenValid(rt) {
			return errors.New("the refresh token in state is not valid at Pinterest: the newest one was lost")
		}
		*last = rt
		return nil
	})
}

func refreshGrants(e *testEnv) int { return e.fake.Grants("refresh_token") }

func TestAccOAuthToken_rotationWindow(t *testing.T) {
	e := newTestEnv(t)
	code := e.fake.IssueCode(testRedirectURI, "pins:read")
	var first, second string
	cfg := tokenConfig(e, fmt.Sprintf("authorization_code_wo = %q", code))

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					expectGeneration(1),
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("rotate_before"), knownvalue.Null()),
					storedRefreshTokenIsCurrent(e, &first),
				},
			},
			{
				// 22 days on, the access token has 8 days left: outside the 7-day window.
				PreConfig:        func() { e.clock.Advance(22 * day) },
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				// 2 more days: 6 days left, inside the window. An in-place update.
				PreConfig: func() { e.clock.Advance(2 * day) },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(tokenAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(tokenAddr, tfjsonpath.New("access_token")),
					plancheck.ExpectUnknownValue(tokenAddr, tfjsonpath.New("refresh_token")),
					plancheck.ExpectUnknownValue(tokenAddr, tfjsonpath.New("generation")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					expectGeneration(2),
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("access_token_expires_at"),
						knownvalue.StringExact(testEpoch.Add(24*day+30*day).Format(time.RFC3339))),
					storedRefreshTokenIsCurrent(e, &second),
				},
			},
			{
				// rotate_before = "0s" turns rotation off, even a day before expiry.
				PreConfig:         func() { e.clock.Advance(29 * day) },
				Config:            tokenConfig(e, fmt.Sprintf("authorization_code_wo = %q\nrotate_before = \"0s\"", code)),
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(tokenAddr, plancheck.ResourceActionUpdate), plancheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("generation"), knownvalue.Int64Exact(2))}},
				ConfigStateChecks: []statecheck.StateCheck{expectGeneration(2)},
			},
		},
	})
	if first == second || e.fake.RefreshTokenValid(first) {
		t.Error("rotation should have replaced the refresh token, and the fake retired the first one")
	}
	if n := refreshGrants(e); n != 1 {
		t.Errorf("%d refreshes over four steps and their plans, want exactly 1 (in the apply that rotated)", n)
	}
}

func TestAccOAuthToken_rotationTriggers(t *testing.T) {
	e := newTestEnv(t)
	code := e.fake.IssueCode(testRedirectURI, "pins:read")
	withTrigger := func(v string) string {
		return tokenConfig(e, fmt.Sprintf("authorization_code_wo = %q\nrotation_triggers = { schedule = %q }", code, v))
	}
	var rt string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{Config: withTrigger("2026-w09"), ConfigStateChecks: []statecheck.StateCheck{expectGeneration(1)}},
			{
				Config: withTrigger("2026-w10"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(tokenAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(tokenAddr, tfjsonpath.New("access_token")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{expectGeneration(2), storedRefreshTokenIsCurrent(e, &rt)},
			},
		},
	})
}

func TestAccOAuthToken_foreignRefreshThenAdopt(t *testing.T) {
	e := newTestEnv(t)
	code := e.fake.IssueCode(testRedirectURI, "pins:read")
	var stored, foreign, current string
	first := tokenConfig(e, fmt.Sprintf("authorization_code_wo = %q", code))

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{Config: first, ConfigStateChecks: []statecheck.StateCheck{storedRefreshTokenIsCurrent(e, &stored)}},
			{
				// Someone refreshes the same token with curl; then the
				// scheduled apply comes due.
				PreConfig: func() {
					var err error
					if foreign, err = e.fake.ForeignRefresh(stored); err != nil {
						t.Fatal(err)
					}
					e.clock.Advance(24 * day)
				},
				Config: first,
				ExpectError: errorMatching("Refresh Token Rejected", "another party", "60 days",
					"authorization_code_wo", "authorization_code_wo_version", "refresh_token_wo", "refresh_token_wo_version"),
			},
			{
				// Recovery: adopt the refresh token the other party holds.
				Config: tokenConfig(e, "refresh_token_wo = var.refresh_token\nrefresh_token_wo_version = \"1\"") +
					ephemeralVariable("refresh_token"),
				ConfigVariables: config.Variables{"refresh_token": lazyVar{&foreign}},
				// In place, and generation counts on: a store that follows
				// it sees a new version.
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(tokenAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("generation"), knownvalue.Int64Exact(2)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{expectGeneration(2), storedRefreshTokenIsCurrent(e, &current)},
			},
		},
	})
	if current == foreign {
		t.Error("adoption refreshes once, so the adopted token should have been replaced by a newer one")
	}
}

func TestAccOAuthToken_foreignRefreshThenNewCode(t *testing.T) {
	e := newTestEnv(t)
	code := e.fake.IssueCode(testRedirectURI, "pins:read")
	var stored, newCode, current string
	first := tokenConfig(e, fmt.Sprintf("authorization_code_wo = %q", code))

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{Config: first, ConfigStateChecks: []statecheck.StateCheck{storedRefreshTokenIsCurrent(e, &stored)}},
			{
				PreConfig: func() {
					e.fake.RevokeEverything() // access revoked in the account's settings
					e.clock.Advance(24 * day)
				},
				Config:      first,
				ExpectError: errorMatching("Refresh Token Rejected", "new code"),
			},
			{
				// Recovery: a person approves again; a new code, a new version.
				PreConfig: func() { newCode = e.fake.IssueCode(testRedirectURI, "pins:read") },
				Config: tokenConfig(e, "authorization_code_wo = var.code\nauthorization_code_wo_version = \"2\"") +
					ephemeralVariable("code"),
				ConfigVariables: config.Variables{"code": lazyVar{&newCode}},
				// In place, and generation counts on: a store that follows
				// it sees a new version.
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(tokenAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("generation"), knownvalue.Int64Exact(2)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{expectGeneration(2), storedRefreshTokenIsCurrent(e, &current)},
			},
		},
	})
}

func TestAccOAuthToken_adopt(t *testing.T) {
	e := newTestEnv(t)
	_, given := e.fake.IssueTokens("pins:read", "boards:read")
	var current string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config:          tokenConfig(e, "refresh_token_wo = var.refresh_token\nrefresh_token_wo_version = \"1\"") + ephemeralVariable("refresh_token"),
			ConfigVariables: config.Variables{"refresh_token": config.StringVariable(given)},
			ConfigStateChecks: []statecheck.StateCheck{
				expectGeneration(1),
				statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("refresh_token_wo"), knownvalue.Null()),
				statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("scopes"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.StringExact("boards:read"), knownvalue.StringExact("pins:read"),
				})),
				storedRefreshTokenIsCurrent(e, &current),
				noSecretInState{func() []string { return []string{given} }},
			},
		}},
	})
	if e.fake.RefreshTokenValid(given) || current == given {
		t.Error("adoption should have refreshed once, retiring the given token")
	}
	if n := refreshGrants(e); n != 1 {
		t.Errorf("adoption made %d refreshes, want 1", n)
	}
}

func TestAccOAuthToken_userAccount(t *testing.T) {
	e := newTestEnv(t)
	withID := e.fake.IssueCode(testRedirectURI, "pins:read", "user_accounts:read")
	withoutID := e.fake.IssueCode(testRedirectURI, "pins:read")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.providerBlock() + fmt.Sprintf(`
resource "pinterest_oauth_token" "with" {
  redirect_uri       = %[1]q
  authorization_code_wo = %[2]q
}
resource "pinterest_oauth_token" "without" {
  redirect_uri       = %[1]q
  authorization_code_wo = %[3]q
}`, testRedirectURI, withID, withoutID),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("pinterest_oauth_token.with", tfjsonpath.New("user_account"), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"id": knownvalue.StringExact("549755885175"), "username": knownvalue.StringExact("sprig_data"), "account_type": knownvalue.StringExact("BUSINESS"),
				})),
				statecheck.ExpectKnownValue("pinterest_oauth_token.without", tfjsonpath.New("user_account"), knownvalue.Null()),
			},
		}},
	})
	if n := e.fake.Requests(fakepinterest.UserAccountPath); n != 1 {
		t.Errorf("user_account was read %d times, want 1 (only for the token with user_accounts:read)", n)
	}
}

// TestAccOAuthToken_faultAfterRefresh fails the apply after a successful
// refresh (the account lookup keeps failing, and a required scope is
// missing). The new tokens must still be in state.
func TestAccOAuthToken_faultAfterRefresh(t *testing.T) {
	e := newTestEnv(t)
	code := e.fake.IssueCode(testRedirectURI, "pins:read", "user_accounts:read")
	cfg := func(required string) string {
		return tokenConfig(e, fmt.Sprintf("authorization_code_wo = %q\nrequired_scopes = %s", code, required))
	}
	var first, after string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{Config: cfg(`["pins:read"]`), ConfigStateChecks: []statecheck.StateCheck{storedRefreshTokenIsCurrent(e, &first)}},
			{
				PreConfig: func() {
					e.clock.Advance(24 * day)
					e.fake.InjectFaults(fakepinterest.UserAccountPath, fakepinterest.Fault{Status: http.StatusInternalServerError, Times: 10})
				},
				Config:      cfg(`["pins:read", "boards:read"]`),
				ExpectError: errorMatching("Missing Pinterest Scopes", "lacks boards:read", "tokens were saved", `["boards:read", "pins:read", "user_accounts:read"]`),
			},
			{
				// The rotated tokens are in state: no rotation is due, and the
				// stored refresh token is the one the fake accepts.
				Config: cfg(`["pins:read"]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(tokenAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("generation"), knownvalue.Int64Exact(2)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					storedRefreshTokenIsCurrent(e, &after),
					statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("user_account"), knownvalue.Null()),
				},
			},
		},
	})
	if first == after {
		t.Error("the refresh token in state should be the rotated one")
	}
}

// TestAccOAuthToken_requiredScopesTaints creates a token set that lacks a
// required scope: the apply fails, and the tokens stay in state, tainted.
func TestAccOAuthToken_requiredScopesTaints(t *testing.T) {
	e := newTestEnv(t)
	code := e.fake.IssueCode(testRedirectURI, "pins:read")
	cfg := func(required string) string {
		return tokenConfig(e, fmt.Sprintf("authorization_code_wo = %q\nrequired_scopes = %s", code, required))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				Config:      cfg(`["pins:read", "boards:read"]`),
				ExpectError: errorMatching("Missing Pinterest Scopes", "lacks boards:read", "nothing was lost", "authorization_url"),
			},
			{
				// Relaxing required_scopes would be an in-place update of a
				// healthy resource; a tainted one is replaced. Its state still
				// holds the current refresh token. (The replacement then
				// fails: the code is spent, as the first error said.)
				Config: cfg(`["pins:read"]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(tokenAddr, plancheck.ResourceActionReplace),
					priorStateHoldsCurrentToken{e},
				}},
				ExpectError: errorMatching("Authorization Code Rejected"),
			},
		},
	})
}

// priorStateHoldsCurrentToken checks, from a plan, that the state it was made
// from holds a refresh token the fake accepts.
type priorStateHoldsCurrentToken struct{ e *testEnv }

func (c priorStateHoldsCurrentToken) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	rt, ok := stateAttr(req.Plan.PriorState, tokenAddr, "refresh_token")
	if !ok || !c.e.fake.RefreshTokenValid(rt) {
		resp.Error = errors.New("the tainted resource's state does not hold a current refresh token")
	}
}

func TestAccOAuthToken_revokeOnDestroy(t *testing.T) {
	for name, tc := range map[string]struct {
		systemUser  bool
		wantRevokes int
		wantValid   bool
	}{
		"system user":      {systemUser: true, wantRevokes: 2, wantValid: false},
		"403 is a warning": {systemUser: false, wantRevokes: 1, wantValid: true},
	} {
		t.Run(name, func(t *testing.T) {
			e := newTestEnv(t, func(o *fakepinterest.Options) { o.SystemUser = tc.systemUser })
			code := e.fake.IssueCode(testRedirectURI, "pins:read")
			var rt, at string
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps: []resource.TestStep{{
					Config: tokenConfig(e, fmt.Sprintf("authorization_code_wo = %q\nrevoke_on_destroy = true", code)),
					ConfigStateChecks: []statecheck.StateCheck{
						storedRefreshTokenIsCurrent(e, &rt),
						captureAttr{tokenAddr, "access_token", &at},
					},
				}},
				CheckDestroy: func(*terraform.State) error {
					if n := e.fake.Requests(fakepinterest.RevokePath); n != tc.wantRevokes {
						return fmt.Errorf("%d revoke requests, want %d", n, tc.wantRevokes)
					}
					if valid := e.fake.RefreshTokenValid(rt); valid != tc.wantValid {
						return fmt.Errorf("refresh token valid after destroy = %v, want %v", valid, tc.wantValid)
					}
					if valid := e.fake.AccessTokenValid(at); valid != tc.wantValid {
						return fmt.Errorf("access token valid after destroy = %v, want %v", valid, tc.wantValid)
					}
					return nil
				},
			})
		})
	}
}

// TestAccOAuthToken_recoveryDocument: a store's document is adopted, with
// no call to Pinterest, only when it is the direct successor of the set in
// state (a run that wrote the store and died before its state was saved).
// A later generation of another token set is ignored, and so is a forged
// successor (the state's refresh token is all it takes to compute follows)
// that lacks the provider's binding; the state keeps the genuine set and
// the next rotation succeeds. The store is a file the steps rewrite, read
// with file() at plan.
func TestAccOAuthToken_recoveryDocument(t *testing.T) {
	e := newTestEnv(t)
	code := e.fake.IssueCode(testRedirectURI, "pins:read")
	store := filepath.Join(t.TempDir(), "store.json")
	if err := os.WriteFile(store, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	config := tokenConfig(e, fmt.Sprintf("authorization_code_wo = %q\nrecovery_document_wo = file(%q)", code, store))
	var first, successor string
	var requests int
	storeHolds := func(refresh string, generation int64, follows func() string, bound bool) func() {
		return func() {
			d := &tokendoc.Document{AccessToken: sensitive.New("pina_recovered_0123456789"), AccessTokenExpiresAt: e.clock.Now().Add(30 * day),
				RefreshToken: sensitive.New(refresh), RefreshTokenExpiresAt: e.clock.Now().Add(60 * day), TokenType: "bearer",
				Scopes: []string{"pins:read"}, Generation: generation, Follows: follows()}
			if refresh == "" {
				d.RefreshToken = sensitive.New(successor)
			}
			if bound { // as the provider's own run bound it, with the app's credentials
				tokenset.Bind(d, &tokendoc.Document{RefreshToken: sensitive.New(first)}, journal.Binding(testClientID, sensitive.New(testClientSecret)))
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
			// Each refusal of the adoption rule is a row of tokenset's
			// TestPlan and TestAdoptable; through a CLI, two: another token
			// set's document, and a forgery with the follows and generation
			// of a direct successor but no binding.
			ignored(storeHolds("pinr_another_set_0123456789", 2, none, false)),
			ignored(storeHolds("pinr_forged_0123456789", 2, followsFirst, false)),
			{
				// The dead run's refresh went through and its store write ran.
				PreConfig: func() {
					var err error
					if successor, err = e.fake.ForeignRefresh(first); err != nil {
						t.Fatal(err)
					}
					storeHolds("", 2, followsFirst, true)()
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
			{
				// The next rotation refreshes the adopted set.
				PreConfig:         func() { e.clock.Advance(24 * day) },
				Config:            config,
				ConfigStateChecks: []statecheck.StateCheck{expectGeneration(3), storedRefreshTokenIsCurrent(e, &successor)},
			},
		},
	})
}
