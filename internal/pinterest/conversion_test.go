package pinterest_test

import (
	"context"
	"testing"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
)

// TestConversionTokenRetries: minting a conversion token is retried only
// when Pinterest surely did not carry the request out (429, 503); after a
// 502 or a lost answer it is not sent again, since every served attempt
// would leave a token nobody holds.
func TestConversionTokenRetries(t *testing.T) {
	for _, tc := range []struct {
		name     string
		fault    fakepinterest.Fault
		ok       bool
		requests int
	}{
		{"429 then success", fakepinterest.Fault{Status: 429, RetryAfter: "0", Times: 1}, true, 2},
		{"503 then success", fakepinterest.Fault{Status: 503, Times: 1}, true, 2},
		{"502: not sent again", fakepinterest.Fault{Status: 502, Times: 1}, false, 1},
		{"answer lost: not sent again", fakepinterest.Fault{LoseResponse: true, Times: 1}, false, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, clock := newFake(t)
			c := newClient(t, srv, clock)
			access, _ := srv.IssueTokens("ads:write")
			srv.InjectFaults(fakepinterest.ConversionTokenPath, tc.fault)
			ct, err := c.ConversionToken(context.Background(), sensitive.New(access))
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v, want ok=%v", err, tc.ok)
			}
			if n := srv.Requests(fakepinterest.ConversionTokenPath); n != tc.requests {
				t.Errorf("%d requests, want %d", n, tc.requests)
			}
			if tc.ok {
				if _, known := srv.ConversionTokens(ct.Token.Reveal()); !known || ct.TokenType != "conversion" {
					t.Errorf("token not minted by the fake, or type %q", ct.TokenType)
				}
			}
		})
	}
}
