package pinterest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
)

// TokenSet is what Pinterest's token endpoint hands back.
type TokenSet struct {
	AccessToken sensitive.Secret
	// RefreshToken is empty when the response carried none; callers must then
	// keep the refresh token they already hold.
	RefreshToken sensitive.Secret
	TokenType    string
	// Scopes are the granted scopes, sorted; nil when the response had none
	// (the scope field is optional since spec 5.28).
	Scopes []string
	// ExpiresAt is when the access token expires; zero when not given.
	ExpiresAt time.Time
	// RefreshTokenExpiresAt is when the refresh token expires; zero when not given.
	RefreshTokenExpiresAt time.Time
	// ResponseType names the grant that answered ("authorization_code", "refresh_token").
	ResponseType string
}

// tokenResponse is the JSON of a successful token response. Numbers are
// json.Number so that an integer sent as 2592000.0 is still read.
type tokenResponse struct {
	AccessToken           string      `json:"access_token"`
	RefreshToken          string      `json:"refresh_token"`
	TokenType             string      `json:"token_type"`
	ExpiresIn             json.Number `json:"expires_in"`
	Scope                 *string     `json:"scope"`
	ResponseType          string      `json:"response_type"`
	RefreshTokenExpiresIn json.Number `json:"refresh_token_expires_in"`
	RefreshTokenExpiresAt json.Number `json:"refresh_token_expires_at"`
}

// maxLifetime bounds lifetimes read from a response; anything longer is
// nonsense and would overflow time arithmetic.
const maxLifetime = 100 * 365 * 24 * time.Hour

// ParseTokenResponse reads a 2xx token response body. now is the time the
// response arrived: expires_in counts from it. The error, if any, says what is
// wrong without quoting the body.
func ParseTokenResponse(body []byte, now time.Time) (*TokenSet, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil, fmt.Errorf("empty response body")
	}
	var tr tokenResponse
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&tr); err != nil {
		return nil, fmt.Errorf("response body is not a JSON token response (%s)", jsonErrorKind(err))
	}
	if tr.AccessToken == "" {
		return nil, fmt.Errorf("token response has no access_token")
	}
	ts := &TokenSet{
		AccessToken:  sensitive.New(tr.AccessToken),
		RefreshToken: sensitive.New(tr.RefreshToken),
		TokenType:    tr.TokenType,
		ResponseType: tr.ResponseType,
	}
	if tr.Scope != nil {
		ts.Scopes = ParseScopes(*tr.Scope)
	}
	var err error
	if ts.ExpiresAt, err = expiry(now, tr.ExpiresIn, ""); err != nil {
		return nil, fmt.Errorf("expires_in: %w", err)
	}
	// The absolute time is exact; the relative one is the fallback.
	if ts.RefreshTokenExpiresAt, err = expiry(now, tr.RefreshTokenExpiresIn, tr.RefreshTokenExpiresAt); err != nil {
		return nil, fmt.Errorf("refresh_token_expires_at: %w", err)
	}
	return ts, nil
}

// expiry turns a lifetime in seconds, or an absolute Unix time, into a time.
func expiry(now time.Time, in json.Number, at json.Number) (time.Time, error) {
	if at != "" {
		f, err := at.Float64()
		if err != nil || f <= 0 || f > float64(now.Add(maxLifetime).Unix()) {
			return time.Time{}, fmt.Errorf("not a plausible Unix time")
		}
		return time.Unix(int64(f), 0).UTC(), nil
	}
	if in == "" {
		return time.Time{}, nil
	}
	f, err := in.Float64()
	if err != nil || f < 0 || f > maxLifetime.Seconds() {
		return time.Time{}, fmt.Errorf("not a plausible number of seconds")
	}
	return now.Add(time.Duration(f) * time.Second).UTC().Truncate(time.Second), nil
}

// jsonErrorKind describes a JSON error without the text around it: a syntax
// error message can quote the body.
func jsonErrorKind(err error) string {
	var syntaxErr *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntaxErr):
		return fmt.Sprintf("syntax error at byte %d", syntaxErr.Offset)
	case errors.As(err, &typeErr):
		return fmt.Sprintf("field %q has the wrong type", typeErr.Field)
	default:
		return "malformed JSON"
	}
}
