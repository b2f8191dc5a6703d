package e2e

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/tfrun"
)

// healthConfig is a token set with the health checks of the
// pinterest_user_account docs, exactly as the example file has them.
func healthConfig(t *testing.T) string {
	t.Helper()
	checks, err := os.ReadFile("../../../examples/data-sources/pinterest_user_account/data-source.tf")
	if err != nil {
		t.Fatal(err)
	}
	return header + `
variable "code" {
  type      = string
  sensitive = true
  ephemeral = true
  default   = null
}

resource "pinterest_oauth_token" "etl" {
  redirect_uri                  = "` + redirectURI + `"
  authorization_code_wo         = var.code
  authorization_code_wo_version = 1
}
` + string(checks)
}

// healthWorkspace applies a fresh token set against fake and returns the
// workspace, ready to plan.
func healthWorkspace(t *testing.T, fake *fakepinterest.Server) *tfrun.Workspace {
	t.Helper()
	ws := workspace(t, healthConfig(t),
		"PINTEREST_CLIENT_ID="+clientID, "PINTEREST_CLIENT_SECRET="+clientSecret, "PINTEREST_API_URL="+fake.URL())
	code := fake.IssueCode(redirectURI, "pins:read", "user_accounts:read")
	if _, err := ws.With("TF_VAR_code="+code).Run(nil, "apply", "-auto-approve", "-no-color"); err != nil {
		t.Fatal(err)
	}
	return ws
}

// planOutput runs the monitoring job's plan, which must succeed, and returns
// its output with the lines Terraform wraps joined, so that messages can be
// matched. It is refresh-only, as the docs say: a normal plan of a token set
// that is due plans the rotation, and its checks then wait for the apply.
func planOutput(t *testing.T, ws *tfrun.Workspace) string {
	t.Helper()
	out, err := ws.Run(nil, "plan", "-refresh-only", "-no-color")
	if err != nil {
		t.Fatalf("the plan failed; health checks must only warn: %v", err)
	}
	return strings.Join(strings.Fields(out), " ")
}

// TestHealthChecks runs the documented check blocks: they pass on a healthy
// token set, and warn, without failing the plan, on an access token that
// expired, on access revoked, and on a token set whose schedule stopped.
// None of them refreshes anything.
func TestHealthChecks(t *testing.T) {
	requireCLI(t)
	const warned = "Warning: Check block assertion failed"

	t.Run("healthy", func(t *testing.T) {
		fake := fakepinterest.Start(fakepinterest.Options{ClientID: clientID, ClientSecret: clientSecret, RedirectURIs: []string{redirectURI}})
		defer fake.Close()
		ws := healthWorkspace(t, fake)
		before := fake.Requests(fakepinterest.TokenPath)
		if out := planOutput(t, ws); strings.Contains(out, "Warning:") {
			t.Errorf("a healthy token set warned: %s", out)
		}
		if n := fake.Requests(fakepinterest.TokenPath) - before; n != 0 {
			t.Errorf("the health checks sent %d token request(s)", n)
		}
	})

	t.Run("access token expired", func(t *testing.T) {
		clock := fakepinterest.NewClock(time.Now())
		fake := fakepinterest.Start(fakepinterest.Options{ClientID: clientID, ClientSecret: clientSecret, RedirectURIs: []string{redirectURI}, Clock: clock})
		defer fake.Close()
		ws := healthWorkspace(t, fake)
		clock.Advance(31 * 24 * time.Hour) // Pinterest's clock: the access token has expired
		before := fake.Requests(fakepinterest.TokenPath)
		out := planOutput(t, ws)
		if !strings.Contains(out, "Pinterest Access Token Refused") || !strings.Contains(out, "run the scheduled apply now") {
			t.Errorf("no warning naming the cause and the way back: %s", out)
		}
		if n := fake.Requests(fakepinterest.TokenPath) - before; n != 0 {
			t.Errorf("the health checks sent %d token request(s)", n)
		}
	})

	t.Run("access revoked", func(t *testing.T) {
		fake := fakepinterest.Start(fakepinterest.Options{ClientID: clientID, ClientSecret: clientSecret, RedirectURIs: []string{redirectURI}})
		defer fake.Close()
		ws := healthWorkspace(t, fake)
		fake.RevokeEverything()
		before := fake.Requests(fakepinterest.TokenPath)
		out := planOutput(t, ws)
		if !strings.Contains(out, "Pinterest Access Token Refused") || !strings.Contains(out, "removed the app's access") {
			t.Errorf("no warning naming the cause and the way back: %s", out)
		}
		if n := fake.Requests(fakepinterest.TokenPath) - before; n != 0 {
			t.Errorf("the health checks sent %d token request(s)", n)
		}
	})

	t.Run("schedule stopped", func(t *testing.T) {
		// Tokens that live 4 and 9 days stand in for a schedule that stopped
		// 26 and 51 days ago.
		fake := fakepinterest.Start(fakepinterest.Options{ClientID: clientID, ClientSecret: clientSecret, RedirectURIs: []string{redirectURI},
			AccessTokenTTL: 4 * 24 * time.Hour, RefreshTokenTTL: 9 * 24 * time.Hour})
		defer fake.Close()
		ws := healthWorkspace(t, fake)
		before := fake.Requests(fakepinterest.TokenPath)
		out := planOutput(t, ws)
		if !strings.Contains(out, warned) || !strings.Contains(out, "in less than 5 days: the scheduled apply that rotates it has stopped") ||
			!strings.Contains(out, "in less than 10 days: without an apply before then, a person must approve again") {
			t.Errorf("no warning that the schedule stopped: %s", out)
		}
		if n := fake.Requests(fakepinterest.TokenPath) - before; n != 0 {
			t.Errorf("the health checks sent %d token request(s)", n)
		}
	})
}
