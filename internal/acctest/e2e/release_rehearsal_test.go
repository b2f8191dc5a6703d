package e2e

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"

	"github.com/sprighub/terraform-provider-pinterest/internal/acctest/tfrun"
)

// rehearsalVersion is the version the rehearsal publishes.
const rehearsalVersion = "0.1.0"

// rehearsalPlatforms are the platforms of the rehearsal's archives: this
// machine's, and one more for `terraform providers lock`.
var rehearsalPlatforms = []string{"linux_amd64", "darwin_arm64"}

// release is what the release workflow publishes, as .goreleaser.yml names
// it: a zip per platform holding terraform-provider-pinterest_v<version>,
// the SHA256SUMS of the zips and the manifest, and its detached signature.
type release struct {
	files     map[string][]byte
	sums, sig string
	keyID     string
	armored   string
}

// goreleaserNames reads the names .goreleaser.yml gives the binary, the
// archives, the checksums and the manifest, and checks them against what
// the registry expects.
func goreleaserNames(t *testing.T) (binary, archive, sums, manifest string) {
	t.Helper()
	spec := readFile(t, "../../../.goreleaser.yml")
	field := func(re string) string {
		m := regexp.MustCompile(re).FindStringSubmatch(spec)
		if m == nil {
			t.Fatalf(".goreleaser.yml has no %s", re)
		}
		return m[1]
	}
	expand := func(s string) string {
		return strings.NewReplacer("{{ .ProjectName }}", field(`(?m)^project_name:\s*(\S+)`), "{{ .Version }}", rehearsalVersion).Replace(s)
	}
	binary = expand(field(`(?m)^\s*binary:\s*"([^"]+)"`))
	archive = expand(field(`(?m)^archives:\n(?:\s+.*\n)*?\s+name_template:\s*"([^"]+)"`))
	sums = expand(field(`(?m)^checksum:\n\s+name_template:\s*"([^"]+)"`))
	manifest = expand(field(`(?m)glob: \.ci/terraform-registry-manifest\.json\n\s+name_template:\s*"([^"]+)"`))
	want := []string{"terraform-provider-pinterest_v0.1.0", "terraform-provider-pinterest_0.1.0_{{ .Os }}_{{ .Arch }}",
		"terraform-provider-pinterest_0.1.0_SHA256SUMS", "terraform-provider-pinterest_0.1.0_manifest.json"}
	if got := []string{binary, archive, sums, manifest}; !slices.Equal(got, want) {
		t.Fatalf(".goreleaser.yml names %q; the registry expects %q", got, want)
	}
	return binary, archive, sums, manifest
}

