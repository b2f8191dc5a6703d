package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
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
// back on when the command ends: with a code, at a timeout, at Ctrl-C (the
// terminal its controlling one) and at SIGTERM.
func TestPasteOnATerminalIsNotEchoed(t *testing.T) {
	requireCLI(t)
	fake := fakepinterest.Start(fakepinterest.Options{ClientID: clientID, ClientSecret: clientSecret, RedirectURIs: []string{agencyRedirectURI}})
	defer fake.Close()

	// run starts authorize on a terminal of its own, waits for its prompt
	// and for the echo to go off, then does act, and returns what it
	// printed on standard output, what the screen showed, and whether the
	// echo is on again after it ended.
	run := func(t *testing.T, timeout string, act func(master *os.File, cmd *exec.Cmd, consentURL string)) (stdout, screen string, echoAfter bool) {
		master, slave := openPTY(t)
		cmd := exec.Command(providerBin, "authorize", "-client-id", clientID, "-redirect-uri", agencyRedirectURI,
			"-scopes", "ads:read", "-consent-url", fake.URL()+fakepinterest.ConsentPath, "-timeout", timeout)
		cmd.Env = append(os.Environ(), "PINTEREST_CLIENT_SECRET="+clientSecret)
		var out bytes.Buffer
		cmd.Stdin, cmd.Stderr, cmd.Stdout = slave, slave, &out
		// The terminal is the command's controlling one, so that Ctrl-C
		// reaches it as it does a person's.
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
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
		echoOn := func() bool {
			termios, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS)
			if err != nil {
				t.Fatal(err)
			}
			return termios.Lflag&unix.ECHO != 0
		}
		// The prompt is out, and the read has turned the echo off.
		deadline := time.Now().Add(10 * time.Second)
		for (!strings.Contains(screenNow(), "Paste it here") || echoOn()) && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if echoOn() {
			_ = cmd.Process.Kill()
			t.Fatalf("the echo never went off for the paste; the screen:\n%s", screenNow())
		}
		var consentURL string
		for _, line := range strings.Split(screenNow(), "\n") {
			if line = strings.TrimSpace(line); strings.HasPrefix(line, "http") {
				consentURL = line
			}
		}
		act(master, cmd, consentURL)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			_ = err // most cases exit 1 on purpose: what was printed is judged by the caller
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
			t.Fatalf("authorize did not end; the screen:\n%s", screenNow())
		}
		time.Sleep(100 * time.Millisecond) // the last of the screen
		return out.String(), screenNow(), echoOn()
	}
	write := func(t *testing.T, master *os.File, text string) {
		if _, err := master.WriteString(text); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("a paste", func(t *testing.T) {
		stdout, screen, echo := run(t, "10s", func(master *os.File, _ *exec.Cmd, consentURL string) {
			address, err := tfrun.Redirected(consentURL)
			if err != nil {
				t.Fatal(err)
			}
			write(t, master, address+"\r")
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
	for _, tc := range []struct {
		name, want string
		act        func(t *testing.T, master *os.File, cmd *exec.Cmd)
	}{
		{"a timeout mid-read", "was pasted within 1s", func(*testing.T, *os.File, *exec.Cmd) {}},
		{"Ctrl-C mid-read", "stopped before the approval", func(t *testing.T, master *os.File, _ *exec.Cmd) { write(t, master, "\x03") }},
		{"SIGTERM mid-read", "stopped before the approval", func(t *testing.T, _ *os.File, cmd *exec.Cmd) {
			if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stdout, screen, echo := run(t, "1s", func(master *os.File, cmd *exec.Cmd, _ string) { tc.act(t, master, cmd) })
			if stdout != "" || !strings.Contains(screen, tc.want) {
				t.Fatalf("stdout %q; the screen:\n%s", stdout, screen)
			}
			if !echo {
				t.Error("the terminal's echo is still off after the command ended")
			}
		})
	}
}
