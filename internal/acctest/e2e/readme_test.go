package e2e

import (
	"bufio"
	"bytes"
	"io"
	"maps"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/tfrun"
)

// readmeBlock returns the first configuration block after heading in README.md.
func readmeBlock(t *testing.T, heading string) string {
	t.Helper()
	raw, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(raw)
	i := strings.Index(s, heading)
	if i < 0 {
		t.Fatalf("README.md has no %q", heading)
	}
	blocks := tfrun.ConfigBlocks(s[i:])
	if len(blocks) == 0 {
		t.Fatalf("no configuration block after %q", heading)
	}
	return blocks[0]
}

// TestReadmeStep2AgainstMakeFake does what README step 2 says, against what
// `make fake` runs: the fake on a loopback port, the environment it prints,
// the authorize line (its consent URL opened as a browser would), and the
// step's configuration as written, applied twice (the second plans nothing),
// with user_account in the outputs. The fake runs with the short access
// token lifetime the README gives for trying a rotation, so a later apply
// rotates the token set as the daily schedule does on day 23.
func TestReadmeStep2AgainstMakeFake(t *testing.T) {
	requireCLI(t)
	bin := filepath.Join(t.TempDir(), "fakeserve")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/fakeserve").CombinedOutput(); err != nil {
		t.Fatalf("building fakeserve: %v\n%s", err, out)
	}
	// The README's redirect URI, when its port is free here.
	redirect := "http://localhost:8085/"
	if l, err := net.Listen("tcp", "127.0.0.1:8085"); err == nil {
		l.Close()
	} else if redirect, err = tfrun.FreeLoopbackURI(); err != nil {
		t.Fatal(err)
	}
	// 7 days (rotate_before) and rotateAfter: an apply that much later rotates.
	const rotateAfter = 40 * time.Second
	// As make fake runs it: on a free loopback port of its choosing.
	fake := exec.Command(bin, "-redirect-uri", redirect, "-access-token-ttl", (168*time.Hour + rotateAfter).String())
	stdout, _ := fake.StdoutPipe()
	requests := &lockedBuffer{}
	fake.Stderr = requests // a line per request
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = fake.Process.Signal(os.Interrupt); _ = fake.Wait() })

	// The shell it says to start, with its settings, is what the user runs.
	env := map[string]string{}
	printed := bufio.NewReader(stdout)
	setting := regexp.MustCompile(`(PINTEREST_[A-Z_]+)=(\S+)`)
	for deadline := time.Now().Add(30 * time.Second); len(env) < 5 && time.Now().Before(deadline); {
		line, err := printed.ReadString('\n')
		if err != nil {
			break
		}
		if strings.HasPrefix(strings.TrimSpace(line), "env ") || len(env) > 0 {
			for _, m := range setting.FindAllStringSubmatch(line, -1) {
				env[m[1]] = m[2]
			}
		}
	}
	go func() { _, _ = io.Copy(io.Discard, printed) }()
	if len(env) != 5 || env["PINTEREST_ALLOW_LOOPBACK_API_URL"] != "true" {
		t.Fatalf("make fake printed %d of the 5 settings of the trial's shell: %v", len(env), slices.Collect(maps.Keys(env)))
	}
	var vars []string
	for k, v := range env {
		vars = append(vars, k+"="+v)
	}

	code, stderr, err := tfrun.AuthorizeAsBrowser(providerBin, vars, "-consent-url", env["PINTEREST_API_URL"]+"/oauth/",
		"-redirect-uri", redirect, "-scopes", "boards:read,pins:read,user_accounts:read")
	code = strings.TrimSpace(code)
	if err != nil || code == "" {
		t.Fatalf("authorize: %v\n%s", err, stderr)
	}

	config := readmeBlock(t, "### 2. Exchange the code")
	config = strings.ReplaceAll(config, `"http://localhost:8085/"`, `"`+redirect+`"`)
	ws := workspace(t, config, vars...)
	exchanged := time.Now()
	out, err := ws.With("TF_VAR_authorization_code="+code).Run(nil, "apply", "-auto-approve", "-no-color")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `"sprig_data"`) {
		t.Errorf("the outputs do not show user_account.username:\n%s", out)
	}
	if strings.Contains(out, code) {
		t.Error("the apply printed the code")
	}
	// make fake prints a line per request, and never a secret in it.
	if lines := requests.String(); !strings.Contains(lines, "POST /v5/oauth/token -> 200") || !strings.Contains(lines, "GET /v5/user_account -> 200") ||
		strings.Contains(lines, code) || strings.Contains(lines, "pina_") || strings.Contains(lines, "pinr_") ||
		strings.Contains(lines, env["PINTEREST_CLIENT_SECRET"]) {
		t.Errorf("make fake's request lines:\n%s", lines)
	}
	cmd := ws.Command("plan", "-detailed-exitcode", "-no-color")
	if plan, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the next plan is not empty (%v):\n%s", err, plan)
	}
	// A fresh code without a new authorization_code_wo_version is not
	// used, and the plan says so instead of ignoring it silently.
	cmd = ws.With("TF_VAR_authorization_code=a-fresh-code-0123456789").Command("plan", "-detailed-exitcode", "-no-color")
	plan, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(plan), "Start Value Ignored") || !strings.Contains(string(plan), "authorization_code_wo_version") {
		t.Fatalf("a plan with an unused code (%v):\n%s", err, plan)
	}
	if time.Since(exchanged) > rotateAfter {
		t.Fatalf("the checks after the exchange took %s, longer than the %s after which the fake's access token is due: raise rotateAfter", time.Since(exchanged), rotateAfter)
	}

	t.Logf("the exchange and its checks took %s of the %s", time.Since(exchanged).Round(time.Second), rotateAfter)
	// The scheduled apply once the access token is due: one rotation, and
	// the plan says why.
	time.Sleep(time.Until(exchanged.Add(rotateAfter + time.Second)))
	cmd = ws.Command("plan", "-no-color")
	if plan, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(plan), "rotation_reason") || !strings.Contains(string(plan), "within 168h0m0s") {
		t.Fatalf("the plan once the access token is due (%v):\n%s", err, plan)
	}
	if _, err := ws.Run(nil, "apply", "-auto-approve", "-no-color"); err != nil {
		t.Fatal(err)
	}
	state, err := ws.Run(nil, "show", "-json")
	if err != nil || !strings.Contains(state, `"generation":2`) {
		t.Fatalf("after the rotation the state is not at generation 2 (%v)", err)
	}
}

// lockedBuffer is a buffer a process writes to while a test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
