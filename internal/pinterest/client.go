// Package pinterest speaks the part of Pinterest's API v5 that obtains and
// keeps OAuth tokens: the code exchange, the refresh, revocation and the user
// account behind a token. It knows nothing of Terraform.
//
// The token endpoint is called with a request of our own rather than through
// golang.org/x/oauth2's Exchange and TokenSource: Pinterest's refresh may carry
// a scope to narrow the token (oauth2's refresh cannot send one), expiry must
// be computed from an injected clock (oauth2 reads the wall clock), and every
// error must carry Pinterest's x-pinterest-rid header (oauth2 drops headers).
// oauth2 still builds the consent URL; see AuthorizationURL.
package pinterest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
)

// DefaultAPIURL is Pinterest's production API host.
const DefaultAPIURL = "https://api.pinterest.com"

// maxIdleConnsPerHost is the keep-alive pool for the one API host.
const maxIdleConnsPerHost = 16

// MaxResponseBytes caps how much of a response body is read.
const MaxResponseBytes = 1 << 20

// Options configure a Client. Only ClientID and ClientSecret are needed for
// the token endpoint; the rest have defaults.
type Options struct {
	APIURL       string // scheme and host; /v5/... is appended. Default DefaultAPIURL.
	ClientID     string
	ClientSecret sensitive.Secret
	UserAgent    string

	// RequestTimeout bounds each HTTP attempt. Default 30s.
	RequestTimeout time.Duration
	// Retry sets how transient failures are retried; see RetryPolicy.
	Retry RetryPolicy
	// Transport sends the requests; default: a clone of http.DefaultTransport,
	// made once per Client so that connections are reused across calls.
	Transport http.RoundTripper
	// Now reads the clock; default time.Now. Tests move a fake clock.
	Now func() time.Time
	// Logger, when set, is told of each attempt, response and retry. It never
	// receives a secret.
	Logger Logger
}

// Client calls Pinterest. It is safe for concurrent use.
type Client struct {
	baseURL      string
	clientID     string
	clientSecret sensitive.Secret
	userAgent    string
	httpClient   *http.Client
	retry        RetryPolicy
	now          func() time.Time
	logger       Logger
}

// NewClient checks opts and returns a Client.
func NewClient(opts Options) (*Client, error) {
	base := opts.APIURL
	if base == "" {
		base = DefaultAPIURL
	}
	if err := ValidateAPIURL(base); err != nil {
		return nil, err
	}
	timeout := opts.RequestTimeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	transport := opts.Transport
	if transport == nil {
		transport = http.DefaultTransport
		if t, ok := transport.(*http.Transport); ok {
			// A pool of our own, reused across calls. Every request goes to
			// one host, so keep as many idle connections for it as Terraform
			// runs resources in parallel (10 by default); Go keeps only 2.
			t = t.Clone()
			t.MaxIdleConnsPerHost = maxIdleConnsPerHost
			if u, err := url.Parse(base); err == nil && strings.EqualFold(u.Scheme, "http") {
				// Clear text goes to this machine only, whatever a name
				// such as localhost resolves to, and never through a proxy.
				t.Proxy = nil
				t.DialContext = (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second, Control: loopbackOnly}).DialContext
			}
			transport = t
		}
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	logger := opts.Logger
	if logger == nil {
		logger = nopLogger{}
	}
	return &Client{
		baseURL:      strings.TrimRight(base, "/"),
		clientID:     opts.ClientID,
		clientSecret: opts.ClientSecret,
		userAgent:    opts.UserAgent,
		httpClient: &http.Client{
			Transport:     transport,
			Timeout:       timeout,
			CheckRedirect: sameHostRedirectsOnly,
		},
		retry:  opts.Retry.withDefaults(),
		now:    now,
		logger: logger,
	}, nil
}

