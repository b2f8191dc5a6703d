// Command planbench measures what a plan of unchanged pinterest_oauth_token
// instances costs next to a plan of the same number of a provider resource
// that calls nobody, with an empty journal and with a full one: `make
// bench-plan`. It runs a real CLI against the fake Pinterest, offline.
//
// The baseline is random_string of hashicorp/random, served by this command
// itself as a stand-in with the same schema rules (random.go), since the
// random provider's module is not served here; -baseline names another
// provider binary instead (with -baseline-source and -baseline-resource,
// such as hashicorp/time's time_static). Runs alternate (baseline, ours)
// and the medians are compared.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/journal"
	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
)

const (
	clientID     = "1484362"
	clientSecret = "bench-app-secret-0123456789"
	redirectURI  = "https://etl.example.com/oauth/callback"
)

func main() {
	if os.Getenv(serveEnv) == "random" {
		if err := serveRandom(); err != nil {
			fmt.Fprintln(os.Stderr, "planbench:", err)
			os.Exit(1)
		}
		return
	}
	provider := flag.String("provider", "./terraform-provider-pinterest", "the provider binary")
	baseline := flag.String("baseline", "", "a baseline provider binary (default: this command's random_string stand-in)")
	baselineSource := flag.String("baseline-source", "hashicorp/random", "the baseline provider's source address")
	baselineResource := flag.String("baseline-resource", "random_string", "the baseline resource type")
	instances := flag.Int("instances", 100, "instances of each resource")
	pairs := flag.Int("pairs", 7, "alternating plan pairs per journal size")
	journalFiles := flag.Int("journal-files", 1000, "files in the full journal")
	flag.Parse()
	if err := run(*provider, *baseline, *baselineSource, *baselineResource, *instances, *pairs, *journalFiles); err != nil {
		fmt.Fprintln(os.Stderr, "planbench:", err)
		os.Exit(1)
	}
}

