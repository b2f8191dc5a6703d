// Package mirror lays a provider binary out as an unpacked filesystem
// mirror, the way a team installs a build that is on no registry. make
// mirror and the end-to-end tests use it.
package mirror

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
)

// Hosts are the registry host names the mirror holds the provider
// under: Terraform and OpenTofu resolve sprighub/pinterest against their own.
var Hosts = []string{"registry.terraform.io", "registry.opentofu.org"}

// hostShape is a registry host name, with a port at most: it becomes a
// directory name, so nothing that could leave the mirror passes.
var hostShape = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:[0-9]{1,5})?$`)

// Lay lays providerBin out in dir as an unpacked filesystem mirror of
// sprighub/pinterest at version, for platform ("linux_amd64"; empty means
// this machine's), under the given registry host names (none means Hosts),
// and returns the CLI configuration that installs the provider from it and
// every other provider as usual. Each host holds a copy of the binary: a
// mirror uploaded with a configuration to a remote-run platform names one
// host, to fit an upload limit.
func Lay(dir, providerBin, version, platform string, hosts ...string) (string, error) {
	if platform == "" {
		platform = runtime.GOOS + "_" + runtime.GOARCH
	}
	if len(hosts) == 0 {
		hosts = Hosts
	}
	var include []string
	for _, host := range hosts {
		if !hostShape.MatchString(host) {
			return "", fmt.Errorf("%q is not a registry host name, such as registry.terraform.io", host)
		}
		platform := filepath.Join(dir, host, "sprighub", "pinterest", version, platform)
		if err := os.MkdirAll(platform, 0o755); err != nil {
			return "", err
		}
		if err := copyFile(providerBin, filepath.Join(platform, "terraform-provider-pinterest_v"+version), 0o755); err != nil {
			return "", err
		}
		include = append(include, fmt.Sprintf("%q", host+"/sprighub/pinterest"))
	}
	list := strings.Join(include, ", ")
	return fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path    = %q\n    include = [%s]\n  }\n"+
		"  direct {\n    exclude = [%s]\n  }\n}\n", dir, list, list), nil
}

// copyFile copies src to dst with mode.
func copyFile(src, dst string, mode os.FileMode) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, mode)
}