// ValidateAPIURL accepts https URLs, and http only to a loopback host (tests
// and the demo), so that credentials never cross a network in clear text.
// Its errors never quote what they were given, which could be a token or
// a secret pasted into the wrong setting: at most scheme://host:port.
func ValidateAPIURL(raw string) error {
	const want = "give the scheme and host only, such as " + DefaultAPIURL
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return errors.New("the API URL is not an absolute URL with a host; " + want)
	}
	shown := u.Scheme + "://" + u.Host
	if u.User != nil {
		shown = u.Scheme + "://" + u.Hostname()
		if u.Port() != "" {
			shown += ":" + u.Port()
		}
		return fmt.Errorf("the API URL for %s carries user info; %s (credentials go in client_id and client_secret)", shown, want)
	}
	if u.Path != "" && u.Path != "/" {
		return fmt.Errorf("the API URL for %s has a path; %s (the provider appends /v5/...)", shown, want)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("the API URL for %s has a query or a fragment; %s", shown, want)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if IsLoopbackHost(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("%s uses http to a host that is not loopback; only https is allowed there, so that the client secret and tokens are never sent in clear text", shown)
	default:
		return fmt.Errorf("%s must use https", shown)
	}
}

// loopbackOnly refuses a connection to any address that is not a loopback
// IP. It runs after name resolution, just before connecting.
func loopbackOnly(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("refusing to send clear-text http to %s: an http api_url may only reach a loopback address; use https", host)
	}
	return nil
}

// PinterestHosts are Pinterest's own API hosts: production and sandbox.
var PinterestHosts = []string{"api.pinterest.com", "api-sandbox.pinterest.com"}

// IsPinterestHost reports whether an API URL's host is Pinterest's own.
func IsPinterestHost(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	return slices.Contains(PinterestHosts, strings.ToLower(u.Hostname()))
}

// sameHostRedirectsOnly stops a redirect to another host: Go strips the
// Authorization header there, but the form body, which holds the code or the
// refresh token, would still be re-sent for a 307 or 308.
func sameHostRedirectsOnly(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return &RedirectError{Reason: "stopped after 5 redirects"}
	}
	if req.URL.Host != via[0].URL.Host || req.URL.Scheme != via[0].URL.Scheme {
		return &RedirectError{Reason: fmt.Sprintf("refusing to follow a redirect from %s to another host, %s: credentials are never sent there",
			via[0].URL.Host, truncate(scrub(req.URL.Host), 100))}
	}
	return nil
}

// RedirectError is a redirect the client refused to follow. It is final:
// retrying would only be refused again.
type RedirectError struct{ Reason string }

func (e *RedirectError) Error() string { return e.Reason }

// ResponseMeta is what is known of a response besides its body.
type ResponseMeta struct {
	StatusCode  int
	ContentType string
	RequestID   string
}

// Exchange trades an authorization code for a token set
// (grant_type=authorization_code). redirectURI must be the one used on the
// consent page. continuousRefresh asks for a continuous refresh token, which
// apps created before 2025-09-25 must ask for and later apps get anyway.
func (c *Client) Exchange(ctx context.Context, code sensitive.Secret, redirectURI string, continuousRefresh bool) (*TokenSet, error) {
	form := url.Values{
		"grant_type":   {"authorization_code"},
		"code":         {code.Reveal()},
		"redirect_uri": {redirectURI},
	}
	if continuousRefresh {
		form.Set("continuous_refresh", "true")
	}
	return c.token(ctx, OpExchange, form, code)
}

// Refresh trades a refresh token for a new access token
// (grant_type=refresh_token). scopes, when given, narrow the new token.
// Under continuous refresh Pinterest also returns a new refresh token; the
// caller must keep it, since the one it sent may stop working at once.
func (c *Client) Refresh(ctx context.Context, refreshToken sensitive.Secret, scopes []string) (*TokenSet, error) {
	form := url.Values{
		"grant_type":    {"refresh_token"},
		"refresh_token": {refreshToken.Reveal()},
	}
	if len(scopes) > 0 {
		form.Set("scope", strings.Join(scopes, ","))
	}
	return c.token(ctx, OpRefresh, form, refreshToken)
}

func (c *Client) token(ctx context.Context, op Operation, form url.Values, grant sensitive.Secret) (*TokenSet, error) {
	if c.clientID == "" || c.clientSecret.IsEmpty() {
		return nil, ErrMissingCredentials
	}
	meta, body, err := c.postForm(ctx, op, "/v5/oauth/token", form, grant)
	if err != nil {
		return nil, err
	}
	ts, err := ParseTokenResponse(body, c.now())
	if err != nil {
		return nil, &UnexpectedResponseError{Operation: op, StatusCode: meta.StatusCode, ContentType: meta.ContentType, RequestID: meta.RequestID, Reason: err.Error()}
	}
	fields := tokenSetLogFields(ts)
	fields["operation"], fields["request_id"] = string(op), meta.RequestID
	c.logger.Log(ctx, LevelDebug, "Pinterest issued tokens", fields)
	return ts, nil
}

