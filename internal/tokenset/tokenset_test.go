package tokenset

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokendoc"
)

var (
	now  = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	day  = 24 * time.Hour
	week = 7 * day
)

func doc(accessLeft, refreshLeft time.Duration) *tokendoc.Document {
	d := &tokendoc.Document{
		AccessToken: sensitive.New("pina_a_0123456789"), RefreshToken: sensitive.New("pinr_r_0123456789"),
		TokenType: "bearer", Scopes: []string{"boards:read"}, Generation: 4,
	}
	if accessLeft != 0 {
		d.AccessTokenExpiresAt = now.Add(accessLeft)
	}
	if refreshLeft != 0 {
		d.RefreshTokenExpiresAt = now.Add(refreshLeft)
	}
	return d
}

// TestDecide is the decision table: expiries, windows, policies and what
// the document does not say. Both resources decide through it.
func TestDecide(t *testing.T) {
	scheduled := Policy{Mode: Scheduled, Window: week}
	noAccess := doc(30*day, 60*day)
	noAccess.AccessToken = sensitive.Secret{}
	handedDoc := doc(-day, -day)
	handedDoc.HandedOff = true
	for _, tc := range []struct {
		name   string
		doc    *tokendoc.Document
		policy Policy
		want   Action
		reason string
	}{
		{"fresh", doc(30*day, 60*day), scheduled, Keep, ""},
		{"8 days left", doc(8*day, 38*day), scheduled, Keep, ""},
		{"exactly the window", doc(week, 60*day), scheduled, Refresh, "access token expires"},
		{"6 days left", doc(6*day, 36*day), scheduled, Refresh, "access token expires"},
		{"access expired", doc(-day, 29*day), scheduled, Refresh, "access token expires"},
		{"refresh token inside the window", doc(30*day, 6*day), scheduled, Refresh, "refresh token expires"},
		{"unknown access expiry is due", doc(0, 60*day), scheduled, Refresh, "does not say when its access token expires"},
		{"unknown refresh expiry follows the access token", doc(30*day, 0), scheduled, Keep, ""},
		{"no access token is due", noAccess, scheduled, Refresh, "holds no access token"},
		{"zero window: due only once expired", doc(time.Hour, 60*day), Policy{Mode: Scheduled}, Keep, ""},
		{"zero window, expired", doc(-time.Second, 60*day), Policy{Mode: Scheduled}, Refresh, "access token expires"},
		{"manual never by time", doc(-day, -day), Policy{Mode: Manual}, Keep, ""},
		{"manual with a request", doc(30*day, 60*day), Policy{Mode: Manual, Requested: "rotation_triggers changed"}, Refresh, "rotation_triggers changed"},
		{"scheduled with a request", doc(30*day, 60*day), Policy{Mode: Scheduled, Window: week, Requested: "asked"}, Refresh, "asked"},
		{"handed off: even expired", doc(-day, -day), Policy{Mode: HandedOff}, Leave, "handed off"},
		{"handed off ignores a request", doc(30*day, 60*day), Policy{Mode: HandedOff, Requested: "asked"}, Leave, "handed off"},
		{"handed-off document, any policy", handedDoc, scheduled, Leave, "handed off"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := Decide(tc.doc, now, tc.policy)
			if d.Action != tc.want || !strings.Contains(d.Reason, tc.reason) || (tc.reason == "" && d.Reason != "") {
				t.Fatalf("Decide = %s (%q), want %s (%q)", d.Action, d.Reason, tc.want, tc.reason)
			}
		})
	}
}

