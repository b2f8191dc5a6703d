//go:build unix

package journal

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
)

// M1: whoever holds the old refresh token (a previous secret version, a
// backup) but not the app's credentials opens nothing, and does not even
// find the entry by its name.
func TestTheTradedTokenAloneOpensNothing(t *testing.T) {
	c, _ := newCache(t)
	if err := c.Put(given, next, []byte(value), time.Time{}); err != nil {
		t.Fatal(err)
	}
	for name, binding := range map[string][]byte{
		"no credentials":      nil,
		"another app secret":  Binding("1234567", sensitive.New("app_secret_other_000000")),
		"another app id":      Binding("7654321", sensitive.New("app_secret_0123456789")),
		"id and secret moved": Binding("1234567app_secret_012345678", sensitive.New("9")),
	} {
		thief := &Journal{Dir: c.Dir, TTL: c.TTL, Now: c.Now, Binding: binding}
		if _, ok := thief.Get(given); ok {
			t.Errorf("%s: the entry was opened", name)
		}
		mine, _ := c.fileName(given)
		theirs, _ := thief.fileName(given)
		if mine == theirs {
			t.Errorf("%s: the file name does not depend on the credentials", name)
		}
	}
}

// M1: an entry whose time is up is never read, and goes when it is looked
// up; the others go at the next sweep. No Get or Put reads the directory
// (that cost grew with the journal, in every plan).
func TestExpiredEntriesAreNeverReadAndGo(t *testing.T) {
	c, now := newCache(t)
	other := sensitive.New("pinr_other_token_000000")
	if err := c.Put(given, next, []byte(value), time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := c.Put(other, next, []byte(value), time.Time{}); err != nil {
		t.Fatal(err)
	}
	*now = now.Add(11 * time.Minute)
	if _, ok := c.Get(given); ok {
		t.Fatal("an expired entry was read")
	}
	name, _ := c.fileName(given)
	if _, err := os.Lstat(filepath.Join(c.Dir, name+fileSuffix)); !os.IsNotExist(err) {
		t.Fatalf("the expired entry looked up is still there: %v", err)
	}
	if n, _, _ := c.Tidy(); n != 2 {
		t.Fatalf("the sweep removed %d files, want 2 (the other expired entry, and the index both entries shared)", n)
	}
	if files, _ := os.ReadDir(c.Dir); len(files) != 1 || files[0].Name() != sweptMarker {
		t.Fatalf("files left after the sweep: %v", files)
	}
	// Tidy sweeps once per SweepEvery: a second run within it reads nothing.
	if err := c.Put(given, next, []byte(value), now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	*now = now.Add(2 * time.Minute)
	if n, _, _ := c.Tidy(); n != 0 {
		t.Fatalf("a second sweep within %s removed %d files", SweepEvery, n)
	}
	*now = now.Add(SweepEvery)
	if n, _, _ := c.Tidy(); n != 2 {
		t.Fatalf("the sweep after %s removed %d files, want 2 (the entry and its index)", SweepEvery, n)
	}
}

func TestTheEnvironmentMovesOrTurnsOffTheCache(t *testing.T) {
	t.Setenv(EnvDir, "/somewhere/else")
	if got := DefaultDir(); got != "/somewhere/else" {
		t.Errorf("DefaultDir = %q", got)
	}
	t.Setenv(EnvDir, "off")
	if got := DefaultDir(); got != "" {
		t.Errorf("off: DefaultDir = %q", got)
	}
	t.Setenv(EnvDir, "")
	if got := DefaultDir(); !strings.HasSuffix(got, filepath.Join("terraform-provider-pinterest", "refresh")) {
		t.Errorf("unset: DefaultDir = %q", got)
	}
}

// L4: an entry is read only when it is a plain file of ours with one link;
// a link to elsewhere, a hard link and a FIFO at its very name are refused
// without hanging.
func TestOnlyPlainFilesOfOursAreRead(t *testing.T) {
	plant := map[string]func(c *Journal, path string) error{
		"symlink": func(c *Journal, path string) error {
			target := filepath.Join(t.TempDir(), "real")
			raw, _ := os.ReadFile(path)
			if err := os.WriteFile(target, raw, 0o600); err != nil {
				return err
			}
			_ = os.Remove(path)
			return os.Symlink(target, path)
		},
		"hard link": func(c *Journal, path string) error {
			return os.Link(path, filepath.Join(filepath.Dir(c.Dir), "copy"))
		},
		"fifo": func(c *Journal, path string) error {
			_ = os.Remove(path)
			return syscall.Mkfifo(path, 0o600)
		},
	}
	for name, do := range plant {
		t.Run(name, func(t *testing.T) {
			c, _ := newCache(t)
			if err := c.Put(given, next, []byte(value), time.Time{}); err != nil {
				t.Fatal(err)
			}
			n, _ := c.fileName(given)
			if err := do(c, filepath.Join(c.Dir, n+fileSuffix)); err != nil {
				t.Fatal(err)
			}
			done := make(chan bool, 1)
			go func() { _, ok := c.Get(given); done <- ok }()
			select {
			case ok := <-done:
				if ok {
					t.Fatal("read")
				}
			case <-time.After(5 * time.Second):
				t.Fatal("Get hung")
			}
		})
	}
}

// L4: a directory or file that is not ours is refused at every use, and
// Sweep says so, so that recovery is never turned off silently.
func TestADirectoryOfAnotherUserIsRefused(t *testing.T) {
	c, _ := newCache(t)
	if err := c.Put(given, next, []byte(value), time.Time{}); err != nil {
		t.Fatal(err)
	}
	mine := euid
	t.Cleanup(func() { euid = mine })
	euid = func() int { return mine() + 1 } // everything on disk now belongs to "someone else"
	// The next run's provider opens the directory anew.
	c = &Journal{Dir: c.Dir, TTL: c.TTL, Now: c.Now, Binding: c.Binding}
	if _, err := c.Sweep(); !errors.Is(err, ErrUnsafeDir) {
		t.Fatalf("Sweep = %v", err)
	}
	if _, ok := c.Get(given); ok {
		t.Fatal("read from a directory of another user")
	}
	if err := c.Put(given, next, []byte(value), time.Time{}); !errors.Is(err, ErrUnsafeDir) {
		t.Fatalf("Put = %v", err)
	}
	// Lock says that it cannot lock, and hands back a release that does
	// nothing: the caller decides whether to go on without a lock.
	if unlock, err := c.Lock(context.Background(), given); !errors.Is(err, ErrNoLock) || !errors.Is(err, ErrUnsafeDir) {
		t.Fatalf("Lock = %v", err)
	} else {
		unlock()
	}
}

// L2: the lock holds across processes. A child process (this test binary
// again) takes the lock; this process waits for it, gives up when its
// context ends, and gets it once the child lets go.
func TestLockHoldsAcrossProcesses(t *testing.T) {
	if os.Getenv("REFRESHCACHE_HOLD_LOCK") != "" {
		return // the child's part runs in TestMain
	}
	c, _ := newCache(t)
	if err := c.Usable(); err != nil {
		t.Fatal(err)
	}
	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(os.Environ(), "REFRESHCACHE_HOLD_LOCK="+c.Dir)
	stdin, _ := child.StdinPipe()
	stdout, _ := child.StdoutPipe()
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	if line, _ := bufio.NewReader(stdout).ReadString('\n'); line != "locked\n" {
		t.Fatalf("child said %q", line)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if _, err := c.Lock(ctx, given); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("took a lock another process holds: %v", err)
	}
	_ = stdin.Close() // the child lets go and exits
	_ = child.Wait()
	unlock, err := c.Lock(context.Background(), given)
	if err != nil {
		t.Fatal(err)
	}
	unlock()
}

func TestMain(m *testing.M) {
	if dir := os.Getenv("REFRESHCACHE_HOLD_LOCK"); dir != "" {
		c := &Journal{Dir: dir, Binding: Binding("1234567", sensitive.New("app_secret_0123456789"))}
		unlock, err := c.Lock(context.Background(), given)
		if err != nil {
			os.Exit(3)
		}
		os.Stdout.WriteString("locked\n")
		_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
		unlock()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// Without continuous refresh Pinterest keeps the refresh token: the
// successor of given is given. Forget(given) (the state holds given) must
// not drop the entry kept for given, which is the one to recall.
func TestForgetKeepsTheEntryOfTheSameToken(t *testing.T) {
	c, _ := newCache(t)
	if err := c.Put(given, given, []byte(value), time.Time{}); err != nil {
		t.Fatal(err)
	}
	c.Forget(given)
	if _, ok := c.Get(given); !ok {
		t.Fatal("Forget of the unchanged refresh token dropped its own entry")
	}
	c.Drop(given)
	if _, ok := c.Get(given); ok {
		t.Fatal("Drop left the entry")
	}
}

// Finding 8 (security review): a set written ahead is kept as long as it is
// given to (the managed resource: until its refresh token expires), and
// when one nobody confirmed is swept, Tidy says so; a short-lived hand-back
// entry (DefaultTTL) expires silently, and a confirmed set is forgotten, not
// swept.
func TestUnconfirmedWriteAheadIsReported(t *testing.T) {
	c, now := newCache(t)
	ahead := sensitive.New("pinr_ahead_0123456789")
	confirmed := sensitive.New("pinr_confirmed_0123456789")
	if err := c.Put(ahead, next, []byte(value), now.Add(60*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := c.Put(confirmed, sensitive.New("pinr_confirmed_next_01234"), []byte(value), now.Add(60*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := c.Put(given, sensitive.New("pinr_short_next_0123456"), []byte(value), time.Time{}); err != nil {
		t.Fatal(err)
	}
	c.Confirm(sensitive.New("pinr_confirmed_next_01234"))
	*now = now.Add(59 * 24 * time.Hour)
	if _, ok := c.Get(ahead); !ok {
		t.Fatal("a set written ahead was gone before its refresh token expired")
	}
	if _, unconfirmed, _ := c.Tidy(); unconfirmed != 0 {
		t.Fatalf("%d unconfirmed sets reported while the short entry alone expired", unconfirmed)
	}
	*now = now.Add(2*24*time.Hour + SweepEvery)
	if removed, unconfirmed, _ := c.Tidy(); unconfirmed != 1 || removed < 1 {
		t.Fatalf("swept %d files, %d unconfirmed; want the one set nobody saved reported", removed, unconfirmed)
	}
}

// Second review, finding 7: a store's copy handed back to the ephemeral
// resource (Forget) does not delete a set the managed resource wrote ahead;
// only the managed resource's state confirms that (Confirm).
func TestForgetLeavesWhatWasWrittenAhead(t *testing.T) {
	c, now := newCache(t)
	if err := c.Put(given, next, []byte(value), now.Add(60*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	c.Forget(next)
	if _, ok := c.Get(given); !ok {
		t.Fatal("a hand-back of the store's copy deleted the set written ahead")
	}
	c.Confirm(next)
	if _, ok := c.Get(given); ok {
		t.Fatal("the state's confirmation left the set written ahead")
	}
}
