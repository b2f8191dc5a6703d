// Package tfrun runs a real Terraform or OpenTofu CLI against a provider
// binary installed from a local filesystem mirror, with no network: the
// demo and the end-to-end tests share it.
package tfrun

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/sprighub/terraform-provider-pinterest/internal/mirror"
)

// MirrorVersion is the version the provider is published under in the mirror.
const MirrorVersion = "0.0.1"

// Workspace is a working directory with the environment its CLI runs in.
type Workspace struct {
	CLI string
	Dir string
	Env []string
}

// NewWorkspace creates dir and copies the configuration files of src into it.
func NewWorkspace(cli, dir, src string, env []string) (*Workspace, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	files, err := filepath.Glob(filepath.Join(src, "*.tf"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no configuration in %s (run from the repository root)", src)
	}
	for _, f := range files {
		if err := CopyFile(f, filepath.Join(dir, filepath.Base(f)), 0o600); err != nil {
			return nil, err
		}
	}
	return &Workspace{CLI: cli, Dir: dir, Env: slices.Clone(env)}, nil
}

// With returns a copy of the workspace with more environment variables.
func (w *Workspace) With(env ...string) *Workspace {
	return &Workspace{CLI: w.CLI, Dir: w.Dir, Env: append(slices.Clone(w.Env), env...)}
}

// Run runs the CLI with args and returns its standard output; show, when not
// nil, also receives it as it comes. A failure carries stdout and stderr.
func (w *Workspace) Run(show io.Writer, args ...string) (string, error) {
	cmd := w.Command(args...)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if show != nil {
		cmd.Stdout = io.MultiWriter(&out, show)
	}
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("%s %s: %w\n%s%s", filepath.Base(w.CLI), args[0], err, out.String(), stderr.String())
	}
	return out.String(), nil
}

// Command prepares the CLI with args without running it.
func (w *Workspace) Command(args ...string) *exec.Cmd {
	cmd := exec.Command(w.CLI, args...)
	cmd.Dir, cmd.Env = w.Dir, w.Env
	return cmd
}

// LocalMirror lays providerBin out as a mirror under work and writes a CLI
// configuration that installs sprighub/pinterest from it and nowhere else.
// It returns the CLI configuration's path, for TF_CLI_CONFIG_FILE.
func LocalMirror(work, providerBin string) (string, error) {
	config, err := mirror.Lay(filepath.Join(work, "mirror"), providerBin, MirrorVersion, "")
	if err != nil {
		return "", err
	}
	rc := filepath.Join(work, "terraformrc")
	return rc, os.WriteFile(rc, []byte(config), 0o600)
}

// BaseEnv is the environment every run needs: the mirror's CLI
// configuration, no checkpoint calls and no prompts, and the fake
// Pinterest's loopback address meant.
func BaseEnv(rc string) []string {
	return append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_INPUT=0",
		"PINTEREST_ALLOW_LOOPBACK_API_URL=true")
}

// ReleaseVersion is the version BuildRelease stamps into the binary.
const ReleaseVersion = "9.8.7"

// BuildRelease compiles the provider in repoRoot into dir as
// .goreleaser.yml builds a release (CGO off, its flags and ldflags, with
// ReleaseVersion), so that the end-to-end tests run what ships. The
// ldflags must set main.version: the build fails otherwise.
func BuildRelease(repoRoot, dir string) (string, error) {
	spec, err := os.ReadFile(filepath.Join(repoRoot, ".goreleaser.yml"))
	if err != nil {
		return "", err
	}
	ldflags := regexp.MustCompile(`(?m)^\s*ldflags:\s*\n\s*-\s*"([^"]+)"`).FindSubmatch(spec)
	flags := regexp.MustCompile(`(?m)^\s*flags:\s*\n\s*-\s*(\S+)`).FindSubmatch(spec)
	if ldflags == nil || flags == nil || !strings.Contains(string(ldflags[1]), "main.version={{ .Version }}") {
		return "", errors.New(".goreleaser.yml no longer sets -trimpath-like flags and main.version in its ldflags")
	}
	bin := filepath.Join(dir, "terraform-provider-pinterest_v"+ReleaseVersion)
	cmd := exec.Command("go", "build", string(flags[1]), "-ldflags", strings.ReplaceAll(string(ldflags[1]), "{{ .Version }}", ReleaseVersion), "-o", bin, ".")
	cmd.Dir = repoRoot
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the provider as goreleaser does: %w\n%s", err, out)
	}
	return bin, nil
}

