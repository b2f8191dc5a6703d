// Package fakepinterest is a stand-in for Pinterest's OAuth endpoints that
// behaves as PINTEREST_OAUTH.md documents the real ones: HTTP Basic client
// authentication, form bodies, single-use authorization codes that expire
// after 10 minutes and are bound to their redirect_uri, continuous refresh
// that hands out a new refresh token on every refresh, Pinterest-shaped error
// bodies with an x-pinterest-rid request id, and knobs for faults (429 with
// Retry-After, 5xx, delays, resets, malformed bodies). Unit tests,
// acceptance tests and the demo all use it, so the behaviour is written once.
package fakepinterest

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"io"
	mrand "math/rand/v2"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Paths the fake serves.
const (
	ConsentPath     = "/oauth/"
	TokenPath       = "/v5/oauth/token"
	RevokePath      = "/v5/oauth/token/revoke"
	UserAccountPath = "/v5/user_account"
)

// Options describe the app registered at the fake and how it behaves.
type Options struct {
	ClientID     string
	ClientSecret string
	// RedirectURIs are the redirect URIs registered on the app.
	RedirectURIs []string
	// Clock, when set, decides code and token expiry; default the wall clock.
	Clock *Clock
	// Lifetimes; defaults are Pinterest's: 10 minutes, 30 days, 60 days.
	CodeTTL, AccessTokenTTL, RefreshTokenTTL time.Duration
	// PreviousRefreshTokenStaysValid keeps a refresh token usable after it
	// was refreshed. Pinterest does not document this; the worst case
	// (false: it dies at once) is the default.
	PreviousRefreshTokenStaysValid bool
	// ScopeSeparator joins scopes in token responses; default ",".
	ScopeSeparator string
	// SystemUser makes revocation succeed; Pinterest revokes only tokens of
	// system users and answers 403 for the rest.
	SystemUser bool
	// User is the account behind every token; default a business account.
	User UserAccount
	// Seed makes the random failure rate repeatable.
	Seed uint64
}

// DefaultUser is the account behind every token unless Options.User says.
var DefaultUser = UserAccount{ID: "549755885175", Username: "sprig_data", AccountType: "BUSINESS"}

// UserAccount is the subset of GET /v5/user_account the fake returns.
type UserAccount struct {
	ID          string `json:"id"`
	Username    string `json:"username"`
	AccountType string `json:"account_type"`
}

type codeGrant struct {
	clientID, redirectURI string
	scopes                []string
	issuedAt              time.Time
	used                  bool
}

type refreshGrant struct {
	scopes    []string
	expiresAt time.Time
	valid     bool
}

type accessGrant struct {
	scopes    []string
	expiresAt time.Time
	valid     bool
}

// Server is a running or mountable fake. Its methods are safe for concurrent use.
type Server struct {
	opts Options

	mu       sync.Mutex
	codes    map[string]*codeGrant
	refresh  map[string]*refreshGrant
	access   map[string]*accessGrant
	faults   map[string][]Fault
	failRate map[string]float64
	rng      *mrand.Rand
	requests map[string]int
	forms    map[string][]url.Values
	agents   []string
	issued   []string

	ridSeq atomic.Int64
	conns  atomic.Int64
	ts     *httptest.Server
}

// New returns a fake that is not yet listening; mount it with ServeHTTP or
// call Start.
func New(opts Options) *Server {
	if opts.CodeTTL == 0 {
		opts.CodeTTL = 10 * time.Minute
	}
	if opts.AccessTokenTTL == 0 {
		opts.AccessTokenTTL = 30 * 24 * time.Hour
	}
	if opts.RefreshTokenTTL == 0 {
		opts.RefreshTokenTTL = 60 * 24 * time.Hour
	}
	if opts.ScopeSeparator == "" {
		opts.ScopeSeparator = ","
	}
	if opts.User.ID == "" {
		opts.User = DefaultUser
	}
	return &Server{
		opts:     opts,
		codes:    map[string]*codeGrant{},
		refresh:  map[string]*refreshGrant{},
		access:   map[string]*accessGrant{},
		faults:   map[string][]Fault{},
		failRate: map[string]float64{},
		rng:      mrand.New(mrand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15)),
		requests: map[string]int{},
		forms:    map[string][]url.Values{},
		issued:   []string{opts.ClientSecret},
	}
}

// Start serves the fake on a free loopback port.
func Start(opts Options) *Server {
	s := New(opts)
	ts := httptest.NewUnstartedServer(s)
	ts.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			s.conns.Add(1)
		}
	}
	ts.Start()
	s.ts = ts
	return s
}

