// Command mirror lays the provider out as a filesystem mirror, the way a
// team installs a build that is on no registry: `make mirror`. It prints
// the CLI configuration that installs the provider from the mirror.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/sprighub/terraform-provider-pinterest/internal/mirror"
)

// versionShape is a semantic version, which becomes a directory name.
var versionShape = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$`)

func main() {
	providerBin := flag.String("provider", "./terraform-provider-pinterest", "the provider binary")
	dir := flag.String("dir", "dist/mirror", "the mirror directory")
	version := flag.String("version", "0.1.0", "the version to publish the binary as")
	platform := flag.String("platform", "", "the binary's platform, such as linux_amd64 (default: this machine's)")
	hosts := flag.String("hosts", strings.Join(mirror.Hosts, " "), "the registry hosts to lay it out under, separated by spaces "+
		"(one copy of the binary each: name one for a mirror uploaded with a configuration)")
	flag.Parse()
	if !versionShape.MatchString(*version) {
		fmt.Fprintln(os.Stderr, "mirror: -version must be a version such as 0.1.0")
		os.Exit(2)
	}
	abs, err := filepath.Abs(*dir)
	if err == nil {
		var config string
		if config, err = mirror.Lay(abs, *providerBin, *version, *platform, strings.Fields(*hosts)...); err == nil {
			fmt.Printf("Mirrored sprighub/pinterest %s (%s) into %s.\n\nCLI configuration (~/.terraformrc, ~/.tofurc, "+
				"or the file TF_CLI_CONFIG_FILE names):\n\n%s\nOr, without a CLI configuration: terraform init -plugin-dir=%s\n",
				*version, platformOr(*platform), abs, config, abs)
			return
		}
	}
	fmt.Fprintln(os.Stderr, "mirror:", err)
	os.Exit(1)
}

func platformOr(p string) string {
	if p == "" {
		return "this machine's platform"
	}
	return p
}
