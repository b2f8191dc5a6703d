package e2e

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/tfrun"
)

// TestReleaseBuildVersion: the binary every test here runs is built with the
// flags .goreleaser.yml gives its builds (TestMain, tfrun.BuildRelease), for
// a made-up version; the version reaches Pinterest in the User-Agent of a
// real apply.
func TestReleaseBuildVersion(t *testing.T) {
	requireCLI(t)
	if !strings.Contains(readFile(t, "../../../.goreleaser.yml"), `main.version={{ .Version }}`) {
		t.Fatal(".goreleaser.yml no longer sets main.version in its ldflags")
	}
	fake := fakepinterest.Start(fakepinterest.Options{ClientID: clientID, ClientSecret: clientSecret, RedirectURIs: []string{redirectURI}})
	defer fake.Close()
	config := header + `
resource "pinterest_oauth_token" "etl" {
  redirect_uri       = "` + redirectURI + `"
  authorization_code_wo = "` + fake.IssueCode(redirectURI, "pins:read") + `"
}
`
	ws := newWorkspace(t, providerBin, config,
		"PINTEREST_CLIENT_ID="+clientID, "PINTEREST_CLIENT_SECRET="+clientSecret, "PINTEREST_API_URL="+fake.URL())
	for _, args := range [][]string{{"init", "-no-color"}, {"apply", "-auto-approve", "-no-color"}} {
		if _, err := ws.Run(nil, args...); err != nil {
			t.Fatal(err)
		}
	}
	agents := fake.UserAgents()
	if len(agents) == 0 || !strings.HasPrefix(agents[0], "terraform-provider-pinterest/"+tfrun.ReleaseVersion+" ") {
		t.Fatalf("User-Agent %q does not carry the release version %s", agents, tfrun.ReleaseVersion)
	}
	t.Logf("a build made as goreleaser makes it sends User-Agent %q", agents[0])
}

// TestReleaseBuildsFor32BitWindows compiles the provider for windows/386,
// one of .goreleaser.yml's targets: a 32-bit int and the Windows files,
// which the other tests, built for this machine, never compile.
func TestReleaseBuildsFor32BitWindows(t *testing.T) {
	requireCLI(t)
	if !strings.Contains(readFile(t, "../../../.goreleaser.yml"), `"386"`) {
		t.Skip(".goreleaser.yml no longer builds for 386")
	}
	cmd := exec.Command("go", "build", "-trimpath", "-o", os.DevNull, ".")
	cmd.Dir = "../../.."
	cmd.Env = append(os.Environ(), "GOOS=windows", "GOARCH=386", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build for windows/386: %v\n%s", err, out)
	}
}
