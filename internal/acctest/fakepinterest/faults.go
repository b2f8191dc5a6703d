package fakepinterest

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
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

// applyFault counts the request and answers it with the next fault queued
// for its path, if any; it reports whether the request was answered.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, body []byte) bool {
	s.mu.Lock()
	s.requests[r.URL.Path]++
	s.agents = append(s.agents, r.UserAgent())
	var f *Fault
	if q := s.faults[r.URL.Path]; len(q) > 0 {
		f = &q[0]
		f.Times--
		if f.Times <= 0 {
			s.faults[r.URL.Path] = q[1:]
		}
		fc := *f
		f = &fc
	} else if rate := s.failRate[r.URL.Path]; rate > 0 && s.rng.Float64() < rate {
		f = &Fault{Status: http.StatusServiceUnavailable}
	}
	s.mu.Unlock()
	if f == nil {
		return false
	}
	if f.Delay > 0 {
		// The body was read already, so the server notices a client that
		// hangs up and ends the wait.
		select {
		case <-time.After(f.Delay):
		case <-r.Context().Done():
			return true
		}
	}
	if f.LoseResponse {
		// Pinterest carries the request out; the answer never arrives.
		r.Body = io.NopCloser(bytes.NewReader(body))
		s.route(httptest.NewRecorder(), r)
		f.Reset = true
	}
	if f.Reset {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				if tc, ok := conn.(*net.TCPConn); ok {
					_ = tc.SetLinger(0) // RST rather than FIN
				}
				_ = conn.Close()
			}
		}
		return true
	}
	if f.Status == 0 {
		return false
	}
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	for k, vs := range f.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	ct := f.ContentType
	if ct == "" {
		ct = "application/json"
	}
	w.Header().Set("Content-Type", ct)
	answer := f.Body
	switch {
	case f.EmptyBody:
		answer = ""
	case f.BodySize > 0:
		answer = strings.Repeat("x", f.BodySize)
	case answer == "" && ct == "application/json":
		code, msg := defaultErrorBody(f.Status)
		b, _ := json.Marshal(map[string]any{"code": code, "message": msg})
		answer = string(b)
	}
	w.WriteHeader(f.Status)
	_, _ = w.Write([]byte(answer))
	return true
}
