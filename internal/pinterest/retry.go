package pinterest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
)

// RetryPolicy says how transient failures are retried: 429, 500, 502, 503,
// 504 and failures before any response. Other statuses are final: repeating
// a refused code or credential only burns the rate limit.
type RetryPolicy struct {
	// MaxRetries is how many times a request is repeated after the first
	// attempt. Zero means no retries; negative means the default, 4.
	MaxRetries int
	// WaitMin and WaitMax bound the exponential backoff. Defaults 1s and 30s.
	WaitMin, WaitMax time.Duration
	// MaxRetryAfter caps how long a Retry-After header can make the client
	// wait. A longer demand ends the retries with the error. Default 2m.
	MaxRetryAfter time.Duration
}

// DefaultMaxRetries is the number of retries when none is configured.
const DefaultMaxRetries = 4

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxRetries < 0 {
		p.MaxRetries = DefaultMaxRetries
	}
	if p.WaitMin <= 0 {
		p.WaitMin = time.Second
	}
	if p.WaitMax <= 0 {
		p.WaitMax = 30 * time.Second
	}
	if p.WaitMax < p.WaitMin {
		p.WaitMax = p.WaitMin
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = 2 * time.Minute
	}
	return p
}

// retryableStatus lists the statuses worth another attempt.
func retryableStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// send performs req with retries. A retryablehttp.Client is made per call so
// that its hooks can log with the caller's context; the http.Client beneath
// it, and so its connection pool, is shared by every call.
//
// unanswered counts the attempts before the last one whose outcome is
// unknown: no response at all, or a gateway's 500, 502 or 504. Pinterest may
// have carried such an attempt out (spent the code, rotated the refresh
// token) and only its answer was lost, so a refusal of a later attempt does
// not mean what it would mean on a first attempt.
func (c *Client) send(ctx context.Context, op Operation, req *http.Request, body []byte, secrets []sensitive.Secret) (resp *http.Response, unanswered int, err error) {
	rreq, err := retryablehttp.FromRequest(req)
	if err != nil {
		return nil, 0, err
	}
	if body != nil {
		// A byte slice lets retryablehttp rewind the body for every attempt.
		if err := rreq.SetBody(body); err != nil {
			return nil, 0, err
		}
	}

	p := c.retry
	attempts := 1
	rc := &retryablehttp.Client{
		HTTPClient:   c.httpClient,
		Logger:       nil, // c.logger logs, with the caller's context
		RetryMax:     p.MaxRetries,
		RetryWaitMin: p.WaitMin,
		RetryWaitMax: p.WaitMax,
		RequestLogHook: func(_ retryablehttp.Logger, _ *http.Request, attempt int) {
			c.logger.Log(ctx, LevelDebug, "Sending request to Pinterest", map[string]any{"operation": string(op), "attempt": attempt + 1})
		},
		CheckRetry: func(ctx context.Context, resp *http.Response, err error) (bool, error) {
			if ctx.Err() != nil {
				return false, ctx.Err()
			}
			// A request that mints something new (a conversion token) is not
			// sent again when the last attempt may have gone through: each
			// served attempt would leave a token nobody holds or can revoke.
			mints := op.mints()
			if err != nil {
				var redirectErr *RedirectError
				if errors.As(err, &redirectErr) || mints {
					return false, nil
				}
				retry, err := retryablehttp.DefaultRetryPolicy(ctx, resp, err)
				if retry {
					unanswered++
				}
				return retry, err
			}
			if !retryableStatus(resp.StatusCode) {
				return false, nil
			}
			if outcomeUnknown(resp.StatusCode) {
				if mints {
					return false, nil
				}
				unanswered++
			}
			if d, ok := retryAfter(resp); ok && d > p.MaxRetryAfter {
				return false, nil
			}
			return true, nil
		},
		Backoff: func(waitMin, waitMax time.Duration, attempt int, resp *http.Response) time.Duration {
			wait := backoff(waitMin, waitMax, attempt, resp)
			fields := map[string]any{"operation": string(op), "failed_attempt": attempt + 1, "wait": wait.String()}
			if resp != nil {
				// Server-controlled: only in a safe shape, holding no secret.
				fields["status"] = resp.StatusCode
				fields["request_id"] = requestIDFor(safeRequestID(resp.Header.Get("X-Pinterest-Rid")), secrets...)
			} else {
				fields["status"] = "no response"
			}
			c.logger.Log(ctx, LevelWarn, "Retrying request to Pinterest", fields)
			return wait
		},
		// Hand back the last response when retries run out, so that its
		// status, Pinterest code and request id reach the error.
		ErrorHandler: func(resp *http.Response, err error, tries int) (*http.Response, error) {
			attempts = tries
			return retryablehttp.PassthroughErrorHandler(resp, err, tries)
		},
	}
	resp, err = rc.Do(rreq)
	if err != nil {
		if ctx.Err() != nil {
			return nil, 0, fmt.Errorf("%s: cancelled: %w", op, ctx.Err())
		}
		return nil, 0, &TransportError{Operation: op, Attempts: attempts, Err: transportCause(err)}
	}
	if outcomeUnknown(resp.StatusCode) && unanswered > 0 {
		unanswered-- // the last attempt's own answer is the one returned
	}
	return resp, unanswered, nil
}

// outcomeUnknown reports a status from a gateway that may have passed the
// request on before failing; 429 and 503 say the request was not served.
func outcomeUnknown(status int) bool {
	return status == http.StatusInternalServerError || status == http.StatusBadGateway || status == http.StatusGatewayTimeout
}

// TransportError is a failure before any response: connection refused or
// reset, DNS, TLS, or a timeout. Attempts says how often the client tried.
type TransportError struct {
	Operation Operation
	Attempts  int
	Err       error
}

func (e *TransportError) Error() string {
	return fmt.Sprintf("%s: no response from Pinterest after %d attempt(s): %v", e.Operation, e.Attempts, e.Err)
}

func (e *TransportError) Unwrap() error { return e.Err }

// Timeout reports whether the last attempt timed out.
func (e *TransportError) Timeout() bool { return errors.Is(e.Err, errTimeout) }

// errTimeout replaces net/http's timeout text, which names Go internals.
var errTimeout = errors.New("the request timed out (request_timeout exceeded)")

// transportCause drops the *url.Error wrapper, whose text repeats the URL.
func transportCause(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if ue.Timeout() {
			return errTimeout
		}
		return ue.Err
	}
	return err
}

// backoff is exponential from min to max with full jitter in its upper half,
// and honours Retry-After (seconds or an HTTP date) on 429 and 503.
func backoff(waitMin, waitMax time.Duration, attempt int, resp *http.Response) time.Duration {
	if d, ok := retryAfter(resp); ok {
		return d
	}
	wait := waitMin << attempt
	if wait <= 0 || wait > waitMax {
		wait = waitMax
	}
	// Half fixed, half random: spreads retries of parallel resources apart.
	half := wait / 2
	return half + rand.N(half+1)
}

func retryAfter(resp *http.Response) (time.Duration, bool) {
	if resp == nil || (resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusServiceUnavailable) {
		return 0, false
	}
	return ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
}

// ParseRetryAfter reads a Retry-After value: seconds, or an HTTP date.
func ParseRetryAfter(h string, now time.Time) (time.Duration, bool) {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(h, 10, 64); err == nil {
		if secs < 0 || secs > int64(maxLifetime.Seconds()) {
			return 0, false
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(h)
	if err != nil {
		return 0, false
	}
	if d := t.Sub(now); d > 0 {
		return d, true
	}
	return 0, true
}

// IsLoopbackHost reports whether host is localhost or a loopback address.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
