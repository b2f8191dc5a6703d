package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/fakepinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/tfrun"
)

// openPTY opens a pseudo-terminal: what the operator's terminal is to the
// authorize command, so that its echo can be watched.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	s, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(); m.Close() })
	return m, s
}

// TestPasteOnATerminalIsNotEchoed: pasted on a terminal, the address (and
// its code) is not echoed back to the screen, and the terminal's echo is
// back on when the command ends, whether it got a code or timed out.
func TestPasteOnATerminalIsNotEchoed(t *testing.T) {
	requireCLI(t)
	fake := fakepinterest.Start(fakepinterest.Options{ClientID: clientID, ClientSecret: clientSecret, RedirectURIs: []string{agencyRedirectURI}})
	defer fake.Close()

	run := func(t *testing.T, timeout string, paste func(consentURL string) string) (stdout, screen string, echoAfter bool) {
		master, slave := openPTY(t)
		cmd := exec.Command(providerBin, "authorize", "-client-id", clientID, "-redirect-uri", agencyRedirectURI,
			"-scopes", "ads:read", "-consent-url", fake.URL()+fakepinterest.ConsentPath, "-timeout", timeout)
		cmd.Env = append(os.Environ(), "PINTEREST_CLIENT_SECRET="+clientSecret)
		var out bytes.Buffer
		cmd.Stdin, cmd.Stderr, cmd.Stdout = slave, slave, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// The screen: everything the terminal shows, read as it comes.
		var mu sync.Mutex
		var shown bytes.Buffer
		go func() {
			buf := make([]byte, 4096)
			for {
				n, err := master.Read(buf)
				mu.Lock()
				shown.Write(buf[:n])
				mu.Unlock()
				if err != nil {
					return
				}
			}
		}()
		screenNow := func() string { mu.Lock(); defer mu.Unlock(); return shown.String() }
		var consentURL string
		for deadline := time.Now().Add(10 * time.Second); consentURL == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			for _, line := range strings.Split(screenNow(), "\n") {
				if line = strings.TrimSpace(line); strings.HasPrefix(line, "http") {
					consentURL = line
				}
			}
		}
		if strings.Contains(screenNow(), "Paste it here") && consentURL != "" {
			time.Sleep(200 * time.Millisecond) // the prompt is out; the read has begun
			if line := paste(consentURL); line != "" {
				if _, err := master.WriteString(line + "\r"); err != nil {
					t.Fatal(err)
				}
			}
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			_ = err // a timeout exits 1 on purpose: what it printed is judged below
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
			t.Fatalf("authorize did not end; the screen:\n%s", screenNow())
		}
		termios, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS)
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond) // the last of the screen
		return out.String(), screenNow(), termios.Lflag&unix.ECHO != 0
	}

	t.Run("a paste", func(t *testing.T) {
		var address string
		stdout, screen, echo := run(t, "10s", func(consentURL string) string {
			var err error
			if address, err = tfrun.Redirected(consentURL); err != nil {
				t.Fatal(err)
			}
			return address
		})
		code := strings.TrimSpace(stdout)
		if code == "" || !strings.Contains(screen, "Accepted") {
			t.Fatalf("no code; the screen:\n%s", screen)
		}
		if strings.Contains(screen, code) || strings.Contains(screen, "code=") {
			t.Errorf("the terminal showed the pasted address:\n%s", screen)
		}
		if !echo {
			t.Error("the terminal's echo is still off after the command ended")
		}
	})
	t.Run("a timeout mid-read", func(t *testing.T) {
		stdout, screen, echo := run(t, "1s", func(string) string { return "" })
		if stdout != "" || !strings.Contains(screen, "was pasted within 1s") {
			t.Fatalf("stdout %q; the screen:\n%s", stdout, screen)
		}
		if !echo {
			t.Error("the terminal's echo is still off after the command timed out")
		}
	})
}
