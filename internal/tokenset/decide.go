// Package tokenset is the life of a Pinterest token set, kept apart from
// Terraform: Decide says whether a token set is due for a refresh and why,
// Advance obtains the next token set through the client and applies the
// rules that never lose the newest refresh token, and Obtain adds the
// memory that lets a second open of a retired refresh token find its
// successor instead of refreshing again.
//
// Both resources are adapters around this package: the managed
// pinterest_oauth_token turns its state into a tokendoc.Document and back,
// the ephemeral pinterest_access_token reads the document a store holds.
// The token document is the one model of a token set.
package tokenset

import (
	"fmt"
	"time"

	"github.com/sprighub/terraform-provider-pinterest/internal/tokendoc"
)

// Mode says who refreshes a token set.
type Mode int

const (
	// Scheduled: this provider refreshes the token set when either token
	// expires within the policy's Window.
	Scheduled Mode = iota
	// Manual: no time-based refresh; only a Requested reason refreshes
	// (rotate_before = "0s").
	Manual
	// HandedOff: the token set was delivered to a consumer that refreshes
	// it itself. Nothing of this provider refreshes it again, whatever its
	// expiries say: one refresher per token set.
	HandedOff
)

// Policy is what a caller asks of a token set.
type Policy struct {
	Mode Mode
	// Window: with Scheduled, refresh when a token expires within it. Zero
	// refreshes only once a token has expired.
	Window time.Duration
	// Requested, when not empty, is a reason to refresh regardless of time,
	// such as "rotation_triggers changed". A handed-off set ignores it.
	Requested string
}

// Action is what to do with a token set: Decide answers Keep, Refresh or
// Leave; Plan answers Keep, Start, Refresh, Recover or Remark. Its String is
// the one name of each, also kept in the plan's private state.
type Action int

const (
	// Keep: the token set is not due; use it as it is.
	Keep Action = iota
	// Refresh: the token set is due; Reason says why.
	Refresh
	// Leave: the token set belongs to its consumer; make no call for it.
	Leave
	// Start: obtain a new token set from a code or an adopted refresh token.
	Start
	// Recover: store a successor a run obtained and did not save.
	Recover
	// Remark: store the token set marked as handed off.
	Remark
)

var actionNames = [...]string{Keep: "keep", Refresh: "refresh", Leave: "leave", Start: "start", Recover: "recover", Remark: "remark"}

func (a Action) String() string {
	if a < 0 || int(a) >= len(actionNames) {
		return "keep"
	}
	return actionNames[a]
}

// ParseAction is the Action named s, and false for a name it does not know.
func ParseAction(s string) (Action, bool) {
	for a, name := range actionNames {
		if name == s {
			return Action(a), true
		}
	}
	return Keep, false
}

// Decision is what to do with a token set, and why.
type Decision struct {
	Action Action
	Reason string
}

// Decide says whether doc is due for a refresh at now under p. It reads only
// the document and the clock it is given, so the answer is the same however
// often a plan runs.
//
// The rule for what the document does not say: an access token that is
// empty, or whose expiry is unknown, is due (nothing says it still works);
// a refresh token whose expiry is unknown is judged by the access token
// alone (Pinterest always says when an access token expires, and a refresh
// token outlives it).
func Decide(doc *tokendoc.Document, now time.Time, p Policy) Decision {
	if p.Mode == HandedOff || doc.HandedOff {
		return Decision{Action: Leave, Reason: "the token set was handed off to a consumer that refreshes it itself"}
	}
	if p.Requested != "" {
		return Decision{Action: Refresh, Reason: p.Requested}
	}
	if p.Mode == Manual {
		return Decision{Action: Keep}
	}
	switch {
	case doc.AccessToken.IsEmpty():
		return Decision{Refresh, "the token set holds no access token"}
	case doc.AccessTokenExpiresAt.IsZero():
		return Decision{Refresh, "the token set does not say when its access token expires"}
	case doc.AccessTokenExpiresAt.Sub(now) <= p.Window:
		return Decision{Refresh, expiresWithin("access token", doc.AccessTokenExpiresAt, p.Window)}
	case !doc.RefreshTokenExpiresAt.IsZero() && doc.RefreshTokenExpiresAt.Sub(now) <= p.Window:
		return Decision{Refresh, expiresWithin("refresh token", doc.RefreshTokenExpiresAt, p.Window)}
	}
	return Decision{Action: Keep}
}

func expiresWithin(what string, at time.Time, window time.Duration) string {
	return fmt.Sprintf("the %s expires at %s, within %s", what, tokendoc.FormatTime(at), window)
}
