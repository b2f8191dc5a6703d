package tfrun

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"time"
)

// AuthorizeAsBrowser runs the provider binary's authorize command with args
// (after "authorize -no-browser"), and does what the person's browser would:
// it opens the consent URL the command prints on standard error and follows
// the redirects, which against the fake Pinterest approve at once and land
// on the command's loopback listener. It returns the command's standard
// output (the code) and standard error.
func AuthorizeAsBrowser(providerBin string, args ...string) (stdout, stderr string, err error) {
	cmd := exec.Command(providerBin, append([]string{"authorize", "-no-browser"}, args...)...)
	var out bytes.Buffer
	cmd.Stdout = &out
	pipe, err := cmd.StderrPipe()
	if err != nil {
		return "", "", err
	}
	if err := cmd.Start(); err != nil {
		return "", "", err
	}
	var errText strings.Builder
	consent := make(chan string, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			errText.WriteString(sc.Text() + "\n")
			if strings.HasPrefix(sc.Text(), "http") {
				select {
				case consent <- sc.Text():
				default:
				}
			}
		}
	}()
	select {
	case u := <-consent:
		resp, err := http.Get(u)
		if err != nil {
			_ = cmd.Process.Kill()
			return "", "", fmt.Errorf("opening the consent URL: %w", err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	case <-done:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		return "", "", errors.New("the authorize command printed no consent URL")
	}
	<-done
	err = cmd.Wait()
	return out.String(), errText.String(), err
}
