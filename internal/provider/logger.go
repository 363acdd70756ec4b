package provider

import (
	"context"
	"encoding/base64"
	"strings"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// tfLogger sends the client's request log to terraform-plugin-log. The
// client never logs credentials; masking them here as well keeps them out
// of the log should a server echo one back in a body logged at TRACE.
type tfLogger struct {
	secrets []string
}

// providerLogsOff reports whether terraform-plugin-log drops every line the
// provider logs: its level variable says off, as serve.Run sets it when
// Terraform would discard the logs anyway. The client is then given no
// logger, and skips building its request log.
func providerLogsOff(getenv func(string) string) bool {
	return strings.EqualFold(strings.TrimSpace(getenv("TF_LOG_PROVIDER_JSM")), "off")
}

func newTFLogger(email, apiToken, accessToken string) tfLogger {
	var l tfLogger
	for _, s := range []string{apiToken, accessToken} {
		if s != "" {
			l.secrets = append(l.secrets, s)
		}
	}
	if email != "" && apiToken != "" {
		basic := base64.StdEncoding.EncodeToString([]byte(email + ":" + apiToken))
		l.secrets = append(l.secrets, basic)
	}
	return l
}

func (l tfLogger) mask(ctx context.Context) context.Context {
	if len(l.secrets) == 0 {
		return ctx
	}
	ctx = tflog.MaskMessageStrings(ctx, l.secrets...)
	ctx = tflog.MaskAllFieldValuesStrings(ctx, l.secrets...)
	return tflog.MaskFieldValuesWithFieldKeys(ctx, "Authorization", "authorization")
}

func (l tfLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(l.mask(ctx), msg, fields)
}

func (l tfLogger) Trace(ctx context.Context, msg string, fields map[string]any) {
	tflog.Trace(l.mask(ctx), msg, fields)
}

func (l tfLogger) Warn(ctx context.Context, msg string, fields map[string]any) {
	tflog.Warn(l.mask(ctx), msg, fields)
}
