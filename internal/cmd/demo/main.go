// Command demo runs the provider through a real `terraform apply` against the
// built-in fake Pinterest: it walks the consent step as a browser would,
// applies examples/demo, shows what came back (never a secret), checks that
// the state holds no ephemeral value, and shows that a second apply plans no
// change. Run it with `make demo`.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/tfrun"
	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
)

const (
	clientID = "1484362"
)

var scopes = []string{"boards:read", "pins:read", "user_accounts:read"}

func main() {
	providerBin := flag.String("provider", "./terraform-provider-pinterest", "the provider binary built by `make build`")
	examples := flag.String("examples", "examples/demo", "the directory holding the demo configurations")
	keep := flag.Bool("keep", false, "keep the working directory for inspection")
	flag.Parse()
	if err := run(*providerBin, *examples, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "\ndemo failed:", err)
		os.Exit(1)
	}
}

func run(providerBin, examples string, keep bool) error {
	cli, err := tfrun.FindCLI()
	if err != nil {
		return err
	}
	if _, err := os.Stat(providerBin); err != nil {
		return fmt.Errorf("provider binary not found (run `make build` first): %w", err)
	}
	name := filepath.Base(cli.Path) // terraform or tofu
	step("Using %s %s and the provider at %s", name, cli.Version, providerBin)

	// The app's redirect URI is a loopback one, as in Pinterest's
	// quickstart: the provider's authorize command listens on it.
	redirectURI, err := tfrun.FreeLoopbackURI()
	if err != nil {
		return err
	}
	secret := randomHex(16)
	fake := fakepinterest.Start(fakepinterest.Options{
		ClientID: clientID, ClientSecret: secret, RedirectURIs: []string{redirectURI},
	})
	defer fake.Close()
	step("Fake Pinterest listening on %s; app %s with redirect URI %s", fake.URL(), clientID, redirectURI)

	code, err := consent(providerBin, fake, redirectURI, secret)
	if err != nil {
		return err
	}
	step("Consent approved; the code (valid 10 minutes, single use) went from the command's standard output straight " +
		"into TF_VAR_authorization_code: nothing was copied")

	// A CI job's secret store already holds a token document, from a
	// consent done once and a bootstrap apply (see the ephemeral resource's
	// docs); a second consent and exchange stand in for that.
	step("A second consent, for the CI job's own token set")
	ciCode, err := consent(providerBin, fake, redirectURI, secret)
	if err != nil {
		return err
	}
	client, err := pinterest.NewClient(pinterest.Options{APIURL: fake.URL(), ClientID: clientID, ClientSecret: sensitive.New(secret)})
	if err != nil {
		return err
	}
	ciTokens, err := client.Exchange(context.Background(), sensitive.New(ciCode), redirectURI, true)
	if err != nil {
		return err
	}

	work, err := os.MkdirTemp("", "pinterest-demo-")
	if err != nil {
		return err
	}
	if keep {
		step("Working directory kept at %s", work)
	} else {
		defer os.RemoveAll(work)
	}
	// terraform init installs the provider from a local mirror, as in an
	// air-gapped organisation: a real init, with no network and no registry.
	rc, err := tfrun.LocalMirror(work, providerBin)
	if err != nil {
		return err
	}
	env := append(tfrun.BaseEnv(rc),
		// The refresh cache of this demo's own, not the user's.
		"XDG_CACHE_HOME="+filepath.Join(work, "cache"),
		"PINTEREST_CLIENT_ID="+clientID,
		"PINTEREST_CLIENT_SECRET="+secret,
		"PINTEREST_API_URL="+fake.URL(),
	)
	show := &indented{w: os.Stdout}

	// The ETL team's token set: exchange, outputs, then an apply that
	// changes nothing.
	etl, err := tfrun.NewWorkspace(cli.Path, filepath.Join(work, "etl"), filepath.Join(examples, "etl"), append(env, "TF_VAR_redirect_uri="+redirectURI))
	if err != nil {
		return err
	}
	step("%s init (installs the provider from a local mirror: no network)", name)
	if _, err := etl.Run(nil, "init", "-no-color"); err != nil {
		return err
	}
	step("%s apply: exchange the code for the ETL token set", name)
	// The code travels in the environment: Terraform logs -var values.
	if _, err := etl.With("TF_VAR_authorization_code="+code).Run(show, "apply", "-auto-approve", "-no-color"); err != nil {
		return err
	}
	out, err := etl.Run(nil, "output", "-json")
	if err != nil {
		return err
	}
	if err := showOutputs(out); err != nil {
		return err
	}
	if err := checkState(etl.Dir, fake, true); err != nil {
		return err
	}
	step("%s apply again: nothing should change", name)
	second, err := etl.Run(show, "apply", "-auto-approve", "-no-color")
	if err != nil {
		return err
	}
	if !strings.Contains(second, "No changes.") {
		return errors.New("the second apply planned changes; it must not")
	}

	if err := runCIJob(cli.Path, work, examples, env, fake, ciTokens, show); err != nil {
		return err
	}

	step("%s destroy (forgets the ETL tokens; they stay valid at Pinterest until they expire)", name)
	if _, err := etl.Run(nil, "destroy", "-auto-approve", "-no-color"); err != nil {
		return err
	}

	fmt.Println("\n✔ Demo succeeded: code exchanged through a real " + name + " apply, second apply showed no changes; the CI job ran 5 times, " +
		"refreshed only when due, recovered from a failed write-back, kept every ephemeral value out of state and never lost the newest refresh token.")
	return nil
}

