// Package e2e tests the built provider binary under a real Terraform CLI,
// the way users run it: installed from a (local) mirror, logging through the
// CLI, interrupted with Ctrl-C.
package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/tfrun"
)

var (
	cli         tfrun.CLI
	providerBin string
)

// TestMain builds the provider once, as a release is built, and every test
// here runs that binary. Like the acceptance tests, these tests run only
// with TF_ACC set, and then fail rather than skip without a CLI. The tests
// run in parallel: each has its own fake, workspace and journal.
func TestMain(m *testing.M) {
	if os.Getenv("TF_ACC") == "" {
		fmt.Fprintln(os.Stderr, "e2e: TF_ACC is not set; skipping the end-to-end tests, which run a real Terraform CLI")
		os.Exit(m.Run())
	}
	var err error
	if cli, err = tfrun.FindCLI(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e tests cannot run:", err)
		os.Exit(1)
	}
	dir, err := os.MkdirTemp("", "pinterest-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if providerBin, err = tfrun.BuildRelease("../../..", dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func requireCLI(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("TF_ACC is not set: end-to-end tests run a real Terraform CLI")
	}
	t.Parallel()
}

// workspace makes a workspace with the given configuration, against the
// provider binary from a local mirror, and runs init.
func workspace(t *testing.T, config string, env ...string) *tfrun.Workspace {
	t.Helper()
	ws := newWorkspace(t, providerBin, config, env...)
	if _, err := ws.Run(nil, "init", "-no-color"); err != nil {
		t.Fatal(err)
	}
	return ws
}

// newWorkspace makes a workspace with the given configuration, against bin
// from a local mirror, without running init.
func newWorkspace(t *testing.T, bin, config string, env ...string) *tfrun.Workspace {
	t.Helper()
	work := t.TempDir()
	rc, err := tfrun.LocalMirror(work, bin)
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(work, "src")
	if err := os.MkdirAll(src, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	ws, err := tfrun.NewWorkspace(cli.Path, filepath.Join(work, "ws"), src, append(tfrun.BaseEnv(rc), env...))
	if err != nil {
		t.Fatal(err)
	}
	return ws
}
