package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/tfrun"
	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
)

const (
	testClientID     = "1484362"
	testClientSecret = "app-secret-7a1f3c9e5b2d"
	testRedirectURI  = "https://etl.example.com/oauth/callback"
)

var testEpoch = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// testEnv is one fake Pinterest with its clock, and a provider wired to both.
type testEnv struct {
	fake  *fakepinterest.Server
	clock *fakepinterest.Clock
	// cacheDir is this test's own refresh cache, as the machine that runs
	// Terraform would have one.
	cacheDir string
}

func newTestEnv(t *testing.T, mutate ...func(*fakepinterest.Options)) *testEnv {
	t.Helper()
	clock := fakepinterest.NewClock(testEpoch)
	opts := fakepinterest.Options{
		ClientID: testClientID, ClientSecret: testClientSecret,
		RedirectURIs: []string{testRedirectURI}, Clock: clock,
	}
	for _, m := range mutate {
		m(&opts)
	}
	fake := fakepinterest.Start(opts)
	t.Cleanup(fake.Close)
	return &testEnv{fake: fake, clock: clock, cacheDir: t.TempDir()}
}

// factories serves the provider in-process with the test clock and short
// retry waits, next to terraform-plugin-testing's echo provider.
func (e *testEnv) factories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"pinterest": providerserver.NewProtocol6WithError(&pinterestProvider{
			version:  "test",
			now:      e.clock.Now,
			retry:    pinterest.RetryPolicy{WaitMin: 5 * time.Millisecond, WaitMax: 50 * time.Millisecond},
			cacheDir: e.cacheDir,
			// The fake listens on loopback; TestConfigureWarnsOfAForeignHost
			// checks the warning this silences.
			allowLoopback: true,
		}),
		"echo": echoprovider.NewProviderServer(),
	}
}

// providerBlock configures the provider against the fake.
func (e *testEnv) providerBlock() string {
	return fmt.Sprintf(`
provider "pinterest" {
  client_id     = %q
  client_secret = %q
  api_url       = %q
}
`, testClientID, testClientSecret, e.fake.URL())
}

// issuedGrants returns every code and token the fake issued: all its
// secrets but the client secret, which test configurations hold as a literal.
func (e *testEnv) issuedGrants() []string {
	var out []string
	for _, s := range e.fake.IssuedSecrets() {
		if s != testClientSecret {
			out = append(out, s)
		}
	}
	return out
}

// noSecretInState fails when the state holds any of the given values.
// Failure messages name how many leaked, never the values.
type noSecretInState struct{ values func() []string }

func (c noSecretInState) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	raw, err := json.Marshal(req.State)
	if err != nil {
		resp.Error = err
		return
	}
	if n := len(tfrun.Leaked(string(raw), c.values(), nil)); n > 0 {
		resp.Error = fmt.Errorf("state holds %d secret value(s) it must not hold", n)
	}
}

// noSecretInPlan fails when the plan holds any of the given values.
type noSecretInPlan struct{ values func() []string }

func (c noSecretInPlan) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	raw, err := json.Marshal(req.Plan)
	if err != nil {
		resp.Error = err
		return
	}
	if n := len(tfrun.Leaked(string(raw), c.values(), nil)); n > 0 {
		resp.Error = fmt.Errorf("plan holds %d secret value(s) it must not hold", n)
	}
}

// errorMatching builds a pattern that finds each phrase, in order, in an
// error that Terraform has wrapped across lines.
func errorMatching(phrases ...string) *regexp.Regexp {
	quoted := make([]string, len(phrases))
	for i, p := range phrases {
		words := strings.Fields(p)
		for j, w := range words {
			words[j] = regexp.QuoteMeta(w)
		}
		quoted[i] = strings.Join(words, `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, `.*`))
}

// lazyVar is a configuration variable read when the step runs, for values a
// test learns only from an earlier step.
type lazyVar struct{ value *string }

func (v lazyVar) MarshalJSON() ([]byte, error) { return json.Marshal(*v.value) }

// lazyFunc is a configuration variable computed when the step runs, such as
// what a store holds after the previous run.
type lazyFunc func() string

func (f lazyFunc) MarshalJSON() ([]byte, error) { return json.Marshal(f()) }

// ephemeralVariable declares a sensitive ephemeral input variable, the way
// codes and tokens reach a configuration in real use.
func ephemeralVariable(name string) string {
	return fmt.Sprintf(`
variable %q {
  type      = string
  sensitive = true
  ephemeral = true
}
`, name)
}

// stateCheckFunc adapts a function to statecheck.StateCheck.
type stateCheckFunc func(*tfjson.State) error

func (f stateCheckFunc) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = f(req.State)
}
