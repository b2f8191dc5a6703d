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
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sprighub/terraform-provider-pinterest/internal/fakepinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/tfcli"
	"github.com/sprighub/terraform-provider-pinterest/internal/tfrun"
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
	cli, err := tfcli.Find()
	if err != nil {
		return err
	}
	if _, err := os.Stat(providerBin); err != nil {
		return fmt.Errorf("provider binary not found (run `make build` first): %w", err)
	}
	name := filepath.Base(cli.Path) // terraform or tofu
	step("Using %s %s and the provider at %s", name, cli.Version, providerBin)

	// The app's redirect URI is a listener of ours, as in Pinterest's
	// quickstart, so the consent step is a real browser-style round trip.
	callback, err := newCallbackListener()
	if err != nil {
		return err
	}
	defer callback.close()
	secret := randomHex(16)
	fake := fakepinterest.Start(fakepinterest.Options{
		ClientID: clientID, ClientSecret: secret, RedirectURIs: []string{callback.uri},
	})
	defer fake.Close()
	step("Fake Pinterest listening on %s; app %s with redirect URI %s", fake.URL(), clientID, callback.uri)

	code, err := consent(fake, callback)
	if err != nil {
		return err
	}
	step("Consent approved; got a code (valid 10 minutes, single use), passed to Terraform as an ephemeral variable")

	// A CI job's secret store already holds a token document, from a
	// consent done once and a bootstrap apply (see the ephemeral resource's
	// docs); a second consent and exchange stand in for that.
	step("A second consent, for the CI job's own token set")
	ciCode, err := consent(fake, callback)
	if err != nil {
		return err
	}
	client, err := pinterest.NewClient(pinterest.Options{APIURL: fake.URL(), ClientID: clientID, ClientSecret: pinterest.Secret(secret)})
	if err != nil {
		return err
	}
	ciTokens, err := client.Exchange(context.Background(), pinterest.Secret(ciCode), callback.uri, true)
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
	etl, err := tfrun.NewWorkspace(cli.Path, filepath.Join(work, "etl"), filepath.Join(examples, "etl"), append(env, "TF_VAR_redirect_uri="+callback.uri))
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

// consent opens the consent URL as a browser would and returns the code the
// redirect carried, after checking the state came back unchanged.
func consent(fake *fakepinterest.Server, cb *callbackListener) (string, error) {
	state := randomHex(12)
	consentURL := pinterest.AuthorizationURL(fake.URL()+fakepinterest.ConsentPath, clientID, cb.uri, scopes, state)
	step("Opening the consent URL (what provider::pinterest::authorization_url builds, here on the fake):\n    %s", consentURL)
	resp, err := http.Get(consentURL)
	if err != nil {
		return "", fmt.Errorf("consent: %w", err)
	}
	resp.Body.Close()
	select {
	case got := <-cb.results:
		if got.Get("state") != state {
			return "", errors.New("consent: state did not come back unchanged")
		}
		return got.Get("code"), nil
	case <-time.After(10 * time.Second):
		return "", errors.New("consent: no redirect reached the callback")
	}
}

type callbackListener struct {
	uri     string
	results chan url.Values
	srv     *http.Server
}

func newCallbackListener() (*callbackListener, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	cb := &callbackListener{uri: "http://" + l.Addr().String() + "/callback", results: make(chan url.Values, 1)}
	cb.srv = &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cb.results <- r.URL.Query()
		fmt.Fprintln(w, "Pinterest access approved; you can close this window.")
	})}
	go func() { _ = cb.srv.Serve(l) }()
	return cb, nil
}

func (cb *callbackListener) close() { _ = cb.srv.Close() }

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
