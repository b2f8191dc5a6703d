package pinterest

import (
	"context"
	"errors"
	"net/http"
)

// Failure is a kind of failed call, one per thing an operator does about it.
// Classify is the one place that decides it; callers switch on the kind.
type Failure int

const (
	FailureUnknown Failure = iota
	// FailureMissingCredentials: no client id or secret was configured.
	FailureMissingCredentials
	// FailureCancelled: the caller's timeout passed or it was interrupted.
	FailureCancelled
	// FailureGrantRefused: Pinterest refused the code or refresh token.
	FailureGrantRefused
	// FailureGrantSpent: refused on a retry after an attempt that got no
	// answer; that attempt most likely spent the code or rotated the token.
	FailureGrantSpent
	// FailureCredentials: Pinterest refused the app id and secret.
	FailureCredentials
	// FailureRateLimited: 429 after the retries.
	FailureRateLimited
	// FailureForbidden: 403, the app or user may not do this.
	FailureForbidden
	// FailureUnavailable: a 5xx after the retries.
	FailureUnavailable
	// FailureRefused: any other refusal from Pinterest.
	FailureRefused
	// FailureUnexpectedResponse: an answer that is not Pinterest's API.
	FailureUnexpectedResponse
	// FailureTimeout: no answer within the request timeout.
	FailureTimeout
	// FailureUnreachable: the connection failed.
	FailureUnreachable
)

// Classify says what kind of failure err is; nil is FailureUnknown.
func Classify(err error) Failure {
	var (
		apiErr   *APIError
		badResp  *UnexpectedResponseError
		transErr *TransportError
	)
	switch {
	case err == nil:
		return FailureUnknown
	case errors.Is(err, ErrMissingCredentials):
		return FailureMissingCredentials
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return FailureCancelled
	case errors.As(err, &apiErr):
		switch {
		case apiErr.IsInvalidGrant() && apiErr.UnansweredAttempts > 0:
			return FailureGrantSpent
		case apiErr.IsInvalidGrant():
			return FailureGrantRefused
		case apiErr.IsBadClientCredentials():
			return FailureCredentials
		case apiErr.IsRateLimited():
			return FailureRateLimited
		case apiErr.IsForbidden():
			return FailureForbidden
		case apiErr.StatusCode >= http.StatusInternalServerError:
			return FailureUnavailable
		default:
			return FailureRefused
		}
	case errors.As(err, &badResp):
		return FailureUnexpectedResponse
	case errors.As(err, &transErr):
		if transErr.Timeout() {
			return FailureTimeout
		}
		return FailureUnreachable
	}
	return FailureUnknown
}