func run(provider, baseline, baselineSource, baselineResource string, instances, pairs, journalFiles int) error {
	cli, err := exec.LookPath("terraform")
	if v := os.Getenv("TF_ACC_TERRAFORM_PATH"); v != "" {
		cli, err = v, nil
	}
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "planbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	abs := func(p string) string { a, _ := filepath.Abs(p); return a }
	extraEnv := []string{}
	if baseline == "" {
		// This command serves the stand-in, under the name the CLI runs.
		self, err := os.Executable()
		if err != nil {
			return err
		}
		baseline = filepath.Join(work, "random", "terraform-provider-random")
		if err := os.MkdirAll(filepath.Dir(baseline), 0o700); err != nil {
			return err
		}
		if err := copyFile(self, baseline); err != nil {
			return err
		}
		extraEnv = append(extraEnv, serveEnv+"=random")
	}
	rc := filepath.Join(work, "terraformrc")
	if err := os.WriteFile(rc, []byte(fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n    %q = %q\n  }\n  direct {}\n}\n",
		"sprighub/pinterest", filepath.Dir(abs(provider)), baselineSource, filepath.Dir(abs(baseline)))), 0o600); err != nil {
		return err
	}
	fake := fakepinterest.Start(fakepinterest.Options{ClientID: clientID, ClientSecret: clientSecret, RedirectURIs: []string{redirectURI}})
	defer fake.Close()
	cache := filepath.Join(work, "journal")
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_INPUT=0",
		"PINTEREST_CLIENT_ID="+clientID, "PINTEREST_CLIENT_SECRET="+clientSecret, "PINTEREST_API_URL="+fake.URL(),
		"PINTEREST_CACHE_DIR="+cache)
	env = append(env, extraEnv...)

	var codes []string
	for i := range instances {
		codes = append(codes, fmt.Sprintf("%q = %q", fmt.Sprint("set", i), fake.IssueCode(redirectURI, "pins:read")))
	}
	ours := filepath.Join(work, "ours")
	base := filepath.Join(work, "baseline")
	if err := write(ours, fmt.Sprintf(`terraform {
  required_providers {
    pinterest = { source = "sprighub/pinterest" }
  }
}
variable "codes" { type = map(string) }
resource "pinterest_oauth_token" "set" {
  for_each           = var.codes
  redirect_uri       = %q
  authorization_code_wo = each.value
}
`, redirectURI), "codes = {\n  "+strings.Join(codes, "\n  ")+"\n}\n"); err != nil {
		return err
	}
	name := baselineSource[strings.LastIndex(baselineSource, "/")+1:]
	if err := write(base, fmt.Sprintf(`terraform {
  required_providers {
    %s = { source = %q }
  }
}
resource %q "set" {
  count = %d
%s}
`, name, baselineSource, baselineResource, instances, baselineArgs(baselineResource)), ""); err != nil {
		return err
	}
	for _, dir := range []string{ours, base} {
		if out, err := tf(cli, dir, env, "apply", "-auto-approve", "-no-color"); err != nil {
			return fmt.Errorf("apply in %s: %w\n%s", dir, err, out)
		}
	}
	fmt.Printf("A plan of %d unchanged instances of each, %d alternating pairs, median wall time (%s); the ratio is\n"+
		"pinterest_oauth_token's over %s's, with the cache (journal) directory as it was before the plans:\n\n",
		instances, pairs, cli, baselineResource)
	fmt.Printf("| cache files | %s | pinterest_oauth_token | ratio |\n|---|---|---|---|\n", baselineResource)
	for _, files := range []int{0, journalFiles} {
		if err := fill(cache, files); err != nil {
			return err
		}
		before := count(cache)
		var theirs, ourTimes []time.Duration
		for range pairs {
			for _, m := range []struct {
				dir string
				to  *[]time.Duration
			}{{base, &theirs}, {ours, &ourTimes}} {
				start := time.Now()
				if out, err := tf(cli, m.dir, env, "plan", "-detailed-exitcode", "-no-color", "-lock=false"); err != nil {
					return fmt.Errorf("plan in %s is not empty (%w):\n%s", m.dir, err, out)
				}
				*m.to = append(*m.to, time.Since(start))
			}
		}
		a, b := median(theirs), median(ourTimes)
		fmt.Printf("| %d | %s | %s | %.2fx |\n", before, a.Round(time.Millisecond), b.Round(time.Millisecond), float64(b)/float64(a))
	}
	if n := fake.Requests(fakepinterest.TokenPath); n != instances {
		return fmt.Errorf("the plans called Pinterest: %d token requests, want the %d exchanges", n, instances)
	}
	return nil
}

// fill leaves the journal with at least files files: entries of another
// app's token sets, each with its index, as other workspaces on a shared
// worker leave them.
func fill(dir string, files int) error {
	if files == 0 { // what the first apply wrote ahead goes too: an empty journal
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				return err
			}
		}
		return nil
	}
	j := &journal.Journal{Dir: dir, TTL: 24 * time.Hour, Binding: journal.Binding("999", sensitive.New("another-app-secret"))}
	for i := 0; count(dir) < files; i++ {
		given := sensitive.New(fmt.Sprintf("pinr_other_%06d_0123456789", i))
		next := sensitive.New(fmt.Sprintf("pinr_next_%06d_0123456789", i))
		if err := j.Put(given, next, []byte(`{"other":"workspace"}`), time.Time{}); err != nil {
			return err
		}
	}
	return nil
}

// serveEnv makes this command serve the random_string stand-in.
const serveEnv = "PLANBENCH_SERVE"

// baselineArgs are the baseline resource's required arguments.
func baselineArgs(resource string) string {
	if resource == "random_string" {
		return "  length = 16\n"
	}
	return ""
}

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o700)
}

func count(dir string) int {
	files, _ := os.ReadDir(dir)
	return len(files)
}

func write(dir, config, tfvars string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if tfvars != "" {
		if err := os.WriteFile(filepath.Join(dir, "terraform.tfvars"), []byte(tfvars), 0o600); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600)
}

func tf(cli, dir string, env []string, args ...string) (string, error) {
	cmd := exec.Command(cli, args...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}
