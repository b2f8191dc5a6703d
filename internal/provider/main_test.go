package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/tfrun"
)

// TestMain makes the acceptance tests fail loudly, instead of skipping or
// downloading, when no suitable Terraform CLI is at hand, and points the CLI
// at a configuration file the tests control.
func TestMain(m *testing.M) {
	if os.Getenv("TF_ACC") != "" {
		if err := prepareAcceptanceEnv(); err != nil {
			fmt.Fprintln(os.Stderr, "acceptance tests cannot run:", err)
			os.Exit(1)
		}
	}
	os.Exit(m.Run())
}

func prepareAcceptanceEnv() error {
	// No checkpoint calls: the tests must not touch the network.
	os.Setenv("CHECKPOINT_DISABLE", "1")

	// A missing TF_CLI_CONFIG_FILE makes OpenTofu print a warning on stdout,
	// which breaks the harness's version parsing; use an empty file of ours.
	dir, err := os.MkdirTemp("", "pinterest-acc-")
	if err != nil {
		return err
	}
	rc := filepath.Join(dir, "terraformrc")
	if err := os.WriteFile(rc, []byte("# empty: acceptance tests use reattached providers only\n"), 0o600); err != nil {
		return err
	}
	os.Setenv("TF_CLI_CONFIG_FILE", rc)

	cli, err := tfrun.FindCLI()
	if err != nil {
		return err
	}
	// The harness would otherwise look the CLI up again, and download one
	// if that failed.
	os.Setenv("TF_ACC_TERRAFORM_PATH", cli.Path)
	fmt.Fprintf(os.Stderr, "acceptance tests use %s (version %s)\n", cli.Path, cli.Version)
	return nil
}
