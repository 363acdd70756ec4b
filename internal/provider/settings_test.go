package provider

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestResolveSettingsHCLWinsOverEnvironment(t *testing.T) {
	env := map[string]string{envURL: "https://env.atlassian.net", envEmail: "env@example.com", envAPIToken: "env-token"}
	s := resolveSettings(providerModel{
		URL:         types.StringValue("https://hcl.atlassian.net"),
		Email:       types.StringNull(),
		APIToken:    types.StringNull(),
		AccessToken: types.StringNull(),
	}, func(k string) string { return env[k] })
	if s.url != "https://hcl.atlassian.net" || s.email != "env@example.com" || s.apiToken != "env-token" || s.accessToken != "" {
		t.Errorf("settings %+v", s)
	}
	if s.fromEnv["url"] || !s.fromEnv["email"] {
		t.Errorf("fromEnv %v", s.fromEnv)
	}
	if diags := s.validate(); diags.HasError() {
		t.Errorf("valid settings: %v", diags)
	}
}

// `api_token = var.token` with an empty default must not hide
// JSM_API_TOKEN and then ask for it.
func TestResolveSettingsEmptyHCLLeavesTheEnvironment(t *testing.T) {
	env := map[string]string{envEmail: "env@example.com", envAPIToken: "env-token"}
	s := resolveSettings(providerModel{
		URL:         types.StringValue("https://hcl.atlassian.net"),
		Email:       types.StringValue(""),
		APIToken:    types.StringValue(""),
		AccessToken: types.StringValue(""),
	}, func(k string) string { return env[k] })
	if s.email != "env@example.com" || s.apiToken != "env-token" || s.accessToken != "" || !s.fromEnv["api_token"] {
		t.Errorf("settings %+v", s)
	}
	if diags := s.validate(); diags.HasError() {
		t.Errorf("valid settings: %v", diags)
	}
}

func TestSettingsValidateNamesAttributeAndVariable(t *testing.T) {
	for name, tc := range map[string]struct {
		s    settings
		want []string
	}{
		"nothing":       {settings{}, []string{"JSM_URL", "JSM_EMAIL", "JSM_API_TOKEN", "JSM_ACCESS_TOKEN"}},
		"email only":    {settings{url: "https://x.atlassian.net", email: "a@b.c"}, []string{"api_token", "JSM_API_TOKEN"}},
		"token only":    {settings{url: "https://x.atlassian.net", apiToken: "t"}, []string{"email", "JSM_EMAIL"}},
		"both from env": {settings{url: "https://x.atlassian.net", email: "a@b.c", apiToken: "t", accessToken: "u", fromEnv: map[string]bool{"access_token": true}}, []string{"the JSM_ACCESS_TOKEN environment variable", "not both"}},
		"http from env": {settings{url: "http://x.atlassian.net", accessToken: "u", fromEnv: map[string]bool{"url": true}}, []string{"JSM_URL environment variable", "https"}},
		"client creds with basic from env": {settings{url: "https://x.atlassian.net", clientID: "i", clientSecret: "s", email: "a@b.c", apiToken: "t",
			fromEnv: map[string]bool{"client_id": true, "api_token": true}}, []string{"the JSM_CLIENT_ID environment variable", "the JSM_API_TOKEN environment variable", "the provider's email attribute", "Use one kind only"}},
		"client secret from env only": {settings{url: "https://x.atlassian.net", clientSecret: "s", fromEnv: map[string]bool{"client_secret": true}},
			[]string{"Missing client ID", "the JSM_CLIENT_SECRET environment variable", "JSM_CLIENT_ID"}},
		"client id only":       {settings{url: "https://x.atlassian.net", clientID: "i"}, []string{"Missing client secret", "JSM_CLIENT_SECRET"}},
		"http token URL (env)": {settings{url: "https://x.atlassian.net", clientID: "i", clientSecret: "s", tokenURL: "http://auth.example.com/t", fromEnv: map[string]bool{"oauth_token_url": true}}, []string{"JSM_OAUTH_TOKEN_URL environment variable", "uses http"}},
	} {
		t.Run(name, func(t *testing.T) {
			diags := tc.s.validate()
			if !diags.HasError() {
				t.Fatal("no error")
			}
			var text strings.Builder
			for _, d := range diags {
				text.WriteString(d.Summary() + " " + d.Detail() + "\n")
			}
			for _, w := range tc.want {
				if !strings.Contains(text.String(), w) {
					t.Errorf("diagnostics %q do not mention %q", text.String(), w)
				}
			}
		})
	}
}

