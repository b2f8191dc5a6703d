package pinterest_test

import (
	"context"
	"testing"
	"time"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
)

// go test ./internal/pinterest -run '^$' -bench . -benchmem

func BenchmarkParseTokenResponse(b *testing.B) {
	body := []byte(`{"access_token":"pina_AMAVYQQXAAWBAAAAGBAIAD6BQ7JQJEQBQBIQC","refresh_token":"pinr_AMAVYQQXAAWBAAAAGBAIAD6BQ7JQJEQBQBIQD",` +
		`"token_type":"bearer","expires_in":2592000,"scope":"ads:read,boards:read,pins:read,user_accounts:read",` +
		`"response_type":"refresh_token","refresh_token_expires_in":5184000,"refresh_token_expires_at":1780000000}`)
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := pinterest.ParseTokenResponse(body, now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRefresh is one refresh round trip through retries, logging hooks
// and parsing, against the fake on loopback over a kept-alive connection.
func BenchmarkRefresh(b *testing.B) {
	srv := fakepinterest.Start(fakepinterest.Options{ClientID: testClientID, ClientSecret: testClientSecret, PreviousRefreshTokenStaysValid: true})
	defer srv.Close()
	c, err := pinterest.NewClient(pinterest.Options{APIURL: srv.URL(), ClientID: testClientID, ClientSecret: sensitive.New(testClientSecret)})
	if err != nil {
		b.Fatal(err)
	}
	_, refresh := srv.IssueTokens("pins:read")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Refresh(context.Background(), sensitive.New(refresh), nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(srv.Connections()), "conns")
}
