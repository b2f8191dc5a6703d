package authorize

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"
)

func env(vars map[string]string) Env { return func(k string) string { return vars[k] } }

func TestParseChecksEverythingBeforeListening(t *testing.T) {
	ok := []string{"-redirect-uri", "http://localhost:8085/", "-scopes", "boards:read,pins:read"}
	for name, tc := range map[string]struct {
		args []string
		vars map[string]string
		want string // in the error; "" means no error
	}{
		"client id from PINTEREST_CLIENT_ID": {ok, map[string]string{"PINTEREST_CLIENT_ID": "1", "PINTEREST_CLIENT_SECRET": "s"}, ""},
		"client id from PINTEREST_APP_ID":    {ok, map[string]string{"PINTEREST_APP_ID": "1", "PINTEREST_APP_SECRET": "s"}, ""},
		"no app secret":                      {ok, map[string]string{"PINTEREST_CLIENT_ID": "1"}, "no app secret in the environment"},
		"no app secret, check skipped":       {append([]string{"-no-secret-check"}, ok...), map[string]string{"PINTEREST_CLIENT_ID": "1"}, ""},
		"no client id":                       {ok, nil, "no app id"},
		"unknown scope":                      {[]string{"-client-id", "1", "-redirect-uri", "http://localhost:8085/", "-scopes", "pins:read,pins:reed"}, nil, `"pins:reed" is not a Pinterest API v5 scope`},
		"no scopes":                          {[]string{"-client-id", "1", "-redirect-uri", "http://localhost:8085/"}, nil, "no scopes"},
		"https redirect: pasted back":        {[]string{"-client-id", "1", "-redirect-uri", "https://etl.example.com/cb", "-scopes", "pins:read"}, map[string]string{"PINTEREST_CLIENT_SECRET": "s"}, ""},
		"remote http redirect":               {[]string{"-client-id", "1", "-redirect-uri", "http://10.0.0.5:8085/", "-scopes", "pins:read"}, nil, "is neither http to localhost"},
		"https loopback redirect":            {[]string{"-client-id", "1", "-redirect-uri", "https://localhost:8443/", "-scopes", "pins:read"}, nil, "is neither http to localhost"},
		"redirect with a query":              {[]string{"-client-id", "1", "-redirect-uri", "https://etl.example.com/cb?x=1", "-scopes", "pins:read"}, nil, "may not have a user name, a query"},
		"redirect with a user name":          {[]string{"-client-id", "1", "-redirect-uri", "https://x@etl.example.com/cb", "-scopes", "pins:read"}, nil, "may not have a user name"},
		"a state, pasted back":               {[]string{"-client-id", "1", "-state", "0123456789abcdef0123", "-redirect-uri", "https://etl.example.com/cb", "-scopes", "pins:read"}, nil, "-state cannot be given"},
		"no port, pasted back":               {[]string{"-client-id", "1", "-paste", "-redirect-uri", "http://localhost/", "-scopes", "pins:read"}, map[string]string{"PINTEREST_CLIENT_SECRET": "s"}, ""},
		"no port":                            {[]string{"-client-id", "1", "-redirect-uri", "http://localhost/", "-scopes", "pins:read"}, nil, "has no port"},
		"ipv6 loopback":                      {[]string{"-client-id", "1", "-redirect-uri", "http://[::1]:8085/cb", "-scopes", "pins:read"}, map[string]string{"PINTEREST_CLIENT_SECRET": "s"}, ""},
		"stray argument":                     {append([]string{"-client-id", "1"}, append(ok, "extra")...), nil, "unexpected argument"},
		"file consent URL":                   {append([]string{"-client-id", "1", "-consent-url", "file:///etc/passwd"}, ok...), nil, "must be an https URL"},
		"short state":                        {append([]string{"-client-id", "1", "-state", "abc123"}, ok...), nil, "at least 16 characters"},
		"remote http consent URL":            {append([]string{"-client-id", "1", "-consent-url", "http://evil.example/oauth/"}, ok...), nil, "must be an https URL"},
	} {
		t.Run(name, func(t *testing.T) {
			o, err := Parse(tc.args, env(tc.vars), &bytes.Buffer{})
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			case tc.want == "" && len(o.State) != 32:
				t.Fatalf("state %q: want 32 random hex digits", o.State)
			}
		})
	}
}

func TestRandomStatesDiffer(t *testing.T) {
	if a, b := randomState(), randomState(); a == b {
		t.Fatal("two random states are equal")
	}
}

