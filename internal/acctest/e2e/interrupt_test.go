package e2e

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
)

// TestCtrlCStopsPromptly interrupts an apply while Pinterest sits on the
// request: Terraform asks the provider to stop, the request is cancelled,
// and the CLI exits in seconds, not after the 30s request timeout.
func TestCtrlCStopsPromptly(t *testing.T) {
	requireCLI(t)
	fake := fakepinterest.Start(fakepinterest.Options{ClientID: clientID, ClientSecret: clientSecret, RedirectURIs: []string{redirectURI}})
	defer fake.Close()
	fake.InjectFaults(fakepinterest.TokenPath, fakepinterest.Fault{Delay: 2 * time.Minute, Times: 100})
	ws := workspace(t, header+`
variable "code" {
  type      = string
  ephemeral = true
}
resource "pinterest_oauth_token" "etl" {
  redirect_uri          = "`+redirectURI+`"
  authorization_code_wo = var.code
}`, "PINTEREST_CLIENT_ID="+clientID, "PINTEREST_CLIENT_SECRET="+clientSecret, "PINTEREST_API_URL="+fake.URL(),
		"TF_VAR_code="+fake.IssueCode(redirectURI, "pins:read"))

	cmd := ws.Command("apply", "-auto-approve", "-no-color")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for fake.Requests(fakepinterest.TokenPath) == 0 {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("the apply never reached Pinterest:\n%s", out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // let the request settle into the server's delay
	interrupted := time.Now()
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		took := time.Since(interrupted)
		t.Logf("Ctrl-C: the CLI exited %s after the interrupt (exit error: %v)", took.Round(10*time.Millisecond), err)
		if err == nil {
			t.Error("an interrupted apply should fail")
		}
		if took > 10*time.Second {
			t.Errorf("took %s to stop", took)
		}
		if !strings.Contains(out.String(), "Pinterest Request Cancelled") {
			t.Errorf("the output does not say the request was cancelled:\n%s", out.String())
		}
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("the CLI did not stop within 60s of Ctrl-C:\n%s", out.String())
	}
}
