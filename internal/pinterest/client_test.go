package pinterest_test

import (
	"bytes"
	"context"
	"encoding/gob"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
)

const (
	testClientID     = "1234567"
	testClientSecret = "s3cr3t-app-secret-value"
	testRedirectURI  = "https://etl.example.com/oauth/callback"
)

var epoch = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func newFake(t *testing.T, mutate ...func(*fakepinterest.Options)) (*fakepinterest.Server, *fakepinterest.Clock) {
	t.Helper()
	clock := fakepinterest.NewClock(epoch)
	opts := fakepinterest.Options{
		ClientID: testClientID, ClientSecret: testClientSecret,
		RedirectURIs: []string{testRedirectURI}, Clock: clock,
	}
	for _, m := range mutate {
		m(&opts)
	}
	srv := fakepinterest.Start(opts)
	t.Cleanup(srv.Close)
	return srv, clock
}

func newClient(t *testing.T, srv *fakepinterest.Server, clock *fakepinterest.Clock, mutate ...func(*pinterest.Options)) *pinterest.Client {
	t.Helper()
	opts := pinterest.Options{
		APIURL: srv.URL(), ClientID: testClientID, ClientSecret: sensitive.New(testClientSecret),
		Now:   clock.Now,
		Retry: pinterest.RetryPolicy{MaxRetries: 3, WaitMin: time.Millisecond, WaitMax: 5 * time.Millisecond},
	}
	for _, m := range mutate {
		m(&opts)
	}
	c, err := pinterest.NewClient(opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestExchange(t *testing.T) {
	srv, clock := newFake(t)
	c := newClient(t, srv, clock)
	code := srv.IssueCode(testRedirectURI, "pins:read", "boards:read")

	ts, err := c.Exchange(context.Background(), sensitive.New(code), testRedirectURI, true)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(ts.AccessToken.Reveal(), "pina") || !strings.HasPrefix(ts.RefreshToken.Reveal(), "pinr") {
		t.Errorf("token shapes: access %q..., refresh %q...", ts.AccessToken.Reveal()[:4], ts.RefreshToken.Reveal()[:4])
	}
	if got, want := ts.ExpiresAt, epoch.Add(30*24*time.Hour); !got.Equal(want) {
		t.Errorf("ExpiresAt = %v, want %v", got, want)
	}
	if got, want := ts.RefreshTokenExpiresAt, epoch.Add(60*24*time.Hour); !got.Equal(want) {
		t.Errorf("RefreshTokenExpiresAt = %v, want %v", got, want)
	}
	if got := strings.Join(ts.Scopes, " "); got != "boards:read pins:read" {
		t.Errorf("Scopes = %q", got)
	}
	if ts.TokenType != "bearer" || ts.ResponseType != "authorization_code" {
		t.Errorf("TokenType %q ResponseType %q", ts.TokenType, ts.ResponseType)
	}
	forms := srv.Forms(fakepinterest.TokenPath)
	if len(forms) != 1 || forms[0].Get("continuous_refresh") != "true" || forms[0].Get("redirect_uri") != testRedirectURI {
		t.Errorf("form sent = %v", forms)
	}
}

func TestExchangeRefusals(t *testing.T) {
	for name, tc := range map[string]struct {
		code     func(srv *fakepinterest.Server, clock *fakepinterest.Clock, c *pinterest.Client) string
		redirect string
	}{
		"reused": {code: func(srv *fakepinterest.Server, _ *fakepinterest.Clock, c *pinterest.Client) string {
			code := srv.IssueCode(testRedirectURI, "pins:read")
			if _, err := c.Exchange(context.Background(), sensitive.New(code), testRedirectURI, true); err != nil {
				t.Fatal(err)
			}
			return code
		}},
		"expired": {code: func(srv *fakepinterest.Server, clock *fakepinterest.Clock, _ *pinterest.Client) string {
			code := srv.IssueCode(testRedirectURI, "pins:read")
			clock.Advance(10*time.Minute + time.Second)
			return code
		}},
		"redirect mismatch": {redirect: "https://other.example.com/cb", code: func(srv *fakepinterest.Server, _ *fakepinterest.Clock, _ *pinterest.Client) string {
			return srv.IssueCode(testRedirectURI, "pins:read")
		}},
		"unknown": {code: func(*fakepinterest.Server, *fakepinterest.Clock, *pinterest.Client) string { return "not-a-code" }},
	} {
		t.Run(name, func(t *testing.T) {
			srv, clock := newFake(t)
			c := newClient(t, srv, clock)
			code := tc.code(srv, clock, c)
			redirect := tc.redirect
			if redirect == "" {
				redirect = testRedirectURI
			}
			before := srv.Requests(fakepinterest.TokenPath)
			_, err := c.Exchange(context.Background(), sensitive.New(code), redirect, true)
			apiErr, ok := pinterest.AsAPIError(err)
			if !ok || !apiErr.IsInvalidGrant() || apiErr.RequestID == "" {
				t.Fatalf("err = %v, want an invalid-grant APIError with a request id", err)
			}
			if strings.Contains(err.Error(), code) {
				t.Errorf("error text holds the code: %v", err)
			}
			if n := srv.Requests(fakepinterest.TokenPath) - before; n != 1 {
				t.Errorf("a refused grant was sent %d times; 4xx must not be retried", n)
			}
		})
	}
}

func TestBadClientCredentials(t *testing.T) {
	srv, clock := newFake(t)
	c := newClient(t, srv, clock, func(o *pinterest.Options) { o.ClientSecret = sensitive.New("wrong-secret") })
	_, err := c.Exchange(context.Background(), sensitive.New(srv.IssueCode(testRedirectURI, "pins:read")), testRedirectURI, true)
	apiErr, ok := pinterest.AsAPIError(err)
	if !ok || !apiErr.IsBadClientCredentials() {
		t.Fatalf("err = %v, want bad client credentials", err)
	}
	if strings.Contains(err.Error(), "wrong-secret") {
		t.Errorf("error text holds the secret: %v", err)
	}
}

func TestRefreshRotatesAndNarrows(t *testing.T) {
	srv, clock := newFake(t)
	c := newClient(t, srv, clock)
	first, err := c.Exchange(context.Background(), sensitive.New(srv.IssueCode(testRedirectURI, "pins:read", "user_accounts:read")), testRedirectURI, true)
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Hour)
	second, err := c.Refresh(context.Background(), first.RefreshToken, []string{"pins:read"})
	if err != nil {
		t.Fatal(err)
	}
	if second.RefreshToken.Equal(first.RefreshToken) || second.RefreshToken.IsEmpty() {
		t.Error("continuous refresh should hand back a new refresh token")
	}
	if got := strings.Join(second.Scopes, ","); got != "pins:read" {
		t.Errorf("narrowed scopes = %q", got)
	}
	if srv.RefreshTokenValid(first.RefreshToken.Reveal()) {
		t.Error("the fake should invalidate the previous refresh token by default")
	}
	_, err = c.Refresh(context.Background(), first.RefreshToken, nil)
	apiErr, ok := pinterest.AsAPIError(err)
	if !ok || apiErr.StatusCode != http.StatusUnauthorized || apiErr.Code != pinterest.CodeInvalidGrant {
		t.Fatalf("refresh with a superseded token: err = %v", err)
	}
}

// Pinterest does not document the separator of the scope field; a
// space-separated answer must parse like a comma-separated one.
func TestScopesSpaceSeparated(t *testing.T) {
	srv, clock := newFake(t, func(o *fakepinterest.Options) { o.ScopeSeparator = " " })
	c := newClient(t, srv, clock)
	ts, err := c.Exchange(context.Background(), sensitive.New(srv.IssueCode(testRedirectURI, "pins:read", "boards:read")), testRedirectURI, true)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(ts.Scopes, ","); got != "boards:read,pins:read" {
		t.Errorf("Scopes = %q", got)
	}
}

func TestUserAccount(t *testing.T) {
	srv, clock := newFake(t)
	c := newClient(t, srv, clock)
	ts, err := c.Exchange(context.Background(), sensitive.New(srv.IssueCode(testRedirectURI, "user_accounts:read")), testRedirectURI, true)
	if err != nil {
		t.Fatal(err)
	}
	ua, err := c.UserAccount(context.Background(), ts.AccessToken)
	if err != nil || ua.Username != "sprig_data" || ua.AccountType != "BUSINESS" {
		t.Fatalf("UserAccount = %+v, %v", ua, err)
	}
}

func TestRevokeForbiddenForOrdinaryUsers(t *testing.T) {
	srv, clock := newFake(t)
	c := newClient(t, srv, clock)
	ts, err := c.Exchange(context.Background(), sensitive.New(srv.IssueCode(testRedirectURI, "pins:read")), testRedirectURI, true)
	if err != nil {
		t.Fatal(err)
	}
	err = c.Revoke(context.Background(), ts.RefreshToken, "refresh_token")
	if apiErr, ok := pinterest.AsAPIError(err); !ok || !apiErr.IsForbidden() {
		t.Fatalf("err = %v, want 403", err)
	}
}

func TestMissingCredentials(t *testing.T) {
	srv, clock := newFake(t)
	c := newClient(t, srv, clock, func(o *pinterest.Options) { o.ClientSecret = sensitive.Secret{} })
	_, err := c.Refresh(context.Background(), sensitive.New("pinr_x"), nil)
	if !errors.Is(err, pinterest.ErrMissingCredentials) {
		t.Fatalf("err = %v", err)
	}
	if srv.Requests(fakepinterest.TokenPath) != 0 {
		t.Error("no request should be sent without credentials")
	}
}

func TestValidateAPIURL(t *testing.T) {
	for raw, ok := range map[string]bool{
		"https://api.pinterest.com":     true,
		"https://api.pinterest.com/":    true,
		"http://127.0.0.1:8080":         true,
		"http://127.8.9.10":             true,
		"http://localhost:1234":         true,
		"http://[::1]:80":               true,
		"http://api.pinterest.com":      false,
		"http://10.0.0.1":               false,
		"ftp://api.pinterest.com":       false,
		"https://api.pinterest.com/v5":  false,
		"https://user:pw@x.example.com": false,
		"api.pinterest.com":             false,
	} {
		if err := pinterest.ValidateAPIURL(raw); (err == nil) != ok {
			t.Errorf("ValidateAPIURL(%q) = %v, want ok=%v", raw, err, ok)
		}
	}
}

// TestAPIURLErrorsMaskPasswords: an api_url with user:password@ is refused,
// and neither that error nor the one for a URL that does not parse quotes
// the password.
func TestAPIURLErrorsMaskPasswords(t *testing.T) {
	for _, raw := range []string{
		"https://etl:hunter2-password@api.pinterest.com",
		"http://etl:hunter2-password@10.0.0.1",
		"https://etl:hunter2-password@api.pinterest.com:notaport",
		"ftp://etl:hunter2-password@api.pinterest.com",
		"https://etl:hunter2-password@api.pinterest.com/v5",
		"hunter2-password-pasted-here",
		"https://hunter2-password@api.pinterest.com",
		"https://api.pinterest.com/v5?key=hunter2-password",
		"http://10.0.0.1/?access_token=hunter2-password",
	} {
		err := pinterest.ValidateAPIURL(raw)
		if err == nil || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("ValidateAPIURL(<url with a password>) = %v; want an error without the password", err)
		}
	}
	for raw, want := range map[string]bool{
		"https://api.pinterest.com": true, "https://API-SANDBOX.pinterest.com": true, "http://127.0.0.1:9": false, // loopback is warned of apart
		"https://proxy.example.com": false, "https://api.pinterest.com.evil.example": false,
	} {
		if got := pinterest.IsPinterestHost(raw); got != want {
			t.Errorf("IsPinterestHost(%q) = %v, want %v", raw, got, want)
		}
	}
}

