package provider

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
)

// logSubsystem groups the provider's HTTP logs. TF_LOG_PROVIDER_PINTEREST
// sets this provider's level (root and subsystem), but Terraform passes a
// provider's lines on only when TF_LOG_PROVIDER or TF_LOG is set as well
// (TestProviderLogLevels).
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
	// The same masks on the provider's root logger cover what this
	// provider logs outside the subsystem. The framework's own lines go
	// through its SDK logger, which these masks do not reach; they carry
	// no attribute values.
	ctx = tflog.MaskFieldValuesWithFieldKeys(ctx, secretFieldKeys...)
	ctx = tflog.MaskAllFieldValuesRegexes(ctx, tokenPattern)
	ctx = tflog.MaskMessageRegexes(ctx, tokenPattern)
	return ctx
}

// clientLogger writes what the client does to the pinterest subsystem.
type clientLogger struct{}

func (clientLogger) Log(ctx context.Context, level pinterest.Level, msg string, fields map[string]any) {
	switch level {
	case pinterest.LevelTrace:
		tflog.SubsystemTrace(ctx, logSubsystem, msg, fields)
	case pinterest.LevelWarn:
		tflog.SubsystemWarn(ctx, logSubsystem, msg, fields)
	default:
		tflog.SubsystemDebug(ctx, logSubsystem, msg, fields)
	}
}
