package pinterest

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/oauth2"
)

// ConsentURL is Pinterest's OAuth consent page, where a person approves an app.
const ConsentURL = "https://www.pinterest.com/oauth/"

// KnownScopes lists the OAuth scopes of Pinterest API v5, from the oauth2
// security scheme of Pinterest's OpenAPI description.
var KnownScopes = []string{
	"ads:read", "ads:write",
	"billing:read", "billing:write",
	"biz_access:read", "biz_access:write",
	"boards:read", "boards:read_secret", "boards:write", "boards:write_secret",
	"catalogs:read", "catalogs:write",
	"msot:write",
	"pins:read", "pins:read_secret", "pins:write", "pins:write_secret",
	"user_accounts:read", "user_accounts:write",
}

// IsKnownScope reports whether s is one of KnownScopes.
func IsKnownScope(s string) bool { return slices.Contains(KnownScopes, s) }

// ParseScopes splits the scope string of a token response. Pinterest's
// separator is not documented (commas are used on the consent page, RFC 6749
// uses spaces), so both are accepted. The result is sorted and free of
// duplicates so that it compares stably across refreshes.
func ParseScopes(s string) []string {
	fields := strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	})
	slices.Sort(fields)
	return slices.Compact(fields)
}

// AuthorizationURL builds the consent URL a person opens to approve the app
// for the given scopes. Pinterest expects the scopes comma-separated, which is
// why they travel as an explicit parameter rather than oauth2.Config.Scopes
// (that one joins with spaces).
func AuthorizationURL(consentURL, clientID, redirectURI string, scopes []string, state string) string {
	cfg := oauth2.Config{
		ClientID:    clientID,
		RedirectURL: redirectURI,
		Endpoint:    oauth2.Endpoint{AuthURL: consentURL},
	}
	return cfg.AuthCodeURL(state, oauth2.SetAuthURLParam("scope", strings.Join(scopes, ",")))
}

// ValidateRedirectURI checks that uri is an absolute URL, as Pinterest
// requires of a redirect URI registered on an app.
func ValidateRedirectURI(uri string) error {
	u, err := url.Parse(uri)
	if err != nil {
		return fmt.Errorf("%q is not a valid URL: %w", uri, err)
	}
	if u.Scheme == "" || u.Host == "" {
		return fmt.Errorf("%q is not an absolute URL; it needs a scheme and a host, for example https://example.com/oauth/callback", uri)
	}
	if u.Fragment != "" {
		return fmt.Errorf("%q has a fragment (#...), which a redirect URI may not have", uri)
	}
	return nil
}
