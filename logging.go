package main

import "os"

// Environment variables that make Terraform show provider logs (TF_LOG,
// TF_LOG_PROVIDER) or that set the SDK's log levels explicitly.
var logEnv = []string{
	"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_JSM",
	"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK",
}

// quietLogsUnlessRequested turns the plugin SDK's, the framework's and the
// provider's own logs off when Terraform would throw them away anyway.
//
// Unless told otherwise, terraform-plugin-go and the framework log at TRACE:
// several JSON lines per RPC, written to stderr, which Terraform reads,
// parses and discards when neither TF_LOG nor TF_LOG_PROVIDER is set. For a
// thousand customers that is a quarter of the provider's CPU time and much
// of Terraform's extra CPU time over its floor (see BENCHMARKS.md). With
// either variable set, or an SDK level set explicitly, nothing changes.
func quietLogsUnlessRequested() {
	for _, k := range logEnv {
		if os.Getenv(k) != "" {
			return
		}
	}
	for _, k := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_JSM"} {
		_ = os.Setenv(k, "off")
	}
}
