package pinterest

import (
	"context"
	"net/url"

	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
)

// Level is the severity of a log event.
type Level int

const (
	LevelTrace Level = iota
	LevelDebug
	LevelWarn
)

// Logger receives what the client does, for an operator to follow. The
// client never passes it a secret: codes and tokens appear only as
// fingerprints (see sensitive.Secret.Fingerprint). Implementations must not block.
type Logger interface {
	Log(ctx context.Context, level Level, msg string, fields map[string]any)
}

type nopLogger struct{}

func (nopLogger) Log(context.Context, Level, string, map[string]any) {}

// secretFormFields are the form fields that carry a grant or a token.
var secretFormFields = map[string]bool{"code": true, "refresh_token": true, "token": true, "client_secret": true}

// formLogFields describes a form body for the log: plain fields as they are,
// secret ones as a fingerprint under <name>_sha256.
func formLogFields(form url.Values) map[string]any {
	fields := map[string]any{}
	for k := range form {
		v := form.Get(k)
		if secretFormFields[k] {
			fields[k+"_sha256"] = sensitive.New(v).Fingerprint()
			continue
		}
		fields[k] = v
	}
	return fields
}

// tokenSetLogFields describes a token set without its secrets.
func tokenSetLogFields(ts *TokenSet) map[string]any {
	fields := map[string]any{
		"token_type":          ts.TokenType,
		"scopes":              ts.Scopes,
		"response_type":       ts.ResponseType,
		"access_token_sha256": ts.AccessToken.Fingerprint(),
		"new_refresh_token":   !ts.RefreshToken.IsEmpty(),
	}
	if !ts.ExpiresAt.IsZero() {
		fields["expires_at"] = ts.ExpiresAt.Format("2006-01-02T15:04:05Z07:00")
	}
	if !ts.RefreshToken.IsEmpty() {
		fields["refresh_token_sha256"] = ts.RefreshToken.Fingerprint()
	}
	return fields
}
