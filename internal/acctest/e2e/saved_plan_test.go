package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/tfrun"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokendoc"
)

// TestSavedPlanAppliedElsewhere plans the demo's CI job with -out on one
// machine and applies the saved plan later on another, which has none of
// the first one's refresh cache. The documented configuration opens nothing
// during plan, so the one refresh happens at apply, and the store ends with
// the newest token.
func TestSavedPlanAppliedElsewhere(t *testing.T) {
	requireCLI(t)
	fake := fakepinterest.Start(fakepinterest.Options{ClientID: clientID, ClientSecret: clientSecret, RedirectURIs: []string{redirectURI}})
	defer fake.Close()
	config := readFile(t, "../../../examples/demo/ci/main.tf")
	store := filepath.Join(t.TempDir(), "store.json")
	seed := seedDocument(fake, "pins:read")
	if err := os.WriteFile(store, []byte(seed), 0o600); err != nil {
		t.Fatal(err)
	}
	vars := []string{
		"PINTEREST_CLIENT_ID=" + clientID, "PINTEREST_CLIENT_SECRET=" + clientSecret, "PINTEREST_API_URL=" + fake.URL(),
		"TF_VAR_token_document=" + seed, "TF_VAR_store_path=" + store, "TF_VAR_refresh_before=721h", // due
	}
	planner := workspace(t, config, append(vars, "XDG_CACHE_HOME="+t.TempDir())...)
	if _, err := planner.Run(nil, "plan", "-no-color", "-out=ci.tfplan"); err != nil {
		t.Fatal(err)
	}
	if n := fake.Grants("refresh_token"); n != 0 {
		t.Fatalf("the plan refreshed %d time(s); it must open nothing", n)
	}

	// Another machine: a copy of the working directory and the plan file,
	// and a refresh cache of its own. Ephemeral variables are given again.
	elsewhere := filepath.Join(t.TempDir(), "ws")
	if out, err := exec.Command("cp", "-a", planner.Dir, elsewhere).CombinedOutput(); err != nil {
		t.Fatalf("copying the working directory: %v\n%s", err, out)
	}
	applier := &tfrun.Workspace{CLI: planner.CLI, Dir: elsewhere, Env: append(planner.Env, "XDG_CACHE_HOME="+t.TempDir())}
	out, err := applier.Run(nil, "apply", "-no-color", "ci.tfplan")
	if err != nil {
		t.Fatal(err)
	}
	if n := fake.Grants("refresh_token"); n != 1 || strings.Contains(out, "Warning:") {
		t.Fatalf("the apply of the saved plan refreshed %d time(s), want 1, with no warning:\n%s", n, out)
	}
	doc, err := tokendoc.Parse(readFile(t, store))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Generation != 2 || !fake.RefreshTokenValid(doc.RefreshToken.Reveal()) {
		t.Fatalf("the store holds generation %d, valid at Pinterest: %v; want generation 2, valid", doc.Generation, fake.RefreshTokenValid(doc.RefreshToken.Reveal()))
	}
}
