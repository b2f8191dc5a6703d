package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/sprighub/terraform-provider-pinterest/internal/tfcli"
)

// TestDemo runs the demo as `make demo` does, so that it cannot rot. Like
// the acceptance tests it needs TF_ACC and a Terraform CLI.
func TestDemo(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("TF_ACC is not set: the demo runs a real Terraform CLI")
	}
	if _, err := tfcli.Find(); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "terraform-provider-pinterest")
	build := exec.Command("go", "build", "-o", bin, "../..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	if err := run(bin, "../../examples/demo", false); err != nil {
		t.Fatal(err)
	}
}
