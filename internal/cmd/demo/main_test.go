package main

import (
	"os"
	"testing"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/tfrun"
)

// TestDemo runs the demo as `make demo` does, so that it cannot rot. Like
// the acceptance tests it needs TF_ACC and a Terraform CLI.
func TestDemo(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("TF_ACC is not set: the demo runs a real Terraform CLI")
	}
	if _, err := tfrun.FindCLI(); err != nil {
		t.Fatal(err)
	}
	bin, err := tfrun.BuildProvider("../../..", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := run(bin, "../../../examples/demo", false); err != nil {
		t.Fatal(err)
	}
}
