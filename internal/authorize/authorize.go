// Package authorize is the `terraform-provider-pinterest authorize` command:
// it builds the consent URL, listens on the app's loopback redirect URI,
// lets a person approve in the browser, checks the state that comes back,
// and prints the authorization code alone on standard output, so that
//
//	code="$(terraform-provider-pinterest authorize ...)" && TF_VAR_authorization_code="$code" terraform apply
//
// exchanges it with no copy and paste. Pinterest's own quickstart catches the
// redirect the same way. The code never appears on standard error or in a
// log: standard error carries the consent URL and what went wrong.
//
// An approver who is not at this machine (a client of an agency) gets the
// consent URL sent, approves, and is redirected to a page on the operator's
// own site (an https redirect URI); the address that browser was sent to
// comes back, is pasted on standard input, and is checked here as the
// listener checks a redirect: the redirect URI's address, the state sent.
package authorize

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"time"
	"unicode"

	"golang.org/x/term"

	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
)

// Exit codes: 0 a code was printed; 1 the flow failed (refused, forged
// state, timeout); 2 the command line was wrong, nothing was started.
const (
	exitOK      = 0
	exitFailed  = 1
	exitUsage   = 2
	defaultWait = 10 * time.Minute // an authorization code's own lifetime
)

// Env reads the environment; tests give their own.
type Env func(string) string

// Options are the parsed command line.
type Options struct {
	ClientID    string
	RedirectURI string
	Scopes      []string
	ConsentURL  string
	Timeout     time.Duration
	NoBrowser   bool
	State       string
	// NoSecretCheck skips the check that the app secret the apply will
	// need is in the environment (the apply runs elsewhere, or takes it
	// from its provider block).
	NoSecretCheck bool
	// Paste reads the redirected address from standard input instead of
	// listening: the approver's browser is on another machine. An https
	// redirect URI implies it.
	Paste bool
}

// Main runs the command with args (after "authorize") and returns the exit
// code. openBrowser, when nil, uses the system's opener.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, env Env, openBrowser func(string) error) int {
	opts, err := Parse(args, env, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintln(stderr, "authorize:", err)
		return exitUsage
	}
	if openBrowser == nil {
		openBrowser = systemBrowser
	}
	var code string
	if opts.Paste {
		code, err = Paste(ctx, opts, stdin, stderr)
	} else {
		code, err = Run(ctx, opts, stderr, openBrowser)
	}
	if err != nil {
		fmt.Fprintln(stderr, "authorize:", err)
		var usage *usageError
		if errors.As(err, &usage) {
			return exitUsage
		}
		return exitFailed
	}
	fmt.Fprintln(stdout, code)
	return exitOK
}

// usageError is a problem with what was asked, found before anything ran.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// minStateLen is the shortest -state accepted.
const minStateLen = 16

