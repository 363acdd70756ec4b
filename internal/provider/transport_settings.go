package provider

import (
	"math"
	"os"
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

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// Environment variables of the transport settings.
const (
	envMaxRetries           = "JSM_MAX_RETRIES"
	envMaxRequestsPerSecond = "JSM_MAX_REQUESTS_PER_SECOND"
	envMaxRetryWait         = "JSM_MAX_RETRY_WAIT"
	envMaxCallDuration      = "JSM_MAX_CALL_DURATION"
)

// Bounds of the duration settings: below a second nothing could succeed
// against a real site; a day is already far beyond any CI job.
var (
	maxRetryWaitBounds    = durationBounds{min: time.Second, max: 24 * time.Hour} //nolint:gochecknoglobals // a read-only table
	maxCallDurationBounds = durationBounds{min: time.Second, max: 24 * time.Hour} //nolint:gochecknoglobals // a read-only table
)

// transportAttributes are the provider attributes on retries and pacing.
func transportAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"max_retries": schema.Int64Attribute{
			MarkdownDescription: "How many times a request refused with `429`, `502`, `503` or `504`, or lost, is " +
				"retried (see *Retries, rate limits and pacing*). `0` disables retries. Defaults to the `" + envMaxRetries +
				"` environment variable, else `5`.",
			Optional:   true,
			Validators: []validator.Int64{int64validator.Between(0, 100)},
		},
		"max_requests_per_second": schema.Float64Attribute{
			MarkdownDescription: "Caps the rate of all requests together, e.g. to leave room for other integrations; " +
				"without it the provider slows down on its own at the site's `429`. Defaults to the `" +
				envMaxRequestsPerSecond + "` environment variable, else no cap.",
			Optional:   true,
			Validators: []validator.Float64{float64validator.AtLeast(0.01)},
		},
		"max_retry_wait": schema.StringAttribute{
			MarkdownDescription: "The longest wait before a retry the site may ask for, such as `90s` or `5m` (`1s` " +
				"to `24h`); a longer one (an hourly quota) fails at once with the time the limit resets. Defaults to the `" +
				envMaxRetryWait + "` environment variable, else `" + jsm.DefaultMaxRetryWait.String() + "`.",
			Optional:   true,
			Validators: []validator.String{maxRetryWaitBounds.validator()},
		},
		"max_call_duration": schema.StringAttribute{
			MarkdownDescription: "How long one API call may take, retries and waits included, such as `2m` (`1s` to " +
				"`24h`). Defaults to the `" + envMaxCallDuration + "` environment variable, else `" +
				jsm.DefaultMaxCallDuration.String() + "`.",
			Optional:   true,
			Validators: []validator.String{maxCallDurationBounds.validator()},
		},
	}
}

// transportSettings are max_retries, max_requests_per_second,
// max_retry_wait and max_call_duration after HCL and the environment are
// merged.
type transportSettings struct {
	maxRetries           int64
	maxRequestsPerSecond float64
	maxRetryWait         time.Duration
	maxCallDuration      time.Duration
}

// resolveTransportSettings reads the attributes, else their environment
// variables; a malformed variable is an error that names it.
func resolveTransportSettings(cfg providerModel, getenv func(string) string) (transportSettings, diag.Diagnostics) {
	var diags diag.Diagnostics
	retries, rps := cfg.MaxRetries, cfg.MaxRequestsPerSecond
	ts := transportSettings{maxRetries: jsm.DefaultMaxRetries, maxRetryWait: jsm.DefaultMaxRetryWait,
		maxCallDuration: jsm.DefaultMaxCallDuration}
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
	resolveDuration(&ts.maxRetryWait, "max_retry_wait", cfg.MaxRetryWait, envMaxRetryWait, maxRetryWaitBounds, getenv, &diags)
	resolveDuration(&ts.maxCallDuration, "max_call_duration", cfg.MaxCallDuration, envMaxCallDuration, maxCallDurationBounds, getenv, &diags)
	return ts, diags
}

// resolveDuration sets *dst from the attribute, else from its environment
// variable, else leaves the default; the attribute's validator has already
// checked a value from HCL.
func resolveDuration(dst *time.Duration, attr string, v types.String, env string, b durationBounds,
	getenv func(string) string, diags *diag.Diagnostics) {
	src, from := v.ValueString(), "The "+attr+" attribute"
	if v.IsNull() || v.IsUnknown() {
		src, from = strings.TrimSpace(getenv(env)), "The "+env+" environment variable"
	}
	if src == "" {
		return
	}
	d, msg := b.parse(src)
	if msg != "" {
		diags.AddAttributeError(path.Root(attr), "Invalid "+attr, from+": "+msg)
		return
	}
	*dst = d
}

// apply puts the settings and the logger into cfg.
func (ts transportSettings) apply(cfg *jsm.Config) {
	cfg.MaxRetries, cfg.NoRetries = int(ts.maxRetries), ts.maxRetries == 0
	cfg.MaxRequestsPerSecond = ts.maxRequestsPerSecond
	cfg.MaxRetryWait, cfg.MaxCallDuration = ts.maxRetryWait, ts.maxCallDuration
	cfg.LimitNames = jsm.LimitNames{
		MaxRetryWait:    "set by the provider's max_retry_wait or " + envMaxRetryWait,
		MaxCallDuration: "set by the provider's max_call_duration or " + envMaxCallDuration,
	}
	cfg.Names = jsm.Names{Client: "the provider", BaseURL: "the provider's url"}
	if !providerLogsOff(os.Getenv) {
		cfg.Logger = newTFLogger(cfg.Email, cfg.APIToken, cfg.AccessToken)
	}
}
