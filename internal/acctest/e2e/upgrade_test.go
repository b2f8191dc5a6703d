package e2e

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/tfrun"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokendoc"
)

// TestUpgradeFromV01StateCallsNobody reads a state written by the provider
// before token_document existed (testdata/v0.1-state.json: written by commit
// 4fa45f7, the last schema without it, through Terraform 1.11.4, with its
// tokens and times replaced by placeholders). This version fills the document
// in place from the stored tokens, with no call to Pinterest, and the next
// plan is empty.
func TestUpgradeFromV01StateCallsNobody(t *testing.T) {
	requireCLI(t)
	fake := fakepinterest.Start(fakepinterest.Options{ClientID: clientID, ClientSecret: clientSecret, RedirectURIs: []string{redirectURI}})
	defer fake.Close()
	ws := workspace(t, header+`
variable "code" {
  type      = string
  ephemeral = true
  default   = null
}
resource "pinterest_oauth_token" "etl" {
  redirect_uri          = "`+redirectURI+`"
  authorization_code_wo = var.code
}`, "PINTEREST_CLIENT_ID="+clientID, "PINTEREST_CLIENT_SECRET="+clientSecret, "PINTEREST_API_URL="+fake.URL(),
		"PINTEREST_CACHE_DIR="+filepath.Join(t.TempDir(), "cache"))

	access, refresh := fake.IssueTokens("boards:read", "pins:read")
	raw, err := os.ReadFile(filepath.Join("testdata", "v0.1-state.json"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	state := strings.NewReplacer("@ACCESS_TOKEN@", access, "@REFRESH_TOKEN@", refresh,
		"@EXPIRES_AT@", now.Add(30*24*time.Hour).Format(time.RFC3339),
		"@REFRESH_TOKEN_EXPIRES_AT@", now.Add(60*24*time.Hour).Format(time.RFC3339)).Replace(string(raw))
	if strings.Contains(state, `"token_document"`) {
		t.Fatal("the fixture is not a v0.1 state")
	}
	if err := os.WriteFile(filepath.Join(ws.Dir, "terraform.tfstate"), []byte(state), 0o600); err != nil {
		t.Fatal(err)
	}

	if _, err := ws.Run(nil, "apply", "-auto-approve", "-no-color"); err != nil {
		t.Fatal(err)
	}
	if n := fake.Requests(fakepinterest.TokenPath) + fake.Requests(fakepinterest.UserAccountPath); n != 0 {
		t.Fatalf("the upgrade made %d calls to Pinterest, want none", n)
	}
	after, err := os.ReadFile(filepath.Join(ws.Dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	instances, err := tfrun.Instances(after, "pinterest_oauth_token")
	if err != nil || len(instances) != 1 {
		t.Fatalf("the state after the upgrade: %v (%d instances)", err, len(instances))
	}
	document, _ := instances[0]["token_document"].(string)
	doc, err := tokendoc.Parse(document)
	if err != nil {
		t.Fatalf("the filled-in document: %v", err)
	}
	if doc.RefreshToken.Reveal() != refresh || doc.AccessToken.Reveal() != access || doc.Generation != 1 || len(doc.Scopes) != 2 {
		t.Fatalf("the document does not hold the stored token set (generation %d, scopes %v)", doc.Generation, doc.Scopes)
	}
	cmd := ws.Command("plan", "-detailed-exitcode", "-no-color")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if err != nil && (!errors.As(err, &exit) || exit.ExitCode() != 0) {
		t.Fatalf("the plan after the upgrade is not empty (%v):\n%s", err, out)
	}
}
