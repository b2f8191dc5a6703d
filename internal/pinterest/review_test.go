package pinterest

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
)

// L6: clear-text http is dialled only to loopback IPs, after resolution,
// whatever name the api_url gave.
func TestHTTPIsDialledOnlyToLoopback(t *testing.T) {
	for addr, ok := range map[string]bool{
		"127.0.0.1:8080": true, "127.8.9.10:80": true, "[::1]:443": true,
		"10.0.0.1:80": false, "93.184.216.34:80": false, "[2001:db8::1]:80": false, "[::ffff:10.0.0.1]:80": false,
	} {
		if err := loopbackOnly("tcp", addr, nil); (err == nil) != ok {
			t.Errorf("%s: %v, want ok=%v", addr, err, ok)
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"1","username":"u","account_type":"BUSINESS"}`))
	}))
	defer srv.Close()
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	c, err := NewClient(Options{APIURL: "http://localhost:" + port, ClientID: "1", ClientSecret: sensitive.New("secret-0123")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.UserAccount(context.Background(), sensitive.New("pina_access_0123456789")); err != nil {
		t.Fatalf("http to localhost, which is loopback here: %v", err)
	}
}

// L1: what the server (or a proxy that echoes the request) sends back
// reaches an error only in a safe shape: the request id only when it looks
// like one, every secret masked in every encoding, no control characters.
func TestServerTextInErrorsIsSafe(t *testing.T) {
	const id, secret, refresh = "1234567", "app-secret-0123456789", "pinr_refresh_0123456789abcdef"
	basic := base64.StdEncoding.EncodeToString([]byte(id + ":" + secret))
	message := "echo: Basic " + basic + " refresh_token=" + url.QueryEscape(refresh+"/+") + " path " + url.PathEscape(secret+"/x") +
		" b64 " + base64.RawURLEncoding.EncodeToString([]byte(refresh+"/+")) + " \x1b[2J\x1b[31mred\r\nforged log line\x00"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Pinterest-Rid", "rid-"+refresh)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"code":1,"message":` + jsonString(message) + `}`))
	}))
	defer srv.Close()
	c, err := NewClient(Options{APIURL: srv.URL, ClientID: id, ClientSecret: sensitive.New(secret), Retry: RetryPolicy{MaxRetries: 0}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Refresh(context.Background(), sensitive.New(refresh+"/+"), nil)
	if err == nil {
		t.Fatal("no error")
	}
	text := err.Error()
	for _, leak := range []string{refresh, basic, secret, url.QueryEscape(refresh + "/+"), url.PathEscape(secret + "/x"),
		base64.RawURLEncoding.EncodeToString([]byte(refresh + "/+")), "\x1b", "\r", "\n", "\x00"} {
		if strings.Contains(text, leak) {
			t.Errorf("the error holds %q: %q", leak, text)
		}
	}
	if !strings.Contains(text, "(withheld: not a request id)") {
		t.Errorf("the odd request id is not withheld: %q", text)
	}
}

func TestSafeHeaderShapes(t *testing.T) {
	for in, want := range map[string]string{
		"abc-123": "abc-123", "": "", strings.Repeat("a", 65): "(withheld: not a request id)", "a b": "(withheld: not a request id)",
	} {
		if got := safeRequestID(in); got != want {
			t.Errorf("safeRequestID(%q) = %q", in, got)
		}
	}
	for in, want := range map[string]string{
		"application/json; charset=utf-8": "application/json", "text/html": "text/html",
		"text/html\x1b[31m": "(unreadable content type)", "x/" + strings.Repeat("y", 80): "(unreadable content type)",
	} {
		if got := safeContentType(in); got != want {
			t.Errorf("safeContentType(%q) = %q", in, got)
		}
	}
}

func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte("0123456789abcdef"[r>>4])
			b.WriteByte("0123456789abcdef"[r&0xf])
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// A request id is server-controlled text too: one that echoes the code sent
// (rid-<code>, which fits the shape of a request id) is withheld, in the
// error and in the log, and so is one holding part of a code or token.
func TestRequestIDEchoingASecretIsWithheld(t *testing.T) {
	const code = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
	for _, rid := range []string{"rid-" + code, "rid-" + code[4:16], "x" + base64.RawURLEncoding.EncodeToString([]byte(code))[:12]} {
		attempts := 0
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			attempts++
			w.Header().Set("X-Pinterest-Rid", rid)
			w.Header().Set("Content-Type", "application/json")
			if attempts == 1 { // a retried answer is logged too
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"code":1,"message":"Invalid code"}`))
		}))
		var logged strings.Builder
		c, err := NewClient(Options{APIURL: srv.URL, ClientID: "1234567", ClientSecret: sensitive.New("app-secret-0123456789"),
			Retry: RetryPolicy{MaxRetries: 1, WaitMin: time.Millisecond, WaitMax: time.Millisecond}, Logger: logFunc(func(msg string, fields map[string]any) {
				logged.WriteString(msg + " " + fmt.Sprint(fields) + "\n")
			})})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Exchange(context.Background(), sensitive.New(code), "https://etl.example.com/cb", true)
		srv.Close()
		if err == nil || strings.Contains(err.Error(), rid) || strings.Contains(logged.String(), rid) || !strings.Contains(logged.String(), "Retrying") ||
			!strings.Contains(err.Error(), "(withheld: it holds part of a secret of the request)") {
			t.Errorf("request id %q: error %v; log %q", rid, err, logged.String())
		}
	}
}

// logFunc is a Logger that hands every line to a function.
type logFunc func(msg string, fields map[string]any)

func (f logFunc) Log(_ context.Context, _ Level, msg string, fields map[string]any) { f(msg, fields) }
