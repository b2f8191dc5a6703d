package tokenset

import (
	"errors"
	"strings"
	"testing"

	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokendoc"
)

// appKey stands for the app's credentials, which only the provider holds.
var appKey = []byte("\x00\x00\x00\x071234567app-secret")

// successor is what a run that rotated prior and died left behind, bound
// by the provider as prior's successor.
func successor(prior *tokendoc.Document) *tokendoc.Document {
	next := doc(30*day, 60*day)
	next.AccessToken, next.RefreshToken = sensitive.New("pina_b_0123456789"), sensitive.New("pinr_b_0123456789")
	next.Generation = prior.Generation + 1
	next.Follows = tokendoc.Follow(prior.RefreshToken)
	Bind(next, prior, appKey)
	return next
}

// rebound is d changed, and bound again for prior: the rule under test is
// the one the change breaks, not the binding.
func rebound(d, prior *tokendoc.Document, change func(*tokendoc.Document)) *tokendoc.Document {
	c := with(d, change)
	Bind(c, prior, appKey)
	return c
}

func with(d *tokendoc.Document, change func(*tokendoc.Document)) *tokendoc.Document {
	c := *d
	change(&c)
	return &c
}

// TestPlan is the managed resource's plan, every action and every refusal,
// with no CLI: what a plan knows in, one action (or a typed refusal) out.
func TestPlan(t *testing.T) {
	scheduled := Policy{Mode: Scheduled, Window: week}
	fresh := doc(30*day, 60*day)
	due := doc(6*day, 36*day)
	handed := with(fresh, func(d *tokendoc.Document) { d.HandedOff = true })
	next := successor(fresh)
	exchange := StartRequest{Requested: true, Way: ByExchange}
	for _, tc := range []struct {
		name    string
		req     Request
		want    Action
		reason  string
		gen     int64
		refusal RefusalKind
		notices []NoticeKind
	}{
		// Start.
		{name: "create with a code", req: Request{Start: StartRequest{Requested: true, Way: ByExchange}}, want: Start, reason: "first token set", gen: 1},
		{name: "create with a refresh token", req: Request{Start: StartRequest{Requested: true, Way: ByAdopt}}, want: Start, gen: 1},
		{name: "create with a code known at apply", req: Request{Start: StartRequest{Requested: true, Pending: true}}, want: Start, gen: 1},
		{name: "create with nothing", req: Request{Start: StartRequest{Requested: true}}, refusal: RefuseMissingStart},
		{name: "new code in place", req: Request{Prior: fresh, Start: exchange, Policy: scheduled}, want: Start, reason: "started in place", gen: 5},
		{name: "new version and no code", req: Request{Prior: fresh, Start: StartRequest{Requested: true}}, refusal: RefuseMissingStart},
		{name: "new code after hand-off", req: Request{Prior: handed, HandOff: true, Start: exchange}, want: Start, gen: 5},
		{name: "adopt, known only at apply, after hand-off", req: Request{Prior: handed, HandOff: true, Start: StartRequest{Requested: true, Way: ByAdopt, Pending: true}}, refusal: RefuseAdoptAfterHandOff},
		{name: "adopt after hand-off", req: Request{Prior: handed, HandOff: true, Start: StartRequest{Requested: true, Way: ByAdopt}}, refusal: RefuseAdoptAfterHandOff},
		{name: "start beyond the last generation", req: Request{Prior: with(fresh, func(d *tokendoc.Document) { d.Generation = tokendoc.MaxGeneration }), Start: exchange}, refusal: RefuseGenerationExhausted},
		{name: "a start wins over a due refresh", req: Request{Prior: due, Start: exchange, Policy: scheduled, Now: now}, want: Start, gen: 5},

		// Keep.
		{name: "fresh set", req: Request{Prior: fresh, Policy: scheduled, Now: now}, want: Keep, gen: 4},
		{name: "handed-off set, even expired", req: Request{Prior: with(handed, func(d *tokendoc.Document) { d.AccessTokenExpiresAt = now.Add(-day) }), HandOff: true, Policy: Policy{Mode: HandedOff}, Now: now}, want: Keep, gen: 4},
		{name: "rotation off", req: Request{Prior: doc(-day, -day), Policy: Policy{Mode: Manual}, Now: now}, want: Keep, gen: 4},
		{name: "the store holds the same generation", req: Request{Prior: fresh, Stored: fresh, Policy: scheduled, Now: now}, want: Keep},
		{name: "the store holds an older generation", req: Request{Prior: fresh, Stored: with(fresh, func(d *tokendoc.Document) { d.Generation = 2 }), Policy: scheduled, Now: now}, want: Keep},
		{name: "the journal holds nothing later", req: Request{Prior: fresh, Recalled: with(next, func(d *tokendoc.Document) { d.Generation = 4 }), Policy: scheduled, Now: now}, want: Keep},

		// Refresh, each reason.
		{name: "access token within the window", req: Request{Prior: due, Policy: scheduled, Now: now}, want: Refresh, reason: "access token expires at"},
		{name: "refresh token within the window", req: Request{Prior: doc(30*day, 6*day), Policy: scheduled, Now: now}, want: Refresh, reason: "refresh token expires at"},
		{name: "unknown access expiry", req: Request{Prior: doc(0, 60*day), Policy: scheduled, Now: now}, want: Refresh, reason: "does not say when"},
		{name: "no access token", req: Request{Prior: with(fresh, func(d *tokendoc.Document) { d.AccessToken = sensitive.Secret{} }), Policy: scheduled, Now: now}, want: Refresh, reason: "holds no access token"},
		{name: "triggers changed", req: Request{Prior: fresh, Policy: Policy{Mode: Scheduled, Window: week, Requested: "rotation_triggers changed"}, Now: now}, want: Refresh, reason: "rotation_triggers changed"},
		{name: "due, with an unreadable store document", req: Request{Prior: due, StoredErr: errors.New("bad"), Policy: scheduled, Now: now}, want: Refresh, notices: []NoticeKind{NoticeStoredUnreadable}},

		// Recover: accepted, and each refusal.
		{name: "the journal's successor", req: Request{Prior: fresh, Recalled: next, Policy: scheduled, Now: now}, want: Recover, reason: "cache", notices: []NoticeKind{NoticeRecovering}},
		{name: "the journal's successor of a due set", req: Request{Prior: due, Recalled: successor(due), Policy: scheduled, Now: now}, want: Recover, notices: []NoticeKind{NoticeRecovering}},
		{name: "the store's direct successor", req: Request{Prior: fresh, Stored: next, Policy: scheduled, Now: now}, want: Recover, reason: "recovery_document_wo", notices: []NoticeKind{NoticeRecovering}},
		{name: "the journal before the store", req: Request{Prior: fresh, Recalled: next, Stored: with(next, func(d *tokendoc.Document) { d.Follows = "x" }), Policy: scheduled, Now: now}, want: Recover, reason: "cache", notices: []NoticeKind{NoticeRecovering}},
		{name: "store: two generations ahead", req: Request{Prior: fresh, Stored: rebound(next, fresh, func(d *tokendoc.Document) { d.Generation = 6 }), Policy: scheduled, Now: now}, want: Keep, notices: []NoticeKind{NoticeStoredRefused}},
		{name: "store: follows another token", req: Request{Prior: fresh, Stored: rebound(next, fresh, func(d *tokendoc.Document) { d.Follows = tokendoc.Follow(sensitive.New("pinr_other")) }), Policy: scheduled, Now: now}, want: Keep, notices: []NoticeKind{NoticeStoredRefused}},
		{name: "store: follows nothing", req: Request{Prior: fresh, Stored: rebound(next, fresh, func(d *tokendoc.Document) { d.Follows = "" }), Policy: scheduled, Now: now}, want: Keep, notices: []NoticeKind{NoticeStoredRefused}},
		{name: "store: handed off", req: Request{Prior: fresh, Stored: rebound(next, fresh, func(d *tokendoc.Document) { d.HandedOff = true }), Policy: scheduled, Now: now}, want: Keep, notices: []NoticeKind{NoticeStoredRefused}},
		{name: "store: forged (no binding)", req: Request{Prior: fresh, Stored: with(next, func(d *tokendoc.Document) { d.Binding = "" }), Policy: scheduled, Now: now}, want: Keep, notices: []NoticeKind{NoticeStoredRefused}},
		{name: "store: fewer scopes", req: Request{Prior: fresh, Stored: rebound(next, fresh, func(d *tokendoc.Document) { d.Scopes = []string{} }), Policy: scheduled, Now: now}, want: Keep, notices: []NoticeKind{NoticeStoredRefused}},
		{name: "store: refused, and the set is due", req: Request{Prior: due, Stored: with(successor(due), func(d *tokendoc.Document) { d.Follows = "" }), Policy: scheduled, Now: now}, want: Refresh, notices: []NoticeKind{NoticeStoredRefused}},
		{name: "store: unreadable", req: Request{Prior: fresh, StoredErr: errors.New("not a token document"), Policy: scheduled, Now: now}, want: Keep, notices: []NoticeKind{NoticeStoredUnreadable}},
		{name: "handed-off set: never recovered", req: Request{Prior: handed, HandOff: true, Recalled: successor(handed), Stored: successor(handed), Policy: Policy{Mode: HandedOff}, Now: now}, want: Keep},

		// Re-mark, and the refusals of hand-off.
		{name: "hand off", req: Request{Prior: fresh, HandOff: true, Policy: Policy{Mode: HandedOff}, Now: now}, want: Remark, reason: "handed off", gen: 5},
		{name: "hand off an expired set", req: Request{Prior: doc(-day, -day), HandOff: true, Policy: Policy{Mode: HandedOff}, Now: now}, want: Remark, gen: 5},
		{name: "hand off beyond the last generation", req: Request{Prior: with(fresh, func(d *tokendoc.Document) { d.Generation = tokendoc.MaxGeneration }), HandOff: true, Policy: Policy{Mode: HandedOff}, Now: now}, refusal: RefuseGenerationExhausted},
		{name: "take a handed-off set back", req: Request{Prior: handed, HandOff: false, Policy: scheduled, Now: now}, refusal: RefuseHandOffUndone},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.req.AppKey = appKey
			got, err := Plan(tc.req)
			var refusal *Refusal
			if tc.refusal != 0 {
				if !errors.As(err, &refusal) || refusal.Kind != tc.refusal {
					t.Fatalf("Plan = %s, %v; want refusal %d", got.Action, err, tc.refusal)
				}
				return
			}
			if err != nil || got.Action != tc.want || !strings.Contains(got.Reason, tc.reason) {
				t.Fatalf("Plan = %s (%q), %v; want %s (%q)", got.Action, got.Reason, err, tc.want, tc.reason)
			}
			if tc.gen != 0 && got.Generation != tc.gen {
				t.Errorf("generation %d, want %d", got.Generation, tc.gen)
			}
			var kinds []NoticeKind
			for _, n := range got.Notices {
				kinds = append(kinds, n.Kind)
			}
			if !equalKinds(kinds, tc.notices) {
				t.Errorf("notices %v, want %v", kinds, tc.notices)
			}
			switch got.Action {
			case Recover:
				if got.Doc == nil || got.Doc.Generation != tc.req.Prior.Generation+1 {
					t.Errorf("recovered %+v, want the direct successor", got.Doc)
				}
			case Remark:
				if !got.Doc.HandedOff || got.Doc.Generation != tc.req.Prior.Generation+1 || !got.Doc.RefreshToken.Equal(tc.req.Prior.RefreshToken) {
					t.Errorf("re-marked %+v, want the same tokens, handed off, one generation on", got.Doc)
				}
				if tc.req.Prior.HandedOff {
					t.Error("the prior document was changed")
				}
			}
		})
	}
}

