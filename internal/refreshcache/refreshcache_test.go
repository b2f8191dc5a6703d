package refreshcache

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
)

const (
	given = pinterest.Secret("pinr_given_0123456789abcdef")
	value = `{"refresh_token":"pinr_next_fedcba9876543210"}`
)

func newCache(t *testing.T) (*Cache, *time.Time) {
	t.Helper()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	return &Cache{Dir: filepath.Join(t.TempDir(), "cache"), TTL: 10 * time.Minute, Now: func() time.Time { return now }}, &now
}

func TestRoundTripAndPermissions(t *testing.T) {
	c, _ := newCache(t)
	if err := c.Put(given, []byte(value)); err != nil {
		t.Fatal(err)
	}
	got, ok := c.Get(given)
	if !ok || string(got) != value {
		t.Fatalf("Get = %q, %v; want the value put", got, ok)
	}
	dirInfo, err := os.Stat(c.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if perm := dirInfo.Mode().Perm(); perm != 0o700 {
		t.Errorf("directory mode %o, want 700", perm)
	}
	files, _ := os.ReadDir(c.Dir)
	if len(files) != 1 {
		t.Fatalf("%d files in the cache, want 1", len(files))
	}
	info, _ := files[0].Info()
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("entry mode %o, want 600", perm)
	}
	raw, _ := os.ReadFile(filepath.Join(c.Dir, files[0].Name()))
	for _, s := range []string{given.Reveal(), "pinr_next", "refresh_token", "pinr_"} {
		if strings.Contains(string(raw)+files[0].Name(), s) {
			t.Errorf("the entry or its name holds %q in clear", s)
		}
	}
}

func TestOnlyTheGivenTokenOpensAnEntry(t *testing.T) {
	c, _ := newCache(t)
	if err := c.Put(given, []byte(value)); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Get("pinr_another_token_0000"); ok {
		t.Fatal("another token read the entry")
	}
	// Copy the entry under the name another token would look for: the key
	// still differs, so it cannot be opened.
	other := pinterest.Secret("pinr_another_token_0000")
	files, _ := os.ReadDir(c.Dir)
	otherName, _ := fileName(other)
	raw, _ := os.ReadFile(filepath.Join(c.Dir, files[0].Name()))
	if err := os.WriteFile(filepath.Join(c.Dir, otherName+fileSuffix), raw, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Get(other); ok {
		t.Fatal("an entry copied under another token's name was opened")
	}
}

func TestExpiryCannotBeExtended(t *testing.T) {
	c, _ := newCache(t)
	if err := c.Put(given, []byte(value)); err != nil {
		t.Fatal(err)
	}
	name, _ := fileName(given)
	p := filepath.Join(c.Dir, name+fileSuffix)
	raw, _ := os.ReadFile(p)
	var e entry
	if err := json.Unmarshal(raw, &e); err != nil {
		t.Fatal(err)
	}
	e.Expires += 3600
	raw, _ = json.Marshal(e)
	if err := os.WriteFile(p, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Get(given); ok {
		t.Fatal("an entry whose expiry was edited was still opened")
	}
}

func TestNothingLeftAfterTheTTL(t *testing.T) {
	c, now := newCache(t)
	if err := c.Put(given, []byte(value)); err != nil {
		t.Fatal(err)
	}
	if n, _ := c.Sweep(); n != 0 {
		t.Fatalf("swept %d live entries", n)
	}
	*now = now.Add(10 * time.Minute)
	if _, ok := c.Get(given); ok {
		t.Fatal("an entry was returned after its time was up")
	}
	if n, err := c.Sweep(); err != nil || n != 1 {
		t.Fatalf("Sweep = %d, %v; want 1 entry removed", n, err)
	}
	files, _ := os.ReadDir(c.Dir)
	if len(files) != 0 {
		t.Fatalf("%d files left after the sweep", len(files))
	}
}

func TestNoDirectoryCachesNothing(t *testing.T) {
	c := &Cache{}
	if err := c.Put(given, []byte(value)); err == nil {
		t.Fatal("Put without a directory succeeded")
	}
	if _, ok := c.Get(given); ok {
		t.Fatal("Get without a directory found something")
	}
	if n, err := c.Sweep(); n != 0 || err != nil {
		t.Fatalf("Sweep = %d, %v", n, err)
	}
}
