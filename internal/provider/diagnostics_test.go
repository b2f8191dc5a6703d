package provider

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokenset"
)

// TestDiagnose: what each failed call to the fake Pinterest becomes, with
// the phrases that tell on-call what happened and what to do, and never a
// secret of the request.
func TestDiagnose(t *testing.T) {
	ctx := context.Background()
	exchange := func(c *pinterest.Client, code, redirectURI string) error {
		_, err := c.Exchange(ctx, sensitive.New(code), redirectURI, true)
		return err
	}
	codeRejected := []string{"Authorization Code Rejected", "valid for 10 minutes", "exchanged only once", "same redirect_uri",
		"provider::pinterest::authorization_url", "request id fake-"}
	for _, tc := range []struct {
		name   string
		secret string // the client secret the client sends
		call   func(e *testEnv, c *pinterest.Client, code string) error
		op     grantOp
		want   []string
	}{
		{name: "wrong redirect_uri", op: opExchange, want: codeRejected,
			call: func(e *testEnv, c *pinterest.Client, code string) error {
				return exchange(c, code, "https://elsewhere.example.com/cb")
			}},
		{name: "reused code", op: opExchange, want: codeRejected,
			call: func(e *testEnv, c *pinterest.Client, code string) error {
				if err := exchange(c, code, testRedirectURI); err != nil {
					return err
				}
				return exchange(c, code, testRedirectURI)
			}},
		{name: "expired code", op: opExchange, want: codeRejected,
			call: func(e *testEnv, c *pinterest.Client, code string) error {
				e.clock.Advance(10*time.Minute + time.Second)
				return exchange(c, code, testRedirectURI)
			}},
		{name: "bad client credentials", secret: "not-the-secret", op: opExchange,
			want: []string{"Pinterest Rejected the App Credentials", "PINTEREST_CLIENT_SECRET", "request id fake-"},
			call: func(e *testEnv, c *pinterest.Client, code string) error { return exchange(c, code, testRedirectURI) }},
		{name: "exchange answer lost", op: opExchange,
			want: []string{"Authorization Code Spent by an Unanswered Attempt", "first attempt got no answer", "spent the code",
				"Get a new code", "after 1 earlier attempt(s) that got no answer"},
			call: func(e *testEnv, c *pinterest.Client, code string) error {
				e.fake.InjectFaults(fakepinterest.TokenPath, fakepinterest.Fault{LoseResponse: true})
				return exchange(c, code, testRedirectURI)
			}},
		{name: "refresh answer lost", op: opOpen,
			want: []string{"Refresh Token Spent by an Unanswered Attempt", "first attempt got no answer", "no other party is to blame",
				"approve again"},
			call: func(e *testEnv, c *pinterest.Client, _ string) error {
				_, refresh := e.fake.IssueTokens("pins:read")
				e.fake.InjectFaults(fakepinterest.TokenPath, fakepinterest.Fault{LoseResponse: true})
				_, err := c.Refresh(ctx, sensitive.New(refresh), nil)
				return err
			}},
		{name: "refresh token refused", op: opRotate,
			want: []string{"Refresh Token Rejected", "(token set generation 3)", "another party", "Start a new token set in place",
				"recovery_document_wo"},
			call: func(e *testEnv, c *pinterest.Client, _ string) error {
				_, refresh := e.fake.IssueTokens("pins:read")
				if _, err := e.fake.ForeignRefresh(refresh); err != nil {
					return err
				}
				_, err := c.Refresh(ctx, sensitive.New(refresh), nil)
				return err
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t)
			secret := testClientSecret
			if tc.secret != "" {
				secret = tc.secret
			}
			c, err := pinterest.NewClient(pinterest.Options{APIURL: e.fake.URL(), ClientID: testClientID, ClientSecret: sensitive.New(secret),
				Now: e.clock.Now, Retry: pinterest.RetryPolicy{MaxRetries: 2, WaitMin: time.Millisecond, WaitMax: 5 * time.Millisecond}})
			if err != nil {
				t.Fatal(err)
			}
			code := e.fake.IssueCode(testRedirectURI, "pins:read")
			callErr := tc.call(e, c, code)
			if callErr == nil {
				t.Fatal("the call succeeded")
			}
			d := diagnose(callErr, failure{op: tc.op, path: path.Root("authorization_code"), redirectURI: testRedirectURI,
				scopes: []string{"pins:read"}, generation: 3})
			text := diagText(diag.Diagnostics{d})
			if d.Severity() != diag.SeverityError || !containsInOrder(text, tc.want...) {
				t.Errorf("diagnostic lacks %q:\n%s", tc.want, text)
			}
			if leaked := leakedIn(text, append(e.issuedGrants(), testClientSecret, secret)); leaked > 0 {
				t.Errorf("the diagnostic holds %d secret value(s)", leaked)
			}
		})
	}
}

func leakedIn(text string, secrets []string) int {
	n := 0
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			n++
		}
	}
	return n
}

// TestRefusalsAndNotices: each refusal and notice of the core has one
// title, on the attribute it is about.
func TestRefusalsAndNotices(t *testing.T) {
	for _, tc := range []struct {
		kind  tokenset.RefusalKind
		title string
		at    string
	}{
		{tokenset.RefuseMissingStart, "Missing Authorization Code", "authorization_code_wo"},
		{tokenset.RefuseAdoptAfterHandOff, "Token Set Already Handed Off", "refresh_token_wo"},
		{tokenset.RefuseHandOffUndone, "Token Set Already Handed Off", "hand_off"},
		{tokenset.RefuseGenerationExhausted, "Token Set Generation Exhausted", ""},
	} {
		d := refusalDiagnostic(&tokenset.Refusal{Kind: tc.kind}, "")
		withPath, hasPath := d.(diag.DiagnosticWithPath)
		if d.Summary() != tc.title || d.Severity() != diag.SeverityError || hasPath != (tc.at != "") ||
			(hasPath && !withPath.Path().Equal(path.Root(tc.at))) {
			t.Errorf("refusal %d: %s (on %v)", tc.kind, d.Summary(), tc.at)
		}
	}
	// A new start asked for by a version change, with no code: the
	// message names the change, and how to keep the current set.
	if d := refusalDiagnostic(&tokenset.Refusal{Kind: tokenset.RefuseMissingStart}, `authorization_code_wo_version changed from "1" to "2"`); !containsInOrder(d.Detail(), `authorization_code_wo_version changed from "1" to "2"`, "set the version back") {
		t.Errorf("missing start in place: %s", d.Detail())
	}
	diags := noticeDiagnostics([]tokenset.Notice{
		{Kind: tokenset.NoticeRecovering, From: tokenset.FromStore, PriorGeneration: 1, Generation: 2},
		{Kind: tokenset.NoticeStoredUnreadable, Err: errors.New("not JSON")},
		{Kind: tokenset.NoticeStoredRefused, PriorGeneration: 1, Generation: 3, Err: tokenset.ErrNotNext},
	})
	text := diagText(diags)
	if diags.WarningsCount() != 3 || !containsInOrder(text,
		"Recovering a Token Set Not Yet Saved", "generation 1, but the store (recovery_document_wo) holds generation 2",
		"Recovery Document Ignored", "not JSON",
		"Recovery Document Ignored", "generation 3", "generation 1 in state", "not one generation ahead") {
		t.Errorf("notices:\n%s", text)
	}
}
