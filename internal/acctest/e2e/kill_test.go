package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/tfrun"
)

// httpBackend is Terraform's "http" state backend, served on loopback as a
// remote backend is: it holds what the CLI last sent, which during an apply
// is at most every 20 seconds (TF_STATE_PERSIST_INTERVAL cannot go lower) and
// at the end, or at once on an interrupt. S3, GCS and azurerm behave alike.
type httpBackend struct {
	mu    sync.Mutex
	state []byte
	srv   *httptest.Server
}

func newHTTPBackend(t *testing.T) *httpBackend {
	b := &httpBackend{}
	b.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b.mu.Lock()
		defer b.mu.Unlock()
		switch r.Method {
		case http.MethodGet:
			if b.state == nil {
				w.WriteHeader(http.StatusNotFound)
				return
			}
			_, _ = w.Write(b.state)
		case http.MethodPost:
			b.state, _ = io.ReadAll(r.Body)
		case http.MethodDelete:
			b.state = nil
		default:
			w.WriteHeader(http.StatusMethodNotAllowed)
		}
	}))
	t.Cleanup(b.srv.Close)
	return b
}

// generation is the generation of pinterest_oauth_token.etl in the state the
// backend holds, and its refresh token.
func (b *httpBackend) generation(t *testing.T) (int64, string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	instances, err := tfrun.Instances(b.state, "pinterest_oauth_token")
	if err != nil {
		t.Fatalf("the backend's state: %v", err)
	}
	if len(instances) != 1 {
		return 0, ""
	}
	generation, _ := instances[0]["generation"].(float64)
	refresh, _ := instances[0]["refresh_token"].(string)
	return int64(generation), refresh
}

// killConfig rotates on a new var.run and then, as the store write and the
// rest of the infrastructure would, spends var.pause seconds on a resource
// that depends on the new token set (it writes the document to store.json
// first, as a store write that finished before the kill).
const killConfig = `
terraform {
  backend "http" {}
  required_providers {
    pinterest = { source = "sprighub/pinterest" }
  }
}
provider "pinterest" {}
variable "code" {
  type      = string
  ephemeral = true
  default   = null
}
variable "store_document" {
  type      = string
  ephemeral = true
  default   = null
}
variable "run" { type = string }
variable "pause" { type = number }
resource "pinterest_oauth_token" "etl" {
  redirect_uri          = "` + redirectURI + `"
  authorization_code_wo = var.code
  rotation_triggers     = { run = var.run }
  recovery_document_wo  = var.store_document
}
resource "terraform_data" "store" {
  triggers_replace = pinterest_oauth_token.etl.generation
  provisioner "local-exec" {
    command     = "printf '%s' \"$DOC\" > store.json && sleep ${var.pause}"
    environment = { DOC = pinterest_oauth_token.etl.token_document }
  }
}
`

// killPoint is where in the rotating apply the CLI's process group dies.
type killPoint struct {
	name string
	// wait returns when it is time to kill; it may hold the fake.
	wait   func(fake *fakepinterest.Server, refreshes int)
	signal syscall.Signal
	// elsewhere: the next apply runs on another machine (an empty cache),
	// with the store's document in recovery_document_wo when fromStore.
	elsewhere, fromStore bool
	// want: the next apply's refresh calls to Pinterest, whether it should
	// succeed, and how many token sets end with no working refresh token
	// in the state or the store.
	wantRefreshes int
	wantOK        bool
	wantLost      int
}

// TestKilledRotationLosesNothing kills a rotating apply with a remote
// backend at several points and runs the next apply, as a schedule would.
// On the same machine no kill point may lose the token set; on another
// machine the store's document recovers it.
func TestKilledRotationLosesNothing(t *testing.T) {
	requireCLI(t)
	untilRefreshes := func(fake *fakepinterest.Server, n int) {
		for deadline := time.Now().Add(90 * time.Second); fake.Grants("refresh_token") < n && time.Now().Before(deadline); {
			time.Sleep(20 * time.Millisecond)
		}
	}
	afterAnswer := func(d time.Duration) func(*fakepinterest.Server, int) {
		return func(fake *fakepinterest.Server, n int) { untilRefreshes(fake, n+1); time.Sleep(d) }
	}
	points := []killPoint{
		{name: "SIGKILL during the refresh request", signal: syscall.SIGKILL, wantRefreshes: 1, wantOK: true,
			wait: func(fake *fakepinterest.Server, _ int) {
				fake.InjectFaults(fakepinterest.TokenPath, fakepinterest.Fault{Delay: 2 * time.Minute})
				for before := fake.Requests(fakepinterest.TokenPath); fake.Requests(fakepinterest.TokenPath) == before; {
					time.Sleep(20 * time.Millisecond)
				}
				time.Sleep(300 * time.Millisecond)
			}},
		{name: "SIGKILL just after Pinterest answered", signal: syscall.SIGKILL, wait: afterAnswer(300 * time.Millisecond), wantOK: true},
		{name: "SIGKILL during later resources (10 s on)", signal: syscall.SIGKILL, wait: afterAnswer(10 * time.Second), wantOK: true},
		{name: "SIGTERM during later resources (10 s on)", signal: syscall.SIGTERM, wait: afterAnswer(10 * time.Second), wantOK: true},
		{name: "SIGKILL 10 s on, next apply on another machine with the store's document", signal: syscall.SIGKILL,
			wait: afterAnswer(10 * time.Second), elsewhere: true, fromStore: true, wantOK: true},
		{name: "SIGKILL 10 s on, next apply on another machine without it", signal: syscall.SIGKILL,
			wait: afterAnswer(10 * time.Second), elsewhere: true, wantRefreshes: 1},
	}
	table := make([]string, len(points))
	t.Cleanup(func() {
		t.Logf("kill points (strict rotation, http backend):\n| kill point | backend after the kill | next apply | refresh calls | refresh tokens lost |\n|---|---|---|---|---|\n%s",
			strings.Join(table, "\n"))
	})
	// Each kill point has its own fake, backend, workspace and journal.
	for i, p := range points {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			table[i] = runKillPoint(t, p)
		})
	}
}