// buildRelease lays out the release of providerBin, signed with a key made
// for the rehearsal.
func buildRelease(t *testing.T) *release {
	t.Helper()
	binary, archive, sumsName, manifest := goreleaserNames(t)
	exe, err := os.ReadFile(providerBin)
	if err != nil {
		t.Fatal(err)
	}
	r := &release{files: map[string][]byte{}}
	for _, p := range rehearsalPlatforms {
		goos, arch, _ := strings.Cut(p, "_")
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		h := &zip.FileHeader{Name: binary, Method: zip.Deflate}
		h.SetMode(0o755)
		w, err := zw.CreateHeader(h)
		if err == nil {
			_, err = w.Write(exe)
		}
		if err == nil {
			err = zw.Close()
		}
		if err != nil {
			t.Fatal(err)
		}
		r.files[strings.NewReplacer("{{ .Os }}", goos, "{{ .Arch }}", arch).Replace(archive)+".zip"] = buf.Bytes()
	}
	r.files[manifest] = []byte(readFile(t, "../../../.ci/terraform-registry-manifest.json"))
	var names []string
	for name := range r.files {
		names = append(names, name)
	}
	slices.Sort(names)
	var sums strings.Builder
	for _, name := range names {
		sum := sha256.Sum256(r.files[name])
		fmt.Fprintf(&sums, "%s  %s\n", hex.EncodeToString(sum[:]), name)
	}
	r.sums = sumsName
	r.files[sumsName] = []byte(sums.String())

	entity, err := openpgp.NewEntity("release rehearsal", "", "rehearsal@example.invalid", nil)
	if err != nil {
		t.Fatal(err)
	}
	var sig, pub bytes.Buffer
	if err := openpgp.DetachSign(&sig, entity, bytes.NewReader(r.files[sumsName]), nil); err != nil {
		t.Fatal(err)
	}
	r.sig = sumsName + ".sig"
	r.files[r.sig] = sig.Bytes()
	aw, err := armor.Encode(&pub, openpgp.PublicKeyType, nil)
	if err == nil {
		err = entity.Serialize(aw)
	}
	if err == nil {
		err = aw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	r.armored, r.keyID = pub.String(), fmt.Sprintf("%X", entity.PrimaryKey.KeyId)
	return r
}

// registry serves a release through the provider registry protocol over
// TLS on loopback; tamper, when set, changes a file as it is served.
type registry struct {
	srv    *httptest.Server
	mu     sync.Mutex
	tamper map[string]func([]byte) []byte
}

func serveRegistry(t *testing.T, r *release) *registry {
	t.Helper()
	reg := &registry{tamper: map[string]func([]byte) []byte{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/providers/sprighub/pinterest/versions", func(w http.ResponseWriter, _ *http.Request) {
		var platforms []map[string]string
		for _, p := range rehearsalPlatforms {
			goos, arch, _ := strings.Cut(p, "_")
			platforms = append(platforms, map[string]string{"os": goos, "arch": arch})
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"versions": []any{map[string]any{
			"version": rehearsalVersion, "protocols": []string{"6.0"}, "platforms": platforms}}})
	})
	mux.HandleFunc("GET /v1/providers/sprighub/pinterest/{version}/download/{os}/{arch}", func(w http.ResponseWriter, q *http.Request) {
		name := fmt.Sprintf("terraform-provider-pinterest_%s_%s_%s.zip", q.PathValue("version"), q.PathValue("os"), q.PathValue("arch"))
		body, ok := r.files[name]
		if !ok || q.PathValue("version") != rehearsalVersion {
			http.NotFound(w, q)
			return
		}
		sum := sha256.Sum256(body)
		base := reg.srv.URL + "/files/"
		_ = json.NewEncoder(w).Encode(map[string]any{
			"protocols": []string{"6.0"}, "os": q.PathValue("os"), "arch": q.PathValue("arch"), "filename": name,
			"download_url": base + name, "shasums_url": base + r.sums, "shasums_signature_url": base + r.sig,
			"shasum":       hex.EncodeToString(sum[:]),
			"signing_keys": map[string]any{"gpg_public_keys": []any{map[string]string{"key_id": r.keyID, "ascii_armor": r.armored}}},
		})
	})
	mux.HandleFunc("GET /files/{name}", func(w http.ResponseWriter, q *http.Request) {
		body, ok := r.files[q.PathValue("name")]
		if !ok {
			http.NotFound(w, q)
			return
		}
		reg.mu.Lock()
		change := reg.tamper[q.PathValue("name")]
		reg.mu.Unlock()
		if change != nil {
			body = change(slices.Clone(body))
		}
		_, _ = w.Write(body)
	})
	reg.srv = httptest.NewTLSServer(mux)
	t.Cleanup(reg.srv.Close)
	return reg
}