// A URL's password, path and query never reach a diagnostic.
func TestSettingsValidateShowsURLAsSchemeAndHost(t *testing.T) {
	for _, raw := range []string{
		"https://fred:hunter2@x.atlassian.net/path-secret?q=q-secret",
		"http://fred:hunter2@x.atlassian.net/path-secret",
		"https://fred:hun%zzter2@x.atlassian.net/path-secret",
	} {
		s := settings{url: raw, accessToken: "u", fromEnv: map[string]bool{"url": true}}
		var text strings.Builder
		for _, d := range s.validate() {
			text.WriteString(d.Summary() + " " + d.Detail() + "\n")
		}
		if !strings.Contains(text.String(), "Invalid JSM site URL") {
			t.Errorf("%q: no URL error in %q", raw, text.String())
		}
		for _, secret := range []string{"fred", "hun", "-secret"} {
			if strings.Contains(text.String(), secret) {
				t.Errorf("%q: diagnostics %q show %q", raw, text.String(), secret)
			}
		}
	}
}

func TestCheckEmail(t *testing.T) {
	for in, ok := range map[string]bool{
		"fred@example.com":          true,
		"fred.f+tag@sub.example.co": true,
		"Fred <fred@example.com>":   false,
		"<fred@example.com>":        false,
		" fred@example.com":         false,
		"fred@localhost":            false,
		"fred":                      false,
		"":                          false,
	} {
		if got := checkEmail(in) == ""; got != ok {
			t.Errorf("checkEmail(%q) ok = %v, want %v", in, got, ok)
		}
	}
}

// The configuration check reports its problems in a stable order: the
// unknown connection attributes in the schema's order, every time.
func TestUnknownAttributesInSchemaOrder(t *testing.T) {
	m := providerModel{URL: types.StringUnknown(), Email: types.StringUnknown(),
		APIToken: types.StringUnknown(), AccessToken: types.StringUnknown()}
	want := []string{"url", "email", "api_token", "access_token"}
	for range 20 {
		if got := m.unknownAttributes(); !slices.Equal(got, want) {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
	m.URL, m.APIToken = types.StringValue("https://x.atlassian.net"), types.StringNull()
	if got := m.unknownAttributes(); !slices.Equal(got, []string{"email", "access_token"}) {
		t.Errorf("got %v", got)
	}
}

// Problems of the connection settings and of the transport settings come
// in a fixed order: url, credentials, then the transport attributes.
func TestSettingsValidateStableOrder(t *testing.T) {
	env := map[string]string{envMaxRetries: "x", envMaxRequestsPerSecond: "0", envMaxRetryWait: "1ms", envMaxCallDuration: "soon"}
	var first []string
	for range 20 {
		diags := resolveSettings(providerModel{}, func(string) string { return "" }).validate()
		_, td := resolveTransportSettings(providerModel{}, func(k string) string { return env[k] })
		diags.Append(td...)
		var got []string
		for _, d := range diags {
			got = append(got, d.Summary())
		}
		if first == nil {
			first = got
			want := []string{"Missing JSM site URL", "Missing credentials", "Invalid " + envMaxRetries,
				"Invalid " + envMaxRequestsPerSecond, "Invalid max_retry_wait", "Invalid max_call_duration"}
			if !slices.Equal(got, want) {
				t.Fatalf("got %q, want %q", got, want)
			}
		} else if !slices.Equal(got, first) {
			t.Fatalf("order changed: %q, then %q", first, got)
		}
	}
}

// A bad duration from the environment names the variable and reads as
// one sentence.
func TestResolveDurationFromTheEnvironment(t *testing.T) {
	var d time.Duration
	var diags diag.Diagnostics
	resolveDuration(&d, "max_retry_wait", types.StringNull(), envMaxRetryWait, maxRetryWaitBounds,
		func(string) string { return "abc" }, &diags)
	want := `The JSM_MAX_RETRY_WAIT environment variable: "abc" is not a duration: write a number with a unit`
	if len(diags) != 1 || !strings.HasPrefix(diags[0].Detail(), want) {
		t.Errorf("diagnostics %v, want one starting %q", diags, want)
	}
	diags = nil
	resolveDuration(&d, "max_retry_wait", types.StringNull(), envMaxRetryWait, maxRetryWaitBounds,
		func(string) string { return "90s" }, &diags)
	if diags.HasError() || d != 90*time.Second {
		t.Errorf("90s from the environment: %v, %v", d, diags)
	}
}
