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
//
// A document handed off to an ETL tool also carries "handed_off": true, and
// a document that replaced another carries "follows", a fingerprint of the
// refresh token it replaced.
package tokendoc

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
)

// Format and Version identify the document. A reader refuses a newer
// version rather than guessing at fields it does not know.
const (
	Format  = "pinterest-token-document"
	Version = 1
)

// MaxGeneration is the largest generation a document may carry: the
// largest integer every JSON reader holds exactly (JavaScript, jq), so
// that no reader sees a generation that differs from ours, and one that
// can always grow by one without overflow.
const MaxGeneration = 1<<53 - 1

// Document is a token set as stores hold it. Tokens are sensitive.Secret, so
// a Document printed by accident shows no secret; Encode is the one way out.
type Document struct {
	AccessToken           sensitive.Secret
	AccessTokenExpiresAt  time.Time // zero when Pinterest did not say
	RefreshToken          sensitive.Secret
	RefreshTokenExpiresAt time.Time // zero when Pinterest did not say
	TokenType             string
	Scopes                []string
	// Generation starts at 1 and grows by one with every refresh, so a
	// store or a reader can tell a newer document from an older one.
	Generation int64
	// HandedOff marks a token set delivered to a consumer that refreshes it
	// itself (an ETL tool such as Airbyte): nothing of this provider may
	// refresh it again, or there would be two refreshers.
	HandedOff bool
	// Follows is the fingerprint (Follow) of the refresh token of the
	// document this one replaced, empty for a first set. It ties a
	// document to its predecessor, so that a store's copy can be told to
	// be the successor of the set a state holds and not any other set.
	Follows string
	// Account is the id of the Pinterest account the tokens act for, when
	// known.
	Account string
	// Binding is the proof that this provider wrote the document as the
	// successor of the set it follows: a MAC over the rest of the document,
	// keyed with the app's client secret and the refresh token it replaced
	// (tokenset.Bind). Only adopting a store's copy needs it; every other
	// reader ignores it.
	Binding string
}

// Follow is the fingerprint a successor of a set whose refresh token is rt
// carries in Follows: a hex SHA-256 prefix of the (then retired) token,
// which says nothing of it.
func Follow(rt sensitive.Secret) string {
	if rt.IsEmpty() {
		return ""
	}
	sum := sha256.Sum256([]byte("pinterest-token-document follows\x00" + rt.Reveal()))
	return hex.EncodeToString(sum[:16])
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
	HandedOff             bool     `json:"handed_off,omitempty"`
	Follows               string   `json:"follows,omitempty"`
	Account               string   `json:"account,omitempty"`
	Binding               string   `json:"binding,omitempty"`
}

// Encode renders the document as compact JSON. The result holds secrets:
// it goes to a store's write-only argument or to state, never to a log.
func (d *Document) Encode() string {
	w := wire{
		Format:                Format,
		Version:               Version,
		AccessToken:           d.AccessToken.Reveal(),
		AccessTokenExpiresAt:  FormatTime(d.AccessTokenExpiresAt),
		RefreshToken:          d.RefreshToken.Reveal(),
		RefreshTokenExpiresAt: FormatTime(d.RefreshTokenExpiresAt),
		TokenType:             d.TokenType,
		Scopes:                d.Scopes,
		Generation:            d.Generation,
		HandedOff:             d.HandedOff,
		Follows:               d.Follows,
		Account:               d.Account,
		Binding:               d.Binding,
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
	ErrBadGeneration = fmt.Errorf("its generation is not a whole number from 1 to %d", int64(MaxGeneration))
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
	case w.Generation < 1 || w.Generation > MaxGeneration:
		return nil, ErrBadGeneration
	}
	d := &Document{
		AccessToken:  sensitive.New(w.AccessToken),
		RefreshToken: sensitive.New(w.RefreshToken),
		TokenType:    w.TokenType,
		Scopes:       w.Scopes,
		Generation:   w.Generation,
		HandedOff:    w.HandedOff,
		Follows:      w.Follows,
		Account:      w.Account,
		Binding:      w.Binding,
	}
	var err error
	if d.AccessTokenExpiresAt, err = ParseTime(w.AccessTokenExpiresAt); err != nil {
		return nil, fmt.Errorf("its access_token_expires_at is not an RFC 3339 time")
	}
	if d.RefreshTokenExpiresAt, err = ParseTime(w.RefreshTokenExpiresAt); err != nil {
		return nil, fmt.Errorf("its refresh_token_expires_at is not an RFC 3339 time")
	}
	return d, nil
}

// known lists the document's keys as written.
var known = map[string]bool{
	"format": true, "version": true, "access_token": true, "access_token_expires_at": true, "refresh_token": true,
	"refresh_token_expires_at": true, "token_type": true, "scopes": true, "generation": true, "handed_off": true, "follows": true,
	"account": true, "binding": true,
}

// unambiguous checks that s is one JSON object whose top-level keys are
// ASCII, appear once each and, where they name a field of the document,
// exactly as written. Non-ASCII keys are refused outright: encoding/json
// matches keys with Unicode case folding ("ſ" U+017F matches "s", "K" U+212A
// matches "k"), which no ASCII check can follow, while jq and Python match
// exactly, so such a key could make two readers see two different tokens.
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
		if !isASCII(key) || seen[folded] || (!known[key] && known[folded]) {
			return ErrAmbiguous
		}
		seen[folded] = true
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return ErrNotADocument
		}
		// handed_off must be a boolean: a null would read as "not handed
		// off" and let a second refresher in.
		if key == "handed_off" && string(value) != "true" && string(value) != "false" {
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

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// FormatTime renders t as RFC 3339 UTC, as the document stores it; the
// zero time gives "".
func FormatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// ParseTime reads a time as the document stores it; "" gives zero.
func ParseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339, s)
}