// workspace is a configuration that installs sprighub/pinterest ~> 0.1 as
// a user's does, with a CLI configuration that points both registries'
// service discovery at the rehearsal's registry, and the registry's
// certificate trusted through the environment.
func (reg *registry) workspace(t *testing.T, cliPath string) *tfrun.Workspace {
	t.Helper()
	work := t.TempDir()
	cert := filepath.Join(work, "ca.pem")
	if err := os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: reg.srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	var hosts strings.Builder
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		fmt.Fprintf(&hosts, "host %q {\n  services = {\n    \"providers.v1\" = %q\n  }\n}\n", host, reg.srv.URL+"/v1/providers/")
	}
	rc := filepath.Join(work, "terraformrc")
	if err := os.WriteFile(rc, []byte(hosts.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(work, "src")
	if err := os.MkdirAll(src, 0o700); err != nil {
		t.Fatal(err)
	}
	config := "terraform {\n  required_providers {\n    pinterest = {\n      source  = \"sprighub/pinterest\"\n      version = \"~> 0.1\"\n    }\n  }\n}\n"
	if err := os.WriteFile(filepath.Join(src, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	ws, err := tfrun.NewWorkspace(cliPath, filepath.Join(work, "ws"), src, append(tfrun.BaseEnv(rc), "SSL_CERT_FILE="+cert))
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

// TestReleaseRehearsal installs the provider as users will: archives,
// SHA256SUMS, its detached signature and the manifest named as
// .goreleaser.yml names them, served through the provider registry protocol
// over TLS, and `terraform init` of `source = "sprighub/pinterest"`,
// `version = "~> 0.1"`. init verifies the signature and the checksums, the
// lock file records them, `providers lock` for two platforms works, and a
// tampered archive or signature is refused.
//
// It runs under the CLI of the tests and, when one is at hand (bin/tofu-*
// from make testacc-tofu, or tofu on PATH), under OpenTofu too.
func TestReleaseRehearsal(t *testing.T) {
	requireCLI(t)
	r := buildRelease(t)
	reg := serveRegistry(t, r)
	clis := []string{cli.Path}
	tofus, _ := filepath.Glob("../../../bin/tofu-*")
	if p, err := exec.LookPath("tofu"); err == nil {
		tofus = append(tofus, p)
	}
	for _, p := range tofus {
		// Only a working OpenTofu, once: not a version manager's shim.
		abs, err := filepath.EvalSymlinks(p)
		if err != nil || slices.Contains(clis, abs) {
			continue
		}
		if out, err := exec.Command(abs, "version").Output(); err == nil && strings.HasPrefix(string(out), "OpenTofu") {
			clis = append(clis, abs)
		}
	}
	if len(clis) == 1 {
		t.Logf("no OpenTofu at hand (make testacc-tofu builds one into bin/): rehearsed under %s only", filepath.Base(cli.Path))
	}
	for _, c := range clis {
		t.Run(filepath.Base(c), func(t *testing.T) { rehearse(t, reg, r, c) })
	}
}

func rehearse(t *testing.T, reg *registry, r *release, cliPath string) {
	reg.mu.Lock()
	reg.tamper = nil
	reg.mu.Unlock()
	ws := reg.workspace(t, cliPath)
	out, err := ws.Run(nil, "init", "-no-color")
	if err != nil || !strings.Contains(out, "Installed sprighub/pinterest v"+rehearsalVersion) || !strings.Contains(out, "signed") {
		t.Fatalf("init from the rehearsal registry (%v):\n%s", err, out)
	}
	linux := sha256.Sum256(r.files["terraform-provider-pinterest_"+rehearsalVersion+"_linux_amd64.zip"])
	darwin := sha256.Sum256(r.files["terraform-provider-pinterest_"+rehearsalVersion+"_darwin_arm64.zip"])
	lock := readFile(t, filepath.Join(ws.Dir, ".terraform.lock.hcl"))
	for _, want := range []string{`version     = "` + rehearsalVersion + `"`, `constraints = "~> 0.1"`, `"h1:`, `"zh:` + hex.EncodeToString(linux[:]) + `"`} {
		if !strings.Contains(lock, want) {
			t.Errorf("the lock file lacks %s:\n%s", want, lock)
		}
	}
	if out, err := ws.Run(nil, "providers", "lock", "-platform=linux_amd64", "-platform=darwin_arm64", "-no-color"); err != nil {
		t.Fatalf("providers lock for two platforms (%v):\n%s", err, out)
	}
	if lock := readFile(t, filepath.Join(ws.Dir, ".terraform.lock.hcl")); !strings.Contains(lock, `"zh:`+hex.EncodeToString(darwin[:])+`"`) {
		t.Errorf("the lock file lacks the darwin_arm64 archive's checksum:\n%s", lock)
	}

	for what, tc := range map[string]struct{ file, refusal string }{
		"a tampered archive":   {"terraform-provider-pinterest_" + rehearsalVersion + "_linux_amd64.zip", `(?i)checksum`},
		"a tampered signature": {r.sig, `(?i)signature`},
	} {
		reg.mu.Lock()
		reg.tamper = map[string]func([]byte) []byte{tc.file: func(b []byte) []byte { b[len(b)/2] ^= 0xff; return b }}
		reg.mu.Unlock()
		out, err := reg.workspace(t, cliPath).Run(nil, "init", "-no-color")
		if err == nil || !regexp.MustCompile(tc.refusal).MatchString(err.Error()) {
			t.Errorf("init of %s: want a refusal naming the %s (%v):\n%s", what, tc.refusal, err, out)
		} else {
			t.Logf("%s refused: %s", what, firstSummary(err.Error()))
		}
	}
}
