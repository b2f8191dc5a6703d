package fakepinterest

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func postToken(t *testing.T, s *Server, form url.Values) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, s.URL()+TokenPath, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("app", "secret")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body
}

// A delay answers normally after the delay: the body is read once, before
// the wait, and routed afterwards.
func TestDelayAnswersNormally(t *testing.T) {
	s := Start(Options{ClientID: "app", ClientSecret: "secret"})
	defer s.Close()
	_, refresh := s.IssueTokens("pins:read")
	s.InjectFaults(TokenPath, Fault{Delay: 50 * time.Millisecond})
	start := time.Now()
	status, body := postToken(t, s, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}})
	if status != http.StatusOK || body["access_token"] == nil {
		t.Fatalf("after a delay: HTTP %d %v", status, body["message"])
	}
	if time.Since(start) < 50*time.Millisecond {
		t.Fatal("answered before the delay")
	}
}

// LoseResponse carries the request out: the refresh token is rotated
// although no answer arrived.
func TestLoseResponseCarriesTheRequestOut(t *testing.T) {
	s := Start(Options{ClientID: "app", ClientSecret: "secret"})
	defer s.Close()
	_, refresh := s.IssueTokens("pins:read")
	s.InjectFaults(TokenPath, Fault{LoseResponse: true})
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, s.URL()+TokenPath,
		strings.NewReader(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("app", "secret")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("an answer arrived")
	}
	if s.RefreshTokenValid(refresh) || s.Grants("refresh_token") != 1 {
		t.Fatal("the lost request was not carried out")
	}
}

// The knobs for answers the spec allows: no scope on a refresh, no
// expires_in.
func TestOmittedFields(t *testing.T) {
	s := Start(Options{ClientID: "app", ClientSecret: "secret", OmitRefreshScope: true, OmitExpiresIn: true})
	defer s.Close()
	_, refresh := s.IssueTokens("pins:read")
	_, body := postToken(t, s, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}})
	if _, ok := body["scope"]; ok {
		t.Error("refresh answer has scope")
	}
	if _, ok := body["expires_in"]; ok {
		t.Error("refresh answer has expires_in")
	}
}
