package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// minTerraform is the oldest CLI the acceptance tests accept: write-only
// arguments arrived in Terraform 1.11 and OpenTofu 1.11.
const minTerraform = "1.11.0"

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

	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		for _, name := range []string{"terraform", "tofu"} {
			if p, err := exec.LookPath(name); err == nil {
				cli = p
				break
			}
		}
	}
	howTo := "Install Terraform " + minTerraform + " or newer (https://developer.hashicorp.com/terraform/install) and put it on PATH, " +
		"or set TF_ACC_TERRAFORM_PATH to a terraform or tofu binary (for OpenTofu also set TF_ACC_PROVIDER_HOST=registry.opentofu.org)"
	if cli == "" {
		return fmt.Errorf("no terraform or tofu on PATH and TF_ACC_TERRAFORM_PATH is not set. %s", howTo)
	}
	out, err := exec.Command(cli, "version", "-json").Output()
	if err != nil {
		return fmt.Errorf("%s version -json failed: %v. %s", cli, err, howTo)
	}
	var v struct {
		TerraformVersion string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		return fmt.Errorf("cannot read the version of %s: %v. %s", cli, err, howTo)
	}
	if !versionAtLeast(v.TerraformVersion, minTerraform) {
		return fmt.Errorf("%s is version %s; the acceptance tests need %s or newer. %s", cli, v.TerraformVersion, minTerraform, howTo)
	}
	// The harness would otherwise look the CLI up again, and download one
	// if that failed.
	os.Setenv("TF_ACC_TERRAFORM_PATH", cli)
	return nil
}

// versionAtLeast compares dotted versions, ignoring pre-release suffixes.
func versionAtLeast(have, want string) bool {
	h, w := versionParts(have), versionParts(want)
	for i := range w {
		if h[i] != w[i] {
			return h[i] > w[i]
		}
	}
	return true
}

func versionParts(v string) [3]int {
	var out [3]int
	v, _, _ = strings.Cut(strings.TrimPrefix(v, "v"), "-")
	for i, p := range strings.SplitN(v, ".", 3) {
		out[i], _ = strconv.Atoi(p)
	}
	return out
}

func TestVersionAtLeast(t *testing.T) {
	for _, tc := range []struct {
		have string
		want bool
	}{{"1.11.0", true}, {"1.11.4", true}, {"1.12.6", true}, {"2.0.0", true}, {"1.10.5", false}, {"1.9.9", false}, {"v1.11.0-beta1", true}} {
		if got := versionAtLeast(tc.have, minTerraform); got != tc.want {
			t.Errorf("versionAtLeast(%q) = %v, want %v", tc.have, got, tc.want)
		}
	}
}
