package pinterest_test

import (
	"context"
	"testing"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
)

// What Pinterest may leave out of a token answer reaches the core as
// "not said", never as a made-up value: a refresh answer without scope
// (allowed when the scopes are unchanged) has nil Scopes, and an answer
// without expires_in has a zero ExpiresAt. The core's rules for both are
// rows of tokenset's TestNext and TestPlan.
func TestOmittedFieldsAreNotSaid(t *testing.T) {
	ctx := context.Background()
	srv, clock := newFake(t, func(o *fakepinterest.Options) { o.OmitRefreshScope = true; o.OmitExpiresIn = true })
	c := newClient(t, srv, clock)
	ts, err := c.Exchange(ctx, sensitive.New(srv.IssueCode(testRedirectURI, "pins:read")), testRedirectURI, true)
	if err != nil {
		t.Fatal(err)
	}
	if !ts.ExpiresAt.IsZero() {
		t.Errorf("ExpiresAt = %s with no expires_in in the answer, want zero", ts.ExpiresAt)
	}
	next, err := c.Refresh(ctx, ts.RefreshToken, nil)
	if err != nil {
		t.Fatal(err)
	}
	if next.Scopes != nil || !next.ExpiresAt.IsZero() {
		t.Errorf("a scope-less refresh answer gave Scopes %v, ExpiresAt %s; want nil and zero", next.Scopes, next.ExpiresAt)
	}
}
