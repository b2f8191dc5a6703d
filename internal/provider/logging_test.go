package provider

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// The client never hands a secret to the logger; these masks are the second
// line of defence. Prove they hold should a secret ever reach a log call, by
// field name or by token shape, in the pinterest subsystem or the root logger.
func TestLogMasks(t *testing.T) {
	const (
		access  = "pina_4d5e6f7a8b9c0d1e2f3a"
		refresh = "pinr_0a1b2c3d4e5f6a7b8c9d"
		code    = "9f8e7d6c5b4a39281706"
		secret  = "app-secret-not-token-shaped"
	)
	var buf bytes.Buffer
	ctx := withLogging(tflogtest.RootLogger(context.Background(), &buf))
	fields := map[string]any{
		"code": code, "client_secret": secret, "Authorization": "Basic " + secret,
		"refresh_token": refresh, "note": "token " + access,
	}
	tflog.SubsystemTrace(ctx, logSubsystem, "message quoting "+refresh, fields)
	tflog.Debug(ctx, "root message quoting "+access, fields)
	tflog.SubsystemWarn(ctx, logSubsystem, "plain", map[string]any{"body": `{"access_token":"` + access + `"}`})

	out := buf.String()
	if !strings.Contains(out, "message quoting") || strings.Count(out, "\n") < 3 {
		t.Fatalf("expected three log lines, got %q", out)
	}
	for _, s := range []string{access, refresh, code, secret} {
		if strings.Contains(out, s) {
			t.Errorf("a log line holds a secret (%s…)", s[:5])
		}
	}
}
