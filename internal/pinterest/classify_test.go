package pinterest_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
)

func TestClassify(t *testing.T) {
	api := func(status, code, unanswered int) error {
		return fmt.Errorf("wrapped: %w", &pinterest.APIError{Operation: pinterest.OpRefresh, StatusCode: status, Code: code, UnansweredAttempts: unanswered})
	}
	for name, tc := range map[string]struct {
		err  error
		want pinterest.Failure
	}{
		"nil":                             {nil, pinterest.FailureUnknown},
		"missing credentials":             {pinterest.ErrMissingCredentials, pinterest.FailureMissingCredentials},
		"deadline":                        {fmt.Errorf("x: %w", context.DeadlineExceeded), pinterest.FailureCancelled},
		"invalid grant 401/283":           {api(401, 283, 0), pinterest.FailureGrantRefused},
		"bad code 400":                    {api(400, 1, 0), pinterest.FailureGrantRefused},
		"other 4xx is the grant's":        {api(404, 0, 0), pinterest.FailureGrantRefused},
		"grant refused after no answer":   {api(401, 283, 1), pinterest.FailureGrantSpent},
		"bad client credentials":          {api(401, 2, 0), pinterest.FailureCredentials},
		"bad credentials after no answer": {api(401, 2, 1), pinterest.FailureCredentials},
		"rate limited":                    {api(429, 8, 0), pinterest.FailureRateLimited},
		"forbidden":                       {api(403, 29, 0), pinterest.FailureForbidden},
		"unavailable":                     {api(503, 4197, 0), pinterest.FailureUnavailable},
		"5xx after no answer":             {api(502, 0, 2), pinterest.FailureUnavailable},
		"unexpected response":             {&pinterest.UnexpectedResponseError{Operation: pinterest.OpRefresh}, pinterest.FailureUnexpectedResponse},
		"transport":                       {&pinterest.TransportError{Operation: pinterest.OpRefresh, Err: errors.New("refused")}, pinterest.FailureUnreachable},
		"other":                           {errors.New("boom"), pinterest.FailureUnknown},
	} {
		if got := pinterest.Classify(tc.err); got != tc.want {
			t.Errorf("%s: Classify = %d, want %d", name, got, tc.want)
		}
	}
}