func runKillPoint(t *testing.T, p killPoint) string {
	fake := fakepinterest.Start(fakepinterest.Options{ClientID: clientID, ClientSecret: clientSecret, RedirectURIs: []string{redirectURI}})
	defer fake.Close()
	backend := newHTTPBackend(t)
	cache := filepath.Join(t.TempDir(), "cache")
	ws := workspace(t, killConfig, "PINTEREST_CLIENT_ID="+clientID, "PINTEREST_CLIENT_SECRET="+clientSecret,
		"PINTEREST_API_URL="+fake.URL(), "TF_HTTP_ADDRESS="+backend.srv.URL+"/state", "PINTEREST_CACHE_DIR="+cache,
		"TF_VAR_pause=0")
	if _, err := ws.With("TF_VAR_code="+fake.IssueCode(redirectURI, "pins:read"), "TF_VAR_run=1").Run(nil, "apply", "-auto-approve", "-no-color"); err != nil {
		t.Fatal(err)
	}
	before := fake.Grants("refresh_token")

	// The rotating apply, killed.
	cmd, out := startRotation(t, ws)
	p.wait(fake, before)
	_ = syscall.Kill(-cmd.Process.Pid, p.signal)
	if p.signal != syscall.SIGKILL {
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(60 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
	} else {
		_ = cmd.Wait()
	}
	gen, rt := backend.generation(t)
	backendSays := fmt.Sprintf("generation %d, refresh token %s", gen, map[bool]string{true: "working", false: "retired"}[fake.RefreshTokenValid(rt)])
	store, _ := os.ReadFile(filepath.Join(ws.Dir, "store.json"))

	// The next apply, as the schedule's next run.
	next := ws.With("TF_VAR_run=2")
	if p.elsewhere {
		next = next.With("PINTEREST_CACHE_DIR=" + filepath.Join(t.TempDir(), "other-machine"))
	}
	if p.fromStore {
		if len(store) == 0 {
			t.Fatalf("the store write never ran:\n%s", out.String())
		}
		next = next.With("TF_VAR_store_document=" + string(store))
	}
	refreshesBefore := fake.Grants("refresh_token")
	stdout, err := next.Run(nil, "apply", "-auto-approve", "-no-color")
	calls := fake.Grants("refresh_token") - refreshesBefore
	outcome := "succeeded"
	if err != nil {
		outcome = "failed: " + firstSummary(err.Error())
	} else if strings.Contains(stdout, "Recovering a Token Set Not Yet Saved") {
		outcome = "succeeded, recovered with no call to Pinterest"
	}
	// Lost: neither the state nor the store holds a working refresh token.
	finalGen, finalRT := backend.generation(t)
	var stored struct {
		RefreshToken string `json:"refresh_token"`
	}
	_ = json.Unmarshal(store, &stored)
	lost := 0
	if !fake.RefreshTokenValid(finalRT) && !fake.RefreshTokenValid(stored.RefreshToken) {
		lost = 1
	}
	if (err == nil) != p.wantOK || calls != p.wantRefreshes || lost != p.wantLost {
		t.Errorf("next apply: %s, %d refresh calls, %d lost (generation %d); want ok=%v, %d calls, %d lost\n--- killed apply:\n%s\n--- next apply:\n%s %v",
			outcome, calls, lost, finalGen, p.wantOK, p.wantRefreshes, p.wantLost, out.String(), stdout, err)
	}
	if p.wantOK && finalGen != 2 {
		t.Errorf("generation %d after the next apply, want 2 (one rotation, never a second)", finalGen)
	}
	return fmt.Sprintf("| %s | %s | %s | %d | %d |", p.name, backendSays, outcome, calls, lost)
}

// firstSummary picks the first diagnostic title out of CLI output.
func firstSummary(s string) string {
	for _, line := range strings.Split(s, "\n") {
		if i := strings.Index(line, "Error: "); i >= 0 {
			return strings.TrimSpace(line[i+len("Error: "):])
		}
	}
	return "error"
}

// startRotation starts the rotating apply of killConfig (run 2, with 30 s of
// later work after the token set) in a process group of its own, so that a
// kill reaches the CLI and the provider alike.
func startRotation(t *testing.T, ws *tfrun.Workspace) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := ws.With("TF_VAR_run=2", "TF_VAR_pause=30").Command("apply", "-auto-approve", "-no-color")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out := &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, out
}