// Parse reads the command line and checks it before anything listens.
func Parse(args []string, env Env, stderr io.Writer) (Options, error) {
	fs := flag.NewFlagSet("terraform-provider-pinterest authorize", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o Options
	var scopes string
	fs.StringVar(&o.ClientID, "client-id", "", "the Pinterest app id (default: $PINTEREST_CLIENT_ID, else $PINTEREST_APP_ID)")
	fs.StringVar(&o.RedirectURI, "redirect-uri", "", "the app's registered redirect URI (required): loopback, such as http://localhost:8085/, to catch\n"+
		"the redirect here, or https on your site, such as https://agency.example.com/pinterest/callback, for an approver elsewhere")
	fs.StringVar(&scopes, "scopes", "", "comma-separated scopes to ask for, such as boards:read,pins:read (required)")
	fs.StringVar(&o.ConsentURL, "consent-url", pinterest.ConsentURL, "Pinterest's consent page")
	fs.DurationVar(&o.Timeout, "timeout", defaultWait, "how long to wait for the approval")
	fs.BoolVar(&o.NoBrowser, "no-browser", false, "print the consent URL without opening a browser")
	fs.BoolVar(&o.NoSecretCheck, "no-secret-check", false, "do not check that PINTEREST_CLIENT_SECRET is set for the apply that follows")
	fs.StringVar(&o.State, "state", "", "the state to send and expect back, at least 16 characters (default: random)")
	fs.BoolVar(&o.Paste, "paste", false, "read the address the approver's browser was sent to from standard input instead of listening\n"+
		"(the browser is on another machine); implied by an https redirect URI")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: terraform-provider-pinterest authorize -redirect-uri URI -scopes a,b,c [flags]")
		fmt.Fprintln(stderr, "\nOpens Pinterest's consent page, waits for the redirect on the loopback redirect URI, and prints")
		fmt.Fprintln(stderr, "the authorization code alone on standard output:")
		fmt.Fprintln(stderr, "\n  code=\"$(terraform-provider-pinterest authorize ...)\" && TF_VAR_authorization_code=\"$code\" terraform apply")
		fmt.Fprintln(stderr, "\nFor an approver elsewhere, give an https redirect URI on your site: the command prints the consent")
		fmt.Fprintln(stderr, "URL to send them, and reads back the whole address their browser was sent to, which they copy from")
		fmt.Fprintln(stderr, "the address bar; it checks that address and its state, then prints the code the same way.")
		fmt.Fprintln(stderr, "\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, usagef("unexpected argument %q; every setting is a flag, see -help", fs.Arg(0))
	}
	if o.ClientID == "" {
		o.ClientID = firstSet(env, "PINTEREST_CLIENT_ID", "PINTEREST_APP_ID")
	}
	if o.ClientID == "" {
		return o, usagef("no app id: give -client-id, or set PINTEREST_CLIENT_ID (the app id from https://developers.pinterest.com/apps/)")
	}
	var err error
	if o.Scopes, err = parseScopes(scopes); err != nil {
		return o, err
	}
	remote, err := checkRedirectURI(o.RedirectURI, o.Paste)
	if err != nil {
		return o, err
	}
	o.Paste = o.Paste || remote
	if c, err := url.Parse(o.ConsentURL); err != nil || c.Host == "" ||
		(c.Scheme != "https" && (c.Scheme != "http" || !pinterest.IsLoopbackHost(c.Hostname()))) {
		return o, usagef("-consent-url must be an https URL (http only to a loopback host), such as %s", pinterest.ConsentURL)
	}
	if o.Timeout <= 0 {
		return o, usagef("-timeout must be positive, such as 10m")
	}
	switch {
	case o.State != "" && o.Paste:
		// The address comes back through people and chat: only a state
		// made for this consent ties it to this consent.
		return o, usagef("-state cannot be given when the address is pasted back; leave it out for a random one")
	case o.State == "":
		o.State = randomState()
	case len(o.State) < minStateLen:
		// The state is what stops another page from feeding this wait a
		// code of its own choosing; a short one can be guessed.
		return o, usagef("-state must be at least %d characters (it defends the wait against forged redirects); leave it out for a random one", minStateLen)
	}
	// Last, so that a wrong flag is reported first: a code is valid for 10
	// minutes, and the apply it feeds fails without the app secret, so
	// check now, before anyone consents.
	if !o.NoSecretCheck && firstSet(env, "PINTEREST_CLIENT_SECRET", "PINTEREST_APP_SECRET") == "" {
		return o, usagef("no app secret in the environment: the apply that exchanges the code needs PINTEREST_CLIENT_SECRET " +
			"(or PINTEREST_APP_SECRET), and the code lasts only 10 minutes, so set it before the consent " +
			"(read -rs PINTEREST_CLIENT_SECRET && export PINTEREST_CLIENT_SECRET); if the apply takes the secret another " +
			"way (client_secret in its provider block), pass -no-secret-check")
	}
	return o, nil
}

func firstSet(env Env, names ...string) string {
	for _, n := range names {
		if v := env(n); v != "" {
			return v
		}
	}
	return ""
}

func parseScopes(list string) ([]string, error) {
	var scopes []string
	for _, s := range strings.Split(list, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		if !pinterest.IsKnownScope(s) {
			return nil, usagef("%q is not a Pinterest API v5 scope; known scopes: %s", s, strings.Join(pinterest.KnownScopes, ", "))
		}
		scopes = append(scopes, s)
	}
	if len(scopes) == 0 {
		return nil, usagef("no scopes: give -scopes, such as -scopes boards:read,pins:read")
	}
	return scopes, nil
}

// checkRedirectURI accepts http to a loopback host with a port, which this
// command can listen on, and https to any other host, whose redirected
// address the approver sends back (remote). A loopback URI is pasted back
// too with -paste; then it needs no port.
func checkRedirectURI(raw string, paste bool) (remote bool, err error) {
	const instead = " Register a loopback redirect URI on the app (such as http://localhost:8085/) to catch the " +
		"redirect on this machine, or an https one on your site for an approver elsewhere, and pass exactly that."
	if raw == "" {
		return false, usagef("no redirect URI: give -redirect-uri, exactly as registered on the app, such as http://localhost:8085/")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return false, usagef("-redirect-uri %q is not an absolute URL.%s", raw, instead)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return false, usagef("-redirect-uri %q may not have a user name, a query or a fragment.", raw)
	}
	loopback := pinterest.IsLoopbackHost(u.Hostname())
	switch {
	case u.Scheme == "https" && !loopback:
		return true, nil
	case u.Scheme != "http" || !loopback:
		return false, usagef("-redirect-uri %q is neither http to localhost, 127.0.0.1 or [::1], nor https to another host.%s", raw, instead)
	case u.Port() == "" && !paste:
		return false, usagef("-redirect-uri %q has no port; give the one registered on the app, such as http://localhost:8085/.", raw)
	}
	return false, nil
}

func randomState() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// result is what the redirect brought.
type result struct {
	code string
	err  error
}

// Run listens on the redirect URI, shows the consent URL, and waits for the
// redirect. It returns the code, or why there is none.
func Run(ctx context.Context, o Options, stderr io.Writer, openBrowser func(string) error) (string, error) {
	u, _ := url.Parse(o.RedirectURI) // checked by Parse
	listeners, err := listen(u)
	if err != nil {
		return "", err
	}
	results := make(chan result, 1)
	rejected := make(chan string, 8)
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: callback(u, o.State, results, rejected)}
	for _, l := range listeners {
		go func() { _ = srv.Serve(l) }()
	}
	defer func() {
		shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if srv.Shutdown(shutdown) != nil { // lets the browser's page finish loading
			_ = srv.Close()
		}
	}()

	consent := pinterest.AuthorizationURL(o.ConsentURL, o.ClientID, o.RedirectURI, o.Scopes, o.State)
	fmt.Fprintln(stderr, "Open this URL and approve the app as the Pinterest account owner:")
	fmt.Fprintln(stderr, consent)
	if !o.NoBrowser {
		// The opener's command line is readable by every local user (ps,
		// /proc): it gets a page of this user's alone that forwards to the
		// consent URL, so that the state stays off it.
		target, remove, err := consentPage(consent)
		if err != nil {
			target, remove = consent, func() {}
		}
		defer remove()
		if err := openBrowser(target); err != nil {
			fmt.Fprintln(stderr, "(No browser could be opened here; open the URL above yourself.)")
		}
	}
	fmt.Fprintf(stderr, "Waiting up to %s for the redirect to %s ...\n", o.Timeout, o.RedirectURI)

	timer := time.NewTimer(o.Timeout)
	defer timer.Stop()
	var lastRejected string
	for {
		select {
		case r := <-results:
			// A refusal and the approval can both be ready at once, and
			// select picks either: say what was refused first.
			for pending := true; pending; {
				select {
				case why := <-rejected:
					fmt.Fprintf(stderr, "Refused a request to the redirect URI: %s.\n", why)
				default:
					pending = false
				}
			}
			if r.err != nil {
				return "", r.err
			}
			// The state was on this terminal and in the browser opener's
			// command line: a second redirect carrying it means someone
			// else delivered a code too, and either may be theirs.
			select {
			case <-results:
				return "", errConflict
			case <-time.After(settleWait):
			case <-ctx.Done():
				return "", fmt.Errorf("stopped before the approval: %w", ctx.Err())
			}
			fmt.Fprintln(stderr, "Approved: the authorization code is on standard output. It is valid for 10 minutes and can be exchanged once.")
			return r.code, nil
		case why := <-rejected:
			// Any page the person has open could send the browser here: a
			// request without the state sent is refused, and the wait goes
			// on for Pinterest's own redirect.
			lastRejected = why
			fmt.Fprintf(stderr, "Refused a request to the redirect URI: %s. Still waiting for Pinterest's redirect.\n", why)
		case <-timer.C:
			if lastRejected != "" {
				return "", fmt.Errorf("no redirect with the state sent reached %s within %s (the last request refused: %s); "+
					"nothing was approved. Run the command again", o.RedirectURI, o.Timeout, lastRejected)
			}
			return "", fmt.Errorf("no redirect reached %s within %s; nothing was approved. Run the command again, and "+
				"approve within the time (-timeout to allow more)", o.RedirectURI, o.Timeout)
		case <-ctx.Done():
			return "", fmt.Errorf("stopped before the approval: %w", ctx.Err())
		}
	}
}