func equalKinds(a, b []NoticeKind) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestPlanIsStable: the same request plans the same way however often it is
// asked, and never changes what it was given.
func TestPlanIsStable(t *testing.T) {
	prior := doc(6*day, 36*day)
	req := Request{Prior: prior, HandOff: true, Policy: Policy{Mode: HandedOff}, Now: now}
	first, _ := Plan(req)
	second, _ := Plan(req)
	if first.Action != second.Action || first.Generation != second.Generation || prior.Generation != 4 || prior.HandedOff {
		t.Fatalf("plans differ or the prior changed: %v %v %+v", first.Action, second.Action, prior)
	}
}

// TestActionNames: one name per action, and the names round-trip.
func TestActionNames(t *testing.T) {
	for _, a := range []Action{Keep, Refresh, Leave, Start, Recover, Remark} {
		if got, ok := ParseAction(a.String()); !ok || got != a {
			t.Errorf("%s does not round-trip", a)
		}
	}
	if _, ok := ParseAction("store"); ok {
		t.Error("an unknown name parsed")
	}
}

// TestRetire is the revoke policy of a destroy.
func TestRetire(t *testing.T) {
	prior := doc(30*day, 60*day)
	next := successor(prior)
	handed := with(prior, func(d *tokendoc.Document) { d.HandedOff = true })
	hints := func(rs []Revocation) string {
		var s []string
		for _, r := range rs {
			s = append(s, r.Token.Reveal()[:6]+":"+r.Hint)
		}
		return strings.Join(s, " ")
	}
	for _, tc := range []struct {
		name            string
		prior, recalled *tokendoc.Document
		revoke          bool
		want            string
	}{
		{"off", prior, next, false, ""},
		{"handed off", handed, nil, true, ""},
		{"the set", prior, nil, true, "pinr_r:refresh_token pina_a:access_token"},
		{"a dead run's successor first", prior, next, true, "pinr_b:refresh_token pina_b:access_token pinr_r:refresh_token pina_a:access_token"},
		{"no access token", with(prior, func(d *tokendoc.Document) { d.AccessToken = sensitive.Secret{} }), nil, true, "pinr_r:refresh_token"},
	} {
		if got := hints(Retire(tc.prior, tc.recalled, tc.revoke)); got != tc.want {
			t.Errorf("%s: Retire = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestJudgeRevoke: only a documented "already invalid" counts as done.
func TestJudgeRevoke(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want RevokeOutcome
	}{
		{"revoked", nil, Revoked},
		{"invalid_grant", &pinterest.APIError{StatusCode: 400, Code: pinterest.CodeInvalidGrant, Message: "x"}, AlreadyInvalid},
		{"forbidden", &pinterest.APIError{StatusCode: 403, Message: "x"}, RevokeForbidden},
		{"unavailable", &pinterest.APIError{StatusCode: 503, Message: "x"}, RevokeFailed},
		{"unreachable", errors.New("dial tcp: refused"), RevokeFailed},
	} {
		if got := JudgeRevoke(tc.err); got != tc.want {
			t.Errorf("%s: JudgeRevoke = %d, want %d", tc.name, got, tc.want)
		}
	}
}

// TestAdoptable: each rule of adopting a store's document, with the error
// that names it. Only the provider's own, intact successor of the set in
// state passes.
func TestAdoptable(t *testing.T) {
	prior := doc(30*day, 60*day)
	prior.Account = "549755885175"
	next := successor(prior)
	next.Account = prior.Account
	Bind(next, prior, appKey)
	forged := with(next, func(d *tokendoc.Document) {
		d.RefreshToken, d.Scopes = sensitive.New("pinr_forged_0123456789"), []string{}
		d.AccessTokenExpiresAt, d.RefreshTokenExpiresAt = now.Add(73*365*day), now.Add(73*365*day)
	})
	for _, tc := range []struct {
		name   string
		stored *tokendoc.Document
		key    []byte
		want   error
	}{
		{"the provider's own successor", next, appKey, nil},
		{"forged with follows computed from the state's token", forged, appKey, ErrNotBound},
		{"bound with another app's credentials", func() *tokendoc.Document {
			c := with(next, func(*tokendoc.Document) {})
			Bind(c, prior, []byte("other"))
			return c
		}(), appKey, ErrNotBound},
		{"bound for another set", func() *tokendoc.Document {
			c := with(next, func(*tokendoc.Document) {})
			Bind(c, successor(prior), appKey)
			return c
		}(), appKey, ErrNotBound},
		{"edited after binding", with(next, func(d *tokendoc.Document) { d.AccessToken = sensitive.New("pina_edited_0123456789") }), appKey, ErrNotBound},
		{"no app key at hand", next, nil, ErrNotBound},
		{"fewer scopes", rebound(next, prior, func(d *tokendoc.Document) { d.Scopes = nil }), appKey, ErrFewerScopes},
		{"another account", rebound(next, prior, func(d *tokendoc.Document) { d.Account = "1" }), appKey, ErrOtherAccount},
		{"no account where the state has one", rebound(next, prior, func(d *tokendoc.Document) { d.Account = "" }), appKey, ErrOtherAccount},
		{"an access token beyond 30 days", rebound(next, prior, func(d *tokendoc.Document) { d.AccessTokenExpiresAt = now.Add(40 * day) }), appKey, ErrBeyondLifetime},
		{"a refresh token beyond a year", rebound(next, prior, func(d *tokendoc.Document) { d.RefreshTokenExpiresAt = now.Add(400 * day) }), appKey, ErrBeyondLifetime},
		{"more scopes are fine", rebound(next, prior, func(d *tokendoc.Document) { d.Scopes = []string{"boards:read", "pins:read"} }), appKey, nil},
	} {
		if err := Adoptable(prior, tc.stored, tc.key, now); !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
			t.Errorf("%s: Adoptable = %v, want %v", tc.name, err, tc.want)
		}
	}
}