func TestCallback(t *testing.T) {
	redirect, _ := url.Parse("http://localhost:8085/cb")
	for name, tc := range map[string]struct {
		method, host, path, query string
		status                    int
		code, err, refused        string
	}{
		"approved":      {"GET", "localhost:8085", "/cb", "code=the-code&state=s1", 200, "the-code", "", ""},
		"refused":       {"GET", "localhost:8085", "/cb", "error=access_denied&error_description=The+user+declined&state=s1", 400, "", "access_denied (The user declined)", ""},
		"no code":       {"GET", "localhost:8085", "/cb", "state=s1", 400, "", "no code", ""},
		"not a code":    {"GET", "localhost:8085", "/cb", "code=abc%0Aevil%1b%5B31m&state=s1", 400, "", "no code", ""},
		"forged state":  {"GET", "localhost:8085", "/cb", "code=the-code&state=other", 400, "", "", "state did not match"},
		"missing state": {"GET", "localhost:8085", "/cb", "code=the-code", 400, "", "", "state did not match"},
		"another host":  {"GET", "evil.example:8085", "/cb", "code=the-code&state=s1", 400, "", "", "another host name"},
		"a POST":        {"POST", "localhost:8085", "/cb", "code=the-code&state=s1", 400, "", "", "a POST request"},
		"control chars": {"GET", "localhost:8085", "/cb", "error=x%C2%9B31m%E2%80%AEy&state=s1", 400, "", "access was not granted on Pinterest's consent page: x31my.", ""},
	} {
		t.Run(name, func(t *testing.T) {
			results, rejected := make(chan result, 1), make(chan string, 1)
			req := httptest.NewRequest(tc.method, tc.path+"?"+tc.query, nil)
			req.Host = tc.host
			rec := httptest.NewRecorder()
			callback(redirect, "s1", results, rejected).ServeHTTP(rec, req)
			if rec.Code != tc.status {
				t.Errorf("status %d, want %d", rec.Code, tc.status)
			}
			if strings.Contains(rec.Body.String(), "the-code") {
				t.Error("the page shows the code")
			}
			if tc.refused != "" {
				if len(results) != 0 {
					t.Fatal("a refused request ended the wait")
				}
				if why := <-rejected; !strings.Contains(why, tc.refused) {
					t.Errorf("refused for %q, want %q", why, tc.refused)
				}
				return
			}
			r := <-results
			if r.code != tc.code || (tc.err == "") != (r.err == nil) || (r.err != nil && !strings.Contains(r.err.Error(), tc.err)) {
				t.Errorf("result code %q err %v; want code %q, error containing %q", r.code, r.err, tc.code, tc.err)
			}
		})
	}
	results := make(chan result, 1)
	rec := httptest.NewRecorder()
	callback(redirect, "s1", results, make(chan string, 1)).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/favicon.ico", nil))
	if rec.Code != http.StatusNotFound || len(results) != 0 {
		t.Errorf("another path: status %d and %d result(s); want 404 and none", rec.Code, len(results))
	}
}

// TestLocalhostTakesBothLoopbacks: a browser may resolve localhost to ::1
// or to 127.0.0.1; a side left free could be taken by another local user.
func TestLocalhostTakesBothLoopbacks(t *testing.T) {
	probe, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback here: %v", err) // the IPv4 side is covered by the other tests
	}
	_, port, _ := net.SplitHostPort(probe.Addr().String())
	// Another program holds [::1]:port: the command must refuse to start.
	u, _ := url.Parse(fmt.Sprintf("http://localhost:%s/cb", port))
	if _, err := listen(u); err == nil || !strings.Contains(err.Error(), "cannot listen on [::1]") {
		t.Fatalf("listen with [::1] taken: %v", err)
	}
	probe.Close()
	ls, err := listen(u)
	if err != nil || len(ls) != 2 {
		t.Fatalf("listen: %d listener(s), %v; want both loopbacks", len(ls), err)
	}
	for _, l := range ls {
		l.Close()
	}
}

