package pinterest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
)

// TestAdAccountsPages: every page is read (300 accounts are two pages of
// 250), shared accounts come only when asked for, and ads:read is needed.
func TestAdAccountsPages(t *testing.T) {
	srv, clock := newFake(t)
	c := newClient(t, srv, clock)
	for i := range 300 {
		owner := fakepinterest.UserAccount{ID: fmt.Sprint(700000 + i), Username: fmt.Sprintf("client_%d", i)}
		id := fmt.Sprint(549755000000 + i)
		srv.AddAdAccount(owner, id, "Client "+id, "US", "USD")
		srv.ShareAdAccount(id, fakepinterest.DefaultUser, "ANALYST")
	}
	srv.AddAdAccount(fakepinterest.DefaultUser, "549755999999", "Own", "DE", "EUR")
	access, _ := srv.IssueTokens("ads:read")
	all, err := c.AdAccounts(context.Background(), sensitive.New(access), true)
	if err != nil || len(all) != 301 {
		t.Fatalf("%d accounts, err %v; want 301", len(all), err)
	}
	if n := srv.Requests(fakepinterest.AdAccountsPath); n != 2 {
		t.Errorf("%d pages read, want 2", n)
	}
	own, err := c.AdAccounts(context.Background(), sensitive.New(access), false)
	if err != nil || len(own) != 1 || own[0].Permissions[0] != "OWNER" || own[0].Country != "DE" {
		t.Errorf("own accounts: %+v, %v", own, err)
	}
	noScope, _ := srv.IssueTokens("pins:read")
	if _, err := c.AdAccounts(context.Background(), sensitive.New(noScope), true); err == nil {
		t.Error("a token without ads:read listed ad accounts")
	} else if apiErr, ok := pinterest.AsAPIError(err); !ok || !apiErr.IsForbidden() {
		t.Errorf("err = %v, want a 403", err)
	}
}

// TestAdAccountsServerText: what a server says reaches the state only in
// the spec's shapes; a malformed id or a bookmark that never moves on is
// refused rather than followed.
func TestAdAccountsServerText(t *testing.T) {
	for name, tc := range map[string]struct {
		body   string
		ok     bool
		want   pinterest.AdAccount
		reason string // what the refusal names
	}{
		"odd fields dropped": {body: `{"items":[{"id":"123","name":"A\u0007cme\u202e","country":"us; rm","currency":"USD","owner":{"id":"x","username":"bad name"},"permissions":["ADMIN","<b>"]}],"bookmark":null}`,
			ok: true, want: pinterest.AdAccount{ID: "123", Name: "Acme", Currency: "USD", Permissions: []string{"ADMIN"}}},
		"id not digits":  {body: `{"items":[{"id":"12a"}]}`},
		"no items":       {body: `{"bookmark":"x"}`},
		"stuck bookmark": {body: `{"items":[],"bookmark":"same"}`},
		"odd bookmark":   {body: `{"items":[],"bookmark":"a&page_size=1"}`, reason: "bookmark"},
		"oversized page": {body: `{"items":[` + strings.Repeat(`{"id":"1"},`, 250) + `{"id":"2"}]}`, reason: "more than the 250"},
		"endless pages":  {reason: "more than 400 pages"},
	} {
		t.Run(name, func(t *testing.T) {
			hits := 0
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits++
				w.Header().Set("Content-Type", "application/json")
				body := tc.body
				if name == "endless pages" { // a new bookmark every time
					body = fmt.Sprintf(`{"items":[],"bookmark":"b%d"}`, hits)
				}
				_, _ = w.Write([]byte(body))
			}))
			defer ts.Close()
			c, err := pinterest.NewClient(pinterest.Options{APIURL: ts.URL, ClientID: testClientID, ClientSecret: sensitive.New(testClientSecret)})
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.AdAccounts(context.Background(), sensitive.New("pina_token_0123456789"), true)
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v, want ok=%v", err, tc.ok)
			}
			if !tc.ok {
				limit := 2 // a stuck bookmark is seen on the second page
				switch name {
				case "endless pages":
					limit = 400
				case "odd bookmark", "oversized page", "id not digits", "no items":
					limit = 1 // refused on the first page
				}
				if strings.Contains(err.Error(), "pina_token") || hits > limit || !strings.Contains(err.Error(), tc.reason) {
					t.Errorf("err = %v after %d requests", err, hits)
				}
				return
			}
			if fmt.Sprint(got) != fmt.Sprint([]pinterest.AdAccount{tc.want}) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}
