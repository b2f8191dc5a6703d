package pinterest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
)

// recordingLogger keeps the client's log events for assertions.
type recordingLogger struct {
	mu     sync.Mutex
	events []string
	waits  []string
}

func (l *recordingLogger) Log(_ context.Context, _ pinterest.Level, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, fmt.Sprintf("%s %v", msg, fields))
	if w, ok := fields["wait"].(string); ok {
		l.waits = append(l.waits, w)
	}
}

// TestFaultMatrix drives a refresh through every fault the fake can show and
// checks the outcome, the message and how many requests reached the fake.
// Run with -v to print the matrix.
func TestFaultMatrix(t *testing.T) {
	const html = "<html><body><h1>502 Bad Gateway</h1></body></html>"
	type outcome struct {
		ok       bool
		requests int
		check    func(t *testing.T, err error, log *recordingLogger, took time.Duration)
	}
	cases := []struct {
		name     string
		expected string
		faults   []fakepinterest.Fault
		lazy     func() []fakepinterest.Fault // faults that must be made when the case runs
		timeout  time.Duration
		want     outcome
	}{
		{
			name: "429 with Retry-After: 1, then success", expected: "success after waiting exactly 1s",
			faults: []fakepinterest.Fault{{Status: 429, RetryAfter: "1"}},
			want: outcome{ok: true, requests: 2, check: func(t *testing.T, _ error, log *recordingLogger, took time.Duration) {
				if len(log.waits) != 1 || log.waits[0] != "1s" || took < time.Second {
					t.Errorf("waits %v, took %s: Retry-After not honoured", log.waits, took)
				}
			}},
		},
		{
			name: "429 with Retry-After as an HTTP date, then success", expected: "success after waiting until that date",
			lazy: func() []fakepinterest.Fault {
				return []fakepinterest.Fault{{Status: 429, RetryAfter: time.Now().Add(2 * time.Second).UTC().Format(http.TimeFormat)}}
			},
			want: outcome{ok: true, requests: 2, check: func(t *testing.T, _ error, log *recordingLogger, took time.Duration) {
				if len(log.waits) != 1 || took < 500*time.Millisecond {
					t.Errorf("waits %v, took %s: Retry-After date not honoured", log.waits, took)
				}
			}},
		},
		{
			name: "429 with Retry-After beyond the cap", expected: "error at once, naming the wait asked for",
			faults: []fakepinterest.Fault{{Status: 429, RetryAfter: "3600"}},
			want:   outcome{requests: 1, check: expectAPIError(http.StatusTooManyRequests, "asked to retry after 1h0m0s")},
		},
		{
			name: "three 503, then success", expected: "success on the 4th attempt",
			faults: []fakepinterest.Fault{{Status: 503, Times: 3}},
			want:   outcome{ok: true, requests: 4},
		},
		{
			name: "503 forever", expected: "error after max_retries (4), with status and request id",
			faults: []fakepinterest.Fault{{Status: 503, Times: 100}},
			want:   outcome{requests: 5, check: expectAPIError(http.StatusServiceUnavailable, "code 4197")},
		},
		{
			name: "connection reset twice, then success", expected: "success on the 3rd attempt",
			faults: []fakepinterest.Fault{{Reset: true, Times: 2}},
			want:   outcome{ok: true, requests: 3},
		},
		{
			name: "connection reset forever", expected: "transport error after 5 attempts",
			faults: []fakepinterest.Fault{{Reset: true, Times: 100}},
			want: outcome{requests: 5, check: func(t *testing.T, err error, _ *recordingLogger, _ time.Duration) {
				var te *pinterest.TransportError
				if !errors.As(err, &te) || te.Attempts != 5 {
					t.Errorf("err = %v, want a TransportError after 5 attempts", err)
				}
			}},
		},
		{
			name: "server slower than request_timeout once", expected: "success on the 2nd attempt",
			faults: []fakepinterest.Fault{{Delay: 2 * time.Second}}, timeout: 200 * time.Millisecond,
			want: outcome{ok: true, requests: 2},
		},
		{
			name: "server slower than request_timeout always", expected: "timeout error after 5 attempts, bounded by 5 x request_timeout",
			faults: []fakepinterest.Fault{{Delay: 2 * time.Second, Times: 100}}, timeout: 200 * time.Millisecond,
			want: outcome{requests: 5, check: func(t *testing.T, err error, _ *recordingLogger, took time.Duration) {
				var te *pinterest.TransportError
				if !errors.As(err, &te) || !te.Timeout() || !strings.Contains(err.Error(), "request_timeout") {
					t.Errorf("err = %v, want a timeout TransportError", err)
				}
				if took > 3*time.Second {
					t.Errorf("took %s; five 200ms attempts should end well before 3s", took)
				}
			}},
		},
		{
			name: "malformed JSON (200)", expected: "unexpected-response error, no retry, no body quoted",
			faults: []fakepinterest.Fault{{Status: 200, Body: `{"access_token": "pina_AAAAAAAAAAAAAAAAAAAA", "expires_in": `}},
			want:   outcome{requests: 1, check: expectUnexpected("not a JSON token response")},
		},
		{
			name: "HTML error page (502)", expected: "retried, then error with status, content type and request id",
			faults: []fakepinterest.Fault{{Status: 502, ContentType: "text/html", Body: html, Times: 100}},
			want:   outcome{requests: 5, check: expectAPIError(http.StatusBadGateway, "not Pinterest's JSON error (text/html")},
		},
		{
			name: "HTML page with 200 (captive portal)", expected: "unexpected-response error naming the content type",
			faults: []fakepinterest.Fault{{Status: 200, ContentType: "text/html", Body: html}},
			want:   outcome{requests: 1, check: expectUnexpected("expected JSON, got text/html")},
		},
		{
			name: "empty body (200)", expected: "unexpected-response error",
			faults: []fakepinterest.Fault{{Status: 200, EmptyBody: true}},
			want:   outcome{requests: 1, check: expectUnexpected("empty response body")},
		},
		{
			name: "10 MiB body (200)", expected: "unexpected-response error, at most 1 MiB read",
			faults: []fakepinterest.Fault{{Status: 200, BodySize: 10 << 20}},
			want:   outcome{requests: 1, check: expectUnexpected("larger than 1048576 bytes")},
		},
		{
			name: "400", expected: "error, not retried",
			faults: []fakepinterest.Fault{{Status: 400, Times: 100}},
			want:   outcome{requests: 1, check: expectAPIError(400, "code 1")},
		},
		{
			name: "401", expected: "error, not retried",
			faults: []fakepinterest.Fault{{Status: 401, Times: 100}},
			want:   outcome{requests: 1, check: expectAPIError(401, "code 2")},
		},
		{
			name: "403", expected: "error, not retried",
			faults: []fakepinterest.Fault{{Status: 403, Times: 100}},
			want:   outcome{requests: 1, check: expectAPIError(403, "code 29")},
		},
		{
			name: "404", expected: "error, not retried",
			faults: []fakepinterest.Fault{{Status: 404, Times: 100}},
			want:   outcome{requests: 1, check: expectAPIError(404, "")},
		},
	}
	var matrix []string
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, clock := newFake(t)
			log := &recordingLogger{}
			c := newClient(t, srv, clock, func(o *pinterest.Options) {
				o.Retry.MaxRetries = pinterest.DefaultMaxRetries
				o.Logger = log
				if tc.timeout > 0 {
					o.RequestTimeout = tc.timeout
				}
			})
			_, refresh := srv.IssueTokens("pins:read")
			faults := tc.faults
			if tc.lazy != nil {
				faults = tc.lazy()
			}
			srv.InjectFaults(fakepinterest.TokenPath, faults...)

			start := time.Now()
			ts, err := c.Refresh(context.Background(), sensitive.New(refresh), nil)
			took := time.Since(start)
			requests := srv.Requests(fakepinterest.TokenPath)

			observed := fmt.Sprintf("success after %d request(s)", requests)
			if err != nil {
				observed = fmt.Sprintf("error after %d request(s): %v", requests, err)
			}
			matrix = append(matrix, fmt.Sprintf("| %s | %s | %s (%s) |", tc.name, tc.expected, observed, took.Round(10*time.Millisecond)))

			if tc.want.ok != (err == nil) || (tc.want.ok && ts == nil) {
				t.Fatalf("ok = %v, want %v (err %v)", err == nil, tc.want.ok, err)
			}
			if requests != tc.want.requests {
				t.Errorf("%d requests reached Pinterest, want %d", requests, tc.want.requests)
			}
			if err != nil && (strings.Contains(err.Error(), refresh) || strings.Contains(err.Error(), "pina_AAAA")) {
				t.Error("the error text holds a secret")
			}
			if tc.want.check != nil {
				tc.want.check(t, err, log, took)
			}
		})
	}
	t.Log("fault matrix:\n| fault | expected | observed |\n|---|---|---|\n" + strings.Join(matrix, "\n"))
}