// consentPage writes a page, readable by this user alone, that forwards the
// browser to consent, and returns its file URL and how to remove it.
func consentPage(consent string) (string, func(), error) {
	f, err := os.CreateTemp("", "pinterest-consent-*.html") // mode 0600
	if err != nil {
		return "", nil, err
	}
	remove := func() { _ = os.Remove(f.Name()) }
	escaped := html.EscapeString(consent)
	_, err = fmt.Fprintf(f, "<!doctype html><meta http-equiv=\"refresh\" content=\"0;url=%s\"><title>Pinterest consent</title>"+
		"<p><a href=\"%s\">Continue to Pinterest's consent page</a></p>", escaped, escaped)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		remove()
		return "", nil, err
	}
	p := filepath.ToSlash(f.Name())
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive
	}
	return (&url.URL{Scheme: "file", Path: p}).String(), remove, nil
}

// settleWait is how long the wait goes on after an approval, listening for
// a second redirect with the state sent (a variable for tests).
var settleWait = 2 * time.Second

// errConflict is two redirects with the state sent.
var errConflict = errors.New("two redirects carried the state sent, so someone else on this machine (or a page open in " +
	"the browser) delivered a code too, and either code may approve another Pinterest account; neither was printed. " +
	"Run the command again with -no-browser and open the URL yourself, and set required_account on the " +
	"pinterest_oauth_token so that an approval by another account is refused")

