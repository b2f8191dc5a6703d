package e2e

import (
	"os"
	"strings"
	"testing"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
)

// TestBusinessAccess runs the pinterest_ad_accounts example as written: one
// consent by the agency's own user, three clients that shared their ad
// accounts with it through Business Access, all listed; then one client
// takes its access back, and the check names that client alone, as a
// warning, while the plan goes on.
func TestBusinessAccess(t *testing.T) {
	requireCLI(t)
	example, err := os.ReadFile("../../../examples/data-sources/pinterest_ad_accounts/data-source.tf")
	if err != nil {
		t.Fatal(err)
	}
	agency := fakepinterest.UserAccount{ID: "549755885001", Username: "agency_data", AccountType: "BUSINESS"}
	fake := fakepinterest.Start(fakepinterest.Options{ClientID: clientID, ClientSecret: clientSecret, RedirectURIs: []string{redirectURI}, User: agency})
	defer fake.Close()
	clients := map[string]string{"acme": "549755900001", "globex": "549755900002", "initech": "549755900003"}
	for name, id := range clients {
		owner := fakepinterest.UserAccount{ID: "6" + id[1:], Username: name + "_ads", AccountType: "BUSINESS"}
		fake.AddAdAccount(owner, id, name+" ads", "US", "USD")
		fake.ShareAdAccount(id, agency, "ANALYST")
	}
	fake.AddAdAccount(fakepinterest.UserAccount{ID: "7", Username: "stranger"}, "549755999999", "not shared", "DE", "EUR")

	cfg := header + `
variable "code" {
  type      = string
  sensitive = true
  ephemeral = true
  default   = null
}

resource "pinterest_oauth_token" "agency" {
  redirect_uri                  = "` + redirectURI + `"
  authorization_code_wo         = var.code
  authorization_code_wo_version = 1
  required_scopes               = ["ads:read"]
}
` + string(example) + `
output "ad_account_ids" {
  value = sort(tolist(local.shared))
}
`
	ws := workspace(t, cfg, "PINTEREST_CLIENT_ID="+clientID, "PINTEREST_CLIENT_SECRET="+clientSecret, "PINTEREST_API_URL="+fake.URL(),
		`TF_VAR_client_ad_accounts={"acme":"549755900001","globex":"549755900002","initech":"549755900003"}`)
	code := fake.IssueCode(redirectURI, "ads:read", "user_accounts:read")
	out, err := ws.With("TF_VAR_code="+code).Run(nil, "apply", "-auto-approve", "-no-color")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "Warning:") {
		t.Errorf("every client shares its account, yet the apply warned:\n%s", out)
	}
	ids, err := ws.Run(nil, "output", "-json", "ad_account_ids")
	if err != nil {
		t.Fatal(err)
	}
	if want := `["549755900001","549755900002","549755900003"]`; strings.Join(strings.Fields(ids), "") != want {
		t.Errorf("ad_account_ids = %s, want %s", ids, want)
	}

	fake.UnshareAdAccount(clients["globex"], agency)
	out, err = ws.Run(nil, "plan", "-refresh-only", "-no-color")
	if err != nil {
		t.Fatalf("the plan failed; the check must only warn: %v\n%s", err, out)
	}
	out = strings.Join(strings.Fields(out), " ")
	if !strings.Contains(out, "Check block assertion failed") || !strings.Contains(out, "No longer shared with the agency: globex (549755900002).") {
		t.Errorf("the check did not name globex alone:\n%s", out)
	}
	if n := fake.Requests(fakepinterest.TokenPath); n != 1 {
		t.Errorf("%d token requests, want the one exchange", n)
	}
	t.Logf("business access: 1 consent, 3 shared ad accounts listed, 1 un-shared and named; %d calls to list ad accounts", fake.Requests(fakepinterest.AdAccountsPath))
}
