package e2e

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/tfrun"
)

// TestRemoteApprover does what the many-accounts guide says for a client
// who approves from its own browser: authorize with the agency's https
// redirect URI prints the consent URL to send; the client's browser is sent
// to the agency's page; the operator pastes that address back (first a
// forged one, refused), and the code goes straight into the example's apply
// for that client's workspace, whose required_account it satisfies.
func TestRemoteApprover(t *testing.T) {
	requireCLI(t)
	client := fakepinterest.UserAccount{ID: "6100777", Username: "acme_ads", AccountType: "BUSINESS"}
	// The consent page approves as the client's user: the client's browser.
	fake := fakepinterest.Start(fakepinterest.Options{ClientID: clientID, ClientSecret: clientSecret,
		RedirectURIs: []string{agencyRedirectURI}, User: client})
	defer fake.Close()

	ws := workspace(t, manyAccountsConfig(t), "PINTEREST_CLIENT_ID="+clientID, "PINTEREST_CLIENT_SECRET="+clientSecret,
		"PINTEREST_API_URL="+fake.URL(), "XDG_CACHE_HOME="+t.TempDir(), `TF_VAR_approvers={"acme":"acme_ads"}`)
	if _, err := ws.Run(nil, "workspace", "new", "acme"); err != nil {
		t.Fatal(err)
	}

	// The guide's command, with the fake's consent page: the first consent,
	// then a new one for the same client, each versioned by date +%s.
	version := time.Now().Unix()
	for i, consent := range []string{"first consent", "new consent"} {
		r, err := tfrun.StartAuthorize(providerBin, []string{"PINTEREST_CLIENT_SECRET=" + clientSecret}, "-client-id", clientID,
			"-redirect-uri", agencyRedirectURI, "-scopes", "ads:read,user_accounts:read", "-consent-url", fake.URL()+fakepinterest.ConsentPath)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Kill()
		approved := time.Now()
		address, err := tfrun.Redirected(r.ConsentURL)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(address, agencyRedirectURI+"?") {
			t.Fatalf("the client's browser was sent to %.60s…, not the agency's page", address)
		}
		// A forged address first (a code of the forger's, another state):
		// refused, and the wait goes on for the client's.
		forged := fake.IssueCode(agencyRedirectURI, "ads:read")
		if err := r.Paste(agencyRedirectURI + "?code=" + forged + "&state=not-the-state-sent-0123"); err != nil {
			t.Fatal(err)
		}
		if err := r.Paste(address); err != nil {
			t.Fatal(err)
		}
		stdout, stderr, err := r.Wait(20 * time.Second)
		code := strings.TrimSpace(stdout)
		if err != nil || code == "" || code == forged {
			t.Fatalf("%s: authorize: %v (%d bytes on standard output)\n%s", consent, err, len(stdout), stderr)
		}
		if !strings.Contains(stderr, "Not accepted: its state is not the one sent") || strings.Contains(stderr, code) || strings.Contains(stderr, forged) {
			t.Errorf("%s: standard error does not refuse the forged address, or repeats a code:\n%s", consent, stderr)
		}
		before := fake.Grants("authorization_code")
		out, err := ws.With("TF_VAR_authorization_code="+code, "TF_VAR_consent_version="+strconv.FormatInt(version+int64(i), 10)).
			Run(nil, "apply", "-auto-approve", "-no-color")
		if err != nil {
			t.Fatalf("%s: the apply with the pasted-back code failed: %v\n%s", consent, err, out)
		}
		took := time.Since(approved)
		if n := fake.Grants("authorization_code") - before; n != 1 || took > 10*time.Minute {
			t.Errorf("%s: %d exchanges in %s, want 1 within the code's 10 minutes", consent, n, took)
		}
		if strings.Contains(out, code) {
			t.Errorf("%s: the apply printed the code", consent)
		}
		t.Logf("remote approver, %s: approval, paste-back (one forged address refused) and the apply took %s of the code's 10 minutes",
			consent, took.Round(10*time.Millisecond))
	}
}