// TestNext covers the keep-prior rules, written once for every path.
func TestNext(t *testing.T) {
	prior := doc(2*day, 20*day)
	issued := func(refresh string, scopes []string) *pinterest.TokenSet {
		return &pinterest.TokenSet{
			AccessToken: sensitive.New("pina_new_0123456789"), RefreshToken: sensitive.New(refresh),
			TokenType: "bearer", Scopes: scopes, ExpiresAt: now.Add(30 * day),
		}
	}
	t.Run("refresh without a new refresh token keeps prior's, with its expiry", func(t *testing.T) {
		d := Next(issued("", []string{"boards:read"}), prior, Step{Kind: ByRefresh, RefreshToken: prior.RefreshToken})
		if d.Generation != 5 || !d.RefreshToken.Equal(prior.RefreshToken) || !d.RefreshTokenExpiresAt.Equal(prior.RefreshTokenExpiresAt) {
			t.Fatalf("generation %d; kept the refresh token: %v", d.Generation, d.RefreshToken.Equal(prior.RefreshToken))
		}
	})
	t.Run("refresh without scope keeps prior's scopes", func(t *testing.T) {
		d := Next(issued("pinr_next_0123456789", nil), prior, Step{Kind: ByRefresh, RefreshToken: prior.RefreshToken})
		if len(d.Scopes) != 1 || d.Scopes[0] != "boards:read" {
			t.Fatalf("scopes %v, want prior's", d.Scopes)
		}
	})
	t.Run("rotation takes the new refresh token", func(t *testing.T) {
		d := Next(issued("pinr_next_0123456789", []string{"pins:read"}), prior, Step{Kind: ByRefresh, RefreshToken: prior.RefreshToken})
		if d.RefreshToken.Reveal() != "pinr_next_0123456789" || d.Scopes[0] != "pins:read" || !d.RefreshTokenExpiresAt.IsZero() {
			t.Fatal("the rotated token set was not taken as issued")
		}
	})
	t.Run("adoption without a new refresh token keeps the adopted one, not prior's", func(t *testing.T) {
		adopted := sensitive.New("pinr_adopted_0123456789")
		d := Next(issued("", nil), prior, Step{Kind: ByAdopt, RefreshToken: adopted})
		if !d.RefreshToken.Equal(adopted) || d.Scopes != nil || d.Generation != 5 || !d.RefreshTokenExpiresAt.IsZero() {
			t.Fatal("adoption mixed in the prior token set")
		}
	})
	t.Run("a bare refresh token starts at generation 1", func(t *testing.T) {
		given := sensitive.New("pinr_bare_0123456789")
		if d := Next(issued("", nil), nil, Step{Kind: ByRefresh, RefreshToken: given}); d.Generation != 1 || !d.RefreshToken.Equal(given) {
			t.Fatal("bare refresh token")
		}
	})
	t.Run("a new exchange after prior counts on and keeps nothing else", func(t *testing.T) {
		d := Next(issued("pinr_x_0123456789", []string{"pins:read"}), prior, Step{Kind: ByExchange})
		if d.Generation != 5 || d.Scopes[0] != "pins:read" {
			t.Fatal("exchange after prior")
		}
	})
}

func TestAdvanceRefusesAnExhaustedGeneration(t *testing.T) {
	prior := doc(day, day)
	prior.Generation = tokendoc.MaxGeneration
	c := &countingClient{}
	if _, err := Advance(context.Background(), c, prior, Step{Kind: ByRefresh}); !errors.Is(err, ErrGenerationExhausted) || c.refreshes != 0 {
		t.Fatalf("err %v after %d refreshes", err, c.refreshes)
	}
}

// countingClient answers every refresh with a new refresh token, and
// refuses a token it already rotated, as strict continuous refresh does.
type countingClient struct {
	mu        sync.Mutex
	refreshes int
	retired   map[string]bool
	noScope   bool
	clock     *time.Time // when set, what it issues expires from this clock
}

func (c *countingClient) Exchange(context.Context, sensitive.Secret, string, bool) (*pinterest.TokenSet, error) {
	return nil, errors.New("not used")
}

func (c *countingClient) Refresh(_ context.Context, rt sensitive.Secret, _ []string) (*pinterest.TokenSet, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.retired == nil {
		c.retired = map[string]bool{}
	}
	if c.retired[rt.Reveal()] {
		return nil, &pinterest.APIError{Operation: pinterest.OpRefresh, StatusCode: 401, Code: pinterest.CodeInvalidGrant}
	}
	c.retired[rt.Reveal()] = true
	c.refreshes++
	issued := now
	if c.clock != nil {
		issued = *c.clock
	}
	ts := &pinterest.TokenSet{
		AccessToken: sensitive.New("pina_" + strings.Repeat("a", c.refreshes+8)), TokenType: "bearer",
		RefreshToken: sensitive.New("pinr_" + strings.Repeat("r", c.refreshes+8)), ExpiresAt: issued.Add(30 * day),
		RefreshTokenExpiresAt: issued.Add(60 * day), Scopes: []string{"boards:read"},
	}
	if c.noScope {
		ts.Scopes = nil
	}
	return ts, nil
}

