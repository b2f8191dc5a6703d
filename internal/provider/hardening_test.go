package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
)

// TestAccOAuthToken_createTimeout: the timeouts block bounds the whole
// create, however long each request may take.
func TestAccOAuthToken_createTimeout(t *testing.T) {
	e := newTestEnv(t)
	code := e.fake.IssueCode(testRedirectURI, "pins:read")
	e.fake.InjectFaults(fakepinterest.TokenPath, fakepinterest.Fault{Delay: time.Minute, Times: 10})
	var start time.Time // set when the step runs: a parallel test first waits its turn
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			PreConfig:   func() { start = time.Now() },
			Config:      tokenConfig(e, fmt.Sprintf("authorization_code_wo = %q\ntimeouts = { create = \"2s\" }", code)),
			ExpectError: errorMatching("Pinterest Request Cancelled", "timeout passed", "timeouts block"),
		}},
	})
	if took := time.Since(start); took > 30*time.Second {
		t.Errorf("took %s; the 2s create timeout did not bound the create", took)
	}
}

// TestAccOAuthToken_retriesThroughTheCLI: one 429 and two 503s on the way,
// and the apply still succeeds, through a real Terraform run.
func TestAccOAuthToken_retriesThroughTheCLI(t *testing.T) {
	e := newTestEnv(t)
	code := e.fake.IssueCode(testRedirectURI, "pins:read")
	e.fake.InjectFaults(fakepinterest.TokenPath,
		fakepinterest.Fault{Status: http.StatusTooManyRequests, RetryAfter: "0"},
		fakepinterest.Fault{Status: http.StatusServiceUnavailable, Times: 2})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: tokenConfig(e, fmt.Sprintf("authorization_code_wo = %q", code)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(tokenAddr, tfjsonpath.New("token_type"), knownvalue.StringExact("bearer")),
			},
		}},
	})
	if n := e.fake.Requests(fakepinterest.TokenPath); n != 4 {
		t.Errorf("%d token requests, want 4 (3 refused, 1 served)", n)
	}
	// Every attempt names the provider and the Terraform version.
	ua := regexp.MustCompile(`^terraform-provider-pinterest/test \(\+https://registry\.terraform\.io/providers/sprighub/pinterest\) Terraform/\d+\.\d+\.\d+`)
	for _, got := range e.fake.UserAgents() {
		if !ua.MatchString(got) {
			t.Errorf("User-Agent %q does not name the provider and Terraform versions", got)
		}
	}
}

// TestAccLoad creates 50 token sets in one apply at Terraform's default
// parallelism of 10, with 20% of token requests answered 503, and reports
// the requests and TCP connections it took.
func TestAccLoad(t *testing.T) {
	const tokens = 50
	e := newTestEnv(t, func(o *fakepinterest.Options) { o.Seed = 42 })
	codes := make([]config.Variable, tokens)
	for i := range codes {
		codes[i] = config.StringVariable(e.fake.IssueCode(testRedirectURI, "pins:read"))
	}
	e.fake.SetFailureRate(fakepinterest.TokenPath, 0.2)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "pinterest" {
  client_id     = %q
  client_secret = %q
  api_url       = %q
  max_retries   = 10 # 0.2^11: no resource should run out of retries
}
variable "codes" {
  type      = list(string)
  sensitive = true
}
resource "pinterest_oauth_token" "load" {
  count              = %d
  redirect_uri       = %q
  authorization_code_wo = var.codes[count.index]
}
output "created" {
  value = length([for t in pinterest_oauth_token.load : t.id if t.token_type == "bearer"])
}`, testClientID, testClientSecret, e.fake.URL(), tokens, testRedirectURI),
			ConfigVariables: config.Variables{"codes": config.ListVariable(codes...)},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("created", knownvalue.Int64Exact(tokens)),
			},
		}},
	})
	requests := e.fake.Requests(fakepinterest.TokenPath)
	served := len(e.fake.Forms(fakepinterest.TokenPath))
	t.Logf("load: %d token sets created in one apply (parallelism 10); %d token requests, %d answered 503 and retried; %d TCP connections",
		served, requests, requests-served, e.fake.Connections())
	if served != tokens {
		t.Errorf("%d exchanges reached Pinterest, want %d", served, tokens)
	}
}

// TestAccAccessToken_openTimeout: the timeouts block bounds the whole open,
// retries and waits included, however long each request may take.
func TestAccAccessToken_openTimeout(t *testing.T) {
	e := newTestEnv(t)
	_, refresh := e.fake.IssueTokens("pins:read")
	e.fake.InjectFaults(fakepinterest.TokenPath, fakepinterest.Fault{Delay: time.Minute, Times: 10})
	var start time.Time
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			PreConfig: func() { start = time.Now() },
			Config: e.providerBlock() + refreshTokenVariable + `
ephemeral "pinterest_access_token" "test" {
  refresh_token = var.refresh_token
  enabled       = true
  timeouts      = { open = "2s" }
}
provider "echo" {
  data = ephemeral.pinterest_access_token.test.generation
}
resource "echo" "test" {}
`,
			ConfigVariables: config.Variables{"refresh_token": config.StringVariable(refresh)},
			ExpectError:     errorMatching("Pinterest Request Cancelled", "timeout passed"),
		}},
	})
	if took := time.Since(start); took > 30*time.Second {
		t.Errorf("took %s; the 2s open timeout did not bound the open", took)
	}
}
