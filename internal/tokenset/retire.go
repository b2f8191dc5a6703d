package tokenset

import (
	"net/http"

	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokendoc"
)

// Revocation is one token that retiring a token set revokes.
type Revocation struct {
	Token sensitive.Secret
	// Hint is Pinterest's token_type_hint: "refresh_token" or "access_token".
	Hint string
}

// Retire lists what retiring prior revokes, in order: the successor a dead
// run left in this machine's journal (recalled, the live set), then prior's
// own tokens, each refresh token before its access token. Nothing is
// revoked when revoke is off or the set was handed off: a handed-off set
// belongs to its consumer.
func Retire(prior, recalled *tokendoc.Document, revoke bool) []Revocation {
	if !revoke || prior == nil || prior.HandedOff {
		return nil
	}
	var out []Revocation
	for _, d := range []*tokendoc.Document{recalled, prior} {
		if d == nil {
			continue
		}
		for _, r := range []Revocation{{d.RefreshToken, "refresh_token"}, {d.AccessToken, "access_token"}} {
			if !r.Token.IsEmpty() {
				out = append(out, r)
			}
		}
	}
	return out
}

// RevokeOutcome is what an answer to one revocation means.
type RevokeOutcome int

const (
	// Revoked: Pinterest revoked the token.
	Revoked RevokeOutcome = iota
	// AlreadyInvalid: Pinterest refused it as a grant that is no longer
	// valid (invalid_grant, or a 400 about the grant): nothing to revoke.
	AlreadyInvalid
	// RevokeForbidden: Pinterest does not revoke this kind of token (403;
	// today it revokes only tokens issued to system users). The token
	// stays valid until it expires.
	RevokeForbidden
	// RevokeFailed: anything else; the token may still work.
	RevokeFailed
)

// JudgeRevoke says what err, the answer to one revocation, means. Only a
// documented "already invalid" counts as done: anything else is a failure
// rather than forgetting tokens that may still work.
func JudgeRevoke(err error) RevokeOutcome {
	if err == nil {
		return Revoked
	}
	switch pinterest.Classify(err) {
	case pinterest.FailureForbidden:
		return RevokeForbidden
	case pinterest.FailureGrantRefused, pinterest.FailureGrantSpent:
		if apiErr, ok := pinterest.AsAPIError(err); ok && (apiErr.Code == pinterest.CodeInvalidGrant || apiErr.StatusCode == http.StatusBadRequest) {
			return AlreadyInvalid
		}
	}
	return RevokeFailed
}
