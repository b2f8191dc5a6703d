package pinterest

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
)

// Pinterest error codes that callers act on. Pinterest documents them in the
// Error schema of its OpenAPI description and in its SDKs' issue trackers.
const (
	CodeAuthenticationFailed = 2   // bad client credentials or bearer token
	CodeRateLimited          = 8   // too many requests
	CodeNotPermitted         = 29  // the app or token may not do this
	CodeInvalidGrant         = 283 // code or refresh token invalid, expired, revoked or superseded
)

// Operation names the call that failed, in words an operator understands.
type Operation string

const (
	OpExchange    Operation = "exchange authorization code"
	OpRefresh     Operation = "refresh access token"
	OpRevoke      Operation = "revoke token"
	OpUserAccount Operation = "read user account"
	OpConversion  Operation = "create conversion token"
)

func (o Operation) String() string { return string(o) }

// mints says whether each call makes something new (a conversion token), so
// that an attempt whose outcome is unknown is never sent again.
func (o Operation) mints() bool { return o == OpConversion }

// APIError is a refusal from Pinterest: a non-2xx response, with Pinterest's
// own code and message when the body had them.
type APIError struct {
	Operation  Operation
	StatusCode int
	Code       int    // Pinterest's error code, 0 when the body had none
	Message    string // Pinterest's message, with anything token-shaped masked
	RequestID  string // the x-pinterest-rid header, what Pinterest support asks for
	// RetryAfter is how long Pinterest asked the client to wait (429, 503).
	RetryAfter time.Duration
	// UnansweredAttempts counts the earlier attempts of this request that
	// got no answer (no response, or a gateway's 500, 502 or 504). Pinterest
	// may have carried one out, so a refused code or refresh token may have
	// been spent by this client's own earlier attempt.
	UnansweredAttempts int
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: Pinterest answered HTTP %d", e.Operation, e.StatusCode)
	switch {
	case e.Code != 0:
		fmt.Fprintf(&b, " (code %d: %s)", e.Code, e.Message)
	case e.Message != "":
		fmt.Fprintf(&b, " (%s)", e.Message)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, ", request id %s", e.RequestID)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, ", asked to retry after %s", e.RetryAfter)
	}
	if e.UnansweredAttempts > 0 {
		fmt.Fprintf(&b, ", after %d earlier attempt(s) that got no answer", e.UnansweredAttempts)
	}
	return b.String()
}

// IsInvalidGrant reports whether Pinterest refused the code or refresh token
// itself, as opposed to the client credentials, a rate limit, a refusal of
// the app or an outage. Pinterest's code numbers for a bad authorization
// code are not documented, so any other 4xx of the token endpoint counts as
// the grant's: its fields are all the request carries.
func (e *APIError) IsInvalidGrant() bool {
	switch {
	case e.IsBadClientCredentials(), e.IsRateLimited(), e.IsForbidden(), e.StatusCode >= http.StatusInternalServerError:
		return false
	}
	return e.Code == CodeInvalidGrant || (e.StatusCode >= http.StatusBadRequest && e.StatusCode < http.StatusInternalServerError)
}

// IsBadClientCredentials reports whether Pinterest refused the app id or secret.
func (e *APIError) IsBadClientCredentials() bool {
	return e.StatusCode == http.StatusUnauthorized && e.Code == CodeAuthenticationFailed
}

// IsRateLimited reports a 429.
func (e *APIError) IsRateLimited() bool { return e.StatusCode == http.StatusTooManyRequests }

// IsForbidden reports a 403: the app or user may not do this.
func (e *APIError) IsForbidden() bool { return e.StatusCode == http.StatusForbidden }

// UnexpectedResponseError is a response the client cannot read as Pinterest's
// JSON: HTML from a proxy, an empty or oversized body, broken JSON, or a
// success without an access token. It never carries the body, which could
// hold a secret.
type UnexpectedResponseError struct {
	Operation   Operation
	StatusCode  int
	ContentType string
	RequestID   string
	Reason      string
}

func (e *UnexpectedResponseError) Error() string {
	ct := e.ContentType
	if ct == "" {
		ct = "none"
	}
	rid := e.RequestID
	if rid == "" {
		rid = "none"
	}
	return fmt.Sprintf("%s: unexpected response from Pinterest (HTTP %d, content type %s, request id %s): %s",
		e.Operation, e.StatusCode, ct, rid, e.Reason)
}

// AsAPIError unwraps err to an *APIError.
func AsAPIError(err error) (*APIError, bool) {
	var apiErr *APIError
	ok := errors.As(err, &apiErr)
	return apiErr, ok
}

// tokenShape matches Pinterest access (pina) and refresh (pinr) tokens, and
// the fake's, so that a message echoing one back cannot leak it.
var tokenShape = regexp.MustCompile(TokenPattern)

// TokenPattern is a regular expression for Pinterest-shaped tokens, for log
// masking outside this package.
const TokenPattern = `pin[arc][A-Za-z0-9_\-.~+/=]{8,}`

// MaskTokens replaces anything shaped like a Pinterest token in s.
func MaskTokens(s string) string { return tokenShape.ReplaceAllString(s, sensitive.Redacted) }