// BuildProvider compiles the provider in repoRoot into dir.
func BuildProvider(repoRoot, dir string) (string, error) {
	bin := filepath.Join(dir, "terraform-provider-pinterest")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = repoRoot
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the provider: %w\n%s", err, out)
	}
	return bin, nil
}

// ManagedTokens returns the values the state holds by design: the
// access_token and refresh_token of every pinterest_oauth_token and the token
// of every pinterest_conversion_token, each only under its own attribute.
// Leak checks allow these and nothing else the fake issued.
func ManagedTokens(state []byte) (map[string]bool, error) {
	out := map[string]bool{}
	for typ, attrs := range map[string][]string{
		"pinterest_oauth_token":      {"access_token", "refresh_token"},
		"pinterest_conversion_token": {"token"},
	} {
		instances, err := Instances(state, typ)
		if err != nil {
			return nil, err
		}
		for _, inst := range instances {
			for _, k := range attrs {
				if s, ok := inst[k].(string); ok {
					out[s] = true
				}
			}
		}
	}
	return out, nil
}

// Instances returns the attributes of every instance of the resources of
// type typ in a state file.
func Instances(state []byte, typ string) ([]map[string]any, error) {
	var st struct {
		Resources []struct {
			Type      string `json:"type"`
			Instances []struct {
				Attributes map[string]any `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(state, &st); err != nil {
		return nil, fmt.Errorf("reading the state: %w", err)
	}
	var out []map[string]any
	for _, r := range st.Resources {
		if r.Type == typ {
			for _, in := range r.Instances {
				out = append(out, in.Attributes)
			}
		}
	}
	return out, nil
}

// configFence is a Markdown code block of Terraform configuration.
var configFence = regexp.MustCompile("(?s)```(?:hcl|terraform)\n(.*?)```")

// WithoutTerraformBlock drops a configuration's top-level terraform block:
// the example files name the registry's provider sources and versions, and
// a test serves the providers itself (in process, as hashicorp/<name>, or
// from its own mirror under a header of its own), which they cannot match.
func WithoutTerraformBlock(src string) string {
	var out []string
	skipping := false
	for _, line := range strings.Split(src, "\n") {
		switch {
		case strings.HasPrefix(line, "terraform {"):
			skipping = true
		case skipping && line == "}":
			skipping = false
		case !skipping:
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

// ConfigBlocks returns the configuration blocks (```hcl and ```terraform)
// of a Markdown text, in order: what a reader copies from the README and
// the docs.
func ConfigBlocks(markdown string) []string {
	var out []string
	for _, m := range configFence.FindAllStringSubmatch(markdown, -1) {
		out = append(out, m[1])
	}
	return out
}

// Section is a Markdown section's heading and the configuration blocks it
// shows, in order.
type Section struct {
	Heading string
	Blocks  []string
}

var headingLine = regexp.MustCompile(`(?m)^#{1,6} .*$`)

// ConfigSections returns the sections of a Markdown text that show
// configuration blocks, each with all of its blocks: a test finds what it
// runs by heading, whatever the number of blocks.
func ConfigSections(markdown string) []Section {
	var out []Section
	starts := headingLine.FindAllStringIndex(markdown, -1)
	starts = append(starts, []int{len(markdown), len(markdown)})
	if starts[0][0] > 0 {
		starts = append([][]int{{0, 0}}, starts...)
	}
	for i := 0; i+1 < len(starts); i++ {
		body := markdown[starts[i][1]:starts[i+1][0]]
		if blocks := ConfigBlocks(body); len(blocks) > 0 {
			out = append(out, Section{Heading: markdown[starts[i][0]:starts[i][1]], Blocks: blocks})
		}
	}
	return out
}

// Leaked returns the secrets that text holds although allowed does not
// permit them there. Every leak check uses it, so "a leak" means one thing.
func Leaked(text string, secrets []string, allowed map[string]bool) []string {
	var leaked []string
	for _, s := range secrets {
		if s != "" && !allowed[s] && strings.Contains(text, s) {
			leaked = append(leaked, s)
		}
	}
	return leaked
}

// CopyFile copies src to dst with mode.
func CopyFile(src, dst string, mode os.FileMode) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, mode)
}
