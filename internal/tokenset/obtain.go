package tokenset

import (
	"context"
	"strings"
	"time"

	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokendoc"
)

// Memory keeps what Pinterest issued on this machine for a while, keyed by
// the token that was traded (a code or a refresh token), so that a later
// attempt with that (now spent) token gets the same successor instead of a
// call that Pinterest would refuse. journal.Journal is the one
// implementation.
type Memory interface {
	// Lock takes this machine's lock of given, across processes, until the
	// returned function is called; it gives up when ctx ends (an error and
	// no function). A lock that cannot be taken at all is an error with a
	// function that does nothing: the token set is obtained without one,
	// and the Outcome says so.
	Lock(ctx context.Context, given sensitive.Secret) (unlock func(), err error)
	// Get returns what was kept for given, if anything.
	Get(given sensitive.Secret) ([]byte, bool)
	// Put keeps value, the result of trading given, whose refresh token is
	// successor, until the time until (zero: the memory's default).
	Put(given, successor sensitive.Secret, value []byte, until time.Time) error
	// Forget drops whatever was kept whose result holds given: the state or
	// store gave it back, so it arrived.
	Forget(given sensitive.Secret)
}

// Outcome is what Obtain or Take did.
type Outcome struct {
	// Doc is the token set to use and to store from now on.
	Doc *tokendoc.Document
	// Decision is why: Keep when prior was not due, Refresh otherwise.
	Decision Decision
	// Refreshed: Doc is a new token set that must reach the store.
	Refreshed bool
	// Reused: Doc came from Memory, not from Pinterest: this machine
	// traded the same token a little while ago (and perhaps died before
	// the result was saved).
	Reused bool
	// KeepErr, when not nil, is why Doc could not be kept in Memory. Doc
	// is fine; only a later attempt cannot find it again.
	KeepErr error
	// LockErr, when not nil, is why this machine's lock could not be
	// taken: another run here could have traded the same token at once.
	LockErr error
}

// reusedDecision is the reason given when Memory answers.
var reusedDecision = Decision{Refresh, "this machine obtained the next token set a little while ago and it was not saved yet"}

// Obtain returns the token set to use now for prior, the document a store
// holds, or, when prior is nil, for a bare refresh token given: the
// ephemeral resource's path. It reads top to bottom: forget what the store
// confirms, take the lock, hand back a successor this machine already got,
// keep a set that is not due, and only then refresh and keep the result.
func Obtain(ctx context.Context, c Client, mem Memory, prior *tokendoc.Document, given sensitive.Secret, now time.Time, p Policy, scopes []string) (Outcome, error) {
	if prior != nil {
		given = prior.RefreshToken
	}
	mem.Forget(given)
	return underLock(ctx, mem, given, prior, func() (Outcome, error) {
		decision := Decision{Refresh, "a bare refresh token says nothing of its access token"}
		if prior != nil {
			if decision = Decide(prior, now, p); decision.Action != Refresh {
				return Outcome{Doc: prior, Decision: decision}, nil
			}
		}
		out, err := trade(ctx, c, mem, prior, given, Step{Kind: ByRefresh, RefreshToken: given, Scopes: scopes}, time.Time{})
		out.Decision = decision
		return out, err
	})
}

// Take obtains the token set that follows prior by step, writing it ahead
// into Memory before it returns it, until the time until or its refresh
// token's expiry, whichever is later: the managed
// resource's path. A process that dies after Pinterest answered leaves the
// new set in Memory, and the next Take (or Recall) for the same traded
// token finds it instead of calling Pinterest with a spent code or a
// retired refresh token.
func Take(ctx context.Context, c Client, mem Memory, prior *tokendoc.Document, step Step, until time.Time) (Outcome, error) {
	given := Traded(prior, step)
	return underLock(ctx, mem, given, prior, func() (Outcome, error) {
		return trade(ctx, c, mem, prior, given, step, until)
	})
}

// underLock holds this machine's lock of given while it hands back a
// successor Memory already keeps for it, or else runs obtain: the one
// sequence both Obtain and Take follow.
func underLock(ctx context.Context, mem Memory, given sensitive.Secret, prior *tokendoc.Document, obtain func() (Outcome, error)) (Outcome, error) {
	unlock, lockErr := mem.Lock(ctx, given)
	if lockErr != nil && unlock == nil {
		return Outcome{}, &ErrLocked{Err: lockErr}
	}
	defer unlock()
	if next, ok := recall(mem, given, prior); ok {
		return Outcome{Doc: next, Decision: reusedDecision, Refreshed: true, Reused: true, LockErr: lockErr}, nil
	}
	out, err := obtain()
	out.LockErr = lockErr
	return out, err
}

// Recall returns the successor of prior that this machine obtained and
// kept, if any: a run that died before its state reached the backend.
func Recall(mem Memory, prior *tokendoc.Document) (*tokendoc.Document, bool) {
	return recall(mem, prior.RefreshToken, prior)
}

// trade is the one place that calls Pinterest for a new token set and
// keeps the result under given, the token the step spends.
func trade(ctx context.Context, c Client, mem Memory, prior *tokendoc.Document, given sensitive.Secret, step Step, until time.Time) (Outcome, error) {
	next, err := Advance(ctx, c, prior, step)
	if err != nil {
		return Outcome{Decision: Decision{Action: Refresh}}, err
	}
	return Outcome{
		Doc: next, Decision: Decision{Action: Refresh}, Refreshed: true,
		KeepErr: mem.Put(given, next.RefreshToken, []byte(next.Encode()), keepUntil(until, next)),
	}, nil
}

// Traded is the token a step spends: the code, the adopted refresh token,
// or prior's refresh token; what Memory keeps its result under.
func Traded(prior *tokendoc.Document, step Step) sensitive.Secret {
	switch {
	case step.Kind == ByExchange:
		return step.Code
	case !step.RefreshToken.IsEmpty() || prior == nil:
		return step.RefreshToken
	default:
		return prior.RefreshToken
	}
}

// recall returns the successor kept for given, if any. Given a prior
// document, only a later generation counts: a generation never goes back.
func recall(mem Memory, given sensitive.Secret, prior *tokendoc.Document) (*tokendoc.Document, bool) {
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

// ErrLocked wraps a lock that could not be taken in time.
type ErrLocked struct{ Err error }

func (e *ErrLocked) Error() string { return "the token set's lock on this machine: " + e.Err.Error() }
func (e *ErrLocked) Unwrap() error { return e.Err }

// keepUntil is how long a set written ahead is kept: until the time given,
// or until its refresh token expires when that is later, so that a run
// that died can be recovered for as long as the set could still be used.
// The zero time (the memory's default) stays zero.
func keepUntil(until time.Time, next *tokendoc.Document) time.Time {
	if !until.IsZero() && next.RefreshTokenExpiresAt.After(until) {
		// What the answer claims, up to a year: no refresh token lives
		// longer.
		if longest := until.Add(maxRefreshLifetime); next.RefreshTokenExpiresAt.After(longest) {
			return longest
		}
		return next.RefreshTokenExpiresAt
	}
	return until
}

// AccountMatches says whether the account with id and username is the one
// required, named by its id or its username (Pinterest usernames are not
// case sensitive).
func AccountMatches(required, id, username string) bool {
	return required != "" && (required == id || strings.EqualFold(required, username))
}
