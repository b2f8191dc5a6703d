package tokenset

import (
	"context"
	"time"

	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokendoc"
)

// Memory keeps the result of a refresh for a while on this machine, keyed
// by the refresh token that was traded, so that a later open of that
// (now retired) token gets the same successor instead of a refresh that
// Pinterest would refuse. refreshcache.Cache is the one implementation;
// the write-ahead of a managed rotation belongs here too.
type Memory interface {
	// Lock serialises everything done for given until the returned
	// function is called.
	Lock(given pinterest.Secret) (unlock func())
	// Get returns what was kept for given, if anything.
	Get(given pinterest.Secret) ([]byte, bool)
	// Put keeps value, the result of trading given, whose refresh token is
	// successor.
	Put(given, successor pinterest.Secret, value []byte) error
	// Forget drops whatever was kept whose result holds given: the store
	// gave it back, so it arrived.
	Forget(given pinterest.Secret)
}

// Outcome is what Obtain did.
type Outcome struct {
	// Doc is the token set to use and to store from now on.
	Doc *tokendoc.Document
	// Decision is why: Keep when prior was not due, Refresh otherwise.
	Decision Decision
	// Refreshed: Doc is a new token set that must reach the store.
	Refreshed bool
	// Reused: Doc came from Memory, not from Pinterest: this machine
	// traded the same refresh token a little while ago.
	Reused bool
	// KeepErr, when not nil, is why Doc could not be kept in Memory. Doc
	// is fine; only a second open cannot find it again.
	KeepErr error
}

// Obtain returns the token set to use now for prior, the document a store
// holds, or, when prior is nil, for a bare refresh token given. It reads
// top to bottom: forget what the store confirms, take the lock, hand back
// a successor this machine already got, keep a set that is not due, and
// only then refresh and keep the result.
func Obtain(ctx context.Context, c Client, mem Memory, prior *tokendoc.Document, given pinterest.Secret, now time.Time, p Policy, scopes []string) (Outcome, error) {
	if prior != nil {
		given = prior.RefreshToken
	}
	mem.Forget(given)
	defer mem.Lock(given)()

	if next, ok := recall(mem, given, prior); ok {
		return Outcome{Doc: next, Decision: Decision{Refresh, "this machine refreshed the same refresh token a little while ago"}, Refreshed: true, Reused: true}, nil
	}
	decision := Decision{Refresh, "a bare refresh token says nothing of its access token"}
	if prior != nil {
		if decision = Decide(prior, now, p); decision.Action != Refresh {
			return Outcome{Doc: prior, Decision: decision}, nil
		}
	}
	next, err := Advance(ctx, c, prior, Step{Kind: ByRefresh, RefreshToken: given, Scopes: scopes})
	if err != nil {
		return Outcome{Decision: decision}, err
	}
	return Outcome{
		Doc: next, Decision: decision, Refreshed: true,
		KeepErr: mem.Put(given, next.RefreshToken, []byte(next.Encode())),
	}, nil
}

// recall returns the successor kept for given, if any. Given a prior
// document, only a later generation counts: a generation never goes back.
func recall(mem Memory, given pinterest.Secret, prior *tokendoc.Document) (*tokendoc.Document, bool) {
	raw, ok := mem.Get(given)
	if !ok {
		return nil, false
	}
	doc, err := tokendoc.Parse(string(raw))
	if err != nil || (prior != nil && doc.Generation <= prior.Generation) {
		return nil, false
	}
	return doc, true
}
