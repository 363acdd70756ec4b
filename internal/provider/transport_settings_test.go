package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

func TestResolveTransportSettings(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	for name, tc := range map[string]struct {
		retries types.Int64
		rps     types.Float64
		env     map[string]string
		want    transportSettings
		errHas  string
	}{
		"defaults":          {types.Int64Null(), types.Float64Null(), nil, transportSettings{maxRetries: jsm.DefaultMaxRetries}, ""},
		"from the env":      {types.Int64Null(), types.Float64Null(), map[string]string{envMaxRetries: "2", envMaxRequestsPerSecond: "7.5"}, transportSettings{2, 7.5}, ""},
		"HCL wins":          {types.Int64Value(0), types.Float64Value(3), map[string]string{envMaxRetries: "2", envMaxRequestsPerSecond: "7.5"}, transportSettings{0, 3}, ""},
		"bad retries env":   {types.Int64Null(), types.Float64Null(), map[string]string{envMaxRetries: "five"}, transportSettings{}, envMaxRetries},
		"negative retries":  {types.Int64Null(), types.Float64Null(), map[string]string{envMaxRetries: "-1"}, transportSettings{}, envMaxRetries},
		"bad rate env":      {types.Int64Null(), types.Float64Null(), map[string]string{envMaxRequestsPerSecond: "fast"}, transportSettings{}, envMaxRequestsPerSecond},
		"zero rate env":     {types.Int64Null(), types.Float64Null(), map[string]string{envMaxRequestsPerSecond: "0"}, transportSettings{}, envMaxRequestsPerSecond},
		"infinite rate env": {types.Int64Null(), types.Float64Null(), map[string]string{envMaxRequestsPerSecond: "+Inf"}, transportSettings{}, envMaxRequestsPerSecond},
	} {
		t.Run(name, func(t *testing.T) {
			got, diags := resolveTransportSettings(tc.retries, tc.rps, env(tc.env))
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

// max_retries = 0 means no retries, which jsm spells as a negative number.
func TestTransportSettingsApply(t *testing.T) {
	var cfg jsm.Config
	transportSettings{maxRetries: 0, maxRequestsPerSecond: 2}.apply(&cfg)
	if cfg.MaxRetries >= 0 || cfg.MaxRequestsPerSecond != 2 || cfg.Logger == nil {
		t.Errorf("cfg = %+v", cfg)
	}
	transportSettings{maxRetries: 3}.apply(&cfg)
	if cfg.MaxRetries != 3 {
		t.Errorf("MaxRetries = %d", cfg.MaxRetries)
	}
}