func step(format string, args ...any) { fmt.Printf("\n==> "+format+"\n", args...) }

// consent runs the provider's authorize command against the fake, and
// plays the browser: the command prints the consent URL, the "browser" opens
// it, the fake approves and redirects to the command's listener, and the
// command prints the code alone on standard output.
func consent(providerBin string, fake *fakepinterest.Server, redirectURI, secret string) (string, error) {
	args := []string{"-client-id", clientID, "-redirect-uri", redirectURI, "-scopes", strings.Join(scopes, ","),
		"-consent-url", fake.URL() + fakepinterest.ConsentPath}
	step("terraform-provider-pinterest authorize %s", strings.Join(args, " "))
	// The secret is in the environment, as for the apply that follows.
	stdout, stderr, err := tfrun.AuthorizeAsBrowser(providerBin, []string{"PINTEREST_CLIENT_SECRET=" + secret}, args...)
	code := strings.TrimSpace(stdout)
	if err != nil || code == "" {
		return "", fmt.Errorf("authorize: %w\n%s", err, stderr)
	}
	// What a person sees on the terminal; the code is not in it.
	for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
		fmt.Println("    " + line)
	}
	return code, nil
}

// indented shows the CLI's output set in from the demo's own lines.
type indented struct{ w io.Writer }

func (i *indented) Write(p []byte) (int, error) {
	for _, line := range strings.SplitAfter(string(p), "\n") {
		if line != "" {
			fmt.Fprint(i.w, "    "+line)
		}
	}
	return len(p), nil
}

func showOutputs(raw string) error {
	var outs map[string]struct {
		Value     any  `json:"value"`
		Sensitive bool `json:"sensitive"`
	}
	if err := json.Unmarshal([]byte(raw), &outs); err != nil {
		return err
	}
	step("Outputs that came back (no secrets among them):")
	for _, name := range []string{"token_set_id", "scopes", "access_token_expires_at", "refresh_token_expires_at"} {
		fmt.Printf("    %-26s %v\n", name, outs[name].Value)
	}
	return nil
}

// checkState shows that the state holds no secret the fake issued but the
// managed token set: no code, no client secret, no ephemeral token.
func checkState(work string, fake *fakepinterest.Server, managed bool) error {
	raw, err := os.ReadFile(filepath.Join(work, "terraform.tfstate"))
	if err != nil {
		return err
	}
	expected, err := tfrun.ManagedTokens(raw)
	if err != nil {
		return err
	}
	issued := fake.IssuedSecrets()
	if leaked := tfrun.Leaked(string(raw), issued, expected); len(leaked) > 0 {
		return fmt.Errorf("the state holds %d secret(s) it must not hold", len(leaked))
	}
	if managed {
		step("State checked against all %d secrets the fake issued: only the managed token set (sensitive) is there; no code, no client secret", len(issued))
	} else {
		step("State checked against all %d secrets the fake issued: none is there; the ephemeral token never reached it", len(issued))
	}
	return nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
