package tokenset

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokendoc"
)

// managedRun is one scheduled apply of pinterest_oauth_token as the core
// sees it: Plan, then (when it refreshes) Take, as ModifyPlan and Update
// do. It returns what was planned and the set the state holds after.
func managedRun(t *testing.T, c *countingClient, mem *memory, current *tokendoc.Document, clock time.Time, p Policy) (Planned, *tokendoc.Document, error) {
	t.Helper()
	planned, err := Plan(Request{Prior: current, Policy: p, Now: clock})
	if err != nil || planned.Action != Refresh {
		return planned, current, err
	}
	out, err := Take(context.Background(), c, mem, current, Step{Kind: ByRefresh}, clock.Add(14*day))
	if err != nil {
		return planned, current, err
	}
	return planned, out.Doc, nil
}

// TestManagedScheduleRotates is a scheduled pipeline: 20 applies, each 24
// days after the last, each planning a refresh (the access token is within
// the 7-day window) and rotating. No refresh token is lost: the one in
// state is always the one Pinterest accepts, and the generation grows by
// one each time. A variant runs with refresh answers that omit the scopes
// (allowed when unchanged): the scopes stay.
func TestManagedScheduleRotates(t *testing.T) {
	for _, noScope := range []bool{false, true} {
		t.Run(fmt.Sprintf("scope-less answers %v", noScope), func(t *testing.T) {
			clock := now
			c, mem := &countingClient{noScope: noScope, clock: &clock}, &memory{}
			current := doc(30*day, 60*day)
			for i := 1; i <= 20; i++ {
				clock = clock.Add(24 * day)
				planned, next, err := managedRun(t, c, mem, current, clock, Policy{Mode: Scheduled, Window: week})
				if err != nil || planned.Action != Refresh || !strings.HasPrefix(planned.Reason, "the access token expires at") {
					t.Fatalf("rotation %d: %s (%q), %v", i, planned.Action, planned.Reason, err)
				}
				if next.Generation != current.Generation+1 || c.retired[next.RefreshToken.Reveal()] {
					t.Fatalf("rotation %d: generation %d after %d, or the refresh token in state is already retired", i, next.Generation, current.Generation)
				}
				if len(next.Scopes) != 1 || next.Scopes[0] != "boards:read" {
					t.Fatalf("rotation %d: scopes %v", i, next.Scopes)
				}
				current = next
			}
			if c.refreshes != 20 {
				t.Fatalf("%d refreshes, want 20", c.refreshes)
			}
		})
	}
}

// TestWeeklyRotationBoundsDiscovery: a refresh token ended by another party
// cannot be seen without spending a refresh (the access token keeps working
// until it expires), so the rotation cadence bounds how long it goes
// unnoticed. rotate_before = "552h" (23 days) rotates a 30-day access token
// every 7 days: daily applies rotate on day 7, and a foreign refresh on day 9
// is reported on day 14, at the next rotation.
func TestWeeklyRotationBoundsDiscovery(t *testing.T) {
	clock := now
	c, mem := &countingClient{clock: &clock}, &memory{}
	current := doc(30*day, 60*day)
	policy := Policy{Mode: Scheduled, Window: 552 * time.Hour}
	for d := 1; d <= 14; d++ {
		clock = clock.Add(day)
		if d == 9 {
			c.retired[current.RefreshToken.Reveal()] = true // another party refreshed it
		}
		planned, next, err := managedRun(t, c, mem, current, clock, policy)
		switch d {
		case 7:
			if err != nil || planned.Action != Refresh || !strings.HasSuffix(planned.Reason, "within 552h0m0s") || next.Generation != 5 {
				t.Fatalf("day 7: %s (%q), %v, generation %d; want a rotation that says why", planned.Action, planned.Reason, err, next.Generation)
			}
		case 14:
			if planned.Action != Refresh || pinterest.Classify(err) != pinterest.FailureGrantRefused {
				t.Fatalf("day 14: %s, %v; want the refused refresh token reported", planned.Action, err)
			}
		default:
			if err != nil || planned.Action != Keep {
				t.Fatalf("day %d: %s, %v; want no change", d, planned.Action, err)
			}
		}
		current = next
	}
	if c.refreshes != 1 {
		t.Fatalf("%d refreshes, want 1", c.refreshes)
	}
}

// TestKeepUntil: a set written ahead is kept until the later of the time
// asked and its refresh token's expiry; the memory's default stays.
func TestKeepUntil(t *testing.T) {
	next := doc(30*day, 60*day)
	if got := keepUntil(now.Add(14*day), next); !got.Equal(next.RefreshTokenExpiresAt) {
		t.Errorf("kept until %s, want the refresh token's expiry", got)
	}
	if got := keepUntil(now.Add(90*day), next); !got.Equal(now.Add(90 * day)) {
		t.Errorf("kept until %s, want the later time asked", got)
	}
	if got := keepUntil(time.Time{}, next); !got.IsZero() {
		t.Errorf("the default became %s", got)
	}
}

// noLockMemory cannot lock at all, as a journal whose lock file belongs to
// another user.
type noLockMemory struct{ memory }

func (*noLockMemory) Lock(context.Context, sensitive.Secret) (func(), error) {
	return func() {}, errors.New("the lock file is not this user's")
}

// Finding 9 (security review): a lock that cannot be taken no longer
// passes silently: the set is obtained without it, and the Outcome says so.
func TestNoLockIsReported(t *testing.T) {
	out, err := Take(context.Background(), &countingClient{}, &noLockMemory{}, doc(day, 50*day), Step{Kind: ByRefresh}, time.Time{})
	if err != nil || out.LockErr == nil || !out.Refreshed {
		t.Fatalf("Take without a lock: %v, lock error %v", err, out.LockErr)
	}
	var locked *ErrLocked
	if _, err := Take(context.Background(), &countingClient{}, &memory{lockErr: context.DeadlineExceeded}, doc(day, 50*day), Step{Kind: ByRefresh}, time.Time{}); !errors.As(err, &locked) {
		t.Fatalf("a lock held elsewhere until the deadline: %v", err)
	}
}