// ErrMissingCredentials is returned when the client id or secret is empty.
var ErrMissingCredentials = errors.New("the Pinterest app id (client_id) and secret (client_secret) are not configured")

// Revoke revokes a token (POST /v5/oauth/token/revoke). hint is
// "access_token" or "refresh_token". Pinterest supports this only for tokens
// issued to system users today; others get a 403.
func (c *Client) Revoke(ctx context.Context, token sensitive.Secret, hint string) error {
	if c.clientID == "" || c.clientSecret.IsEmpty() {
		return ErrMissingCredentials
	}
	form := url.Values{"token": {token.Reveal()}}
	if hint != "" {
		form.Set("token_type_hint", hint)
	}
	_, _, err := c.postForm(ctx, OpRevoke, "/v5/oauth/token/revoke", form, token)
	return err
}

// UserAccount is the account a token acts for (GET /v5/user_account).
type UserAccount struct {
	ID          string `json:"id"`
	Username    string `json:"username"`
	AccountType string `json:"account_type"`
}

// UserAccount reads the account behind an access token; the token needs the
// user_accounts:read scope.
func (c *Client) UserAccount(ctx context.Context, accessToken sensitive.Secret) (*UserAccount, error) {
	meta, body, err := c.bearer(ctx, OpUserAccount, http.MethodGet, "/v5/user_account", accessToken, nil)
	if err != nil {
		return nil, err
	}
	var ua UserAccount
	if err := json.Unmarshal(body, &ua); err != nil || ua.ID == "" {
		return nil, &UnexpectedResponseError{Operation: OpUserAccount, StatusCode: meta.StatusCode, ContentType: meta.ContentType, RequestID: meta.RequestID, Reason: "body is not a user account"}
	}
	return &ua, nil
}

var tokenTypeShape = regexp.MustCompile(`^[A-Za-z_]{1,32}$`)

// ConversionToken is what POST /v5/oauth/conversion_token answers
// (ConversionAccessTokenResponse): a token for the Conversions API only.
type ConversionToken struct {
	Token     sensitive.Secret
	TokenType string
}

// ConversionToken mints a conversion token; the access token needs the
// ads:write scope. Each call mints another: whether earlier ones stay valid
// is not documented.
func (c *Client) ConversionToken(ctx context.Context, accessToken sensitive.Secret) (*ConversionToken, error) {
	meta, body, err := c.bearer(ctx, OpConversion, http.MethodPost, "/v5/oauth/conversion_token", accessToken, nil)
	if err != nil {
		return nil, err
	}
	var answer struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
	}
	if err := json.Unmarshal(body, &answer); err != nil || answer.AccessToken == "" {
		return nil, &UnexpectedResponseError{Operation: OpConversion, StatusCode: meta.StatusCode, ContentType: meta.ContentType, RequestID: meta.RequestID, Reason: "body is not a conversion token"}
	}
	switch {
	case answer.TokenType == "":
		answer.TokenType = "conversion" // the spec's default
	case !tokenTypeShape.MatchString(answer.TokenType):
		// Server text goes to state only in a safe shape.
		return nil, &UnexpectedResponseError{Operation: OpConversion, StatusCode: meta.StatusCode, ContentType: meta.ContentType, RequestID: meta.RequestID, Reason: "token_type is not a word"}
	}
	return &ConversionToken{Token: sensitive.New(answer.AccessToken), TokenType: answer.TokenType}, nil
}

// bearer sends a call authorized by an access token, which is logged only as
// its fingerprint (with logFields) and masked in anything echoed back.
func (c *Client) bearer(ctx context.Context, op Operation, method, path string, accessToken sensitive.Secret, logFields map[string]any) (ResponseMeta, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.baseURL+path, nil)
	if err != nil {
		return ResponseMeta{}, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+accessToken.Reveal())
	if logFields == nil {
		logFields = map[string]any{}
	}
	logFields["access_token_sha256"] = accessToken.Fingerprint()
	return c.do(ctx, op, req, nil, logFields, accessToken)
}

