package fakepinterest

import (
	"net/http"
	"time"
)

// Fault is a misbehaviour the fake shows for the next request(s) to a path,
// before any normal handling. Faults queue per path and each is used Times
// times (once when Times is 0).
type Fault struct {
	Status      int           // status to answer with; 0 answers normally after Delay
	RetryAfter  string        // Retry-After header value, if any
	ContentType string        // default application/json
	Body        string        // body as is; default Pinterest's error JSON for Status
	EmptyBody   bool          // send no body at all
	BodySize    int           // when > 0, a body of this many bytes (for size limits)
	Header      http.Header   // extra response headers, such as Location
	Delay       time.Duration // wait before answering (the request context still wins)
	Reset       bool          // close the connection without any response
	// LoseResponse carries the request out (a code is spent, a refresh token
	// rotated) and then closes the connection without answering, as when a
	// response is lost in transit.
	LoseResponse bool
	Times        int // how many requests this fault applies to
}

// defaultErrorBody gives Pinterest's error JSON for a status.
func defaultErrorBody(status int) (int, string) {
	switch status {
	case http.StatusTooManyRequests:
		return 8, "This request exceeded a rate limit. This can be caused by sending too many requests in a short period of time."
	case http.StatusServiceUnavailable:
		return 4197, "The endpoint has been ramped down and is currently not accepting any traffic."
	case http.StatusUnauthorized:
		return 2, "Authentication failed."
	case http.StatusForbidden:
		return 29, "You are not permitted to access that resource."
	case http.StatusBadRequest:
		return 1, "Invalid parameters."
	default:
		return 0, http.StatusText(status)
	}
}