// listen listens on the redirect URI's host and port. For localhost it
// takes both loopback addresses: a browser may resolve localhost to either,
// and a port left free on the other could be taken by another local user,
// who would then receive the code.
func listen(u *url.URL) ([]net.Listener, error) {
	hosts := []string{u.Hostname()}
	if strings.EqualFold(u.Hostname(), "localhost") {
		hosts = []string{"127.0.0.1", "::1"}
	}
	var listeners []net.Listener
	for i, host := range hosts {
		l, err := net.Listen("tcp", net.JoinHostPort(host, u.Port()))
		if err != nil && i > 0 && noIPv6(err) {
			continue // a machine without IPv6: no one can listen there either
		}
		if err != nil {
			for _, l := range listeners {
				_ = l.Close()
			}
			return nil, usagef("cannot listen on %s for the redirect (%v). If another program uses the port, stop it, or "+
				"register another loopback redirect URI on the app and pass that", net.JoinHostPort(host, u.Port()), errors.Unwrap(err))
		}
		listeners = append(listeners, l)
	}
	return listeners, nil
}

func noIPv6(err error) bool {
	return errors.Is(err, syscall.EADDRNOTAVAIL) || errors.Is(err, syscall.EAFNOSUPPORT) || errors.Is(err, syscall.EPROTONOSUPPORT)
}

// codeShape is what an authorization code may look like; anything else
// (line breaks, escape sequences) would not be a code, and could upset the
// shell or terminal that receives standard output.
var codeShape = regexp.MustCompile(`^[A-Za-z0-9._~+/=-]{1,512}$`)

