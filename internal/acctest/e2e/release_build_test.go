package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
)

// TestReleaseBuildVersion builds the provider with the flags .goreleaser.yml
// gives its builds, for a made-up version, and checks that the version
// reaches Pinterest in the User-Agent of a real apply.
func TestReleaseBuildVersion(t *testing.T) {
	requireCLI(t)
	const version = "9.8.7"
	spec := readFile(t, "../../../.goreleaser.yml")
	ldflags := regexp.MustCompile(`(?m)^\s*ldflags:\s*\n\s*-\s*"([^"]+)"`).FindStringSubmatch(spec)
	if ldflags == nil || !strings.Contains(ldflags[1], "main.version={{ .Version }}") {
		t.Fatal(".goreleaser.yml no longer sets main.version in its ldflags")
	}
	flags := strings.ReplaceAll(ldflags[1], "{{ .Version }}", version)
	bin := filepath.Join(t.TempDir(), "terraform-provider-pinterest_v"+version)
	build := exec.Command("go", "build", "-trimpath", "-ldflags", flags, "-o", bin, ".")
	build.Dir = "../../.."
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building as goreleaser does: %v\n%s", err, out)
	}

	fake := fakepinterest.Start(fakepinterest.Options{ClientID: clientID, ClientSecret: clientSecret, RedirectURIs: []string{redirectURI}})
	defer fake.Close()
	config := header + `
resource "pinterest_oauth_token" "etl" {
  redirect_uri       = "` + redirectURI + `"
  authorization_code = "` + fake.IssueCode(redirectURI, "pins:read") + `"
}
`
	ws := newWorkspace(t, bin, config,
		"PINTEREST_CLIENT_ID="+clientID, "PINTEREST_CLIENT_SECRET="+clientSecret, "PINTEREST_API_URL="+fake.URL())
	for _, args := range [][]string{{"init", "-no-color"}, {"apply", "-auto-approve", "-no-color"}} {
		if _, err := ws.Run(nil, args...); err != nil {
			t.Fatal(err)
		}
	}
	agents := fake.UserAgents()
	if len(agents) == 0 || !strings.HasPrefix(agents[0], "terraform-provider-pinterest/"+version+" ") {
		t.Fatalf("User-Agent %q does not carry the release version %s", agents, version)
	}
	t.Logf("a build made as goreleaser makes it sends User-Agent %q", agents[0])
}
