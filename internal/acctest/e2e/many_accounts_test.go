package e2e

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/tfrun"
)

const manyAccounts = 25

// agencyRedirectURI is the many-accounts example's: a page on the agency's
// own site, whose address clients send back.
const agencyRedirectURI = "https://agency.example.com/pinterest/callback"

// manyAccountsConfig is the many-accounts guide's main.tf as written, its
// terraform block (registry providers) replaced by the header, which
// installs this provider from the test's mirror.
func manyAccountsConfig(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile("../../../examples/guides/many-accounts/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	return header + tfrun.WithoutTerraformBlock(string(raw))
}

// TestManyAccounts runs the many-accounts guide as written: one workspace
// (one state) per client and apply-each.sh as the scheduled job, for 25
// clients against the fake, the store stood in for by terraform_data. Client
// 24's first code is approved by client 23's user and refused for client 24
// alone (required_account); client 25 waits for its first consent; before
// the runs, another party spends client 3's refresh token. Every run
// rotates and writes every other client's store (every token set is due)
// and names the two in trouble; nothing is destroyed.
func TestManyAccounts(t *testing.T) {
	requireCLI(t)
	// Access tokens that live less than rotate_before (7 days): every
	// scheduled run finds every token set due, whatever the machine's speed.
	fake := fakepinterest.Start(fakepinterest.Options{ClientID: clientID, ClientSecret: clientSecret,
		RedirectURIs: []string{agencyRedirectURI}, AccessTokenTTL: 167 * time.Hour})
	defer fake.Close()

	cfg := manyAccountsConfig(t) + `
resource "terraform_data" "store" {
  input = pinterest_oauth_token.etl.generation
}
`
	clients, users, approvers := make([]string, manyAccounts), map[string]fakepinterest.UserAccount{}, map[string]string{}
	for i := range manyAccounts {
		c := fmt.Sprintf("client%02d", i+1)
		clients[i] = c
		users[c] = fakepinterest.UserAccount{ID: fmt.Sprint(6100000 + i), Username: c + "_ads", AccountType: "BUSINESS"}
		approvers[c] = users[c].Username
	}
	approversJSON, _ := json.Marshal(approvers)
	ws := workspace(t, cfg, "PINTEREST_CLIENT_ID="+clientID, "PINTEREST_CLIENT_SECRET="+clientSecret,
		"PINTEREST_API_URL="+fake.URL(), "XDG_CACHE_HOME="+t.TempDir(), "TF_VAR_approvers="+string(approversJSON))

	// First consents, one apply each, by a person; client 25 has none yet.
	consent := func(client string, approver fakepinterest.UserAccount) (string, error) {
		if _, err := ws.Run(nil, "workspace", "select", "-or-create", client); err != nil {
			return "", err
		}
		code := fake.IssueCodeAs(approver, agencyRedirectURI, "ads:read", "user_accounts:read")
		return ws.With("TF_VAR_authorization_code="+code).Run(nil, "apply", "-auto-approve", "-no-color")
	}
	started := time.Now()
	for _, c := range clients[:manyAccounts-1] {
		approver := users[c]
		if c == "client24" {
			if out, err := consent(c, users["client23"]); err == nil || !strings.Contains(err.Error(), "Wrong Pinterest Account Approved") {
				t.Fatalf("a swapped code was not refused for client24 alone: %v\n%s", err, out)
			}
		}
		if _, err := consent(c, approver); err != nil {
			t.Fatal(err)
		}
	}
	consents := time.Since(started)
	// Client 25 is added, and waits for its first consent.
	if _, err := ws.Run(nil, "workspace", "new", "client25"); err != nil {
		t.Fatal(err)
	}

	// The scheduled job: the guide's script, with the CLI on PATH.
	bin := t.TempDir()
	if err := os.Symlink(cli.Path, filepath.Join(bin, "terraform")); err != nil {
		t.Fatal(err)
	}
	script, _ := filepath.Abs("../../../examples/guides/many-accounts/apply-each.sh")
	// job is the scheduled job: the script over names, in the workspace's
	// directory, with the CLI on PATH and env added.
	job := func(names []string, env ...string) *exec.Cmd {
		cmd := exec.Command("sh", append([]string{script}, names...)...)
		cmd.Dir = ws.Dir
		cmd.Env = append(append(append([]string{}, ws.Env...), "PATH="+bin+":"+os.Getenv("PATH"), "LOG_DIR="+filepath.Join(t.TempDir(), "logs")), env...)
		return cmd
	}
	type round struct {
		name                                string
		ok, failed, waiting, rotated, wrote int
		named                               string
		tokenCalls                          int
		took                                time.Duration
	}
	generations := map[string][2]int64{} // client -> token generation, store's
	var rounds []round
	run := func(name string) round {
		r := round{name: name}
		before := fake.Requests(fakepinterest.TokenPath)
		cmd := job(clients)
		start := time.Now()
		out, err := cmd.Output()
		r.took = time.Since(start)
		r.tokenCalls = fake.Requests(fakepinterest.TokenPath) - before
		var named []string
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			switch f := strings.Fields(line); {
			case len(f) < 2:
				t.Errorf("%s: unexpected line %q", name, line)
			case f[0] == "OK":
				r.ok++
			case f[0] == "FAILED":
				r.failed++
				named = append(named, line)
			case f[0] == "WAITING":
				r.waiting++
				named = append(named, line)
			}
		}
		r.named = strings.Join(named, "; ")
		if (err != nil) != (r.failed > 0) {
			t.Errorf("%s: exit %v with %d failed", name, err, r.failed)
		}
		for _, c := range clients {
			g := readGenerations(t, filepath.Join(ws.Dir, "terraform.tfstate.d", c, "terraform.tfstate"))
			if prev, ok := generations[c]; ok && g[0] > prev[0] {
				r.rotated++
			}
			if prev := generations[c]; g[1] > prev[1] {
				r.wrote++
			}
			if g[0] != g[1] {
				t.Errorf("%s: %s's store holds generation %d, its token set %d", name, c, g[1], g[0])
			}
			generations[c] = g
		}
		rounds = append(rounds, r)
		return r
	}

	for _, c := range clients {
		generations[c] = readGenerations(t, filepath.Join(ws.Dir, "terraform.tfstate.d", c, "terraform.tfstate"))
	}
	// Another party spends client03's refresh token.
	refresh := stateAttribute(t, filepath.Join(ws.Dir, "terraform.tfstate.d", "client03", "terraform.tfstate"), "refresh_token")
	if _, err := fake.ForeignRefresh(refresh); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a scheduled run, client03 refused", "the next run"} {
		r := run(name)
		if r.ok != manyAccounts-2 || r.failed != 1 || r.waiting != 1 || r.rotated != manyAccounts-2 || r.wrote != manyAccounts-2 ||
			!strings.Contains(r.named, "FAILED   client03: Refresh Token Rejected") || !strings.Contains(r.named, "WAITING  client25") {
			t.Errorf("%s: %+v", name, r)
		}
	}
	// The health run: client07's owner removes the app's access; its access
	// token has days left. Only client07 warns; every other set is due, and
	// none of that is noise.
	fake.RemoveAccess(users["client07"])
	health := job(clients, "HEALTH=1")
	before := fake.Requests(fakepinterest.TokenPath)
	healthStart := time.Now()
	healthOut, err := health.Output()
	healthTook := time.Since(healthStart)
	lines := strings.Split(strings.TrimSpace(string(healthOut)), "\n")
	var warned []string
	for _, l := range lines {
		if !strings.HasPrefix(l, "OK ") {
			warned = append(warned, l)
		}
	}
	// client03's spent refresh token shows in the scheduled run only: its
	// access token still works.
	if err == nil || len(warned) != 2 || !strings.Contains(string(healthOut), "OK       client03") ||
		!strings.HasPrefix(warned[0], "WARNING  client07: Pinterest Access Token Refused") ||
		!strings.HasPrefix(warned[1], "WAITING  client25") || fake.Requests(fakepinterest.TokenPath) != before {
		t.Errorf("health run (%v):\n%s", err, healthOut)
	}
	t.Logf("many accounts: health run (a -refresh-only plan per client): %d lines in %s, named: %s", len(lines),
		healthTook.Round(time.Millisecond), strings.Join(warned, "; "))

	// A job whose only trouble is a client waiting for consent exits 3.
	out, err := job([]string{"client25", "client01"}).Output()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 || !strings.Contains(string(out), "WAITING  client25") {
		t.Errorf("waiting only: %v\n%s", err, out)
	}
	for _, c := range clients[:manyAccounts-1] {
		if g := generations[c]; g[0] < 1 {
			t.Errorf("%s lost its token set", c)
		}
	}
	t.Logf("many accounts: %d first consents in %s (%s per apply)", manyAccounts-1, consents.Round(time.Millisecond), (consents / time.Duration(manyAccounts)).Round(time.Millisecond))
	t.Logf("many accounts: | run | ok | failed | waiting | sets rotated | stores written | token calls | took | named |")
	for _, r := range rounds {
		t.Logf("many accounts: | %s | %d | %d | %d | %d | %d | %d | %s | %s |", r.name, r.ok, r.failed, r.waiting, r.rotated, r.wrote, r.tokenCalls, r.took.Round(time.Millisecond), r.named)
	}
}

// readGenerations returns the generation of the token set and of the store
// in a workspace's state; zeros when it has none.
func readGenerations(t *testing.T, path string) [2]int64 {
	t.Helper()
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return [2]int64{}
	} else if err != nil {
		t.Fatal(err)
	}
	var g [2]int64
	if tokens := instances(t, b, "pinterest_oauth_token"); len(tokens) == 1 {
		n, _ := tokens[0]["generation"].(float64)
		g[0] = int64(n)
	}
	if stores := instances(t, b, "terraform_data"); len(stores) == 1 {
		input, _ := stores[0]["input"].(map[string]any)
		n, _ := input["value"].(float64)
		g[1] = int64(n)
	}
	return g
}

// stateAttribute returns an attribute of the pinterest_oauth_token in a state.
func stateAttribute(t *testing.T, path, name string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tokens := instances(t, b, "pinterest_oauth_token")
	if len(tokens) != 1 {
		t.Fatalf("%d pinterest_oauth_token in %s", len(tokens), path)
	}
	s, _ := tokens[0][name].(string)
	return s
}

func instances(t *testing.T, state []byte, typ string) []map[string]any {
	t.Helper()
	out, err := tfrun.Instances(state, typ)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