// callback answers the redirect: a page for the browser, a result for Run.
// Only a GET to the redirect URI's path, for its host, with the state sent,
// ends the wait; other paths get 404, and a request without the state sent
// is refused (reported on rejected) while the wait goes on.
func callback(redirect *url.URL, state string, results chan<- result, rejected chan<- string) http.Handler {
	path := redirect.Path
	if path == "" {
		path = "/"
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != path {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Referrer-Policy", "no-referrer")
		q := r.URL.Query()
		var why string
		switch {
		case r.Method != http.MethodGet:
			why = "a " + r.Method + " request, where the browser sends a GET"
		case !strings.EqualFold(r.Host, redirect.Host):
			why = "a request for another host name than the redirect URI's"
		case subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(state)) != 1:
			why = "its state did not match the one sent, so it did not come from this consent (its code, if any, was not accepted)"
		}
		if why != "" {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, "<!doctype html><title>Not accepted</title><p>This request was not accepted: %s.</p>", html.EscapeString(why))
			select {
			case rejected <- why:
			default:
			}
			return
		}
		res := fromRedirect(q)
		if res.err != nil {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, "<!doctype html><title>Pinterest access not granted</title><p>%s</p><p>You can close this window.</p>",
				html.EscapeString(res.err.Error()))
		} else {
			// The code leaves the address bar and the history at once.
			fmt.Fprint(w, "<!doctype html><title>Pinterest access approved</title>"+
				"<script>history.replaceState(null, \"\", location.pathname)</script><p>Pinterest access approved. "+
				"You can close this window and return to the terminal.</p>")
		}
		select {
		case results <- res:
		default: // a later redirect changes nothing
		}
	})
}

// fromRedirect reads what a redirect that carried the state sent brings:
// the code, or why there is none.
func fromRedirect(q url.Values) result {
	switch {
	case q.Get("error") != "":
		return result{err: fmt.Errorf("access was not granted on Pinterest's consent page: %s%s. The account owner may have "+
			"declined; run the command again to ask once more", clean(q.Get("error")), describe(q.Get("error_description")))}
	case !codeShape.MatchString(q.Get("code")):
		return result{err: errors.New("the redirect carried no code, or something that is not one. Run the command again")}
	}
	return result{code: q.Get("code")}
}

// maxPasted bounds a pasted line; an address with a code is far shorter.
const maxPasted = 8 << 10

// Paste shows the consent URL to send to an approver who is not at this
// machine, and reads back from stdin the address their browser was sent
// to. A line that is not an address on the redirect URI carrying the state
// sent is refused, and the next is read: a paste can be cut short. The
// state ties the address to this consent URL; it cannot say which account
// approved, which is required_account's to check. What was pasted is never
// repeated, and on a terminal it is not echoed.
func Paste(ctx context.Context, o Options, stdin io.Reader, stderr io.Writer) (string, error) {
	redirect, _ := url.Parse(o.RedirectURI) // checked by Parse
	fmt.Fprintln(stderr, "Send this URL to the Pinterest account owner, to open and approve the app:")
	fmt.Fprintln(stderr, pinterest.AuthorizationURL(o.ConsentURL, o.ClientID, o.RedirectURI, o.Scopes, o.State))
	read, restore, hidden := lineReader(stdin, stderr)
	defer restore()
	shown := ""
	if hidden {
		shown = "; the paste is not shown"
	}
	fmt.Fprintf(stderr, "Pinterest then sends their browser to %s with a code, which dies 10 minutes later: they copy the "+
		"whole address from the address bar and send it to you at once.\nPaste it here and press Enter (waiting up to %s; "+
		"-timeout allows more%s):\n", o.RedirectURI, o.Timeout, shown)

	// One read per request: once a line is taken, nothing reads (and, on a
	// terminal, nothing turns the echo off again) until Paste asks, so no
	// read is under way when it restores the terminal and returns.
	lines, ended := make(chan string), make(chan error, 1)
	next, stop := make(chan struct{}, 1), make(chan struct{})
	defer close(stop)
	next <- struct{}{}
	go func() {
		for {
			select {
			case <-next:
			case <-stop:
				return
			}
			line, err := read()
			if err != nil {
				ended <- err
				return
			}
			select {
			case lines <- line:
			case <-stop:
				return
			}
		}
	}()
	again := func() { next <- struct{}{} }
	timer := time.NewTimer(o.Timeout)
	defer timer.Stop()
	for {
		select {
		case line := <-lines:
			if line = strings.TrimSpace(line); line == "" {
				again()
				continue
			}
			q, why := pastedRedirect(line, redirect, o.State)
			if why != "" {
				fmt.Fprintf(stderr, "Not accepted: %s. Paste the whole address again, or press Ctrl-C.\n", why)
				again()
				continue
			}
			res := fromRedirect(q)
			if res.err != nil {
				return "", res.err
			}
			fmt.Fprintln(stderr, "Accepted: the authorization code is on standard output, valid for 10 minutes from the approval "+
				"and exchanged once. It is for whichever account approved: unless the pinterest_oauth_token sets "+
				"required_account, another account's approval is accepted.")
			return res.code, nil
		case err := <-ended:
			if !errors.Is(err, io.EOF) {
				return "", fmt.Errorf("reading the pasted address: %w (one line of at most %d bytes). Run the command again", err, maxPasted)
			}
			return "", errors.New("standard input ended before an address with the state sent was pasted; nothing was " +
				"approved here. Run the command again, with standard input on the terminal")
		case <-timer.C:
			return "", fmt.Errorf("no address with the state sent was pasted within %s. Run the command again, and send the "+
				"new consent URL (-timeout to allow more)", o.Timeout)
		case <-ctx.Done():
			return "", fmt.Errorf("stopped before the approval: %w", ctx.Err())
		}
	}
}

