// Package sensitive holds Secret, the type of every token, code and client
// secret: a value that cannot be printed by accident. It has no other
// dependency, so that the journal, the token document and the client share it.
package sensitive

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// Secret holds a token, an authorization code or a client secret. It cannot be
// printed by accident. Every method that renders it (String, GoString,
// Format, MarshalJSON, MarshalText) yields a placeholder. Where no method can
// be called, as when a Secret is an unexported field of a struct, fmt walks
// the struct by reflection: so the value sits behind a pointer in an
// unexported field, which fmt prints as an address, reflect as
// "<sensitive.Secret Value>", and gob not at all. Call Reveal where the
// value really has to leave the program (an HTTP request, the Terraform
// state), and Equal to compare two secrets (== compares the pointers).
type Secret struct {
	value *string
}

// Redacted is what a Secret prints instead of its value.
const Redacted = "[redacted]"

// New wraps a secret value; the empty string gives the empty Secret.
func New(value string) Secret {
	if value == "" {
		return Secret{}
	}
	return Secret{value: &value}
}

// Reveal returns the secret value itself.
func (s Secret) Reveal() string {
	if s.value == nil {
		return ""
	}
	return *s.value
}

// IsEmpty reports whether no secret is held.
func (s Secret) IsEmpty() bool { return s.value == nil }

// Equal reports whether two secrets hold the same value.
func (s Secret) Equal(other Secret) bool { return s.Reveal() == other.Reveal() }

// String implements fmt.Stringer without revealing the value.
func (s Secret) String() string { return Redacted }

// GoString implements fmt.GoStringer without revealing the value.
func (s Secret) GoString() string { return Redacted }

// Format implements fmt.Formatter so that %v, %s, %q, %x and friends all print
// the placeholder instead of the value.
func (s Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(Redacted)) }

// MarshalJSON keeps secrets out of any JSON a caller might log.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + Redacted + `"`), nil }

// MarshalText keeps secrets out of XML, YAML, JSON map keys and anything else
// that encodes text.
func (s Secret) MarshalText() ([]byte, error) { return []byte(Redacted), nil }

// Fingerprint returns the first 12 hex digits of the SHA-256 of the value, the
// way Pinterest's own sample code names a token without showing it.
func (s Secret) Fingerprint() string {
	if s.IsEmpty() {
		return ""
	}
	sum := sha256.Sum256([]byte(s.Reveal()))
	return hex.EncodeToString(sum[:6])
}
