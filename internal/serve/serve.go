// Package serve starts a terraform-plugin-framework provider the way every
// binary of this module does: the plugin SDK's logs quieted unless Terraform
// would show them, and the provider served under the project's registry
// address. main.go and the benchmark's stand-in providers share it, so they
// cannot drift apart.
package serve

import (
	"os"
	"runtime/debug"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// Namespace is the registry namespace the provider is published under.
const Namespace = "jsmtf"

// Address is the registry address of the provider of type name typeName,
// e.g. registry.terraform.io/jsmtf/jsm.
func Address(typeName string) string {
	return "registry.terraform.io/" + Namespace + "/" + typeName
}

// Run serves the provider typeName until Terraform stops it. With debug the
// provider prints reattach settings for a debugger (delve) and keeps the
// SDK's logs.
func Run(typeName string, p func() provider.Provider, debug bool) error {
	if !debug { // a provider run by hand under a debugger logs to its own terminal
		QuietLogsUnlessRequested(typeName)
	}
	DefaultMemoryLimit(os.Getenv)
	DefaultGCPercent(os.Getenv)
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	// As providerserver.Serve does, with the framework's server wrapped.
	return tf6server.Serve(Address(typeName), func() tfprotov6.ProviderServer { return server(p()) }, opts...)
}

// Protocol6 is the server Run serves for the provider p, for
// terraform-plugin-testing's provider factories, so that acceptance tests
// run what the binary runs.
func Protocol6(p provider.Provider) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) { return server(p), nil }
}

// server is the framework's server for p, wrapped (release.go).
func server(p provider.Provider) tfprotov6.ProviderServer {
	return release(providerserver.NewProtocol6(p)())
}

// QuietLogsUnlessRequested turns the plugin SDK's, the framework's and the
// provider's own logs off when Terraform would throw them away anyway.
//
// Unless told otherwise, terraform-plugin-go and the framework log at TRACE:
// several JSON lines per RPC, written to stderr, which Terraform reads,
// parses and discards when neither TF_LOG nor TF_LOG_PROVIDER is set. For a
// thousand customers that is a quarter of the provider's CPU time and much
// of Terraform's extra CPU time over its floor (see BENCHMARKS.md). With
// either variable set, or an SDK level set explicitly, nothing changes.
func QuietLogsUnlessRequested(typeName string) {
	own := "TF_LOG_PROVIDER_" + strings.ToUpper(typeName)
	for _, k := range logEnv(own) {
		if os.Getenv(k) != "" {
			return
		}
	}
	for _, k := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", own} {
		_ = os.Setenv(k, "off")
	}
}

// logEnv lists the variables that make Terraform show provider logs (TF_LOG,
// TF_LOG_PROVIDER) or that set a log level explicitly.
func logEnv(own string) []string {
	return []string{"TF_LOG", "TF_LOG_PROVIDER", own, "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"}
}

// SoftMemoryLimit is the Go runtime's soft memory limit a provider runs
// with unless GOMEMLIMIT says otherwise: a cap for the rare plan whose live
// heap is large (many resources answered at once, large listings), where
// the default GOGC would let the heap double before collecting. It is soft:
// a larger live heap is never refused, the collector only works harder.
// Since releasing (release.go) a plan of 1,000 customers holds about 6 MiB
// live and never comes near it.
const SoftMemoryLimit = 100 << 20

// GCPercent is the Go collector's GOGC a provider runs with unless GOGC says
// otherwise. A plan holds little live (about 6 MiB for 1,000 customers) and
// allocates much per request, so at the default of 100 the collector ran
// every few MiB; at 400 the heap grows to five times what is live before a
// collection, a few tens of MiB, under SoftMemoryLimit, which still caps it.
// Interleaved plans of 1,000 customers without latency took a tenth less
// wall time (BENCHMARKS.md, "CPU").
const GCPercent = 400

// DefaultGCPercent sets GCPercent unless the user set GOGC (which the runtime
// has applied already, and which wins). It reports whether it set it.
func DefaultGCPercent(getenv func(string) string) bool {
	if getenv("GOGC") != "" {
		return false
	}
	debug.SetGCPercent(GCPercent)
	return true
}

// DefaultMemoryLimit sets SoftMemoryLimit unless the user set GOMEMLIMIT
// (which the runtime has applied already, and which wins). It reports
// whether it set the limit.
func DefaultMemoryLimit(getenv func(string) string) bool {
	if getenv("GOMEMLIMIT") != "" {
		return false
	}
	debug.SetMemoryLimit(SoftMemoryLimit)
	return true
}