// memory is an in-process Memory.
type memory struct {
	entries map[string][]byte
	putErr  error
	lockErr error
}

func (m *memory) Lock(context.Context, sensitive.Secret) (func(), error) {
	if m.lockErr != nil {
		return nil, m.lockErr
	}
	return func() {}, nil
}
func (m *memory) Forget(sensitive.Secret) {}
func (m *memory) Get(given sensitive.Secret) ([]byte, bool) {
	v, ok := m.entries[given.Reveal()]
	return v, ok
}
func (m *memory) Put(given, _ sensitive.Secret, value []byte, _ time.Time) error {
	if m.entries == nil {
		m.entries = map[string][]byte{}
	}
	m.entries[given.Reveal()] = value
	return m.putErr
}

func TestObtain(t *testing.T) {
	ctx := context.Background()
	policy := Policy{Mode: Scheduled, Window: week}

	t.Run("not due: no call", func(t *testing.T) {
		c := &countingClient{}
		out, err := Obtain(ctx, c, &memory{}, doc(20*day, 50*day), sensitive.Secret{}, now, policy, nil)
		if err != nil || out.Refreshed || c.refreshes != 0 || out.Doc.Generation != 4 {
			t.Fatalf("err %v, refreshed %v, %d refreshes", err, out.Refreshed, c.refreshes)
		}
	})
	t.Run("due: one refresh, kept, and a second open reuses it", func(t *testing.T) {
		c, mem, prior := &countingClient{}, &memory{}, doc(day, 50*day)
		first, err := Obtain(ctx, c, mem, prior, sensitive.Secret{}, now, policy, nil)
		if err != nil || !first.Refreshed || first.Reused || first.Doc.Generation != 5 {
			t.Fatalf("first open: %v %+v", err, first.Decision)
		}
		second, err := Obtain(ctx, c, mem, prior, sensitive.Secret{}, now, policy, nil)
		if err != nil || !second.Reused || c.refreshes != 1 || !second.Doc.RefreshToken.Equal(first.Doc.RefreshToken) {
			t.Fatalf("second open: %v; %d refreshes", err, c.refreshes)
		}
	})
	t.Run("a kept older generation is not reused", func(t *testing.T) {
		c, mem, prior := &countingClient{}, &memory{}, doc(day, 50*day)
		stale := doc(day, 50*day)
		stale.Generation = 3
		mem.entries = map[string][]byte{prior.RefreshToken.Reveal(): []byte(stale.Encode())}
		out, err := Obtain(ctx, c, mem, prior, sensitive.Secret{}, now, policy, nil)
		if err != nil || out.Reused || c.refreshes != 1 {
			t.Fatalf("reused a generation that goes back: %v", err)
		}
	})
	t.Run("a bare refresh token is always refreshed", func(t *testing.T) {
		c := &countingClient{}
		out, err := Obtain(ctx, c, &memory{}, nil, sensitive.New("pinr_bare_0123456789"), now, policy, nil)
		if err != nil || !out.Refreshed || out.Doc.Generation != 1 || c.refreshes != 1 {
			t.Fatalf("bare: %v", err)
		}
	})
	t.Run("a refusal passes through and keeps nothing", func(t *testing.T) {
		c, mem, prior := &countingClient{retired: map[string]bool{"pinr_r_0123456789": true}}, &memory{}, doc(day, 50*day)
		_, err := Obtain(ctx, c, mem, prior, sensitive.Secret{}, now, policy, nil)
		if pinterest.Classify(err) != pinterest.FailureGrantRefused || len(mem.entries) != 0 {
			t.Fatalf("err %v, %d kept", err, len(mem.entries))
		}
	})
	t.Run("a failed keep is reported, the token set still returned", func(t *testing.T) {
		out, err := Obtain(ctx, &countingClient{}, &memory{putErr: errors.New("disk full")}, doc(day, 50*day), sensitive.Secret{}, now, policy, nil)
		if err != nil || out.KeepErr == nil || out.Doc == nil {
			t.Fatalf("err %v keepErr %v", err, out.KeepErr)
		}
	})
	t.Run("a scope-less refresh keeps the scopes", func(t *testing.T) {
		out, err := Obtain(ctx, &countingClient{noScope: true}, &memory{}, doc(day, 50*day), sensitive.Secret{}, now, policy, nil)
		if err != nil || len(out.Doc.Scopes) != 1 {
			t.Fatalf("scopes %v", out.Doc.Scopes)
		}
	})
}

