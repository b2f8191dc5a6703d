package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/tfrun"
	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
)

// authorizeRun is the built binary's authorize command, running, with what
// it printed once it has exited.
type authorizeRun struct {
	*tfrun.AuthorizeRun
	consentURL     string
	stdout, stderr string
}

// startAuthorize starts the command and waits for its consent URL.
func startAuthorize(t *testing.T, args ...string) *authorizeRun {
	t.Helper()
	r, err := tfrun.StartAuthorize(providerBin, []string{"PINTEREST_CLIENT_SECRET=" + clientSecret}, args...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Kill)
	return &authorizeRun{AuthorizeRun: r, consentURL: r.ConsentURL}
}

// wait returns the command's exit code.
func (r *authorizeRun) wait(t *testing.T) int {
	t.Helper()
	var err error
	r.stdout, r.stderr, err = r.Wait(20 * time.Second)
	if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0
}

// get does what a browser does with a URL.
func get(t *testing.T, u string) int {
	t.Helper()
	status, err := tfrun.Browse(u)
	if err != nil {
		t.Fatal(err)
	}
	return status
}

// TestAuthorize drives the built binary's authorize command against the fake
// Pinterest, the way a person's browser would.
func TestAuthorize(t *testing.T) {
	requireCLI(t)
	redirect, err := tfrun.FreeLoopbackURI()
	if err != nil {
		t.Fatal(err)
	}
	fake := fakepinterest.Start(fakepinterest.Options{ClientID: clientID, ClientSecret: clientSecret, RedirectURIs: []string{redirect}})
	defer fake.Close()
	consentPage := fake.URL() + fakepinterest.ConsentPath
	base := []string{"-client-id", clientID, "-redirect-uri", redirect, "-scopes", "boards:read,pins:read", "-consent-url", consentPage}

	t.Run("the whole flow", func(t *testing.T) {
		start := time.Now()
		stdout, stderr, err := tfrun.AuthorizeAsBrowser(providerBin, []string{"PINTEREST_CLIENT_SECRET=" + clientSecret}, base...)
		took := time.Since(start)
		if err != nil {
			t.Fatalf("%v\n%s", err, stderr)
		}
		code := strings.TrimSuffix(stdout, "\n")
		if code == "" || strings.ContainsAny(code, "\n ") {
			t.Fatalf("standard output is not the code alone (%d bytes)", len(stdout))
		}
		if strings.Contains(stderr, code) {
			t.Fatal("the code appears on standard error")
		}
		client, err := pinterest.NewClient(pinterest.Options{APIURL: fake.URL(), ClientID: clientID, ClientSecret: sensitive.New(clientSecret)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := client.Exchange(context.Background(), sensitive.New(code), redirect, true); err != nil {
			t.Fatalf("the captured code does not exchange: %v", err)
		}
		if _, err := client.Exchange(context.Background(), sensitive.New(code), redirect, true); err == nil {
			t.Fatal("the code exchanged twice")
		}
		t.Logf("authorize: code on standard output %s after start; standard error was:\n%s", took.Round(time.Millisecond),
			strings.ReplaceAll(stderr, code, "<code>"))
	})

	t.Run("a forged state, then the real redirect", func(t *testing.T) {
		// Any page the person has open can send the browser to the
		// redirect URI: it is refused, and the real approval still works.
		r := startAuthorize(t, base...)
		if status := get(t, redirect+"?code=planted&state=forged"); status != http.StatusBadRequest {
			t.Errorf("the forged request got HTTP %d, want 400", status)
		}
		get(t, r.consentURL)
		if code := r.wait(t); code != 0 || strings.Contains(r.stdout, "planted") || len(r.stdout) == 0 ||
			!strings.Contains(r.stderr, "state did not match") {
			t.Fatalf("exit %d, stdout %d bytes, stderr:\n%s", code, len(r.stdout), r.stderr)
		}
	})

	t.Run("a forged state only", func(t *testing.T) {
		r := startAuthorize(t, append(base, "-timeout", "2s")...)
		get(t, redirect+"?code=planted&state=forged")
		if code := r.wait(t); code != 1 || len(r.stdout) != 0 || !strings.Contains(r.stderr, "no redirect with the state sent") {
			t.Fatalf("exit %d, %d bytes on stdout, stderr:\n%s", code, len(r.stdout), r.stderr)
		}
	})

	t.Run("access denied on the consent page", func(t *testing.T) {
		r := startAuthorize(t, base...)
		u, _ := url.Parse(r.consentURL)
		state := u.Query().Get("state")
		get(t, redirect+"?error=access_denied&state="+url.QueryEscape(state))
		if code := r.wait(t); code != 1 || len(r.stdout) != 0 || !strings.Contains(r.stderr, "not granted on Pinterest's consent page: access_denied") {
			t.Fatalf("exit %d, %d bytes on stdout, stderr:\n%s", code, len(r.stdout), r.stderr)
		}
	})

	t.Run("no redirect in time", func(t *testing.T) {
		r := startAuthorize(t, append(base, "-timeout", "1s")...)
		if code := r.wait(t); code != 1 || len(r.stdout) != 0 || !strings.Contains(r.stderr, "no redirect reached") {
			t.Fatalf("exit %d, stderr:\n%s", code, r.stderr)
		}
	})

	for name, tc := range map[string]struct {
		args []string
		want string
	}{
		"http to another host": {[]string{"-client-id", clientID, "-redirect-uri", "http://etl.example.com/oauth/callback", "-scopes", "pins:read"}, "nor https to another host"},
		"an unknown scope":     {[]string{"-client-id", clientID, "-redirect-uri", redirect, "-scopes", "pins:read,pins:reed"}, `"pins:reed" is not a Pinterest API v5 scope`},
	} {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			cmd := exec.Command(providerBin, append([]string{"authorize", "-no-browser"}, tc.args...)...)
			cmd.Env = append(os.Environ(), "PINTEREST_CLIENT_SECRET="+clientSecret)
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			ee := (*exec.ExitError)(nil)
			if !errors.As(err, &ee) || ee.ExitCode() != 2 || stdout.Len() != 0 || !strings.Contains(stderr.String(), tc.want) {
				t.Fatalf("exit %v, stderr: %s", err, stderr.String())
			}
		})
	}

	t.Run("a port in use", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		var stdout, stderr bytes.Buffer
		cmd := exec.Command(providerBin, "authorize", "-no-browser", "-client-id", clientID, "-scopes", "pins:read",
			"-redirect-uri", fmt.Sprintf("http://%s/callback", l.Addr()))
		cmd.Env = append(os.Environ(), "PINTEREST_CLIENT_SECRET="+clientSecret)
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err = cmd.Run()
		if ee := (*exec.ExitError)(nil); !errors.As(err, &ee) || ee.ExitCode() != 2 || !strings.Contains(stderr.String(), "cannot listen on") {
			t.Fatalf("exit %v, stderr: %s", err, stderr.String())
		}
	})
}
