package provider

import (
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

func TestResolveTransportSettings(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	model := func(retries types.Int64, rps types.Float64, wait, budget types.String) providerModel {
		return providerModel{MaxRetries: retries, MaxRequestsPerSecond: rps, MaxRetryWait: wait, MaxCallDuration: budget}
	}
	unset := model(types.Int64Null(), types.Float64Null(), types.StringNull(), types.StringNull())
	defaults := transportSettings{jsm.DefaultMaxRetries, 0, jsm.DefaultMaxRetryWait, jsm.DefaultMaxCallDuration}
	for name, tc := range map[string]struct {
		cfg    providerModel
		env    map[string]string
		want   transportSettings
		errHas string
	}{
		"defaults": {unset, nil, defaults, ""},
		"from the env": {unset, map[string]string{envMaxRetries: "2", envMaxRequestsPerSecond: "7.5", envMaxRetryWait: "90s", envMaxCallDuration: "1h"},
			transportSettings{2, 7.5, 90 * time.Second, time.Hour}, ""},
		"HCL wins": {model(types.Int64Value(0), types.Float64Value(3), types.StringValue("2m"), types.StringValue("30s")),
			map[string]string{envMaxRetries: "2", envMaxRequestsPerSecond: "7.5", envMaxRetryWait: "90s", envMaxCallDuration: "1h"},
			transportSettings{0, 3, 2 * time.Minute, 30 * time.Second}, ""},
		"unknown durations use the env": {model(types.Int64Null(), types.Float64Null(), types.StringUnknown(), types.StringUnknown()),
			map[string]string{envMaxCallDuration: "20m"}, transportSettings{jsm.DefaultMaxRetries, 0, jsm.DefaultMaxRetryWait, 20 * time.Minute}, ""},
		"bad retries env":    {unset, map[string]string{envMaxRetries: "five"}, transportSettings{}, envMaxRetries},
		"negative retries":   {unset, map[string]string{envMaxRetries: "-1"}, transportSettings{}, envMaxRetries},
		"bad rate env":       {unset, map[string]string{envMaxRequestsPerSecond: "fast"}, transportSettings{}, envMaxRequestsPerSecond},
		"zero rate env":      {unset, map[string]string{envMaxRequestsPerSecond: "0"}, transportSettings{}, envMaxRequestsPerSecond},
		"infinite rate env":  {unset, map[string]string{envMaxRequestsPerSecond: "+Inf"}, transportSettings{}, envMaxRequestsPerSecond},
		"bad wait env":       {unset, map[string]string{envMaxRetryWait: "300"}, transportSettings{}, envMaxRetryWait},
		"tiny budget env":    {unset, map[string]string{envMaxCallDuration: "10ms"}, transportSettings{}, envMaxCallDuration},
		"negative wait env":  {unset, map[string]string{envMaxRetryWait: "-5m"}, transportSettings{}, envMaxRetryWait},
		"huge budget in HCL": {model(types.Int64Null(), types.Float64Null(), types.StringNull(), types.StringValue("48h")), nil, transportSettings{}, "max_call_duration"},
	} {
		t.Run(name, func(t *testing.T) {
			got, diags := resolveTransportSettings(tc.cfg, env(tc.env))
			if tc.errHas != "" {
				if !diags.HasError() || !strings.Contains(diags[0].Detail(), tc.errHas) {
					t.Fatalf("diags = %v, want an error naming %s", diags, tc.errHas)
				}
				return
			}
			if diags.HasError() || got != tc.want {
				t.Fatalf("got %+v, %v; want %+v", got, diags, tc.want)
			}
		})
	}
}

// max_retries = 0 means no retries, which jsm spells NoRetries.
func TestTransportSettingsApply(t *testing.T) {
	var cfg jsm.Config
	transportSettings{maxRetries: 0, maxRequestsPerSecond: 2}.apply(&cfg)
	if !cfg.NoRetries || cfg.MaxRequestsPerSecond != 2 || cfg.Logger == nil {
		t.Errorf("cfg = %+v", cfg)
	}
	transportSettings{maxRetries: 3}.apply(&cfg)
	if cfg.MaxRetries != 3 || cfg.NoRetries {
		t.Errorf("MaxRetries = %d, NoRetries = %v", cfg.MaxRetries, cfg.NoRetries)
	}
}
