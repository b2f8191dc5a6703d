package authorize

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
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
		"client id from PINTEREST_CLIENT_ID": {ok, map[string]string{"PINTEREST_CLIENT_ID": "1"}, ""},
		"client id from PINTEREST_APP_ID":    {ok, map[string]string{"PINTEREST_APP_ID": "1"}, ""},
		"no client id":                       {ok, nil, "no app id"},
		"unknown scope":                      {[]string{"-client-id", "1", "-redirect-uri", "http://localhost:8085/", "-scopes", "pins:read,pins:reed"}, nil, `"pins:reed" is not a Pinterest API v5 scope`},
		"no scopes":                          {[]string{"-client-id", "1", "-redirect-uri", "http://localhost:8085/"}, nil, "no scopes"},
		"https redirect":                     {[]string{"-client-id", "1", "-redirect-uri", "https://etl.example.com/cb", "-scopes", "pins:read"}, nil, "only listens on this machine"},
		"remote http redirect":               {[]string{"-client-id", "1", "-redirect-uri", "http://10.0.0.5:8085/", "-scopes", "pins:read"}, nil, "is not http to localhost"},
		"no port":                            {[]string{"-client-id", "1", "-redirect-uri", "http://localhost/", "-scopes", "pins:read"}, nil, "has no port"},
		"ipv6 loopback":                      {[]string{"-client-id", "1", "-redirect-uri", "http://[::1]:8085/cb", "-scopes", "pins:read"}, nil, ""},
		"stray argument":                     {append([]string{"-client-id", "1"}, append(ok, "extra")...), nil, "unexpected argument"},
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
	for name, tc := range map[string]struct {
		path, query string
		status      int
		code, err   string
	}{
		"approved":      {"/cb", "code=the-code&state=s1", 200, "the-code", ""},
		"forged state":  {"/cb", "code=the-code&state=other", 400, "", "did not match"},
		"missing state": {"/cb", "code=the-code", 400, "", "did not match"},
		"refused":       {"/cb", "error=access_denied&error_description=The+user+declined&state=s1", 400, "", "access_denied (The user declined)"},
		"no code":       {"/cb", "state=s1", 400, "", "no code"},
	} {
		t.Run(name, func(t *testing.T) {
			results := make(chan result, 1)
			rec := httptest.NewRecorder()
			callback("/cb", "s1", results).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tc.path+"?"+tc.query, nil))
			if rec.Code != tc.status {
				t.Errorf("status %d, want %d", rec.Code, tc.status)
			}
			r := <-results
			if r.code != tc.code || (tc.err == "") != (r.err == nil) || (r.err != nil && !strings.Contains(r.err.Error(), tc.err)) {
				t.Errorf("result code %q err %v; want code %q, error containing %q", r.code, r.err, tc.code, tc.err)
			}
			if strings.Contains(rec.Body.String(), "the-code") {
				t.Error("the page shows the code")
			}
		})
	}
	results := make(chan result, 1)
	rec := httptest.NewRecorder()
	callback("/cb", "s1", results).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/favicon.ico", nil))
	if rec.Code != http.StatusNotFound || len(results) != 0 {
		t.Errorf("another path: status %d and %d result(s); want 404 and none", rec.Code, len(results))
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
