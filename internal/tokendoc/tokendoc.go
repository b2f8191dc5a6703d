// Package tokendoc defines the token document: the one JSON document that a
// secret store holds for a Pinterest token set. The managed resource writes
// it, the ephemeral resource reads it and returns the next one, and the ETL
// job reads its access_token. Defining it once keeps all three in step.
//
//	{
//	  "format": "pinterest-token-document",
//	  "version": 1,
//	  "access_token": "pina...",
//	  "access_token_expires_at": "2026-04-01T12:00:00Z",
//	  "refresh_token": "pinr...",
//	  "refresh_token_expires_at": "2026-05-01T12:00:00Z",
//	  "token_type": "bearer",
//	  "scopes": ["boards:read", "pins:read"],
//	  "generation": 3
//	}
package tokendoc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
)

// Format and Version identify the document. A reader refuses a newer
// version rather than guessing at fields it does not know.
const (
	Format  = "pinterest-token-document"
	Version = 1
)

// Document is a token set as stores hold it. Tokens are pinterest.Secret, so
// a Document printed by accident shows no secret; Encode is the one way out.
type Document struct {
	AccessToken           pinterest.Secret
	AccessTokenExpiresAt  time.Time // zero when Pinterest did not say
	RefreshToken          pinterest.Secret
	RefreshTokenExpiresAt time.Time // zero when Pinterest did not say
	TokenType             string
	Scopes                []string
	// Generation starts at 1 and grows by one with every refresh, so a
	// store or a reader can tell a newer document from an older one.
	Generation int64
}

// wire is the JSON form. Field order is the order a person reading the
// document wants: what it is, what the ETL job uses, what the refresher uses.
type wire struct {
	Format                string   `json:"format"`
	Version               int      `json:"version"`
	AccessToken           string   `json:"access_token"`
	AccessTokenExpiresAt  string   `json:"access_token_expires_at,omitempty"`
	RefreshToken          string   `json:"refresh_token"`
	RefreshTokenExpiresAt string   `json:"refresh_token_expires_at,omitempty"`
	TokenType             string   `json:"token_type"`
	Scopes                []string `json:"scopes"`
	Generation            int64    `json:"generation"`
}

// FromTokenSet builds the document for a token set Pinterest just issued.
// prior is the document it replaces, or nil for the first one: the
// generation follows it, and so does the refresh token when Pinterest sent
// none (the newest refresh token is never dropped).
func FromTokenSet(ts *pinterest.TokenSet, prior *Document) *Document {
	d := &Document{
		AccessToken:           ts.AccessToken,
		AccessTokenExpiresAt:  ts.ExpiresAt,
		RefreshToken:          ts.RefreshToken,
		RefreshTokenExpiresAt: ts.RefreshTokenExpiresAt,
		TokenType:             ts.TokenType,
		Scopes:                slices.Clone(ts.Scopes),
		Generation:            1,
	}
	if prior != nil {
		d.Generation = prior.Generation + 1
		if d.RefreshToken.IsEmpty() {
			d.RefreshToken, d.RefreshTokenExpiresAt = prior.RefreshToken, prior.RefreshTokenExpiresAt
		}
		if d.Scopes == nil {
			d.Scopes = slices.Clone(prior.Scopes)
		}
	}
	return d
}

