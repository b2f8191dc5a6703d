package e2e

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/sprighub/terraform-provider-pinterest/internal/fakepinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/tfrun"
)

// authorizeRun is the built binary's authorize command, running.
type authorizeRun struct {
	cmd            *exec.Cmd
	stdout, stderr *bytes.Buffer
	consentURL     string
	stderrDone     chan struct{} // closed when standard error is read to its end
}

// freeLoopbackURI returns a redirect URI on a loopback port nothing uses.
func freeLoopbackURI(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return "http://" + l.Addr().String() + "/callback"
}

// startAuthorize starts the command and waits for the consent URL, which it
// prints on a line of its own on standard error.
func startAuthorize(t *testing.T, args ...string) *authorizeRun {
	t.Helper()
	r := &authorizeRun{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, stderrDone: make(chan struct{})}
	r.cmd = exec.Command(providerBin, append([]string{"authorize", "-no-browser"}, args...)...)
	r.cmd.Stdout = r.stdout
	pipe, err := r.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.cmd.Process.Kill() })
	found := make(chan string, 1)
	go func() {
		defer close(r.stderrDone)
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			line := sc.Text()
			r.stderr.WriteString(line + "\n") // read only after Wait
			if strings.HasPrefix(line, "http") {
				select {
				case found <- line:
				default:
				}
			}
		}
	}()
	select {
	case r.consentURL = <-found:
	case <-time.After(10 * time.Second):
		t.Fatal("the command printed no consent URL")
	}
	return r
}

func (r *authorizeRun) wait(t *testing.T) int {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		<-r.stderrDone // Wait closes the pipe: read it to the end first
		done <- r.cmd.Wait()
	}()
	select {
	case err := <-done:
		if err == nil {
			return 0
		}
		if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
			return ee.ExitCode()
		}
		t.Fatal(err)
	case <-time.After(20 * time.Second):
		t.Fatal("the command did not exit")
	}
	return -1
}

// get does what a browser does with a URL: follow redirects, read the page.
func get(t *testing.T, u string) int {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

// TestAuthorize drives the built binary's authorize command against the fake
// Pinterest, the way a person's browser would.
func TestAuthorize(t *testing.T) {
	requireCLI(t)
	redirect := freeLoopbackURI(t)
	fake := fakepinterest.Start(fakepinterest.Options{ClientID: clientID, ClientSecret: clientSecret, RedirectURIs: []string{redirect}})
	defer fake.Close()
	consentPage := fake.URL() + fakepinterest.ConsentPath
	base := []string{"-client-id", clientID, "-redirect-uri", redirect, "-scopes", "boards:read,pins:read", "-consent-url", consentPage}

	t.Run("the whole flow", func(t *testing.T) {
		start := time.Now()
		stdout, stderr, err := tfrun.AuthorizeAsBrowser(providerBin, base...)
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
		client, err := pinterest.NewClient(pinterest.Options{APIURL: fake.URL(), ClientID: clientID, ClientSecret: pinterest.NewSecret(clientSecret)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := client.Exchange(context.Background(), pinterest.NewSecret(code), redirect, true); err != nil {
			t.Fatalf("the captured code does not exchange: %v", err)
		}
		if _, err := client.Exchange(context.Background(), pinterest.NewSecret(code), redirect, true); err == nil {
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
		if code := r.wait(t); code != 0 || strings.Contains(r.stdout.String(), "planted") || r.stdout.Len() == 0 ||
			!strings.Contains(r.stderr.String(), "state did not match") {
			t.Fatalf("exit %d, stdout %d bytes, stderr:\n%s", code, r.stdout.Len(), r.stderr)
		}
	})

	t.Run("a forged state only", func(t *testing.T) {
		r := startAuthorize(t, append(base, "-timeout", "2s")...)
		get(t, redirect+"?code=planted&state=forged")
		if code := r.wait(t); code != 1 || r.stdout.Len() != 0 || !strings.Contains(r.stderr.String(), "no redirect with the state sent") {
			t.Fatalf("exit %d, %d bytes on stdout, stderr:\n%s", code, r.stdout.Len(), r.stderr)
		}
	})

	t.Run("access denied on the consent page", func(t *testing.T) {
		r := startAuthorize(t, base...)
		u, _ := url.Parse(r.consentURL)
		state := u.Query().Get("state")
		get(t, redirect+"?error=access_denied&state="+url.QueryEscape(state))
		if code := r.wait(t); code != 1 || r.stdout.Len() != 0 || !strings.Contains(r.stderr.String(), "not granted on Pinterest's consent page: access_denied") {
			t.Fatalf("exit %d, %d bytes on stdout, stderr:\n%s", code, r.stdout.Len(), r.stderr)
		}
	})

	t.Run("no redirect in time", func(t *testing.T) {
		r := startAuthorize(t, append(base, "-timeout", "1s")...)
		if code := r.wait(t); code != 1 || r.stdout.Len() != 0 || !strings.Contains(r.stderr.String(), "no redirect reached") {
			t.Fatalf("exit %d, stderr:\n%s", code, r.stderr)
		}
	})

	for name, tc := range map[string]struct {
		args []string
		want string
	}{
		"a redirect URI that is not loopback": {[]string{"-client-id", clientID, "-redirect-uri", "https://etl.example.com/oauth/callback", "-scopes", "pins:read"}, "only listens on this machine"},
		"an unknown scope":                    {[]string{"-client-id", clientID, "-redirect-uri", redirect, "-scopes", "pins:read,pins:reed"}, `"pins:reed" is not a Pinterest API v5 scope`},
	} {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			cmd := exec.Command(providerBin, append([]string{"authorize", "-no-browser"}, tc.args...)...)
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
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err = cmd.Run()
		if ee := (*exec.ExitError)(nil); !errors.As(err, &ee) || ee.ExitCode() != 2 || !strings.Contains(stderr.String(), "cannot listen on") {
			t.Fatalf("exit %v, stderr: %s", err, stderr.String())
		}
	})
}
