package tokenset

import (
	"context"
	"errors"
	"slices"

	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokendoc"
)

// Client is what the core needs of Pinterest; *pinterest.Client has it.
type Client interface {
	Exchange(ctx context.Context, code sensitive.Secret, redirectURI string, continuousRefresh bool) (*pinterest.TokenSet, error)
	Refresh(ctx context.Context, refreshToken sensitive.Secret, scopes []string) (*pinterest.TokenSet, error)
}

var _ Client = (*pinterest.Client)(nil)

// Kind is a way to obtain a token set.
type Kind int

const (
	// ByExchange trades an authorization code for a new token set.
	ByExchange Kind = iota + 1
	// ByAdopt starts from a refresh token obtained elsewhere: one refresh
	// checks it and learns the token set.
	ByAdopt
	// ByRefresh trades the token set's own refresh token for the next one.
	ByRefresh
)

// Step says how to obtain the next token set.
type Step struct {
	Kind Kind
	// Code, RedirectURI and ContinuousRefresh: for ByExchange.
	Code              sensitive.Secret
	RedirectURI       string
	ContinuousRefresh bool
	// RefreshToken is the token to trade: the adopted one for ByAdopt; for
	// ByRefresh, the prior document's when left empty.
	RefreshToken sensitive.Secret
	// Scopes narrow the access token (ByRefresh and ByAdopt only).
	Scopes []string
}

// ErrGenerationExhausted is a document whose generation cannot grow.
var ErrGenerationExhausted = errors.New("the token document's generation cannot grow any further; start a new token set")

// Advance obtains the token set that follows prior (nil for the first) by
// step, and returns it as the next document. Nothing is kept anywhere: the
// caller stores the result, or Obtain keeps it.
func Advance(ctx context.Context, c Client, prior *tokendoc.Document, step Step) (*tokendoc.Document, error) {
	if prior != nil && prior.Generation >= tokendoc.MaxGeneration {
		return nil, ErrGenerationExhausted
	}
	if step.Kind == ByRefresh && step.RefreshToken.IsEmpty() && prior != nil {
		step.RefreshToken = prior.RefreshToken
	}
	var ts *pinterest.TokenSet
	var err error
	switch step.Kind {
	case ByExchange:
		ts, err = c.Exchange(ctx, step.Code, step.RedirectURI, step.ContinuousRefresh)
	case ByAdopt, ByRefresh:
		ts, err = c.Refresh(ctx, step.RefreshToken, step.Scopes)
	default:
		return nil, errors.New("tokenset: unknown step")
	}
	if err != nil {
		return nil, err
	}
	return Next(ts, prior, step), nil
}

// Next is the document for ts, which Pinterest issued for step after prior.
// These are the rules that never lose the newest refresh token, written
// once:
//   - the generation follows prior's, or starts at 1;
//   - when Pinterest sends no refresh token, the one traded stays the
//     newest (with its known expiry if it is prior's own);
//   - when a refresh answer carries no scope (allowed when it is
//     unchanged), prior's scopes stay;
//   - a refresh acts for prior's account.
//
// A new start (ByExchange, ByAdopt) after prior keeps only its generation: the
// tokens and scopes of the old set say nothing of the new one.
func Next(ts *pinterest.TokenSet, prior *tokendoc.Document, step Step) *tokendoc.Document {
	d := &tokendoc.Document{
		AccessToken:           ts.AccessToken,
		AccessTokenExpiresAt:  ts.ExpiresAt,
		RefreshToken:          ts.RefreshToken,
		RefreshTokenExpiresAt: ts.RefreshTokenExpiresAt,
		TokenType:             ts.TokenType,
		Scopes:                slices.Clone(ts.Scopes),
		Generation:            1,
	}
	if prior != nil {
		d.Generation = prior.Generation + 1
		d.Follows = tokendoc.Follow(prior.RefreshToken)
	}
	if d.RefreshToken.IsEmpty() && step.Kind != ByExchange {
		d.RefreshToken, d.RefreshTokenExpiresAt = step.RefreshToken, ts.RefreshTokenExpiresAt
		if prior != nil && prior.RefreshToken.Equal(step.RefreshToken) && d.RefreshTokenExpiresAt.IsZero() {
			d.RefreshTokenExpiresAt = prior.RefreshTokenExpiresAt
		}
	}
	if d.Scopes == nil && step.Kind == ByRefresh && prior != nil {
		d.Scopes = slices.Clone(prior.Scopes)
	}
	if step.Kind == ByRefresh && prior != nil {
		d.Account = prior.Account // a refresh acts for the same account
	}
	return d
}
