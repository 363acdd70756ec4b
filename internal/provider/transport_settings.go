package provider

import (
	"context"
	"encoding/base64"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// Environment variables of the transport settings.
const (
	envMaxRetries           = "JSM_MAX_RETRIES"
	envMaxRequestsPerSecond = "JSM_MAX_REQUESTS_PER_SECOND"
)

// testRetryWait, when non-zero, replaces the backoff bounds. Test-only: set
// by an init function in a _test.go file so acceptance tests with injected
// faults do not sleep for real; never set in a released binary.
var testRetryWait struct{ min, max time.Duration }

// transportAttributes are the provider attributes on retries and pacing.
func transportAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"max_retries": schema.Int64Attribute{
			MarkdownDescription: "How many times a request answered `429 Too Many Requests`, `502`, `503` or `504`, " +
				"or lost to a connection error or timeout, is retried before the operation fails. The wait honours " +
				"`Retry-After` and `X-RateLimit-Reset`, otherwise it grows from 1 s to 30 s with jitter. `0` disables " +
				"retries. Defaults to the `" + envMaxRetries + "` environment variable, else `5`.",
			Optional:   true,
			Validators: []validator.Int64{int64validator.Between(0, 100)},
		},
		"max_requests_per_second": schema.Float64Attribute{
			MarkdownDescription: "Caps the rate of requests the provider sends, shared by all resources and data " +
				"sources. Without it the provider starts unlimited and slows down on its own when the site answers " +
				"`429`. Defaults to the `" + envMaxRequestsPerSecond + "` environment variable, else no cap.",
			Optional:   true,
			Validators: []validator.Float64{float64validator.AtLeast(0.01)},
		},
	}
}

// transportSettings are max_retries and max_requests_per_second after HCL
// and the environment are merged.
type transportSettings struct {
	maxRetries           int64
	maxRequestsPerSecond float64
}

// resolveTransportSettings reads the attributes, else their environment
// variables; a malformed variable is an error that names it.
func resolveTransportSettings(retries types.Int64, rps types.Float64, getenv func(string) string) (transportSettings, diag.Diagnostics) {
	var diags diag.Diagnostics
	ts := transportSettings{maxRetries: jsm.DefaultMaxRetries}
	switch v := strings.TrimSpace(getenv(envMaxRetries)); {
	case !retries.IsNull():
		ts.maxRetries = retries.ValueInt64()
	case v != "":
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 || n > 100 {
			diags.AddAttributeError(path.Root("max_retries"), "Invalid "+envMaxRetries,
				"The "+envMaxRetries+" environment variable is "+strconv.Quote(v)+": it must be a whole number from 0 to 100.")
		} else {
			ts.maxRetries = n
		}
	}
	switch v := strings.TrimSpace(getenv(envMaxRequestsPerSecond)); {
	case !rps.IsNull():
		ts.maxRequestsPerSecond = rps.ValueFloat64()
	case v != "":
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f < 0.01 || math.IsInf(f, 0) || math.IsNaN(f) {
			diags.AddAttributeError(path.Root("max_requests_per_second"), "Invalid "+envMaxRequestsPerSecond,
				"The "+envMaxRequestsPerSecond+" environment variable is "+strconv.Quote(v)+": it must be a number of at least 0.01.")
		} else {
			ts.maxRequestsPerSecond = f
		}
	}
	return ts, diags
}

// apply puts the settings, the logger and the test-only waits into cfg.
func (ts transportSettings) apply(cfg *jsm.Config) {
	cfg.MaxRetries = int(ts.maxRetries)
	if ts.maxRetries == 0 {
		cfg.MaxRetries = -1 // jsm reads 0 as "the default"
	}
	cfg.MaxRequestsPerSecond = ts.maxRequestsPerSecond
	cfg.RetryWaitMin, cfg.RetryWaitMax = testRetryWait.min, testRetryWait.max
	cfg.Logger = newTFLogger(cfg.Email, cfg.APIToken, cfg.AccessToken)
}

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