// TestScheduledCycles runs the core as a daily schedule would for 200 days
// against strict rotation: one refresh about every 23 days, never a refused
// token, generation always growing by one.
func TestScheduledCycles(t *testing.T) {
	c, current := &countingClient{}, doc(30*day, 60*day)
	clock := now
	for range 200 {
		clock = clock.Add(day)
		out, err := Obtain(context.Background(), c, &memory{}, current, sensitive.Secret{}, clock, Policy{Mode: Scheduled, Window: week}, nil)
		if err != nil {
			t.Fatalf("day %s: %v", clock.Format(time.DateOnly), err)
		}
		if out.Refreshed && out.Doc.Generation != current.Generation+1 {
			t.Fatalf("generation %d after %d", out.Doc.Generation, current.Generation)
		}
		// The refreshed set is issued at now+30d by the stub; move it to the clock.
		if out.Refreshed {
			out.Doc.AccessTokenExpiresAt, out.Doc.RefreshTokenExpiresAt = clock.Add(30*day), clock.Add(60*day)
		}
		current = out.Doc
	}
	if c.refreshes < 8 || c.refreshes > 9 {
		t.Fatalf("%d refreshes in 200 days, want one about every 23 days", c.refreshes)
	}
}

// TestTakeWritesAheadAndRecalls: a process that dies after Pinterest
// answered (the result never reached the state) leaves the new set in
// Memory; the next Take of the same prior, or of the same code, gets it
// back with no call, and Recall shows it to the plan.
func TestTakeWritesAheadAndRecalls(t *testing.T) {
	ctx := context.Background()
	c, mem, prior := &countingClient{}, &memory{}, doc(day, 50*day)
	first, err := Take(ctx, c, mem, prior, Step{Kind: ByRefresh}, now.Add(week))
	if err != nil || first.Reused || c.refreshes != 1 {
		t.Fatalf("first: %v", err)
	}
	// The run died here: the state still holds prior.
	if got, ok := Recall(mem, prior); !ok || got.Generation != prior.Generation+1 || !got.RefreshToken.Equal(first.Doc.RefreshToken) {
		t.Fatal("Recall does not find the set written ahead")
	}
	again, err := Take(ctx, c, mem, prior, Step{Kind: ByRefresh}, now.Add(week))
	if err != nil || !again.Reused || c.refreshes != 1 || !again.Doc.RefreshToken.Equal(first.Doc.RefreshToken) {
		t.Fatalf("again: %v, %d refreshes", err, c.refreshes)
	}
	if _, ok := Recall(mem, first.Doc); ok {
		t.Fatal("Recall offers a successor of the newest set")
	}

	code := Step{Kind: ByExchange, Code: sensitive.New("code_0123456789")}
	ex := &exchangeOnce{}
	if _, err := Take(ctx, ex, mem, nil, code, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if out, err := Take(ctx, ex, mem, nil, code, time.Time{}); err != nil || !out.Reused || ex.calls != 1 {
		t.Fatalf("the same code again: %v, %d exchanges", err, ex.calls)
	}
}

func TestTakeGivesUpOnAHeldLock(t *testing.T) {
	mem := &memory{lockErr: context.DeadlineExceeded}
	c := &countingClient{}
	_, err := Take(context.Background(), c, mem, doc(day, 50*day), Step{Kind: ByRefresh}, time.Time{})
	var locked *ErrLocked
	if !errors.As(err, &locked) || c.refreshes != 0 {
		t.Fatalf("err %v after %d refreshes", err, c.refreshes)
	}
}

// exchangeOnce spends each code once, as Pinterest does.
type exchangeOnce struct {
	countingClient
	calls int
}

func (e *exchangeOnce) Exchange(_ context.Context, code sensitive.Secret, _ string, _ bool) (*pinterest.TokenSet, error) {
	e.calls++
	if e.calls > 1 {
		return nil, &pinterest.APIError{Operation: pinterest.OpExchange, StatusCode: 400, Code: pinterest.CodeInvalidGrant}
	}
	return &pinterest.TokenSet{AccessToken: sensitive.New("pina_x_0123456789"), RefreshToken: sensitive.New("pinr_x_0123456789"),
		TokenType: "bearer", ExpiresAt: now.Add(30 * day)}, nil
}