// URL is the fake's base URL, for the provider's api_url.
func (s *Server) URL() string { return s.ts.URL }

// Close stops the fake.
func (s *Server) Close() { s.ts.Close() }

func (s *Server) now() time.Time {
	if s.opts.Clock != nil {
		return s.opts.Clock.Now()
	}
	return time.Now()
}

// ServeHTTP routes a request after counting it and applying any fault.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Pinterest-Rid", fmt.Sprintf("fake-%06d", s.ridSeq.Add(1)))
	if s.applyFault(w, r) {
		return
	}
	s.route(w, r)
}

func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case ConsentPath, "/oauth":
		s.consent(w, r)
	case TokenPath:
		s.token(w, r)
	case RevokePath:
		s.revoke(w, r)
	case UserAccountPath:
		s.userAccount(w, r)
	default:
		// Pinterest answers a trailing slash on the token path with 404 too.
		writeError(w, http.StatusNotFound, 404, "Not found.")
	}
}

// --- knobs and observations for tests ---

// InjectFaults queues faults for requests to path.
func (s *Server) InjectFaults(path string, faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[path] = append(s.faults[path], faults...)
}

// SetFailureRate makes a fraction of requests to path fail with 503.
func (s *Server) SetFailureRate(path string, rate float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failRate[path] = rate
}

// Requests counts the requests that reached path, faults included.
func (s *Server) Requests(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[path]
}

// Forms returns the form bodies posted to path, oldest first.
func (s *Server) Forms(path string) []url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.forms[path])
}

// Grants counts the token requests of one grant_type ("refresh_token",
// "authorization_code") that passed client authentication.
func (s *Server) Grants(grantType string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, f := range s.forms[TokenPath] {
		if f.Get("grant_type") == grantType {
			n++
		}
	}
	return n
}

// UserAgents returns the User-Agent of every request, oldest first.
func (s *Server) UserAgents() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.agents)
}

// Connections counts the TCP connections accepted.
func (s *Server) Connections() int { return int(s.conns.Load()) }

// IssuedSecrets lists every secret the fake knows: the client secret and each
// code and token it issued. Leak tests search logs and state for them.
func (s *Server) IssuedSecrets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.issued)
}

// IssueCode does what a person's consent does: it returns a fresh code for
// redirectURI and scopes.
func (s *Server) IssueCode(redirectURI string, scopes ...string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issueCodeLocked(s.opts.ClientID, redirectURI, scopes)
}

// IssueTokens does what the manual consent-and-curl steps do: it returns a
// fresh access token and refresh token for scopes.
func (s *Server) IssueTokens(scopes ...string) (access, refresh string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	access, refresh, _ = s.mintLocked(slices.Clone(scopes), slices.Clone(scopes), "authorization_code")
	return access, refresh
}

// RefreshTokenValid reports whether a refresh token would be accepted now.
func (s *Server) RefreshTokenValid(token string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.refresh[token]
	return ok && g.valid && s.now().Before(g.expiresAt)
}

// AccessTokenValid reports whether an access token would be accepted now.
func (s *Server) AccessTokenValid(token string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.access[token]
	return ok && g.valid && s.now().Before(g.expiresAt)
}

// ForeignRefresh refreshes token as another party would (a second pipeline
// or a person with curl) and returns the new refresh token.
func (s *Server) ForeignRefresh(token string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.refresh[token]
	if !ok || !g.valid {
		return "", fmt.Errorf("refresh token not valid")
	}
	refresh, _ := s.refreshLocked(token, g, g.scopes)
	return refresh, nil
}

// RevokeEverything invalidates every token, as an app secret reset would.
func (s *Server) RevokeEverything() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, g := range s.refresh {
		g.valid = false
	}
	for _, g := range s.access {
		g.valid = false
	}
}

// --- handlers ---

