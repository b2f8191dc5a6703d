package fakepinterest

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"html"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// The HTTP side: each handler checks the request, takes the lock only to
// read or change grants (grants.go), and writes its answer after letting
// go, so a slow client never holds up the fake.

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
	case ConversionTokenPath:
		s.conversionToken(w, r)
	case AdAccountsPath:
		s.adAccountsList(w, r)
	default:
		// Pinterest answers a trailing slash on the token path with 404 too.
		writeError(w, http.StatusNotFound, 404, "Not found.")
	}
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
	code := s.issueCodeLocked(s.opts.User, clientID, redirectURI, scopes)
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
	rep := s.tokenLocked(form)
	s.mu.Unlock()
	writeJSON(w, rep.status, rep.body)
}

func (s *Server) revoke(w http.ResponseWriter, r *http.Request) {
	form, ok := s.checkTokenRequest(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	rep := s.revokeLocked(form.Get("token"))
	s.mu.Unlock()
	writeJSON(w, rep.status, rep.body)
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

func (s *Server) userAccount(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	_, g, valid, readable := s.bearerLocked(r, "user_accounts:read")
	s.mu.Unlock()
	if !refusedBearer(w, valid, readable) {
		writeJSON(w, http.StatusOK, map[string]any{
			"id":           g.user.ID,
			"username":     g.user.Username,
			"account_type": g.user.AccountType,
			"website_url":  "https://example.com",
		})
	}
}

// conversionToken answers POST /v5/oauth/conversion_token as the spec
// describes (ConversionAccessTokenResponse): a bearer access token with
// ads:write gets a new conversion token each time. Whether Pinterest keeps
// earlier ones valid is unconfirmed; the fake keeps them all.
func (s *Server) conversionToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeError(w, http.StatusMethodNotAllowed, 405, "Method not allowed.")
		return
	}
	s.mu.Lock()
	tok, _, valid, allowed := s.bearerLocked(r, "ads:write")
	var minted string
	if allowed {
		minted = s.newTokenLocked("pinc_")
		s.conversion[minted] = tok
	}
	s.mu.Unlock()
	if !refusedBearer(w, valid, allowed) {
		writeJSON(w, http.StatusOK, map[string]any{"access_token": minted, "token_type": "conversion"})
	}
}

// refusedBearer answers as Pinterest does a token it does not accept (401)
// or one without the scope (403), and says whether it did.
func refusedBearer(w http.ResponseWriter, valid, scoped bool) bool {
	switch {
	case !valid:
		writeError(w, http.StatusUnauthorized, 2, "Authentication failed.")
	case !scoped:
		writeError(w, http.StatusForbidden, 29, "You are not permitted to access that resource.")
	default:
		return false
	}
	return true
}

// bearerLocked finds the grant of r's bearer access token: valid says
// whether Pinterest would accept the token now, scoped whether it also has
// scope. The caller holds s.mu.
func (s *Server) bearerLocked(r *http.Request, scope string) (tok string, g *accessGrant, valid, scoped bool) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	g, found := s.access[tok]
	valid = ok && found && g.valid && s.now().Before(g.expiresAt)
	return tok, g, valid, valid && slices.Contains(g.scopes, scope)
}

func writeError(w http.ResponseWriter, status, code int, msg string) {
	writeJSON(w, status, map[string]any{"code": code, "message": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