// errTooLong is a pasted line longer than maxPasted.
var errTooLong = errors.New("the line is too long")

// lineReader reads stdin a line at a time, io.EOF at its end. On a terminal
// it reads without echo, as a password prompt does (the address carries
// the code, which would stay on the screen, in its scrollback and in
// session recordings), and restore gives the terminal its state back even
// when the command ends mid-read (Ctrl-C, a timeout).
func lineReader(stdin io.Reader, stderr io.Writer) (read func() (string, error), restore func(), hidden bool) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fd := int(f.Fd())
		state, err := term.GetState(fd)
		if err == nil {
			return func() (string, error) {
				b, err := term.ReadPassword(fd)
				fmt.Fprintln(stderr) // the Enter that was not echoed
				if err == nil && len(b) > maxPasted {
					err = errTooLong
				}
				if err == nil && len(b) == 0 {
					fmt.Fprintln(stderr, "(An empty line: paste the address, then press Enter.)")
				}
				return string(b), err
			}, func() { _ = term.Restore(fd, state) }, true
		}
	}
	sc := bufio.NewScanner(stdin)
	sc.Buffer(make([]byte, 0, 4096), maxPasted)
	return func() (string, error) {
		if sc.Scan() {
			return sc.Text(), nil
		}
		if sc.Err() != nil {
			return "", sc.Err()
		}
		return "", io.EOF
	}, func() {}, false
}

// pastedRedirect checks a pasted address as the listener checks a
// redirect, and more strictly, since anyone could have written it: on the
// redirect URI (scheme, host, path as written), no user name, exactly one
// state, the state sent, at most one code and one error. It returns the
// query, or why the address is refused.
func pastedRedirect(line string, redirect *url.URL, state string) (url.Values, string) {
	u, err := url.Parse(line)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return nil, "that is not a whole address (copy all of the address bar, from " + redirect.Scheme + "://)"
	}
	pathOf := func(u *url.URL) string {
		if p := u.EscapedPath(); p != "" {
			return p
		}
		return "/"
	}
	if u.User != nil || !strings.EqualFold(u.Scheme, redirect.Scheme) || !strings.EqualFold(u.Host, redirect.Host) ||
		pathOf(u) != pathOf(redirect) {
		return nil, "that address is not on the redirect URI " + redirect.String()
	}
	q, err := url.ParseQuery(u.RawQuery)
	switch {
	case err != nil:
		return nil, "its query cannot be read"
	case len(q["state"]) == 0:
		return nil, "that address has no state=: it looks cut off; ask for the whole address"
	case len(q["state"]) > 1 || len(q["code"]) > 1 || len(q["error"]) > 1:
		return nil, "that address carries state, code or error more than once, which a redirect from Pinterest never does"
	case subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(state)) != 1:
		return nil, "its state is not the one sent with this consent URL, so it did not come from this consent (its code, if any, was not used)"
	}
	return q, ""
}

// clean keeps an error code printable and short: it comes from a URL, and
// goes to a terminal.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 100 {
		s = string(r[:100])
	}
	return s
}

func describe(s string) string {
	if s = clean(s); s == "" {
		return ""
	}
	return " (" + s + ")"
}

// systemBrowser opens url with the system's opener.
func systemBrowser(u string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", u)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", u)
	default:
		if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
			return errors.New("no display")
		}
		cmd = exec.Command("xdg-open", u)
	}
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	return cmd.Start()
}