func TestSecretNeverFormats(t *testing.T) {
	s := sensitive.New("pina_supersecret")
	for _, got := range []string{fmt.Sprint(s), fmt.Sprintf("%v %s %q %x %#v %+v", s, s, s, s, s, s), s.String(), s.GoString()} {
		if strings.Contains(got, "supersecret") {
			t.Errorf("secret leaked: %q", got)
		}
	}
	ts := pinterest.TokenSet{AccessToken: s, RefreshToken: sensitive.New("pinr_other_secret")}
	if got := fmt.Sprintf("%+v %#v", ts, ts); strings.Contains(got, "supersecret") || strings.Contains(got, "other_secret") {
		t.Errorf("TokenSet leaked: %s", got)
	}
}

// TestSecretStaysHiddenInUnexportedFields: fmt cannot call methods on an
// unexported field, so a string-typed secret there would print raw. Nor
// may reflect, JSON (values and map keys), XML or gob reveal it.
func TestSecretStaysHiddenInUnexportedFields(t *testing.T) {
	const raw = "pinr_unexported_0123456789"
	type holder struct {
		name   string
		secret sensitive.Secret
	}
	h := holder{name: "x", secret: sensitive.New(raw)}
	c, err := pinterest.NewClient(pinterest.Options{APIURL: "https://api.pinterest.com", ClientID: "1", ClientSecret: sensitive.New(raw)})
	if err != nil {
		t.Fatal(err)
	}
	var outputs []string
	for _, v := range []any{h, &h, c, *c} {
		outputs = append(outputs, fmt.Sprintf("%v|%+v|%#v|%s", v, v, v, v))
	}
	outputs = append(outputs, reflect.ValueOf(h).Field(1).String())
	exported := struct{ Secret sensitive.Secret }{sensitive.New(raw)}
	for _, enc := range []func(any) ([]byte, error){
		json.Marshal, xml.Marshal,
		func(v any) ([]byte, error) {
			var b bytes.Buffer
			err := gob.NewEncoder(&b).Encode(v)
			return b.Bytes(), err
		},
	} {
		out, _ := enc(exported)
		outputs = append(outputs, string(out))
	}
	keys, _ := json.Marshal(map[sensitive.Secret]int{sensitive.New(raw): 1})
	outputs = append(outputs, string(keys))
	for _, out := range outputs {
		if strings.Contains(out, "unexported_0123456789") {
			t.Errorf("a secret leaked: %s", out)
		}
	}
}

