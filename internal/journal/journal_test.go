//go:build unix

package journal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
)

var (
	given = sensitive.New("pinr_given_0123456789abcdef")
	next  = sensitive.New("pinr_next_fedcba9876543210")
)

const value = `{"refresh_token":"pinr_next_fedcba9876543210"}`

func newCache(t *testing.T) (*Journal, *time.Time) {
	t.Helper()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	return &Journal{Dir: filepath.Join(t.TempDir(), "cache"), TTL: 10 * time.Minute, Now: func() time.Time { return now },
		Binding: Binding("1234567", sensitive.New("app_secret_0123456789"))}, &now
}

func TestRoundTripAndPermissions(t *testing.T) {
	c, _ := newCache(t)
	if err := c.Put(given, next, []byte(value), time.Time{}); err != nil {
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
	if len(files) != 2 {
		t.Fatalf("%d files in the journal, want 2 (the entry and its index)", len(files))
	}
	for _, f := range files {
		info, _ := f.Info()
		if perm := info.Mode().Perm(); perm != 0o600 {
			t.Errorf("%s: mode %o, want 600", f.Name(), perm)
		}
		raw, _ := os.ReadFile(filepath.Join(c.Dir, f.Name()))
		for _, s := range []string{given.Reveal(), "pinr_next", "refresh_token", "pinr_"} {
			if strings.Contains(string(raw)+f.Name(), s) {
				t.Errorf("%s or its name holds %q in clear", f.Name(), s)
			}
		}
	}
}

func TestOnlyTheGivenTokenOpensAnEntry(t *testing.T) {
	c, _ := newCache(t)
	if err := c.Put(given, next, []byte(value), time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Get(sensitive.New("pinr_another_token_0000")); ok {
		t.Fatal("another token read the entry")
	}
	// Copy the entry under the name another token would look for: the key
	// still differs, so it cannot be opened.
	other := sensitive.New("pinr_another_token_0000")
	givenName, _ := c.fileName(given)
	otherName, _ := c.fileName(other)
	raw, _ := os.ReadFile(filepath.Join(c.Dir, givenName+fileSuffix))
	if err := os.WriteFile(filepath.Join(c.Dir, otherName+fileSuffix), raw, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Get(other); ok {
		t.Fatal("an entry copied under another token's name was opened")
	}
}

// The expiry and the successor tag are in the additional data: extending
// the one, or pointing the other at another token (so that Forget of that
// token drops or keeps the entry), breaks the entry (L4).
func TestSealedFieldsCannotBeEdited(t *testing.T) {
	for name, edit := range map[string]func(*entry){
		"expiry":        func(e *entry) { e.Expires += 3600 },
		"successor tag": func(e *entry) { e.Successor = strings.Repeat("0", len(e.Successor)) },
	} {
		c, _ := newCache(t)
		if err := c.Put(given, next, []byte(value), time.Time{}); err != nil {
			t.Fatal(err)
		}
		n, _ := c.fileName(given)
		p := filepath.Join(c.Dir, n+fileSuffix)
		raw, _ := os.ReadFile(p)
		var e entry
		if err := json.Unmarshal(raw, &e); err != nil {
			t.Fatal(err)
		}
		edit(&e)
		raw, _ = json.Marshal(e)
		if err := os.WriteFile(p, raw, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, ok := c.Get(given); ok {
			t.Errorf("an entry whose %s was edited was still opened", name)
		}
	}
}

func TestNothingLeftAfterTheTTL(t *testing.T) {
	c, now := newCache(t)
	if err := c.Put(given, next, []byte(value), time.Time{}); err != nil {
		t.Fatal(err)
	}
	if n, _ := c.Sweep(); n != 0 {
		t.Fatalf("swept %d live entries", n)
	}
	*now = now.Add(10 * time.Minute)
	if _, ok := c.Get(given); ok {
		t.Fatal("an entry was returned after its time was up")
	}
	// Get removed the entry it found expired; the sweep takes its index.
	if n, _ := c.Sweep(); n != 1 {
		t.Fatalf("swept %d files, want 1 (the index)", n)
	}
	files, _ := os.ReadDir(c.Dir)
	if len(files) != 0 {
		t.Fatalf("%d files left after the Get and the sweep", len(files))
	}
}

func TestNoDirectoryCachesNothing(t *testing.T) {
	c := &Journal{}
	if err := c.Put(given, next, []byte(value), time.Time{}); err == nil {
		t.Fatal("Put without a directory succeeded")
	}
	if _, ok := c.Get(given); ok {
		t.Fatal("Get without a directory found something")
	}
	if n, err := c.Sweep(); n != 0 || err != nil {
		t.Fatalf("Sweep = %d, %v", n, err)
	}
}

func TestForgetOnceTheSuccessorComesBack(t *testing.T) {
	c, _ := newCache(t)
	if err := c.Put(given, next, []byte(value), time.Time{}); err != nil {
		t.Fatal(err)
	}
	c.Forget(sensitive.New("pinr_unrelated_000000000"))
	if _, ok := c.Get(given); !ok {
		t.Fatal("Forget of an unrelated token dropped the entry")
	}
	c.Forget(next) // the store now gives the new token: the entry is done
	if _, ok := c.Get(given); ok {
		t.Fatal("the entry outlived the store's holding its result")
	}
	if files, _ := os.ReadDir(c.Dir); len(files) != 0 {
		t.Fatalf("%d files left", len(files))
	}
}

func TestSweepLeavesOddFilesAloneOrRemovesThem(t *testing.T) {
	c, now := newCache(t)
	if err := c.Put(given, next, []byte(value), time.Time{}); err != nil {
		t.Fatal(err)
	}
	// A FIFO named like an entry must not block the sweep.
	if err := syscall.Mkfifo(filepath.Join(c.Dir, "planted"+fileSuffix), 0o600); err != nil {
		t.Fatal(err)
	}
	// Garbage named like an entry is removed; a fresh temporary file stays.
	if err := os.WriteFile(filepath.Join(c.Dir, strings.Repeat("a", 32)+fileSuffix), []byte("not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	// Files of other kinds, in a directory shared by mistake, stay.
	for _, name := range []string{"release.next", "Cargo.lock", "notes.entry", ".tmp-notes"} {
		if err := os.WriteFile(filepath.Join(c.Dir, name), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		old := now.Add(-time.Hour)
		_ = os.Chtimes(filepath.Join(c.Dir, name), old, old)
	}
	tmp := filepath.Join(c.Dir, tempPrefix+"0123456789abcdef")
	if err := os.WriteFile(tmp, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	done := make(chan int, 1)
	go func() { n, _ := c.Sweep(); done <- n }()
	select {
	case n := <-done:
		if n != 1 {
			t.Errorf("swept %d files, want 1 (the junk entry)", n)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Sweep hung on a FIFO")
	}
	if _, ok := c.Get(given); !ok {
		t.Fatal("the live entry was swept")
	}
	// A temporary file older than an entry's lifetime is a crash's leftover.
	old := now.Add(-time.Hour)
	if err := os.Chtimes(tmp, old, old); err != nil {
		t.Fatal(err)
	}
	if n, _ := c.Sweep(); n != 1 {
		t.Errorf("swept %d files, want 1 (the old temporary file)", n)
	}
}

func TestLockSerialisesTheSameToken(t *testing.T) {
	c, _ := newCache(t)
	ctx := context.Background()
	unlock, err := c.Lock(ctx, given)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan struct{})
	go func() {
		u, err := c.Lock(ctx, given)
		if err == nil {
			defer u()
		}
		close(got)
	}()
	select {
	case <-got:
		t.Fatal("a second Lock of the same token did not wait")
	case <-time.After(150 * time.Millisecond):
	}
	other, err := c.Lock(ctx, sensitive.New("pinr_other_token_000000")) // another token does not wait
	if err != nil {
		t.Fatal(err)
	}
	other()
	unlock()
	<-got
}

// A released lock leaves no file behind: lock files do not pile up.
func TestReleasedLocksLeaveNoFile(t *testing.T) {
	c, _ := newCache(t)
	for i := 0; i < 3; i++ {
		unlock, err := c.Lock(context.Background(), sensitive.New(fmt.Sprintf("pinr_token_%d_0123456789", i)))
		if err != nil {
			t.Fatal(err)
		}
		unlock()
	}
	if files, _ := os.ReadDir(c.Dir); len(files) != 0 {
		t.Fatalf("%d files left by released locks", len(files))
	}
}

// Finding 3 (security review): the directory is checked once and then used
// through its handle. Swapping it for a link to another directory after the
// journal opened it redirects nothing: the sweep, Forget and Drop touch no
// file there. A parent that another user may write (not sticky) is refused.
func TestTheDirectoryIsUsedThroughItsHandle(t *testing.T) {
	c, now := newCache(t)
	if err := c.Put(given, next, []byte(value), time.Time{}); err != nil {
		t.Fatal(err)
	}
	victim := t.TempDir()
	names := []string{"Cargo.lock", "yarn.lock", "notes.entry", strings.Repeat("b", 32) + lockSuffix, tempPrefix + "0123456789abcdef"}
	for _, name := range names {
		if err := os.WriteFile(filepath.Join(victim, name), []byte("theirs"), 0o600); err != nil {
			t.Fatal(err)
		}
		old := now.Add(-24 * time.Hour)
		_ = os.Chtimes(filepath.Join(victim, name), old, old)
	}
	if err := os.Rename(c.Dir, c.Dir+".moved"); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(victim, c.Dir); err != nil {
		t.Fatal(err)
	}
	*now = now.Add(48 * time.Hour)
	_, _ = c.Sweep()
	c.Forget(next)
	c.Drop(given)
	for _, name := range names {
		if _, err := os.Stat(filepath.Join(victim, name)); err != nil {
			t.Errorf("%s in the other directory: %v", name, err)
		}
	}

	parent := filepath.Join(t.TempDir(), "shared")
	if err := os.MkdirAll(filepath.Join(parent, "journal"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(parent, 0o777); err != nil {
		t.Fatal(err)
	}
	open := &Journal{Dir: filepath.Join(parent, "journal")}
	if err := open.Usable(); !errors.Is(err, ErrUnsafeDir) {
		t.Fatalf("a journal under a parent anyone may write: %v", err)
	}
	if err := os.Chmod(parent, 0o777|os.ModeSticky); err != nil {
		t.Fatal(err)
	}
	if err := (&Journal{Dir: filepath.Join(parent, "journal")}).Usable(); err != nil {
		t.Fatalf("a journal under a sticky parent: %v", err)
	}
}

// Finding 7 (security review): one size limit. Put refuses a value whose
// entry would be larger than what Get reads, instead of writing an entry
// that Get takes for "not an entry" and the sweep deletes.
func TestPutRefusesWhatGetWouldNotRead(t *testing.T) {
	c, _ := newCache(t)
	if err := c.Put(given, next, make([]byte, maxEntryBytes), time.Time{}); err == nil {
		t.Fatal("Put kept an entry larger than Get reads")
	}
	if _, ok := c.Get(given); ok {
		t.Fatal("Get found a refused entry")
	}
	big := []byte(strings.Repeat("x", maxEntryBytes/4))
	if err := c.Put(given, next, big, time.Time{}); err != nil {
		t.Fatalf("Put of a value well within the limit: %v", err)
	}
	if got, ok := c.Get(given); !ok || len(got) != len(big) {
		t.Fatal("Get did not read back what Put kept")
	}
}

// Second review, findings 3 and 4: a parent of this user's own group (a
// user-private group) is fine; a relative directory is checked up to the
// root; a link on the way counts for nothing, its parent is what counts.
func TestParentRules(t *testing.T) {
	base := t.TempDir()
	group := filepath.Join(base, "group")
	if err := os.MkdirAll(filepath.Join(group, "journal"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(group, 0o770); err != nil {
		t.Fatal(err)
	}
	if err := (&Journal{Dir: filepath.Join(group, "journal")}).Usable(); err != nil {
		t.Errorf("a parent writable by this user's own group: %v", err)
	}
	mine := egid
	t.Cleanup(func() { egid = mine })
	egid = func() int { return mine() + 1 }
	if err := (&Journal{Dir: filepath.Join(group, "journal")}).Usable(); !errors.Is(err, ErrUnsafeDir) {
		t.Errorf("a parent writable by another group: %v", err)
	}
	egid = mine

	open := filepath.Join(base, "open")
	if err := os.MkdirAll(filepath.Join(open, "work"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(open, 0o777); err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Join(open, "work"))
	if err := (&Journal{Dir: "journal"}).Usable(); !errors.Is(err, ErrUnsafeDir) {
		t.Errorf("a relative directory under a parent anyone may write: %v", err)
	}
	if err := os.Symlink(filepath.Join(base, "group"), filepath.Join(open, "link")); err != nil {
		t.Fatal(err)
	}
	if err := (&Journal{Dir: filepath.Join(open, "link", "journal")}).Usable(); !errors.Is(err, ErrUnsafeDir) {
		t.Errorf("a link inside a directory anyone may write: %v", err)
	}
}
