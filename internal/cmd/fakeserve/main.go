// Command fakeserve runs the fake Pinterest (package fakepinterest, the one
// every test and the demo use) on a loopback port until interrupted, so that
// a team can get a code with authorize, run an apply and test its own reader
// of the store against it. `make fake` runs it.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "loopback address to listen on (port 0: a free one)")
	clientID := flag.String("client-id", "1484362", "the app id the fake registers")
	redirect := flag.String("redirect-uri", "http://localhost:8085/", "the redirect URI registered on the app")
	accessTTL := flag.Duration("access-token-ttl", 30*24*time.Hour, "lifetime of the access tokens it issues (Pinterest's: 720h); 168h2m makes an apply 2 minutes after the exchange rotate, as the daily schedule does on day 23")
	flag.Parse()
	if err := run(*addr, *clientID, *redirect, *accessTTL); err != nil {
		fmt.Fprintln(os.Stderr, "fakeserve:", err)
		os.Exit(1)
	}
}

func run(addr, clientID, redirect string, accessTTL time.Duration) error {
	host, _, err := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("-addr %q must be a loopback IP and port, such as 127.0.0.1:8086", addr)
	}
	if accessTTL < time.Minute || accessTTL > 30*24*time.Hour {
		return fmt.Errorf("-access-token-ttl %s must be between 1m and 720h (Pinterest's)", accessTTL)
	}
	secret := make([]byte, 16)
	_, _ = rand.Read(secret)
	fake := fakepinterest.New(fakepinterest.Options{ClientID: clientID, ClientSecret: "fake-" + hex.EncodeToString(secret),
		RedirectURIs: []string{redirect}, AccessTokenTTL: accessTTL})
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s (%w); pick another with ADDR=127.0.0.1:<port>", addr, err)
	}
	base := "http://" + l.Addr().String()
	// Trial runs keep their tokens out of the real cache directory.
	cache, err := os.MkdirTemp("", "pinterest-fake-cache-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(cache)
	// The authorize line must work from any directory: the configuration
	// lives elsewhere than the clone.
	provider, note := "terraform-provider-pinterest", "  (No provider binary here or on PATH: run make build in the clone, and call it by its path.)\n"
	if abs, err := filepath.Abs("terraform-provider-pinterest"); err == nil {
		if _, err := os.Stat(abs); err == nil {
			provider, note = abs, ""
		}
	}
	if note != "" {
		if _, err := exec.LookPath(provider); err == nil {
			note = "" // make install put it on PATH
		}
	}
	// An https redirect URI is an approver elsewhere: the browser's address
	// is pasted back, and a browser here would not reach that site.
	open := "open the printed URL in a browser, or with curl -sL from a second terminal"
	if strings.HasPrefix(redirect, "https://") {
		open = "open the printed URL from a second terminal with curl -s -o /dev/null -w '%{redirect_url}\\n' '<URL>', and paste what it prints"
	}
	srv := &http.Server{Handler: logRequests(fake, os.Stderr), ReadHeaderTimeout: 10 * time.Second}
	fmt.Print(strings.NewReplacer("{base}", base, "{id}", clientID, "{secret}", "fake-"+hex.EncodeToString(secret), "{redirect}", redirect,
		"{cache}", cache, "{provider}", provider, "{note}", note, "{ttl}", accessTTL.String(), "{open}", open).Replace(`
Fake Pinterest on {base}: single-use codes (10 minutes), access tokens that last {ttl}, strict rotation, Pinterest's
error bodies. Ctrl-C stops it and forgets everything.

Start a shell of its own for the trial, and exit it when you are done: its settings leave with it, so that no later
run sends an app secret to whoever listens on this port next.

  env PINTEREST_API_URL={base} PINTEREST_CLIENT_ID={id} \
    PINTEREST_CLIENT_SECRET={secret} PINTEREST_CACHE_DIR={cache} \
    PINTEREST_ALLOW_LOOPBACK_API_URL=true "${SHELL:-sh}"

A code, straight into an apply (the fake approves at once; {open}),
in the configuration's directory (with dev_overrides, no terraform init):

  ( code="$({provider} authorize -no-browser -consent-url {base}/oauth/ \
      -redirect-uri {redirect} -scopes boards:read,pins:read,user_accounts:read)" \
    && TF_VAR_authorization_code="$code" terraform apply )
{note}
The configuration is README step 2's, in a directory of its own; its redirect_uri must be {redirect}. Your reader calls
{base}/v5/user_account with the document's access_token as a bearer token.
`))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
	}()
	if err := srv.Serve(l); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// logRequests prints a line per request: when, the method, the path and the
// status. Never the query or the body, which hold codes and tokens, and no
// header.
func logRequests(next http.Handler, w io.Writer) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: rw, status: http.StatusOK}
		start := time.Now()
		next.ServeHTTP(rec, r)
		fmt.Fprintf(w, "%s %s %s -> %d (%s)\n", start.Format("15:04:05"), r.Method, r.URL.Path, rec.status, time.Since(start).Round(time.Millisecond))
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}
