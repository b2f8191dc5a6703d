package pinterest_test

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
)

var tokenRE = regexp.MustCompile(pinterest.TokenPattern)

// FuzzParseTokenResponse: whatever the body, the parser does not panic, its
// error never quotes a token from the body, and what it accepts is a
// well-formed token set. The seeds run in every `go test`; `make fuzz` runs
// the fuzzer.
func FuzzParseTokenResponse(f *testing.F) {
	for _, seed := range []string{
		`{"access_token":"pina_AAAAAAAAAAAA","refresh_token":"pinr_BBBBBBBBBBBB","token_type":"bearer","expires_in":2592000,"scope":"boards:read,pins:read","response_type":"authorization_code","refresh_token_expires_in":5184000,"refresh_token_expires_at":1780000000}`,
		`{"access_token":"pina_AAAAAAAAAAAA","token_type":"bearer","expires_in":2592000.0,"scope":"pins:read user_accounts:read"}`,
		`{"access_token":"pina_AAAAAAAAAAAA"}`,
		`{"access_token":"","refresh_token":"pinr_BBBBBBBBBBBB"}`,
		`{"access_token":"pina_AAAAAAAAAAAA","expires_in":-1}`,
		`{"access_token":"pina_AAAAAAAAAAAA","expires_in":1e300}`,
		`{"access_token":"pina_AAAAAAAAAAAA","expires_in":"2592000"}`,
		`{"access_token":"pina_AAAAAAAAAAAA","refresh_token_expires_at":-5}`,
		`{"access_token":"pina_AAAAAAAAAAAA","scope":",, ,pins:read,,pins:read"}`,
		`{"access_token":["pina_AAAAAAAAAAAA"]}`,
		`{"access_token":"pina_AAAAAAAAAAAA",`,
		`null`, `[]`, `""`, ``, `<html><body>pina_AAAAAAAAAAAA</body></html>`,
	} {
		f.Add([]byte(seed))
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body []byte) {
		ts, err := pinterest.ParseTokenResponse(body, now)
		if err != nil {
			for _, tok := range tokenRE.FindAll(body, -1) {
				if strings.Contains(err.Error(), string(tok)) {
					t.Fatalf("the error quotes a token from the body: %v", err)
				}
			}
			return
		}
		if ts.AccessToken.IsEmpty() {
			t.Fatal("accepted a response without an access token")
		}
		if !slices.IsSorted(ts.Scopes) || slices.Contains(ts.Scopes, "") || len(slices.Compact(slices.Clone(ts.Scopes))) != len(ts.Scopes) {
			t.Fatalf("scopes not sorted, unique and non-empty: %q", ts.Scopes)
		}
		for _, at := range []time.Time{ts.ExpiresAt, ts.RefreshTokenExpiresAt} {
			if !at.IsZero() && (at.Before(time.Unix(0, 0)) || at.After(now.Add(101*365*24*time.Hour))) {
				t.Fatalf("implausible expiry %v accepted", at)
			}
		}
	})
}

// FuzzParseError: whatever the body, the result is an *APIError with the
// status and request id, its text never holds the secret the request carried
// nor anything token-shaped, and Pinterest's message is capped.
func FuzzParseError(f *testing.F) {
	for _, seed := range []struct {
		status int
		body   string
		secret string
	}{
		{401, `{"code":283,"message":"The authorization grant is invalid","status":"failure"}`, "pinr_0123456789abcdef"},
		{400, `{"code":1,"message":"Invalid code pinr_0123456789abcdef for redirect"}`, "pinr_0123456789abcdef"},
		{400, `{"code":1,"message":"code 4f2c9d1e8a7b6c5d4e3f was used"}`, "4f2c9d1e8a7b6c5d4e3f"},
		{429, `{"code":8,"message":"` + strings.Repeat("slow down ", 100) + `"}`, "pinr_x"},
		{502, `<html>Bad Gateway</html>`, "pinr_0123456789abcdef"},
		{503, ``, "pinr_0123456789abcdef"},
		{500, `{"code":"not a number"}`, "pinr_0123456789abcdef"},
		{400, `{"message":"pina_ABCDEFGHIJKLMNOP leaked"}`, "zzzz"},
	} {
		f.Add(seed.status, []byte(seed.body), seed.secret)
	}
	f.Fuzz(func(t *testing.T, status int, body []byte, secret string) {
		meta := pinterest.ResponseMeta{StatusCode: status, ContentType: "application/json", RequestID: "rid-1"}
		err := pinterest.ParseError(pinterest.OpRefresh, meta, body, sensitive.New(secret))
		var apiErr *pinterest.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != status || apiErr.RequestID != "rid-1" {
			t.Fatalf("want an *APIError with status and request id, got %#v", err)
		}
		if len(apiErr.Message) > 303 {
			t.Fatalf("message not capped at 300 bytes: %d", len(apiErr.Message))
		}
		if utf8.ValidString(string(body)) && !utf8.ValidString(apiErr.Message) {
			t.Fatalf("capping broke a character: %q", apiErr.Message)
		}
		// Only a secret that cannot occur in the error's own wording is
		// checked; "HTTP" or "4" would match the frame, not a leak.
		if len(secret) >= 8 && !strings.Contains(pinterest.OpRefresh.String()+" Pinterest answered HTTP request id rid-1", secret) &&
			strings.Contains(err.Error(), secret) {
			t.Fatalf("the error holds the request's secret: %v", err)
		}
		if tokenRE.MatchString(apiErr.Message) {
			t.Fatalf("the message holds something token-shaped: %q", apiErr.Message)
		}
	})
}