func (s *Server) applyFault(w http.ResponseWriter, r *http.Request) bool {
	s.mu.Lock()
	s.requests[r.URL.Path]++
	s.agents = append(s.agents, r.UserAgent())
	var f *Fault
	if q := s.faults[r.URL.Path]; len(q) > 0 {
		f = &q[0]
		f.Times--
		if f.Times <= 0 {
			s.faults[r.URL.Path] = q[1:]
		}
		fc := *f
		f = &fc
	} else if rate := s.failRate[r.URL.Path]; rate > 0 && s.rng.Float64() < rate {
		f = &Fault{Status: http.StatusServiceUnavailable}
	}
	s.mu.Unlock()
	if f == nil {
		return false
	}
	if f.Delay > 0 {
		// Read the body first: only then does the server notice a client
		// that hangs up, and end the wait.
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-time.After(f.Delay):
		case <-r.Context().Done():
			return true
		}
	}
	if f.LoseResponse {
		// Pinterest carries the request out; the answer never arrives.
		s.route(httptest.NewRecorder(), r)
		f.Reset = true
	}
	if f.Reset {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				if tc, ok := conn.(*net.TCPConn); ok {
					_ = tc.SetLinger(0) // RST rather than FIN
				}
				_ = conn.Close()
			}
		}
		return true
	}
	if f.Status == 0 {
		return false
	}
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	for k, vs := range f.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	ct := f.ContentType
	if ct == "" {
		ct = "application/json"
	}
	w.Header().Set("Content-Type", ct)
	body := f.Body
	switch {
	case f.EmptyBody:
		body = ""
	case f.BodySize > 0:
		body = strings.Repeat("x", f.BodySize)
	case body == "" && ct == "application/json":
		code, msg := defaultErrorBody(f.Status)
		b, _ := json.Marshal(map[string]any{"code": code, "message": msg})
		body = string(b)
	}
	w.WriteHeader(f.Status)
	_, _ = w.Write([]byte(body))
	return true
}

// consent auto-approves and redirects back with a code and the state, as a
// person clicking "Give access" would.
func (s *Server) consent(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	clientID := q.Get("client_id")
	if clientID == "" {
		clientID = q.Get("consumer_id") // Pinterest's sample code uses the older name
	}
	redirectURI := q.Get("redirect_uri")
	if clientID != s.opts.ClientID {
		consentError(w, "Unknown app: client_id does not match a registered app.")
		return
	}
	if !slices.Contains(s.opts.RedirectURIs, redirectURI) {
		consentError(w, "redirect_uri does not match one registered on the app.")
		return
	}
	if q.Get("response_type") != "code" {
		consentError(w, "response_type must be code.")
		return
	}
	scopes := splitScopes(q.Get("scope"))
	if len(scopes) == 0 {
		consentError(w, "scope is required.")
		return
	}
	s.mu.Lock()
	code := s.issueCodeLocked(clientID, redirectURI, scopes)
	s.mu.Unlock()
	u, _ := url.Parse(redirectURI)
	v := u.Query()
	v.Set("code", code)
	if st := q.Get("state"); st != "" {
		v.Set("state", st)
	}
	u.RawQuery = v.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

func consentError(w http.ResponseWriter, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusBadRequest)
	fmt.Fprintf(w, "<html><body><h1>Something went wrong</h1><p>%s</p></body></html>", html.EscapeString(msg))
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	form, ok := s.checkTokenRequest(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch form.Get("grant_type") {
	case "authorization_code":
		s.exchangeLocked(w, form)
	case "refresh_token":
		g, ok := s.refresh[form.Get("refresh_token")]
		if !ok || !g.valid || !s.now().Before(g.expiresAt) {
			writeInvalidGrant(w, http.StatusUnauthorized)
			return
		}
		scopes := g.scopes
		if sc := form.Get("scope"); sc != "" {
			scopes = splitScopes(sc)
			for _, want := range scopes {
				if !slices.Contains(g.scopes, want) {
					writeError(w, http.StatusBadRequest, 1, "Invalid scope: the refresh token was not granted "+want+".")
					return
				}
			}
		}
		_, body := s.refreshLocked(form.Get("refresh_token"), g, scopes)
		writeJSON(w, http.StatusOK, body)
	case "client_credentials":
		writeError(w, http.StatusForbidden, 29, "You are not permitted to access that resource.")
	default:
		writeError(w, http.StatusBadRequest, 1, "Invalid parameters: unsupported grant_type.")
	}
}

// checkTokenRequest applies what every token endpoint request must satisfy.
func (s *Server) checkTokenRequest(w http.ResponseWriter, r *http.Request) (url.Values, bool) {
	if r.Method != http.MethodPost {
		writeError(w, http.StatusMethodNotAllowed, 405, "Method not allowed.")
		return nil, false
	}
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/x-www-form-urlencoded" {
		writeError(w, http.StatusBadRequest, 1, "Invalid parameters: the body must be application/x-www-form-urlencoded.")
		return nil, false
	}
	id, secret, ok := r.BasicAuth()
	// Constant time, as a real server compares a credential.
	if !ok || subtle.ConstantTimeCompare([]byte(id), []byte(s.opts.ClientID)) != 1 ||
		subtle.ConstantTimeCompare([]byte(secret), []byte(s.opts.ClientSecret)) != 1 {
		writeError(w, http.StatusUnauthorized, 2, "Authentication failed.")
		return nil, false
	}
	if err := r.ParseForm(); err != nil {
		writeError(w, http.StatusBadRequest, 1, "Invalid parameters.")
		return nil, false
	}
	s.mu.Lock()
	s.forms[r.URL.Path] = append(s.forms[r.URL.Path], r.PostForm)
	s.mu.Unlock()
	return r.PostForm, true
}

