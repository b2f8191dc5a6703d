package e2e

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/tfrun"
	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokendoc"
)

const (
	clientID     = "1484362"
	clientSecret = "leak-test-app-secret-5f3a"
	redirectURI  = "https://etl.example.com/oauth/callback"
)

// The configuration exercises every path a secret takes: a write-only code,
// a rotation, an account lookup, an ephemeral refresh whose result goes to a
// provisioner.
// header is the start of every configuration here: the provider, with its
// credentials from the environment.
const header = `
terraform {
  required_providers {
    pinterest = { source = "sprighub/pinterest" }
  }
}
provider "pinterest" {}
`

const leakConfig = header + `
variable "code" {
  type      = string
  sensitive = true
  ephemeral = true
  default   = null
}
variable "ci_refresh_token" {
  type      = string
  sensitive = true
  ephemeral = true
}
variable "rotate_before" {
  type    = string
  default = "168h"
}

resource "pinterest_oauth_token" "etl" {
  redirect_uri                  = "` + redirectURI + `"
  authorization_code_wo         = var.code
  authorization_code_wo_version = 1
  rotate_before                 = var.rotate_before
  required_scopes               = ["pins:read"]
}

# An access token known at plan that no state may hold: only write-only.
variable "ads_token" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "pinterest_conversion_token" "ads" {
  access_token_wo = var.ads_token
}

ephemeral "pinterest_access_token" "ci" {
  refresh_token = var.ci_refresh_token
  enabled       = terraform.applying
}

resource "terraform_data" "job" {
  triggers_replace = pinterest_oauth_token.etl.generation
  provisioner "local-exec" {
    command     = "test -n \"$TOKEN\" && test -n \"$LATEST\""
    environment = {
      TOKEN  = ephemeral.pinterest_access_token.ci.access_token
      LATEST = ephemeral.pinterest_access_token.ci.latest_refresh_token
    }
  }
}

# The documented pattern: the token document in, the next one out.
variable "ci_document" {
  type      = string
  sensitive = true
  ephemeral = true
}

ephemeral "pinterest_access_token" "doc" {
  token_document = var.ci_document
  refresh_before = "721h"
  apply_time     = timestamp()
}

resource "terraform_data" "store" {
  triggers_replace = timestamp()
  provisioner "local-exec" {
    command     = "test -n \"$DOC\""
    environment = {
      DOC = ephemeral.pinterest_access_token.doc.latest_token_document
    }
  }
}

# The CI form of the ad-accounts list: a provider block that reads with the
# stored access token, an ephemeral value.
variable "agency_document" {
  type      = string
  sensitive = true
  ephemeral = true
}

provider "pinterest" {
  alias        = "stored"
  access_token = jsondecode(var.agency_document).access_token
}

data "pinterest_ad_accounts" "agency" {
  provider = pinterest.stored
}
`

