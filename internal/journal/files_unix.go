//go:build unix

package journal

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"golang.org/x/sys/unix"
)

// openPlain opens name in root for reading without following a link and
// without blocking on a FIFO, and accepts only a regular file of this
// user's with one link: a file planted by someone else, or linked to
// another name, is never read.
func openPlain(root *os.Root, name string) (*os.File, error) {
	f, err := root.OpenFile(name, os.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	var st unix.Stat_t
	if err := unix.Fstat(int(f.Fd()), &st); err != nil {
		_ = f.Close()
		return nil, err
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG || int(st.Uid) != euid() || st.Nlink != 1 {
		_ = f.Close()
		return nil, fmt.Errorf("%s is not a plain file of this user's", name)
	}
	return f, nil
}

// euid is this process's user; a variable so that a test can play another.
var euid = os.Geteuid

func ownedByMe(info fs.FileInfo) bool {
	st, ok := info.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == euid()
}

// checkParents refuses a directory whose parent someone else could swap:
// every parent, of the path as given (made absolute) and of the path its
// links resolve to, must belong to this user or root, and be writable by
// no other user: not by all unless sticky (as /tmp is, where only the
// owner of a name may move it), not by its group unless sticky or the group
// is this user's own (a user-private group). A link on the way is judged by
// its parent, which alone can replace it.
func checkParents(dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	resolved, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return err
	}
	for _, path := range []string{abs, resolved} {
		for p := filepath.Dir(path); ; p = filepath.Dir(p) {
			if err := safeParent(p); err != nil {
				return err
			}
			if p == filepath.Dir(p) {
				break
			}
		}
	}
	return nil
}

func safeParent(p string) error {
	info, err := os.Lstat(p)
	if err != nil {
		return err
	}
	if info.Mode()&os.ModeSymlink != 0 {
		return nil
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	perm, sticky := info.Mode().Perm(), info.Mode()&os.ModeSticky != 0
	switch {
	case !ok || (int(st.Uid) != euid() && st.Uid != 0):
		return fmt.Errorf("%w: its parent %s belongs to another user (it must belong to this user or root)", ErrUnsafeDir, p)
	case perm&0o002 != 0 && !sticky, perm&0o020 != 0 && !sticky && int(st.Gid) != egid():
		return fmt.Errorf("%w: its parent %s may be written by other users (it must be writable by this user or root alone, or sticky)", ErrUnsafeDir, p)
	}
	return nil
}

// egid is this process's group; a variable so that a test can play another.
var egid = os.Getegid

// tryLock takes an exclusive flock on name in root without waiting. held
// reports that another holder has it. The lock is on the open file, so two
// opens in one process exclude each other as two processes do. A lock file
// that was removed between open and lock is not the one at name any more:
// try again. A lock file that cannot be opened or locked at all (not ours,
// a file system without flock) is an error.
func tryLock(root *os.Root, name string) (unlock func(), held bool, err error) {
	for {
		f, err := openLock(root, name)
		if err != nil {
			return nil, false, err
		}
		if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
			_ = f.Close()
			if errors.Is(err, unix.EWOULDBLOCK) {
				return nil, true, nil
			}
			return nil, false, err
		}
		if same(root, f, name) {
			// Released, the lock file goes: removed while still held, so a
			// waiter that opened it finds it is no longer the file at name
			// (same) and tries again. Closing releases the flock.
			return func() {
				if same(root, f, name) {
					_ = root.Remove(name)
				}
				_ = f.Close()
			}, false, nil
		}
		_ = f.Close()
	}
}

func openLock(root *os.Root, name string) (*os.File, error) {
	f, err := root.OpenFile(name, os.O_RDWR|os.O_CREATE|unix.O_NOFOLLOW|unix.O_NONBLOCK, 0o600)
	if err != nil {
		return nil, err
	}
	var st unix.Stat_t
	if err := unix.Fstat(int(f.Fd()), &st); err != nil || st.Mode&unix.S_IFMT != unix.S_IFREG || int(st.Uid) != euid() {
		_ = f.Close()
		return nil, fmt.Errorf("%s is not a plain file of this user's", name)
	}
	return f, nil
}

// same reports whether the open file f is still the file at name.
func same(root *os.Root, f *os.File, name string) bool {
	a, err1 := f.Stat()
	b, err2 := root.Lstat(name)
	return err1 == nil && err2 == nil && os.SameFile(a, b)
}

// removeIdleLock deletes a lock file nobody holds.
func removeIdleLock(root *os.Root, name string) bool {
	f, err := openLock(root, name)
	if err != nil {
		return false
	}
	defer f.Close()
	if unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB) != nil || !same(root, f, name) {
		return false
	}
	return root.Remove(name) == nil
}

// syncDir makes a rename in root durable.
func syncDir(root *os.Root) error {
	d, err := root.Open(".")
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
