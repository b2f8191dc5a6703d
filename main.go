package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/sprighub/terraform-provider-pinterest/internal/authorize"
	"github.com/sprighub/terraform-provider-pinterest/internal/provider"
)

// version is set by goreleaser at build time.
var version = "dev"

func main() {
	// A command for people, run outside Terraform; Terraform starts the
	// plugin with no arguments (or -debug), so the plugin path is unchanged.
	if len(os.Args) > 1 && os.Args[1] == "authorize" {
		// Every signal that ends a session: the command gives the terminal
		// its echo back on the way out. One ignored at the start (nohup)
		// stays ignored: Notify would undo that.
		var ending []os.Signal
		for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP} {
			if !signal.Ignored(sig) {
				ending = append(ending, sig)
			}
		}
		ctx, stop := signal.NotifyContext(context.Background(), ending...)
		code := authorize.Main(ctx, os.Args[2:], os.Stdin, os.Stdout, os.Stderr, os.Getenv, nil)
		stop()
		os.Exit(code)
	}

	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Usage = func() {
		out := flag.CommandLine.Output()
		fmt.Fprintln(out, "terraform-provider-pinterest is a Terraform and OpenTofu provider: the CLI starts it, not a person.")
		fmt.Fprintln(out, "\nFor people, one command:")
		fmt.Fprintln(out, "  terraform-provider-pinterest authorize -help   capture a consent code (loopback, or pasted back)")
		fmt.Fprintln(out, "\nFlags of the provider itself:")
		flag.PrintDefaults()
	}
	flag.Parse()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/sprighub/pinterest",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