// Encode renders the document as compact JSON. The result holds secrets:
// it goes to a store's write-only argument or to state, never to a log.
func (d *Document) Encode() string {
	w := wire{
		Format:                Format,
		Version:               Version,
		AccessToken:           d.AccessToken.Reveal(),
		AccessTokenExpiresAt:  formatTime(d.AccessTokenExpiresAt),
		RefreshToken:          d.RefreshToken.Reveal(),
		RefreshTokenExpiresAt: formatTime(d.RefreshTokenExpiresAt),
		TokenType:             d.TokenType,
		Scopes:                d.Scopes,
		Generation:            d.Generation,
	}
	if w.Scopes == nil {
		w.Scopes = []string{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(w) // a struct of strings and numbers always encodes
	return string(bytes.TrimSpace(buf.Bytes()))
}

// ErrNotADocument and friends say what is wrong with a document without
// quoting it: the text holds tokens.
var (
	ErrNotADocument  = errors.New("it is not a JSON token document (expected an object with \"format\": \"" + Format + "\")")
	ErrNoRefresh     = errors.New("it has no refresh_token")
	ErrNewerVersion  = fmt.Errorf("it was written by a newer provider (version above %d); upgrade the provider", Version)
	ErrBadGeneration = errors.New("its generation is not a positive whole number")
)

// ErrAmbiguous is a document two readers could read differently.
var ErrAmbiguous = errors.New("it is ambiguous: a field appears twice, in two spellings, or text follows the document")

// Parse reads a document. It refuses what another reader could read
// differently (Go matches JSON keys without regard to case, and the last of
// two equal keys wins), so that the ETL job and the provider always see the
// same tokens. Errors never quote the input.
func Parse(s string) (*Document, error) {
	if err := unambiguous(s); err != nil {
		return nil, err
	}
	var w wire
	if err := json.Unmarshal([]byte(s), &w); err != nil || w.Format != Format {
		return nil, ErrNotADocument
	}
	switch {
	case w.Version > Version:
		return nil, ErrNewerVersion
	case w.Version < 1:
		return nil, ErrNotADocument
	case w.RefreshToken == "":
		return nil, ErrNoRefresh
	case w.Generation < 1:
		return nil, ErrBadGeneration
	}
	d := &Document{
		AccessToken:  pinterest.NewSecret(w.AccessToken),
		RefreshToken: pinterest.NewSecret(w.RefreshToken),
		TokenType:    w.TokenType,
		Scopes:       w.Scopes,
		Generation:   w.Generation,
	}
	var err error
	if d.AccessTokenExpiresAt, err = parseTime(w.AccessTokenExpiresAt); err != nil {
		return nil, fmt.Errorf("its access_token_expires_at is not an RFC 3339 time")
	}
	if d.RefreshTokenExpiresAt, err = parseTime(w.RefreshTokenExpiresAt); err != nil {
		return nil, fmt.Errorf("its refresh_token_expires_at is not an RFC 3339 time")
	}
	return d, nil
}

// known lists the document's keys as written.
var known = map[string]bool{
	"format": true, "version": true, "access_token": true, "access_token_expires_at": true, "refresh_token": true,
	"refresh_token_expires_at": true, "token_type": true, "scopes": true, "generation": true,
}

// unambiguous checks that s is one JSON object whose top-level keys appear
// once each and, where they name a field of the document, exactly as written.
func unambiguous(s string) error {
	dec := json.NewDecoder(strings.NewReader(s))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return ErrNotADocument
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		key, isKey := tok.(string)
		if err != nil || !isKey {
			return ErrNotADocument
		}
		folded := strings.ToLower(key)
		if seen[folded] || (!known[key] && known[folded]) {
			return ErrAmbiguous
		}
		seen[folded] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return ErrNotADocument
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return ErrNotADocument
	}
	if _, err := dec.Token(); err != io.EOF {
		return ErrAmbiguous
	}
	return nil
}

// RefreshReason says why the document's tokens must be refreshed now, or
// returns "" while both have more than window left. An access token
// without a known expiry, or an empty one, is always due: nothing says it
// still works.
func (d *Document) RefreshReason(now time.Time, window time.Duration) string {
	switch {
	case d.AccessToken.IsEmpty():
		return "the document holds no access token"
	case d.AccessTokenExpiresAt.IsZero():
		return "the document does not say when its access token expires"
	case d.AccessTokenExpiresAt.Sub(now) <= window:
		return fmt.Sprintf("the access token expires at %s, within %s", formatTime(d.AccessTokenExpiresAt), window)
	case !d.RefreshTokenExpiresAt.IsZero() && d.RefreshTokenExpiresAt.Sub(now) <= window:
		return fmt.Sprintf("the refresh token expires at %s, within %s", formatTime(d.RefreshTokenExpiresAt), window)
	}
	return ""
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339, s)
}
