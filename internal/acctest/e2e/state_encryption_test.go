package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/tfrun"
)

// TestEncryptedState applies a token set with the state protection guide's
// OpenTofu encryption block. Under OpenTofu the state file must hold none of
// the secrets the fake issued, and a later plan must still read it. Under
// Terraform, which has no state encryption, the block must be refused rather
// than ignored, so nobody believes such a state is protected.
func TestEncryptedState(t *testing.T) {
	requireCLI(t)
	encryption, err := os.ReadFile("../../../examples/guides/state/opentofu-encryption.tf")
	if err != nil {
		t.Fatal(err)
	}
	fake := fakepinterest.Start(fakepinterest.Options{ClientID: clientID, ClientSecret: clientSecret, RedirectURIs: []string{redirectURI}})
	defer fake.Close()
	config := header + string(encryption) + `
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
`
	ws := newWorkspace(t, providerBin, config,
		"PINTEREST_CLIENT_ID="+clientID, "PINTEREST_CLIENT_SECRET="+clientSecret, "PINTEREST_API_URL="+fake.URL(),
		"TF_VAR_state_passphrase=correct-horse-battery-staple-42")
	_, initErr := ws.Run(nil, "init", "-no-color")

	if !cli.OpenTofu {
		if initErr == nil || !strings.Contains(initErr.Error(), "encryption") {
			t.Fatalf("Terraform accepted the encryption block, or failed for another reason: %v", initErr)
		}
		t.Log("Terraform refuses the encryption block (OpenTofu only); run make testacc-tofu for the encrypted state")
		return
	}
	if initErr != nil {
		t.Fatal(initErr)
	}
	code := fake.IssueCode(redirectURI, "pins:read")
	if _, err := ws.With("TF_VAR_code="+code).Run(nil, "apply", "-auto-approve", "-no-color"); err != nil {
		t.Fatal(err)
	}
	state := readFile(t, filepath.Join(ws.Dir, "terraform.tfstate"))
	if leaked := tfrun.Leaked(state, fake.IssuedSecrets(), nil); len(leaked) > 0 {
		t.Fatalf("the encrypted state holds %d secret(s) in clear", len(leaked))
	}
	if !strings.Contains(state, "encrypted_data") {
		t.Fatal("the state file is not an encrypted one")
	}
	if out, err := ws.Run(nil, "plan", "-no-color"); err != nil || !strings.Contains(out, "No changes") {
		t.Fatalf("a plan could not read the encrypted state: %v", err)
	}
	t.Logf("encrypted state: %d bytes, none of the %d secrets the fake issued in clear; a plan reads it back", len(state), len(fake.IssuedSecrets()))
}
