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
	"bytes"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
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
	// ConversionTokenPath mints a conversion token from an access token
	// with ads:write (operation oauth/conversion_token).
	ConversionTokenPath = "/v5/oauth/conversion_token"
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
	// OmitRefreshScope leaves scope out of refresh answers, which the
	// spec's 5.23-to-5.28 changelog allows when it is unchanged.
	OmitRefreshScope bool
	// OmitExpiresIn leaves expires_in out of every token answer, so a
	// token set does not say when its access token expires.
	OmitExpiresIn bool
}

// DefaultUser is the account behind every token unless Options.User says.
var DefaultUser = UserAccount{ID: "549755885175", Username: "sprig_data", AccountType: "BUSINESS"}

// UserAccount is the subset of GET /v5/user_account the fake returns.
type UserAccount struct {
	ID          string `json:"id"`
	Username    string `json:"username"`
	AccountType string `json:"account_type"`
}

// Server is a running or mountable fake. Its methods are safe for concurrent use.
type Server struct {
	opts Options

	mu      sync.Mutex
	codes   map[string]*codeGrant
	refresh map[string]*refreshGrant
	access  map[string]*accessGrant
	// conversion holds the conversion tokens minted, each to the access
	// token that asked for it.
	conversion map[string]string
	adAccounts map[string]*AdAccount
	faults     map[string][]Fault
	failRate   map[string]float64
	rng        *mrand.Rand
	requests   map[string]int
	forms      map[string][]url.Values
	agents     []string
	issued     []string

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
		opts:       opts,
		codes:      map[string]*codeGrant{},
		refresh:    map[string]*refreshGrant{},
		access:     map[string]*accessGrant{},
		conversion: map[string]string{},
		adAccounts: map[string]*AdAccount{},
		faults:     map[string][]Fault{},
		failRate:   map[string]float64{},
		rng:        mrand.New(mrand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15)),
		requests:   map[string]int{},
		forms:      map[string][]url.Values{},
		issued:     []string{opts.ClientSecret},
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

// maxBodyBytes bounds what the fake reads of a request body.
const maxBodyBytes = 1 << 20

// ServeHTTP reads the body once, counts the request, applies any fault and
// routes it. Reading the body first lets a delay notice a client that hangs
// up; the handlers then read the same bytes again.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Pinterest-Rid", fmt.Sprintf("fake-%06d", s.ridSeq.Add(1)))
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes))
	if err != nil {
		return // the client went away
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if s.applyFault(w, r, body) {
		return
	}
	s.route(w, r)
}
