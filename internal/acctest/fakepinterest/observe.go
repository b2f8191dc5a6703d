package fakepinterest

import (
	"fmt"
	"net/url"
	"slices"
)

// Knobs and observations for tests: what reached the fake, and ways to act
// as a person or another party would.

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
// redirectURI and scopes, approved by the fake's account (Options.User).
func (s *Server) IssueCode(redirectURI string, scopes ...string) string {
	return s.IssueCodeAs(s.opts.User, redirectURI, scopes...)
}

// IssueCodeAs is IssueCode approved by another account: the tokens of its
// exchange act for user, and GET /v5/user_account says so.
func (s *Server) IssueCodeAs(user UserAccount, redirectURI string, scopes ...string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issueCodeLocked(user, s.opts.ClientID, redirectURI, scopes)
}

// IssueTokens does what the manual consent-and-curl steps do: it returns a
// fresh access token and refresh token for scopes.
func (s *Server) IssueTokens(scopes ...string) (access, refresh string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	access, refresh, _ = s.mintLocked(s.opts.User, slices.Clone(scopes), slices.Clone(scopes), "authorization_code")
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

// ConversionTokens says how many conversion tokens the fake minted, and
// whether token is one of them.
func (s *Server) ConversionTokens(token string) (minted int, known bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, known = s.conversion[token]
	return len(s.conversion), known
}

// RemoveAccess is an account owner removing the app's access: every token
// the user's consents gave stops working at once, unexpired or not.
func (s *Server) RemoveAccess(user UserAccount) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, g := range s.refresh {
		if g.user.ID == user.ID {
			g.valid = false
		}
	}
	for _, g := range s.access {
		if g.user.ID == user.ID {
			g.valid = false
		}
	}
}
