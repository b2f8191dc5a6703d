package provider

import (
	"context"
	"regexp"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
)

// logSubsystem groups the provider's HTTP logs; TF_LOG_PROVIDER_PINTEREST
// sets their level apart from the framework's.
const logSubsystem = "pinterest"

var tokenPattern = regexp.MustCompile(pinterest.TokenPattern)

// secretFieldKeys are log field names whose values are always masked. The
// client never logs them; the masks are a second line of defence.
var secretFieldKeys = []string{
	"authorization", "Authorization", "client_secret", "code", "authorization_code",
	"access_token", "refresh_token", "token", "latest_refresh_token",
}

// withLogging adds the pinterest subsystem, with its masks, to ctx.
func withLogging(ctx context.Context) context.Context {
	ctx = tflog.NewSubsystem(ctx, logSubsystem, tflog.WithLevelFromEnv("TF_LOG_PROVIDER_PINTEREST"))
	ctx = tflog.SubsystemMaskFieldValuesWithFieldKeys(ctx, logSubsystem, secretFieldKeys...)
	ctx = tflog.SubsystemMaskAllFieldValuesRegexes(ctx, logSubsystem, tokenPattern)
	ctx = tflog.SubsystemMaskMessageRegexes(ctx, logSubsystem, tokenPattern)
	// The same masks on the provider's root logger cover the framework's own
	// lines.
	ctx = tflog.MaskFieldValuesWithFieldKeys(ctx, secretFieldKeys...)
	ctx = tflog.MaskAllFieldValuesRegexes(ctx, tokenPattern)
	ctx = tflog.MaskMessageRegexes(ctx, tokenPattern)
	return ctx
}

// logObserver writes what the client does to the pinterest subsystem.
type logObserver struct{}

func (logObserver) Attempt(ctx context.Context, op pinterest.Operation, method, url string, attempt int) {
	tflog.SubsystemDebug(ctx, logSubsystem, "Sending request to Pinterest", map[string]any{
		"operation": string(op), "method": method, "url": url, "attempt": attempt,
	})
}

func (logObserver) Response(ctx context.Context, op pinterest.Operation, meta pinterest.ResponseMeta, bodyBytes int) {
	tflog.SubsystemDebug(ctx, logSubsystem, "Received response from Pinterest", map[string]any{
		"operation": string(op), "status": meta.StatusCode, "content_type": meta.ContentType,
		"request_id": meta.RequestID, "body_bytes": bodyBytes,
	})
}

func (logObserver) Retry(ctx context.Context, op pinterest.Operation, attempt int, wait time.Duration, status int, requestID string, err error) {
	fields := map[string]any{
		"operation": string(op), "attempt": attempt, "wait": wait.String(), "status": status, "request_id": requestID,
	}
	if err != nil {
		fields["error"] = err.Error()
	}
	tflog.SubsystemWarn(ctx, logSubsystem, "Retrying request to Pinterest", fields)
}
