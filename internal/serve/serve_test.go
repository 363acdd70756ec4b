package serve

import (
	"math"
	"os"
	"runtime/debug"
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

// The soft memory limit is set unless the user's GOMEMLIMIT is.
func TestDefaultMemoryLimit(t *testing.T) {
	old := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(old) })
	debug.SetMemoryLimit(math.MaxInt64)
	if DefaultMemoryLimit(func(string) string { return "300MiB" }) || debug.SetMemoryLimit(-1) != math.MaxInt64 {
		t.Error("the user's GOMEMLIMIT was overridden")
	}
	if !DefaultMemoryLimit(func(string) string { return "" }) || debug.SetMemoryLimit(-1) != SoftMemoryLimit {
		t.Errorf("limit %d, want %d", debug.SetMemoryLimit(-1), SoftMemoryLimit)
	}
}

// GOGC is set unless the user's is.
func TestDefaultGCPercent(t *testing.T) {
	old := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(old) })
	if DefaultGCPercent(func(string) string { return "50" }) || debug.SetGCPercent(100) != 100 {
		t.Error("the user's GOGC was overridden")
	}
	if !DefaultGCPercent(func(string) string { return "" }) || debug.SetGCPercent(100) != GCPercent {
		t.Error("GCPercent was not set")
	}
}
