package serve

import (
	"os"
	"testing"
)

func TestQuietLogsUnlessRequested(t *testing.T) {
	quiet := []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_JSM"}
	for _, tc := range []struct {
		name string
		set  string // a variable set beforehand, "" for none
		want string // the SDK levels afterwards
	}{
		{"no logging asked for", "", "off"},
		{"TF_LOG", "TF_LOG", ""},
		{"TF_LOG_PROVIDER", "TF_LOG_PROVIDER", ""},
		{"TF_LOG_PROVIDER_JSM", "TF_LOG_PROVIDER_JSM", ""},
		{"TF_LOG_SDK_FRAMEWORK", "TF_LOG_SDK_FRAMEWORK", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, k := range logEnv("TF_LOG_PROVIDER_JSM") {
				t.Setenv(k, "") // restored after the test
				os.Unsetenv(k)
			}
			if tc.set != "" {
				t.Setenv(tc.set, "DEBUG")
			}
			QuietLogsUnlessRequested("jsm")
			for _, k := range quiet {
				if k == tc.set {
					continue
				}
				if got := os.Getenv(k); got != tc.want {
					t.Errorf("%s = %q, want %q", k, got, tc.want)
				}
			}
		})
	}
}

func TestAddress(t *testing.T) {
	if got, want := Address("jsm"), "registry.terraform.io/jsmtf/jsm"; got != want {
		t.Errorf("Address(jsm) = %q, want %q", got, want)
	}
}
