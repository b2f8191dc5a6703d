package tokenset

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/sprighub/terraform-provider-pinterest/internal/tokendoc"
)

// A store's copy of a token document may be adopted with no call to
// Pinterest (recovery after a run died between the store write and the
// state), so it must carry proof that only this provider can make: Bind
// signs a successor with a key derived from the app's credentials (which
// neither the store nor the state holds) and the refresh token it replaced.
// Whoever can read the store, or the state, and write the store cannot make
// a document that Adoptable accepts.

// bindingInfo is the purpose of the binding key (domain separation).
const bindingInfo = "terraform-provider-pinterest successor binding v1"

// Pinterest's token lifetimes, and how far a store's copy may claim to
// outlive its predecessor's adoption: an access token lives 30 days, a
// refresh token 60 days (continuous) or a year (legacy); a day is allowed
// for clocks.
const (
	maxAccessLifetime  = 31 * 24 * time.Hour
	maxRefreshLifetime = 366 * 24 * time.Hour
)

// Errors of Adoptable beyond the lineage.
var (
	ErrNotBound       = errors.New("it does not carry this provider's binding for the set in state, so it was not written by this provider as that set's successor")
	ErrFewerScopes    = errors.New("it has fewer scopes than the set in state")
	ErrOtherAccount   = errors.New("it acts for another Pinterest account than the set in state")
	ErrBeyondLifetime = errors.New("its expiries lie beyond what Pinterest issues")
)

// Bind signs doc as the successor of prior, for appKey (the app's
// credentials, as the journal's Binding): it sets doc.Binding to a MAC over
// the rest of the document. Without a prior refresh token there is nothing
// to bind to, and doc.Binding is cleared.
func Bind(doc, prior *tokendoc.Document, appKey []byte) {
	doc.Binding = ""
	if prior == nil || prior.RefreshToken.IsEmpty() || len(appKey) == 0 {
		return
	}
	doc.Binding = bindingOf(doc, prior, appKey)
}

func bindingOf(doc, prior *tokendoc.Document, appKey []byte) string {
	unbound := *doc
	unbound.Binding = ""
	ikm := binary.BigEndian.AppendUint32(nil, uint32(len(appKey)))
	ikm = append(ikm, appKey...)
	ikm = append(ikm, prior.RefreshToken.Reveal()...)
	key, err := hkdf.Key(sha256.New, ikm, nil, bindingInfo, 32)
	if err != nil {
		return ""
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(unbound.Encode()))
	return hex.EncodeToString(mac.Sum(nil))
}

// Adoptable is the rule for adopting a document read from a store in place
// of the set in state (prior), at now, for appKey: only the direct
// successor of prior (one generation ahead, following its refresh token,
// not handed off), bound by this provider for prior (Bind), with every
// scope prior has, for the same account, and with expiries Pinterest could
// have issued. Not another token set, not one from before a replacement,
// not a jump, not a forgery.
func Adoptable(prior, stored *tokendoc.Document, appKey []byte, now time.Time) error {
	switch {
	case stored.Generation != prior.Generation+1:
		return fmt.Errorf("%w (generation %d after %d)", ErrNotNext, stored.Generation, prior.Generation)
	case stored.Follows != tokendoc.Follow(prior.RefreshToken):
		return ErrNotFollowing
	case stored.HandedOff:
		return ErrHandedOffCopy
	case len(appKey) == 0 || stored.Binding == "" ||
		!hmac.Equal([]byte(stored.Binding), []byte(bindingOf(stored, prior, appKey))):
		return ErrNotBound
	case slices.ContainsFunc(prior.Scopes, func(s string) bool { return !slices.Contains(stored.Scopes, s) }):
		return ErrFewerScopes
	case prior.Account != "" && stored.Account != prior.Account:
		return ErrOtherAccount
	case stored.AccessTokenExpiresAt.After(now.Add(maxAccessLifetime)) || stored.RefreshTokenExpiresAt.After(now.Add(maxRefreshLifetime)):
		return ErrBeyondLifetime
	}
	return nil
}
