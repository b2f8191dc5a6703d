package e2e

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/tfrun"
)

// TestProviderLogLevels proves what the docs say to set for this provider's
// lines: Terraform passes provider lines on only when TF_LOG_PROVIDER (or
// TF_LOG) is set, and TF_LOG_PROVIDER_PINTEREST then sets this provider's
// level alone, so WARN silences it while other providers keep theirs.
func TestProviderLogLevels(t *testing.T) {
	requireCLI(t)
	fake := fakepinterest.Start(fakepinterest.Options{ClientID: clientID, ClientSecret: clientSecret, RedirectURIs: []string{redirectURI}})
	defer fake.Close()
	ws := workspace(t, header+`
variable "code" {
  type      = string
  ephemeral = true
}
variable "start" {
  type = number
}
resource "pinterest_oauth_token" "etl" {
  redirect_uri                  = "`+redirectURI+`"
  authorization_code_wo         = var.code
  authorization_code_wo_version = var.start
}
`, "PINTEREST_CLIENT_ID="+clientID, "PINTEREST_CLIENT_SECRET="+clientSecret, "PINTEREST_API_URL="+fake.URL())
	for i, tc := range []struct {
		env       []string
		wantLines bool
	}{
		{[]string{"TF_LOG_PROVIDER=DEBUG", "TF_LOG_PROVIDER_PINTEREST=DEBUG"}, true},
		{[]string{"TF_LOG_PROVIDER=DEBUG", "TF_LOG_PROVIDER_PINTEREST=WARN"}, false},
		{[]string{"TF_LOG_PROVIDER_PINTEREST=DEBUG"}, false}, // Terraform drops every provider line
	} {
		logPath := filepath.Join(t.TempDir(), "terraform.log")
		env := append(tc.env, "TF_LOG_PATH="+logPath, "TF_VAR_start="+strconv.Itoa(i+1),
			"TF_VAR_code="+fake.IssueCode(redirectURI, "pins:read"))
		if _, err := ws.With(env...).Run(nil, "apply", "-auto-approve", "-no-color"); err != nil {
			t.Fatal(err)
		}
		log, _ := os.ReadFile(logPath)
		if got := strings.Contains(string(log), "Response from Pinterest"); got != tc.wantLines {
			t.Errorf("%v: the provider's request lines logged: %v, want %v", tc.env, got, tc.wantLines)
		}
		if leaked := tfrun.Leaked(string(log), append(fake.IssuedSecrets(), clientSecret), nil); len(leaked) > 0 {
			t.Errorf("%v: the log holds %d secret(s)", tc.env, len(leaked))
		}
	}
	if n := fake.Grants("authorization_code"); n != 3 {
		t.Fatalf("want 3 exchanges, got %d: not every case called Pinterest", n)
	}
}
