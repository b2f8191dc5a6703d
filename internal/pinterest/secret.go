package pinterest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// Secret holds a token, an authorization code or a client secret. It cannot be
// printed by accident: every fmt verb, String, GoString and JSON encoding yield
// a placeholder. Call Reveal where the value really has to leave the program
// (an HTTP request, the Terraform state).
type Secret string

const redacted = "[redacted]"

// Reveal returns the secret value itself.
func (s Secret) Reveal() string { return string(s) }

// IsEmpty reports whether no secret is held.
func (s Secret) IsEmpty() bool { return s == "" }

// String implements fmt.Stringer without revealing the value.
func (s Secret) String() string { return redacted }

// GoString implements fmt.GoStringer without revealing the value.
func (s Secret) GoString() string { return redacted }

// Format implements fmt.Formatter so that %v, %s, %q, %x and friends all print
// the placeholder instead of the value.
func (s Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(redacted)) }

// MarshalJSON keeps secrets out of any JSON a caller might log.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// Fingerprint returns the first 12 hex digits of the SHA-256 of the value, the
// way Pinterest's own sample code names a token without showing it.
func (s Secret) Fingerprint() string {
	if s == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:6])
}
