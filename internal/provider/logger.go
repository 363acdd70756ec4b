package provider

import (
	"context"
	"encoding/base64"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// tfLogger sends the client's request log to terraform-plugin-log. The
// client never logs credentials; masking them here as well keeps them out
// of the log should a server echo one back in a body logged at TRACE.
type tfLogger struct {
	secrets []string
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