// TestNoSecretLeaks runs plan and apply twice (create, then a rotation) with
// TF_LOG=TRACE, then searches every log, plan JSON and state for every secret
// the fake issued. Logs and plans may hold none; the state, and the plans'
// copies of it, only the managed token set of that moment and the
// conversion token.
func TestNoSecretLeaks(t *testing.T) {
	requireCLI(t)
	fake := fakepinterest.Start(fakepinterest.Options{ClientID: clientID, ClientSecret: clientSecret, RedirectURIs: []string{redirectURI}})
	defer fake.Close()
	dir := t.TempDir()
	if keep := os.Getenv("LEAK_TEST_KEEP"); keep != "" {
		dir = keep
	}
	cacheHome := t.TempDir()
	ws := workspace(t, leakConfig, "XDG_CACHE_HOME="+cacheHome,
		"PINTEREST_CLIENT_ID="+clientID, "PINTEREST_CLIENT_SECRET="+clientSecret, "PINTEREST_API_URL="+fake.URL())

	adsToken, _ := fake.IssueTokens("ads:write")
	var artifacts []artifact // every file to search, with what it may hold
	allowed := map[string]bool{}
	// Secrets travel as TF_VAR_* variables, never -var: Terraform writes its
	// command line, -var values included, to its log.
	run := func(round int, vars ...string) {
		logPath := filepath.Join(dir, "trace-"+strconv.Itoa(round)+".log")
		w := ws.With(append([]string{"TF_LOG=TRACE", "TF_LOG_PATH=" + logPath}, vars...)...)
		planFile := filepath.Join(dir, "round"+strconv.Itoa(round)+".tfplan")
		if _, err := w.Run(nil, "plan", "-no-color", "-out="+planFile); err != nil {
			t.Fatal(err)
		}
		planJSON, err := w.Run(nil, "show", "-json", planFile)
		if err != nil {
			t.Fatal(err)
		}
		artifacts = append(artifacts, artifact{"plan JSON of round " + strconv.Itoa(round), planJSON, copyOf(allowed)})
		// Ephemeral variables are not saved in a plan: the apply reads them
		// from the environment again.
		if _, err := w.Run(nil, "apply", "-no-color", "-auto-approve", planFile); err != nil {
			t.Fatal(err)
		}
		state := readFile(t, filepath.Join(ws.Dir, "terraform.tfstate"))
		allowed = managedTokens(t, state)
		if allowed[adsToken] {
			t.Errorf("round %d: the state holds the write-only access token", round)
		}
		artifacts = append(artifacts, artifact{"state after round " + strconv.Itoa(round), state, copyOf(allowed)})
		logText := readFile(t, logPath)
		if !strings.Contains(logText, "Request to Pinterest") {
			t.Fatalf("round %d: the TRACE log holds no provider HTTP log; the search would prove nothing", round)
		}
		artifacts = append(artifacts, artifact{"TRACE log of round " + strconv.Itoa(round), logText, nil})
	}

	code := fake.IssueCode(redirectURI, "pins:read", "user_accounts:read")
	_, ci1 := fake.IssueTokens("pins:read")
	agency := "TF_VAR_agency_document=" + seedDocument(fake, "ads:read")
	fake.AddAdAccount(fakepinterest.DefaultUser, "549755800001", "own ads", "US", "USD")
	run(1, agency, "TF_VAR_ads_token="+adsToken, "TF_VAR_code="+code, "TF_VAR_ci_refresh_token="+ci1, "TF_VAR_ci_document="+seedDocument(fake, "pins:read"))
	// 721h puts the fresh 720h access token inside the window: a rotation.
	_, ci2 := fake.IssueTokens("pins:read")
	run(2, agency, "TF_VAR_ads_token="+adsToken, "TF_VAR_rotate_before=721h", "TF_VAR_ci_refresh_token="+ci2, "TF_VAR_ci_document="+seedDocument(fake, "pins:read"))

	// The ephemeral resources' results wait in the refresh cache for
	// the rest of the run: encrypted, so they are searched too.
	cached := 0
	_ = filepath.WalkDir(cacheHome, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			cached++
			artifacts = append(artifacts, artifact{"refresh cache file " + d.Name(), readFile(t, path), nil})
		}
		return nil
	})
	if cached == 0 {
		t.Fatal("the refresh cache holds no file; searching it would prove nothing")
	}

	// Refreshes: 1 rotation, 2 of the bare refresh token (one per apply), 2
	// of the document (one per apply: the 721h window makes it due).
	if n := fake.Grants("refresh_token"); n != 5 {
		t.Fatalf("want 5 refreshes, got %d: not every path ran", n)
	}
	if minted, _ := fake.ConversionTokens(""); minted != 1 {
		t.Fatalf("want 1 conversion token, got %d: not every path ran", minted)
	}
	if n := fake.Requests(fakepinterest.AdAccountsPath); n < 2 {
		t.Fatalf("the ad accounts were listed %d times, want once a plan: not every path ran", n)
	}
	secrets := fake.IssuedSecrets()
	found, bytes := 0, 0
	for _, a := range artifacts {
		bytes += len(a.text)
		for _, s := range tfrun.Leaked(a.text, secrets, a.allowed) {
			found++
			t.Errorf("%s holds a secret it must not (%s…)", a.name, s[:5])
		}
	}
	t.Logf("leak check: %d artifacts (2 TRACE logs, 2 plan JSONs, 2 states, %d refresh cache files), %d bytes searched for %d issued secrets: %d found",
		len(artifacts), cached, bytes, len(secrets), found)
}

// seedDocument issues a token set as a first consent would and returns it
// as the token document a store holds.
func seedDocument(fake *fakepinterest.Server, scopes ...string) string {
	access, refresh := fake.IssueTokens(scopes...)
	now := time.Now()
	return (&tokendoc.Document{
		AccessToken: sensitive.New(access), AccessTokenExpiresAt: now.Add(30 * 24 * time.Hour),
		RefreshToken: sensitive.New(refresh), RefreshTokenExpiresAt: now.Add(60 * 24 * time.Hour),
		TokenType: "bearer", Scopes: scopes, Generation: 1,
	}).Encode()
}

type artifact struct {
	name    string
	text    string
	allowed map[string]bool
}

func managedTokens(t *testing.T, state string) map[string]bool {
	t.Helper()
	tokens, err := tfrun.ManagedTokens([]byte(state))
	if err != nil {
		t.Fatal(err)
	}
	return tokens
}

func copyOf(m map[string]bool) map[string]bool {
	out := make(map[string]bool, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
