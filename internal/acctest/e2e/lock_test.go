package e2e

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokendoc"
)

// TestTwoProcessesRefreshOnce: two applies of two configurations on one
// machine open the same token document at once, and Pinterest is slow to
// answer the first refresh (3 s). The cache's lock spans processes: the
// second waits, then hands back the first one's result. One refresh, both
// applies succeed, both see the same newest refresh token.
func TestTwoProcessesRefreshOnce(t *testing.T) {
	requireCLI(t)
	fake := fakepinterest.Start(fakepinterest.Options{ClientID: clientID, ClientSecret: clientSecret, RedirectURIs: []string{redirectURI}})
	defer fake.Close()
	doc := seedDocument(fake, "pins:read")
	config := header + `
variable "doc" {
  type      = string
  ephemeral = true
}
ephemeral "pinterest_access_token" "etl" {
  token_document = var.doc
  refresh_before = "721h"
  enabled        = terraform.applying
}
resource "terraform_data" "store" {
  triggers_replace = timestamp()
  provisioner "local-exec" {
    command     = "printf '%s' \"$DOC\" > latest.json"
    environment = { DOC = ephemeral.pinterest_access_token.etl.latest_token_document }
  }
}
`
	env := []string{"PINTEREST_CLIENT_ID=" + clientID, "PINTEREST_CLIENT_SECRET=" + clientSecret, "PINTEREST_API_URL=" + fake.URL(),
		"PINTEREST_CACHE_DIR=" + filepath.Join(t.TempDir(), "one-machine"), "TF_VAR_doc=" + doc}
	a, b := workspace(t, config, env...), workspace(t, config, env...)
	fake.InjectFaults(fakepinterest.TokenPath, fakepinterest.Fault{Delay: 3 * time.Second})

	var outA, outB bytes.Buffer
	cmdA := a.Command("apply", "-auto-approve", "-no-color")
	cmdA.Stdout, cmdA.Stderr = &outA, &outA
	if err := cmdA.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(60 * time.Second); fake.Requests(fakepinterest.TokenPath) == 0 && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
	cmdB := b.Command("apply", "-auto-approve", "-no-color")
	cmdB.Stdout, cmdB.Stderr = &outB, &outB
	if err := cmdB.Start(); err != nil {
		t.Fatal(err)
	}
	errA, errB := cmdA.Wait(), cmdB.Wait()
	if errA != nil || errB != nil {
		t.Fatalf("apply A: %v\n%s\napply B: %v\n%s", errA, outA.String(), errB, outB.String())
	}
	if n := fake.Grants("refresh_token"); n != 1 {
		t.Fatalf("%d refreshes of one token set from one machine, want 1", n)
	}
	latestA, _ := os.ReadFile(filepath.Join(a.Dir, "latest.json"))
	latestB, _ := os.ReadFile(filepath.Join(b.Dir, "latest.json"))
	da, errA := tokendoc.Parse(string(latestA))
	db, errB := tokendoc.Parse(string(latestB))
	if errA != nil || errB != nil || !da.RefreshToken.Equal(db.RefreshToken) || !fake.RefreshTokenValid(da.RefreshToken.Reveal()) {
		t.Fatalf("the two stores disagree or hold a retired token: %v %v", errA, errB)
	}
	t.Logf("two processes, one token document: 1 refresh, both applies succeeded, one newest refresh token (generation %d)", da.Generation)
}