func TestRunPortInUseAndTimeout(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	o := Options{ClientID: "1", RedirectURI: "http://" + l.Addr().String() + "/cb", Scopes: []string{"pins:read"},
		ConsentURL: "https://www.pinterest.com/oauth/", Timeout: time.Second, NoBrowser: true, State: "s"}
	_, err = Run(context.Background(), o, &bytes.Buffer{}, nil)
	var usage *usageError
	if !errors.As(err, &usage) || !strings.Contains(err.Error(), "cannot listen on") {
		t.Fatalf("port in use: %v", err)
	}

	l.Close()
	o.Timeout = 50 * time.Millisecond
	_, err = Run(context.Background(), o, &bytes.Buffer{}, nil)
	if err == nil || !strings.Contains(err.Error(), "no redirect reached") {
		t.Fatalf("timeout: %v", err)
	}
}

// Finding 5 (security review): the consent URL and its state are on the
// terminal and in the browser opener's argv, readable by other local users;
// a second redirect carrying the state is a conflict, and no code is
// printed.
func TestSecondRedirectWithTheStateIsAConflict(t *testing.T) {
	o, redirect := runOptions(t, 500*time.Millisecond)
	o.NoBrowser = true
	deliver := func(code string) {
		for i := 0; i < 50; i++ {
			resp, err := http.Get(redirect + "?code=" + code + "&state=" + o.State)
			if err == nil {
				resp.Body.Close()
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	go func() { deliver("theirs-0123456789"); deliver("mine-0123456789") }()
	var stderr strings.Builder
	code, err := Run(context.Background(), o, &stderr, nil)
	if !errors.Is(err, errConflict) || code != "" {
		t.Fatalf("two redirects with the state: code %q, %v", code, err)
	}
}

// Second review, finding 2: the browser opener's command line, which other
// local users can read, carries a page of this user's alone that forwards to
// the consent URL, never the state itself.
func TestTheOpenerGetsNoState(t *testing.T) {
	o, redirect := runOptions(t, 10*time.Millisecond)
	var opened, page string
	var mode os.FileMode
	open := func(target string) error {
		opened = target
		u, err := url.Parse(target)
		if err != nil {
			return err
		}
		info, err := os.Stat(u.Path)
		if err != nil {
			return err
		}
		mode = info.Mode().Perm()
		raw, err := os.ReadFile(u.Path)
		page = string(raw)
		go func() {
			if resp, err := http.Get(redirect + "?code=mine-0123456789&state=" + o.State); err == nil {
				resp.Body.Close()
			}
		}()
		return err
	}
	code, err := Run(context.Background(), o, io.Discard, open)
	if err != nil || code != "mine-0123456789" {
		t.Fatalf("Run: %q, %v", code, err)
	}
	if strings.Contains(opened, o.State) || !strings.HasPrefix(opened, "file://") || mode != 0o600 ||
		!strings.Contains(page, "state="+o.State) {
		t.Errorf("the opener got %q (mode %o); the page forwards with the state: %v", opened, mode, strings.Contains(page, o.State))
	}
	u, _ := url.Parse(opened)
	if _, err := os.Stat(u.Path); !os.IsNotExist(err) {
		t.Error("the page outlived the command")
	}
}

// runOptions are the options of a Run on a free loopback redirect URI, with
// settleWait set to settle for the test.
func runOptions(t *testing.T, settle time.Duration) (Options, string) {
	t.Helper()
	was := settleWait
	settleWait = settle
	t.Cleanup(func() { settleWait = was })
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	redirect := "http://" + l.Addr().String() + "/cb"
	l.Close()
	return Options{ClientID: "1484362", RedirectURI: redirect, Scopes: []string{"pins:read"}, ConsentURL: "https://www.pinterest.com/oauth/",
		Timeout: 10 * time.Second, State: "0123456789abcdef0123"}, redirect
}

func TestParsePasteMode(t *testing.T) {
	vars := env(map[string]string{"PINTEREST_CLIENT_ID": "1", "PINTEREST_CLIENT_SECRET": "s"})
	for uri, want := range map[string]bool{"https://agency.example.com/pinterest/callback": true, "http://localhost:8085/": false} {
		o, err := Parse([]string{"-redirect-uri", uri, "-scopes", "ads:read"}, vars, &bytes.Buffer{})
		if err != nil || o.Paste != want {
			t.Errorf("%s: Paste = %v, %v; want %v", uri, o.Paste, err, want)
		}
	}
}

// TestPaste feeds the pasted-back address as an operator would, line by
// line: what is not an address on the redirect URI with the state sent is
// refused without ending the wait, and never repeated on standard error.
func TestPaste(t *testing.T) {
	const redirect = "https://agency.example.com/pinterest/callback"
	o := Options{ClientID: "1", RedirectURI: redirect, Scopes: []string{"ads:read"}, ConsentURL: "https://www.pinterest.com/oauth/",
		Timeout: 5 * time.Second, State: "0123456789abcdef0123", Paste: true}
	for name, tc := range map[string]struct {
		input   string
		code    string
		err     string   // in the error; "" for none
		refused []string // on standard error, in order
	}{
		"the address":                {redirect + "?code=the-code&state=0123456789abcdef0123\n", "the-code", "", nil},
		"spaces and a blank line":    {"\n  " + redirect + "?code=the-code&state=0123456789abcdef0123  \n", "the-code", "", nil},
		"just the code, then it all": {"the-code\n" + redirect + "?code=the-code&state=0123456789abcdef0123\n", "the-code", "", []string{"not a whole address"}},
		"another site":               {"https://evil.example/pinterest/callback?code=c2&state=0123456789abcdef0123\n", "", "standard input ended", []string{"not on the redirect URI"}},
		"another path":               {"https://agency.example.com/other?code=c2&state=0123456789abcdef0123\n", "", "standard input ended", []string{"not on the redirect URI"}},
		"http, not https":            {"http://agency.example.com/pinterest/callback?code=c2&state=0123456789abcdef0123\n", "", "standard input ended", []string{"not on the redirect URI"}},
		"forged state":               {redirect + "?code=forged-code&state=someone-elses-state\n", "", "standard input ended", []string{"state is not the one sent"}},
		"cut off before the state":   {redirect + "?code=the-co\n", "", "standard input ended", []string{"no state=: it looks cut off"}},
		"state twice":                {redirect + "?code=c2&state=0123456789abcdef0123&state=x\n", "", "standard input ended", []string{"more than once"}},
		"code twice":                 {redirect + "?code=c2&code=c3&state=0123456789abcdef0123\n", "", "standard input ended", []string{"more than once"}},
		"a user name":                {"https://x@agency.example.com/pinterest/callback?code=c2&state=0123456789abcdef0123\n", "", "standard input ended", []string{"not on the redirect URI"}},
		"an encoded slash":           {"https://agency.example.com/pinterest%2Fcallback?code=c2&state=0123456789abcdef0123\n", "", "standard input ended", []string{"not on the redirect URI"}},
		"another host at the end":    {"https://agency.example.com@evil.example/pinterest/callback?code=c2&state=0123456789abcdef0123\n", "", "standard input ended", []string{"not on the redirect URI"}},
		"declined":                   {redirect + "?error=access_denied&state=0123456789abcdef0123\n", "", "access was not granted", nil},
		"no code":                    {redirect + "?state=0123456789abcdef0123\n", "", "no code", nil},
		"nothing pasted":             {"", "", "standard input ended", nil},
		"a line too long":            {strings.Repeat("x", maxPasted+1) + "\n", "", "at most", nil},
	} {
		t.Run(name, func(t *testing.T) {
			var stderr bytes.Buffer
			code, err := Paste(context.Background(), o, strings.NewReader(tc.input), &stderr)
			if code != tc.code {
				t.Errorf("code %q, want %q", code, tc.code)
			}
			if (tc.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.err)) {
				t.Errorf("error %v, want one containing %q", err, tc.err)
			}
			out := stderr.String()
			for _, r := range tc.refused {
				if !strings.Contains(out, "Not accepted: ") || !strings.Contains(out, r) {
					t.Errorf("standard error does not say %q:\n%s", r, out)
				}
			}
			for _, secret := range []string{"forged-code", "c2&", "the-code"} {
				if strings.Contains(out, secret) {
					t.Errorf("standard error repeats what was pasted (%s):\n%s", secret, out)
				}
			}
			if !strings.Contains(out, "client_id=1") || !strings.Contains(out, "state=0123456789abcdef0123") {
				t.Errorf("no consent URL to send on standard error:\n%s", out)
			}
		})
	}
}

func TestPasteTimesOut(t *testing.T) {
	o := Options{ClientID: "1", RedirectURI: "https://agency.example.com/cb", Scopes: []string{"ads:read"},
		ConsentURL: "https://www.pinterest.com/oauth/", Timeout: 50 * time.Millisecond, State: "0123456789abcdef0123", Paste: true}
	r, w := io.Pipe()
	defer w.Close()
	_, err := Paste(context.Background(), o, r, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "within 50ms") {
		t.Fatalf("error %v, want a timeout", err)
	}
}
