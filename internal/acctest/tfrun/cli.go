package tfrun

// The CLI: a Terraform or OpenTofu recent enough for this provider, for the
// acceptance tests and the demo. It is never downloaded.

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
)

// MinVersion is the oldest CLI the provider's write-only arguments work with;
// Terraform and OpenTofu both gained them in 1.11.
const MinVersion = "1.11.0"

// HowToGet tells a person how to provide a suitable CLI.
const HowToGet = "Install Terraform " + MinVersion + " or newer (https://developer.hashicorp.com/terraform/install) and put it on PATH, " +
	"or set TF_ACC_TERRAFORM_PATH to a terraform or tofu binary (for OpenTofu also set TF_ACC_PROVIDER_HOST=registry.opentofu.org)."

// CLI is a located Terraform or OpenTofu binary.
type CLI struct {
	Path    string
	Version string
	// OpenTofu is true for tofu, which has features Terraform lacks (state
	// encryption) and registry host names of its own.
	OpenTofu bool
}

// FindCLI returns the CLI named by TF_ACC_TERRAFORM_PATH, else terraform or tofu
// from PATH, and checks its version. The error says how to get one.
func FindCLI() (CLI, error) {
	path := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if path == "" {
		for _, name := range []string{"terraform", "tofu"} {
			if p, err := exec.LookPath(name); err == nil {
				path = p
				break
			}
		}
	}
	if path == "" {
		return CLI{}, fmt.Errorf("no terraform or tofu on PATH and TF_ACC_TERRAFORM_PATH is not set. %s", HowToGet)
	}
	cmd := exec.Command(path, "version", "-json")
	// OpenTofu prints a warning about a missing CLI configuration file on
	// stdout, ahead of the JSON; an empty configuration avoids it.
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1", "TF_CLI_CONFIG_FILE="+os.DevNull)
	out, err := cmd.Output()
	if err != nil {
		return CLI{}, fmt.Errorf("%s version -json failed: %w. %s", path, err, HowToGet)
	}
	var v struct {
		TerraformVersion string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		return CLI{}, fmt.Errorf("cannot read the version of %s: %w. %s", path, err, HowToGet)
	}
	if !AtLeast(v.TerraformVersion, MinVersion) {
		return CLI{}, fmt.Errorf("%s is version %s; %s or newer is needed. %s", path, v.TerraformVersion, MinVersion, HowToGet)
	}
	cmd = exec.Command(path, "version")
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1", "TF_CLI_CONFIG_FILE="+os.DevNull)
	human, _ := cmd.Output()
	return CLI{Path: path, Version: v.TerraformVersion, OpenTofu: strings.HasPrefix(string(human), "OpenTofu")}, nil
}

// AtLeast compares dotted versions, ignoring pre-release suffixes.
func AtLeast(have, want string) bool {
	h, w := parts(have), parts(want)
	for i := range w {
		if h[i] != w[i] {
			return h[i] > w[i]
		}
	}
	return true
}

func parts(v string) [3]int {
	var out [3]int
	v, _, _ = strings.Cut(strings.TrimPrefix(v, "v"), "-")
	for i, p := range strings.SplitN(v, ".", 3) {
		out[i], _ = strconv.Atoi(p)
	}
	return out
}
