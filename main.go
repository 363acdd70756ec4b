package main

import (
	"flag"
	"log"

	"github.com/jsmtf/terraform-provider-jsm/internal/provider"
	"github.com/jsmtf/terraform-provider-jsm/internal/serve"
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
	if err := serve.Run("jsm", provider.New(version), debug); err != nil {
		log.Fatal(err.Error())
	}
}