// scrub makes server-controlled text safe for a diagnostic: every given
// secret is masked in each encoding a server could echo it in (raw, URL
// query and path encoding, base64 in its four alphabets), token-shaped
// text is masked, and control characters (which could rewrite a terminal
// or forge log lines) are dropped.
func scrub(s string, secrets ...sensitive.Secret) string {
	s = strings.Map(func(r rune) rune {
		// Format characters too: a zero-width space inside a token would
		// defeat its masking, a bidi override would disguise the text.
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
	for _, sec := range secrets {
		if len(sec.Reveal()) < 4 {
			continue
		}
		for _, form := range echoForms(sec) {
			s = strings.ReplaceAll(s, form, sensitive.Redacted)
		}
	}
	return MaskTokens(s)
}

// echoForms are the encodings a server could echo a secret in: raw, URL
// query and path encoding, base64 in its four alphabets.
func echoForms(sec sensitive.Secret) []string {
	raw := sec.Reveal()
	return []string{
		raw, url.QueryEscape(raw), url.PathEscape(raw),
		base64.StdEncoding.EncodeToString([]byte(raw)), base64.URLEncoding.EncodeToString([]byte(raw)),
		base64.RawStdEncoding.EncodeToString([]byte(raw)), base64.RawURLEncoding.EncodeToString([]byte(raw)),
	}
}

// requestIDShape is what a request id may look like to be shown.
var requestIDShape = regexp.MustCompile(`^[A-Za-z0-9-]{1,64}$`)

// safeRequestID keeps a request id only when it has the shape of one.
func safeRequestID(s string) string {
	if s == "" || requestIDShape.MatchString(s) {
		return s
	}
	return "(withheld: not a request id)"
}

// secretWindow is the shortest run of a secret that a request id may not
// hold: a server (or a proxy) that echoes part of a code in its request id
// must not get that part into an error message or a log line.
const secretWindow = 8

// requestIDFor withholds a request id that holds a run of secretWindow
// characters of any secret of the request, in any form it could be echoed
// in (echoForms): it is server-controlled text.
func requestIDFor(rid string, secrets ...sensitive.Secret) string {
	for _, sec := range secrets {
		for _, form := range echoForms(sec) {
			for i := 0; i+secretWindow <= len(form); i++ {
				if strings.Contains(rid, form[i:i+secretWindow]) {
					return "(withheld: it holds part of a secret of the request)"
				}
			}
		}
	}
	return rid
}

// safeHeaderNumber keeps a header that should be a number only when it is.
func safeHeaderNumber(s string) string {
	if len(s) > 20 || strings.Trim(s, "0123456789") != "" {
		return "(not a number)"
	}
	return s
}

// contentTypeShape is a bare media type.
var contentTypeShape = regexp.MustCompile(`^[a-z0-9][a-z0-9.+-]{0,63}/[a-z0-9][a-z0-9.+-]{0,63}$`)

// safeContentType keeps the media type of a Content-Type header, and only
// when it has the shape of one.
func safeContentType(s string) string {
	if s == "" {
		return ""
	}
	mt, _, err := mime.ParseMediaType(s)
	if err != nil || !contentTypeShape.MatchString(mt) {
		return "(unreadable content type)"
	}
	return mt
}

// errorBody is Pinterest's Error schema.
type errorBody struct {
	Code    *int   `json:"code"`
	Message string `json:"message"`
}

// maxMessageLen caps how much of Pinterest's message reaches a diagnostic.
const maxMessageLen = 300

// ParseError turns a non-2xx response into an error. A body in Pinterest's
// Error schema gives an *APIError with its code and message; anything else
// still gives an *APIError (the status alone is meaningful) unless the body is
// so odd that an *UnexpectedResponseError says more. secrets are the values
// the request carried; they are masked should the message echo them.
func ParseError(op Operation, meta ResponseMeta, body []byte, secrets ...sensitive.Secret) error {
	apiErr := &APIError{Operation: op, StatusCode: meta.StatusCode, RequestID: meta.RequestID}
	var eb errorBody
	if err := json.Unmarshal(body, &eb); err == nil && (eb.Code != nil || eb.Message != "") {
		if eb.Code != nil {
			apiErr.Code = *eb.Code
		}
		// Mask first, then cut: a cut cannot leave half a secret behind.
		apiErr.Message = truncate(scrub(strings.TrimSpace(eb.Message), secrets...), maxMessageLen)
		return apiErr
	}
	// Not Pinterest's JSON (a gateway's HTML page, say). The status code still
	// decides what the caller should do, so keep it an APIError, with a
	// message that says what came instead and nothing of the body.
	apiErr.Message = describeBody(meta, body)
	return apiErr
}

// truncate cuts s to at most n bytes on a character boundary, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}

// describeBody says what kind of body came back, without quoting it.
func describeBody(meta ResponseMeta, body []byte) string {
	ct := meta.ContentType
	if ct == "" {
		ct = "no content type"
	}
	if len(body) == 0 {
		return fmt.Sprintf("empty response body (%s)", ct)
	}
	return fmt.Sprintf("response body is not Pinterest's JSON error (%s, %d bytes)", ct, len(body))
}