// postForm sends an application/x-www-form-urlencoded POST with HTTP Basic
// client authentication, as Pinterest's token endpoints require.
func (c *Client) postForm(ctx context.Context, op Operation, path string, form url.Values, secrets ...sensitive.Secret) (ResponseMeta, []byte, error) {
	encoded := []byte(form.Encode())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.baseURL+path, nil)
	if err != nil {
		return ResponseMeta{}, nil, err
	}
	// Pinterest documents base64(client_id:client_secret) without the form
	// encoding RFC 6749 adds, which is what SetBasicAuth does.
	req.SetBasicAuth(c.clientID, c.clientSecret.Reveal())
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(ctx, op, req, encoded, formLogFields(form), secrets...)
}

// do sends req with retries and reads the response. A non-2xx response
// becomes an *APIError, an unreadable one an *UnexpectedResponseError.
func (c *Client) do(ctx context.Context, op Operation, req *http.Request, body []byte, logFields map[string]any, secrets ...sensitive.Secret) (ResponseMeta, []byte, error) {
	req.Header.Set("Accept", "application/json")
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	logFields["operation"], logFields["method"], logFields["url"] = string(op), req.Method, req.URL.Redacted()
	c.logger.Log(ctx, LevelTrace, "Request to Pinterest", logFields)
	// The app's secret and its Basic credential are masked whatever the
	// request was: a proxy may echo any header back.
	basic := sensitive.New(base64.StdEncoding.EncodeToString([]byte(c.clientID + ":" + c.clientSecret.Reveal())))
	secrets = append(secrets, c.clientSecret, basic)
	resp, unanswered, err := c.send(ctx, op, req, body, secrets)
	if err != nil {
		return ResponseMeta{}, nil, err
	}
	defer resp.Body.Close()
	meta := metaOf(resp)
	meta.RequestID = requestIDFor(meta.RequestID, secrets...)
	data, err := readLimited(resp.Body)
	if err != nil {
		return meta, nil, &UnexpectedResponseError{Operation: op, StatusCode: meta.StatusCode, ContentType: meta.ContentType, RequestID: meta.RequestID, Reason: err.Error()}
	}
	c.logger.Log(ctx, LevelDebug, "Response from Pinterest", map[string]any{
		"operation": string(op), "status": meta.StatusCode, "content_type": meta.ContentType,
		"request_id": meta.RequestID, "body_bytes": len(data),
		"ratelimit_remaining": safeHeaderNumber(resp.Header.Get("X-Ratelimit-Remaining")), "retry_after": truncate(scrub(resp.Header.Get("Retry-After")), 40),
	})
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		err := ParseError(op, meta, data, secrets...)
		if apiErr, ok := AsAPIError(err); ok {
			apiErr.RetryAfter, _ = retryAfter(resp)
			apiErr.UnansweredAttempts = unanswered
		}
		return meta, data, err
	}
	if ct, _, _ := mime.ParseMediaType(meta.ContentType); ct != "application/json" && !strings.HasSuffix(ct, "+json") && op != OpRevoke {
		return meta, data, &UnexpectedResponseError{Operation: op, StatusCode: meta.StatusCode, ContentType: meta.ContentType, RequestID: meta.RequestID,
			Reason: fmt.Sprintf("expected JSON, got %s (%d bytes); a proxy or captive portal may be answering instead of Pinterest", describeContentType(meta.ContentType), len(data))}
	}
	return meta, data, nil
}

func describeContentType(ct string) string {
	if ct == "" {
		return "no content type"
	}
	return ct
}

// metaOf keeps what the response's headers say, limited to safe shapes:
// they come from whoever answered, which may be a proxy echoing the request.
func metaOf(resp *http.Response) ResponseMeta {
	return ResponseMeta{
		StatusCode:  resp.StatusCode,
		ContentType: safeContentType(resp.Header.Get("Content-Type")),
		RequestID:   safeRequestID(resp.Header.Get("X-Pinterest-Rid")),
	}
}

// readLimited reads at most MaxResponseBytes and fails on a larger body
// rather than parsing a truncated one.
func readLimited(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxResponseBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading the response body failed: %w", err)
	}
	if len(data) > MaxResponseBytes {
		return nil, fmt.Errorf("response body is larger than %d bytes", MaxResponseBytes)
	}
	return data, nil
}
