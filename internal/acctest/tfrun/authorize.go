package tfrun

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"time"
)

// AuthorizeRun is the provider binary's authorize command, running.
type AuthorizeRun struct {
	// ConsentURL is what the command printed for the person to open.
	ConsentURL string

	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout bytes.Buffer
	stderr strings.Builder
	done   chan struct{} // closed when standard error is read to its end
}

// StartAuthorize starts providerBin's authorize command with args (after
// "authorize -no-browser") and this process's environment plus env, and
// waits for the consent URL, which it prints on a line of its own on
// standard error.
func StartAuthorize(providerBin string, env []string, args ...string) (*AuthorizeRun, error) {
	r := &AuthorizeRun{done: make(chan struct{})}
	r.cmd = exec.Command(providerBin, append([]string{"authorize", "-no-browser"}, args...)...)
	r.cmd.Env = append(os.Environ(), env...)
	r.cmd.Stdout = &r.stdout
	var err error
	if r.stdin, err = r.cmd.StdinPipe(); err != nil {
		return nil, err
	}
	pipe, err := r.cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := r.cmd.Start(); err != nil {
		return nil, err
	}
	consent := make(chan string, 1)
	go func() {
		defer close(r.done)
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			r.stderr.WriteString(sc.Text() + "\n") // read only after done
			if strings.HasPrefix(sc.Text(), "http") {
				select {
				case consent <- sc.Text():
				default:
				}
			}
		}
	}()
	select {
	case r.ConsentURL = <-consent:
		return r, nil
	case <-r.done:
		_ = r.cmd.Wait()
		return nil, fmt.Errorf("the authorize command printed no consent URL:\n%s", r.stderr.String())
	case <-time.After(10 * time.Second):
		r.Kill()
		return nil, errors.New("the authorize command printed no consent URL")
	}
}

// Wait waits at most timeout for the command to exit, and returns its
// standard output and standard error, and the error of a failed exit.
func (r *AuthorizeRun) Wait(timeout time.Duration) (stdout, stderr string, err error) {
	exited := make(chan error, 1)
	go func() {
		<-r.done // Wait closes the pipe: read it to the end first
		exited <- r.cmd.Wait()
	}()
	select {
	case err = <-exited:
		return r.stdout.String(), r.stderr.String(), err
	case <-time.After(timeout):
		r.Kill()
		return "", "", errors.New("the authorize command did not exit")
	}
}

// Paste types a line on the command's standard input, as the operator
// pastes the address the approver's browser was sent to.
func (r *AuthorizeRun) Paste(line string) error {
	_, err := io.WriteString(r.stdin, line+"\n")
	return err
}

// Kill ends the command.
func (r *AuthorizeRun) Kill() { _ = r.cmd.Process.Kill() }

// AuthorizeAsBrowser runs the authorize command and does what the person's
// browser would: it opens the consent URL and follows the redirects, which
// against the fake Pinterest approve at once and land on the command's
// loopback listener. It returns the command's standard output (the code)
// and standard error.
func AuthorizeAsBrowser(providerBin string, env []string, args ...string) (stdout, stderr string, err error) {
	r, err := StartAuthorize(providerBin, env, args...)
	if err != nil {
		return "", "", err
	}
	if _, err := Browse(r.ConsentURL); err != nil {
		r.Kill()
		return "", "", fmt.Errorf("opening the consent URL: %w", err)
	}
	return r.Wait(20 * time.Second)
}

// Browse does what a browser does with a URL: follow the redirects and read
// the page. It returns the last page's status.
func Browse(u string) (int, error) {
	resp, err := http.Get(u)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

// Redirected does what an approver's browser does on another machine: it
// opens the consent URL and returns the address it is sent to, without
// going there (a page on the agency's site, out of the test's reach).
func Redirected(u string) (string, error) {
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(u)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if loc := resp.Header.Get("Location"); resp.StatusCode/100 == 3 && loc != "" {
		return loc, nil
	}
	return "", fmt.Errorf("the consent page answered HTTP %d, not a redirect", resp.StatusCode)
}

// FreeLoopbackURI returns a loopback redirect URI on a port nothing uses.
func FreeLoopbackURI() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return "http://" + l.Addr().String() + "/callback", nil
}
