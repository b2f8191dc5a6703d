package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/mirror"
)

// workflowCommands returns the terraform commands a shipped workflow runs:
// the `run:` steps of the GitHub Actions workflow and the `script:` lines of
// the GitLab job. What a runner here cannot stand in for (cloud login, the
// OIDC token file) is left out.
func workflowCommands(t *testing.T, file string) []string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("../../../examples/ci", file))
	if err != nil {
		t.Fatal(err)
	}
	step := regexp.MustCompile(`^\s*-\s+(?:run:\s+)?(terraform .*)$`)
	var cmds []string
	for _, line := range strings.Split(string(raw), "\n") {
		if m := step.FindStringSubmatch(line); m != nil {
			cmds = append(cmds, m[1])
		}
	}
	if len(cmds) < 2 {
		t.Fatalf("%s: found %d terraform commands", file, len(cmds))
	}
	return cmds
}

// TestShippedWorkflowsRunTheirSteps runs the shipped workflows' terraform
// steps as their runner would before the provider is on a registry: a fresh
// checkout of a configuration repository holding README step 2's
// configuration and the provider's mirror under terraform.d/plugins (as the
// scheduled-apply guide says to commit it), no CLI configuration at all, and
// the app's credentials in the environment. The first run is the person's
// day-0 apply; the workflow's own steps follow, twice, as the schedule runs
// them.
func TestShippedWorkflowsRunTheirSteps(t *testing.T) {
	requireCLI(t)
	for _, file := range []string{"github-actions-scheduled-apply.yml", "gitlab-ci-scheduled-apply.yml"} {
		t.Run(file, func(t *testing.T) {
			fake := fakepinterest.Start(fakepinterest.Options{ClientID: clientID, ClientSecret: clientSecret, RedirectURIs: []string{"http://localhost:8085/"}})
			defer fake.Close()
			checkout := t.TempDir()
			config := readmeBlock(t, "### 2. Exchange the code")
			if err := os.WriteFile(filepath.Join(checkout, "main.tf"), []byte(config), 0o600); err != nil {
				t.Fatal(err)
			}
			// What `make mirror MIRROR_DIR=<checkout>/terraform.d/plugins` lays out.
			if _, err := mirror.Lay(filepath.Join(checkout, "terraform.d", "plugins"), providerBin, "0.1.0", ""); err != nil {
				t.Fatal(err)
			}
			var env []string
			for _, kv := range os.Environ() {
				if !strings.HasPrefix(kv, "TF_CLI_CONFIG_FILE=") && !strings.HasPrefix(kv, "TF_PLUGIN_CACHE_DIR=") {
					env = append(env, kv)
				}
			}
			env = append(env, "HOME="+t.TempDir(), "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_INPUT=0",
				"PINTEREST_CLIENT_ID="+clientID, "PINTEREST_CLIENT_SECRET="+clientSecret, "PINTEREST_API_URL="+fake.URL(),
				"PINTEREST_CACHE_DIR="+filepath.Join(t.TempDir(), "cache"))
			run := func(line string, extra ...string) string {
				t.Helper()
				args := strings.Fields(strings.TrimPrefix(line, "terraform "))
				cmd := exec.Command(cli.Path, args...)
				cmd.Dir, cmd.Env = checkout, append(env, extra...)
				out, err := cmd.CombinedOutput()
				if err != nil {
					t.Fatalf("%s: %v\n%s", line, err, out)
				}
				return string(out)
			}
			run("terraform init -input=false")
			run("terraform apply -input=false -auto-approve", "TF_VAR_authorization_code="+fake.IssueCode("http://localhost:8085/", "boards:read", "pins:read", "user_accounts:read"))
			for i := range 2 {
				for _, line := range workflowCommands(t, file) {
					out := run(line)
					if strings.HasPrefix(line, "terraform apply") && !strings.Contains(out, "No changes") {
						t.Errorf("scheduled run %d: the apply is not a no-op:\n%s", i+1, out)
					}
				}
			}
		})
	}
}
