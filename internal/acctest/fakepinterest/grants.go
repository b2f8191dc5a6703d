package fakepinterest

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// The grant state machine: codes, refresh tokens and access tokens, and what
// each token request does to them. Every method here runs with s.mu held
// and returns the answer as a reply; nothing here writes to the network.

// Every grant carries the account that approved it; tokens act for it.
type codeGrant struct {
	clientID, redirectURI string
	scopes                []string
	issuedAt              time.Time
	used                  bool
	user                  UserAccount
}

type refreshGrant struct {
	scopes    []string
	expiresAt time.Time
	valid     bool
	user      UserAccount
}

type accessGrant struct {
	scopes    []string
	expiresAt time.Time
	valid     bool
	user      UserAccount
}

// reply is an answer computed under the lock and written after it.
type reply struct {
	status int
	body   any
}

func errorReply(status, code int, msg string) reply {
	return reply{status, map[string]any{"code": code, "message": msg}}
}

func invalidGrant(status int) reply {
	return reply{status, map[string]any{"code": 283, "message": "The authorization grant is invalid", "status": "failure"}}
}

// tokenLocked answers a token request whose client authentication passed.
func (s *Server) tokenLocked(form url.Values) reply {
	switch form.Get("grant_type") {
	case "authorization_code":
		return s.exchangeLocked(form)
	case "refresh_token":
		return s.refreshGrantLocked(form)
	case "client_credentials":
		return errorReply(http.StatusForbidden, 29, "You are not permitted to access that resource.")
	default:
		return errorReply(http.StatusBadRequest, 1, "Invalid parameters: unsupported grant_type.")
	}
}

func (s *Server) exchangeLocked(form url.Values) reply {
	g, ok := s.codes[form.Get("code")]
	switch {
	case !ok, g.used, s.now().Sub(g.issuedAt) > s.opts.CodeTTL, g.redirectURI != form.Get("redirect_uri"):
		// Pinterest does not say which of these it was; neither does the fake.
		return invalidGrant(http.StatusBadRequest)
	}
	g.used = true
	_, _, resp := s.mintLocked(g.user, g.scopes, g.scopes, "authorization_code")
	return reply{http.StatusOK, resp}
}

func (s *Server) refreshGrantLocked(form url.Values) reply {
	g, ok := s.refresh[form.Get("refresh_token")]
	if !ok || !g.valid || !s.now().Before(g.expiresAt) {
		return invalidGrant(http.StatusUnauthorized)
	}
	scopes := g.scopes
	if sc := form.Get("scope"); sc != "" {
		scopes = splitScopes(sc)
		for _, want := range scopes {
			if !slices.Contains(g.scopes, want) {
				return errorReply(http.StatusBadRequest, 1, "Invalid scope: the refresh token was not granted "+want+".")
			}
		}
	}
	_, resp := s.refreshLocked(form.Get("refresh_token"), g, scopes)
	return reply{http.StatusOK, resp}
}

// mintLocked issues an access token for accessScopes and a 60-day refresh
// token for refreshScopes, and returns both and the token response.
func (s *Server) mintLocked(user UserAccount, accessScopes, refreshScopes []string, responseType string) (access, refresh string, resp map[string]any) {
	now := s.now()
	access = s.newTokenLocked("pina_")
	s.access[access] = &accessGrant{scopes: accessScopes, expiresAt: now.Add(s.opts.AccessTokenTTL), valid: true, user: user}
	refresh = s.newTokenLocked("pinr_")
	rexp := now.Add(s.opts.RefreshTokenTTL)
	s.refresh[refresh] = &refreshGrant{scopes: refreshScopes, expiresAt: rexp, valid: true, user: user}
	resp = map[string]any{
		"access_token":             access,
		"refresh_token":            refresh,
		"token_type":               "bearer",
		"expires_in":               int64(s.opts.AccessTokenTTL.Seconds()),
		"refresh_token_expires_in": int64(s.opts.RefreshTokenTTL.Seconds()),
		"refresh_token_expires_at": rexp.Unix(),
		"scope":                    strings.Join(accessScopes, s.opts.ScopeSeparator),
		"response_type":            responseType,
	}
	if s.opts.OmitExpiresIn {
		delete(resp, "expires_in")
	}
	if s.opts.OmitRefreshScope && responseType == "refresh_token" {
		delete(resp, "scope")
	}
	return access, refresh, resp
}

// refreshLocked issues a new access token and, as continuous refresh does, a
// new 60-day refresh token; it returns the new refresh token and the response.
func (s *Server) refreshLocked(old string, g *refreshGrant, scopes []string) (string, map[string]any) {
	_, refresh, resp := s.mintLocked(g.user, scopes, g.scopes, "refresh_token")
	if !s.opts.PreviousRefreshTokenStaysValid {
		s.refresh[old].valid = false
	}
	return refresh, resp
}

// revokeLocked ends a token, as POST /v5/oauth/token/revoke does for a
// system user's tokens.
func (s *Server) revokeLocked(tok string) reply {
	if !s.opts.SystemUser {
		return errorReply(http.StatusForbidden, 29, "You are not permitted to access that resource.")
	}
	if g, ok := s.refresh[tok]; ok {
		g.valid = false
	}
	if g, ok := s.access[tok]; ok {
		g.valid = false
	}
	return reply{http.StatusOK, map[string]any{}}
}

func (s *Server) issueCodeLocked(user UserAccount, clientID, redirectURI string, scopes []string) string {
	code := randomHex(20)
	s.issued = append(s.issued, code)
	s.codes[code] = &codeGrant{clientID: clientID, redirectURI: redirectURI, scopes: slices.Clone(scopes), issuedAt: s.now(), user: user}
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
