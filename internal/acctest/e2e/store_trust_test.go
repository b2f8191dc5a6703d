package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokendoc"
)

// TestForgedStoreDocumentIsIgnored: whoever can read the store (or the
// state) and write the store builds a document with the generation and the
// follows of a direct successor, other tokens, no scopes and expiries in
// 2099. The scheduled apply that reads the store into recovery_document_wo
// ignores it with a warning that says why and calls nobody; the state keeps
// the genuine set; the next rotation succeeds with it.
func TestForgedStoreDocumentIsIgnored(t *testing.T) {
	requireCLI(t)
	fake := fakepinterest.Start(fakepinterest.Options{ClientID: clientID, ClientSecret: clientSecret, RedirectURIs: []string{redirectURI}})
	defer fake.Close()
	backend := newHTTPBackend(t)
	ws := workspace(t, killConfig, "PINTEREST_CLIENT_ID="+clientID, "PINTEREST_CLIENT_SECRET="+clientSecret,
		"PINTEREST_API_URL="+fake.URL(), "TF_HTTP_ADDRESS="+backend.srv.URL+"/state",
		"PINTEREST_CACHE_DIR="+filepath.Join(t.TempDir(), "cache"), "TF_VAR_pause=0")
	if _, err := ws.With("TF_VAR_code="+fake.IssueCode(redirectURI, "pins:read"), "TF_VAR_run=1").Run(nil, "apply", "-auto-approve", "-no-color"); err != nil {
		t.Fatal(err)
	}
	_, genuine := backend.generation(t)
	forged := &tokendoc.Document{AccessToken: sensitive.New("pina_forged_0123456789"), RefreshToken: sensitive.New("pinr_forged_0123456789"),
		AccessTokenExpiresAt: time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC), RefreshTokenExpiresAt: time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC),
		TokenType: "bearer", Scopes: []string{}, Generation: 2, Follows: tokendoc.Follow(sensitive.New(genuine))}
	requests := fake.Requests(fakepinterest.TokenPath)
	out, err := ws.With("TF_VAR_run=1", "TF_VAR_store_document="+forged.Encode()).Run(nil, "apply", "-auto-approve", "-no-color")
	if err != nil || !strings.Contains(out, "Recovery Document Ignored") || !strings.Contains(out, "binding") {
		t.Fatalf("the scheduled apply with a forged store document (%v):\n%s", err, out)
	}
	if gen, rt := backend.generation(t); gen != 1 || rt != genuine || fake.Requests(fakepinterest.TokenPath) != requests {
		t.Fatalf("after the forged document: generation %d, the genuine refresh token kept: %v, calls: %d", gen, rt == genuine,
			fake.Requests(fakepinterest.TokenPath)-requests)
	}
	if _, err := ws.With("TF_VAR_run=2").Run(nil, "apply", "-auto-approve", "-no-color"); err != nil {
		t.Fatalf("the next rotation: %v", err)
	}
	if gen, rt := backend.generation(t); gen != 2 || !fake.RefreshTokenValid(rt) {
		t.Fatalf("after the next rotation: generation %d, refresh token valid %v", gen, fake.RefreshTokenValid(rt))
	}
}

// TestFailedDestroyKeepsTheLiveSet: a rotation whose state was never saved
// (the CLI killed after Pinterest answered, with a remote backend) leaves
// the live set in this machine's journal only. A destroy that cannot reach
// Pinterest to revoke fails and keeps the resource; it must keep the journal
// entry too, so that the next plan recovers the live set instead of saying
// "No changes" over a retired refresh token.
func TestFailedDestroyKeepsTheLiveSet(t *testing.T) {
	requireCLI(t)
	fake := fakepinterest.Start(fakepinterest.Options{ClientID: clientID, ClientSecret: clientSecret, RedirectURIs: []string{redirectURI}})
	defer fake.Close()
	backend := newHTTPBackend(t)
	config := strings.Replace(killConfig, "  rotation_triggers     = { run = var.run }\n",
		"  rotation_triggers     = { run = var.run }\n  revoke_on_destroy     = true\n", 1)
	if config == killConfig {
		t.Fatal("the kill test's configuration changed: revoke_on_destroy has no place")
	}
	ws := workspace(t, config, "PINTEREST_CLIENT_ID="+clientID, "PINTEREST_CLIENT_SECRET="+clientSecret,
		"PINTEREST_API_URL="+fake.URL(), "TF_HTTP_ADDRESS="+backend.srv.URL+"/state",
		"PINTEREST_CACHE_DIR="+filepath.Join(t.TempDir(), "cache"), "TF_VAR_pause=0")
	if _, err := ws.With("TF_VAR_code="+fake.IssueCode(redirectURI, "pins:read"), "TF_VAR_run=1").Run(nil, "apply", "-auto-approve", "-no-color"); err != nil {
		t.Fatal(err)
	}
	before := fake.Grants("refresh_token")
	cmd, killed := startRotation(t, ws)
	for deadline := time.Now().Add(90 * time.Second); fake.Grants("refresh_token") == before && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	_ = cmd.Wait()
	if gen, rt := backend.generation(t); gen != 1 || fake.RefreshTokenValid(rt) {
		t.Fatalf("the killed rotation: backend at generation %d (want 1, with a retired refresh token)\n%s", gen, killed.String())
	}

	_, err := ws.With("TF_VAR_run=2", "PINTEREST_API_URL=http://127.0.0.1:1").Run(nil, "destroy", "-auto-approve", "-no-color")
	if err == nil || !strings.Contains(err.Error(), "Cannot Reach Pinterest") {
		t.Fatalf("the destroy with Pinterest unreachable: %v", err)
	}
	out, err := ws.With("TF_VAR_run=2").Run(nil, "apply", "-auto-approve", "-no-color")
	if err != nil || !strings.Contains(out, "Recovering a Token Set Not Yet Saved") {
		t.Fatalf("the apply after the failed destroy did not recover the live set (%v):\n%s", err, out)
	}
	if gen, rt := backend.generation(t); gen != 2 || !fake.RefreshTokenValid(rt) {
		t.Fatalf("after the recovery: generation %d, refresh token valid %v", gen, fake.RefreshTokenValid(rt))
	}
	_ = os.Remove(filepath.Join(ws.Dir, "store.json"))
}
