package mirror

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLayRefusesOddHosts: a host name becomes a directory, so one that could
// leave the mirror, or is no host name, is refused before anything is
// written.
func TestLayRefusesOddHosts(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "provider")
	if err := os.WriteFile(bin, []byte("binary"), 0o755); err != nil {
		t.Fatal(err)
	}
	mirror := filepath.Join(dir, "mirror")
	for _, host := range []string{"../escaped", "registry.terraform.io/../x", "Registry.Terraform.IO", "localhost", ""} {
		if _, err := Lay(mirror, bin, "0.1.0", "linux_amd64", host); err == nil {
			t.Errorf("%q was accepted", host)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "escaped")); err == nil {
		t.Error("a binary was written outside the mirror")
	}
	config, err := Lay(mirror, bin, "0.1.0", "linux_amd64", "registry.terraform.io")
	if err != nil || !strings.Contains(config, `"registry.terraform.io/sprighub/pinterest"`) || strings.Contains(config, "opentofu") {
		t.Fatalf("one host: %v\n%s", err, config)
	}
	if _, err := os.Stat(filepath.Join(mirror, "registry.terraform.io", "sprighub", "pinterest", "0.1.0", "linux_amd64", "terraform-provider-pinterest_v0.1.0")); err != nil {
		t.Fatal(err)
	}
}