func (s *Server) exchangeLocked(w http.ResponseWriter, form url.Values) {
	g, ok := s.codes[form.Get("code")]
	switch {
	case !ok, g.used, s.now().Sub(g.issuedAt) > s.opts.CodeTTL, g.redirectURI != form.Get("redirect_uri"):
		// Pinterest does not say which of these it was; neither does the fake.
		writeInvalidGrant(w, http.StatusBadRequest)
		return
	}
	g.used = true
	_, _, resp := s.mintLocked(g.scopes, g.scopes, "authorization_code")
	writeJSON(w, http.StatusOK, resp)
}

// mintLocked issues an access token for accessScopes and a 60-day refresh
// token for refreshScopes, and returns both and the token response.
func (s *Server) mintLocked(accessScopes, refreshScopes []string, responseType string) (access, refresh string, resp map[string]any) {
	now := s.now()
	access = s.newTokenLocked("pina_")
	s.access[access] = &accessGrant{scopes: accessScopes, expiresAt: now.Add(s.opts.AccessTokenTTL), valid: true}
	refresh = s.newTokenLocked("pinr_")
	rexp := now.Add(s.opts.RefreshTokenTTL)
	s.refresh[refresh] = &refreshGrant{scopes: refreshScopes, expiresAt: rexp, valid: true}
	return access, refresh, map[string]any{
		"access_token":             access,
		"refresh_token":            refresh,
		"token_type":               "bearer",
		"expires_in":               int64(s.opts.AccessTokenTTL.Seconds()),
		"refresh_token_expires_in": int64(s.opts.RefreshTokenTTL.Seconds()),
		"refresh_token_expires_at": rexp.Unix(),
		"scope":                    strings.Join(accessScopes, s.opts.ScopeSeparator),
		"response_type":            responseType,
	}
}

// refreshLocked issues a new access token and, as continuous refresh does, a
// new 60-day refresh token; it returns the new refresh token and the response.
func (s *Server) refreshLocked(old string, g *refreshGrant, scopes []string) (string, map[string]any) {
	_, refresh, resp := s.mintLocked(scopes, g.scopes, "refresh_token")
	if !s.opts.PreviousRefreshTokenStaysValid {
		s.refresh[old].valid = false
	}
	return refresh, resp
}

func (s *Server) revoke(w http.ResponseWriter, r *http.Request) {
	form, ok := s.checkTokenRequest(w, r)
	if !ok {
		return
	}
	if !s.opts.SystemUser {
		writeError(w, http.StatusForbidden, 29, "You are not permitted to access that resource.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	tok := form.Get("token")
	if g, ok := s.refresh[tok]; ok {
		g.valid = false
	}
	if g, ok := s.access[tok]; ok {
		g.valid = false
	}
	writeJSON(w, http.StatusOK, map[string]any{})
}

func (s *Server) userAccount(w http.ResponseWriter, r *http.Request) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	s.mu.Lock()
	g, found := s.access[tok]
	valid := ok && found && g.valid && s.now().Before(g.expiresAt)
	s.mu.Unlock()
	if !valid {
		writeError(w, http.StatusUnauthorized, 2, "Authentication failed.")
		return
	}
	if !slices.Contains(g.scopes, "user_accounts:read") {
		writeError(w, http.StatusForbidden, 29, "You are not permitted to access that resource.")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"id":           s.opts.User.ID,
		"username":     s.opts.User.Username,
		"account_type": s.opts.User.AccountType,
		"website_url":  "https://example.com",
	})
}

// --- helpers ---

func (s *Server) issueCodeLocked(clientID, redirectURI string, scopes []string) string {
	code := randomHex(20)
	s.issued = append(s.issued, code)
	s.codes[code] = &codeGrant{clientID: clientID, redirectURI: redirectURI, scopes: slices.Clone(scopes), issuedAt: s.now()}
	return code
}

func (s *Server) newTokenLocked(prefix string) string {
	tok := prefix + randomHex(32)
	s.issued = append(s.issued, tok)
	return tok
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func splitScopes(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
}

func writeInvalidGrant(w http.ResponseWriter, status int) {
	writeJSON(w, status, map[string]any{"code": 283, "message": "The authorization grant is invalid", "status": "failure"})
}

func writeError(w http.ResponseWriter, status, code int, msg string) {
	writeJSON(w, status, map[string]any{"code": code, "message": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
