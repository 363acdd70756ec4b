package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/jsmtf/terraform-provider-jsm/internal/provider"
)

// version and commit are set at build time by goreleaser
// (-X main.version=... -X main.commit=...).
var (
	version = "dev"
	commit  = "none"
)

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("terraform-provider-jsm " + version + " (" + commit + "): ")
	if !debug { // a provider run by hand under a debugger logs to its own terminal
		quietLogsUnlessRequested()
	}

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address:         "registry.terraform.io/jsmtf/jsm",
		Debug:           debug,
		ProtocolVersion: 6,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