func TestAuthorizationURL(t *testing.T) {
	got := pinterest.AuthorizationURL(pinterest.ConsentURL, "1234", "https://x.example.com/cb?a=b", []string{"pins:read", "boards:read"}, "st&ate")
	want := "https://www.pinterest.com/oauth/?client_id=1234&redirect_uri=https%3A%2F%2Fx.example.com%2Fcb%3Fa%3Db&response_type=code&scope=pins%3Aread%2Cboards%3Aread&state=st%26ate"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestLostAnswerIsNamedInTheRefusal: Pinterest carries out the first attempt
// (the code is spent, the refresh token rotated) but its answer is lost; the
// retry is refused. The error must say that an earlier attempt went
// unanswered, since the refusal is this client's own doing.
func TestLostAnswerIsNamedInTheRefusal(t *testing.T) {
	srv, clock := newFake(t)
	c := newClient(t, srv, clock)

	_, refresh := srv.IssueTokens("pins:read")
	srv.InjectFaults(fakepinterest.TokenPath, fakepinterest.Fault{LoseResponse: true})
	_, err := c.Refresh(context.Background(), sensitive.New(refresh), nil)
	apiErr, ok := pinterest.AsAPIError(err)
	if !ok || !apiErr.IsInvalidGrant() || apiErr.UnansweredAttempts != 1 {
		t.Fatalf("refresh after a lost answer: %v (unanswered %d), want an invalid grant after 1 unanswered attempt", err, apiErr.UnansweredAttempts)
	}
	if !strings.Contains(err.Error(), "after 1 earlier attempt(s) that got no answer") {
		t.Errorf("the error does not name the lost attempt: %v", err)
	}
	if srv.RefreshTokenValid(refresh) {
		t.Error("the fake did not carry out the first attempt")
	}

	code := srv.IssueCode(testRedirectURI, "pins:read")
	srv.InjectFaults(fakepinterest.TokenPath, fakepinterest.Fault{LoseResponse: true})
	_, err = c.Exchange(context.Background(), sensitive.New(code), testRedirectURI, true)
	if apiErr, ok := pinterest.AsAPIError(err); !ok || apiErr.UnansweredAttempts != 1 {
		t.Fatalf("exchange after a lost answer: %v", err)
	}

	// A refusal with no lost attempt before it says nothing of the kind.
	_, err = c.Refresh(context.Background(), sensitive.New(refresh), nil)
	if apiErr, ok := pinterest.AsAPIError(err); !ok || apiErr.UnansweredAttempts != 0 {
		t.Fatalf("plain refusal: %v", err)
	}
}