func expectAPIError(status int, text string) func(*testing.T, error, *recordingLogger, time.Duration) {
	return func(t *testing.T, err error, _ *recordingLogger, _ time.Duration) {
		apiErr, ok := pinterest.AsAPIError(err)
		if !ok || apiErr.StatusCode != status || apiErr.RequestID == "" || !strings.Contains(err.Error(), text) {
			t.Errorf("err = %v, want an APIError %d with a request id and %q", err, status, text)
		}
	}
}

func expectUnexpected(text string) func(*testing.T, error, *recordingLogger, time.Duration) {
	return func(t *testing.T, err error, _ *recordingLogger, _ time.Duration) {
		var ue *pinterest.UnexpectedResponseError
		if !errors.As(err, &ue) || ue.RequestID == "" || ue.StatusCode == 0 || !strings.Contains(err.Error(), text) {
			t.Errorf("err = %v, want an UnexpectedResponseError with status, request id and %q", err, text)
		}
	}
}

// TestNoCredentialsAcrossHosts: a redirect to another host is refused, so
// neither the Basic credentials nor the form body reach it.
func TestNoCredentialsAcrossHosts(t *testing.T) {
	var reached int
	var mu sync.Mutex
	other := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		mu.Lock()
		reached++
		mu.Unlock()
	}))
	defer other.Close()
	srv, clock := newFake(t)
	c := newClient(t, srv, clock)
	_, refresh := srv.IssueTokens("pins:read")
	srv.InjectFaults(fakepinterest.TokenPath, fakepinterest.Fault{Status: http.StatusTemporaryRedirect, Header: http.Header{"Location": {other.URL + "/v5/oauth/token"}}})

	_, err := c.Refresh(context.Background(), sensitive.New(refresh), nil)
	if err == nil || !strings.Contains(err.Error(), "refusing to follow a redirect") {
		t.Fatalf("err = %v, want a refused redirect", err)
	}
	if reached != 0 {
		t.Errorf("the other host received %d request(s)", reached)
	}
}

// TestCancelStopsPromptly: Ctrl-C cancels the context, which must end a
// request the server is sitting on and any wait between retries.
func TestCancelStopsPromptly(t *testing.T) {
	for name, fault := range map[string]fakepinterest.Fault{
		"slow response":   {Delay: 30 * time.Second},
		"long retry wait": {Status: 429, RetryAfter: "60", Times: 2},
	} {
		t.Run(name, func(t *testing.T) {
			srv, clock := newFake(t)
			c := newClient(t, srv, clock, func(o *pinterest.Options) { o.Retry.MaxRetryAfter = 5 * time.Minute })
			_, refresh := srv.IssueTokens("pins:read")
			srv.InjectFaults(fakepinterest.TokenPath, fault)
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(200*time.Millisecond, cancel)
			start := time.Now()
			_, err := c.Refresh(ctx, sensitive.New(refresh), nil)
			if !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want context.Canceled", err)
			}
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("returned %s after cancel was asked for", took)
			}
		})
	}
}
