package e2e

import (
	"os"
	"strings"
	"testing"
)

// TestStateGuideBackendValidates checks the state protection guide's S3
// backend as far as can be done without AWS: with README step 2's
// configuration, `init -backend=false` and `validate` accept it. The
// backend's own arguments are checked by `init` against S3 only, which no
// test here reaches; TestEncryptedState runs the guide's other example.
func TestStateGuideBackendValidates(t *testing.T) {
	requireCLI(t)
	backend, err := os.ReadFile("../../../examples/guides/state/s3-backend.tf")
	if err != nil {
		t.Fatal(err)
	}
	ws := newWorkspace(t, providerBin, string(backend)+"\n"+readmeBlock(t, "### 2. Exchange the code"))
	if _, err := ws.Run(nil, "init", "-backend=false", "-no-color"); err != nil {
		t.Fatal(err)
	}
	out, err := ws.Run(nil, "validate", "-no-color")
	if err != nil || !strings.Contains(out, "The configuration is valid") {
		t.Fatalf("validate (%v):\n%s", err, out)
	}
}
