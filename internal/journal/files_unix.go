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
// every parent, links resolved, must belong to this user or root and be
// writable by nobody else unless it is sticky (as /tmp is, where only the
// owner of a name may move it).
func checkParents(dir string) error {
	resolved, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return err
	}
	for p := filepath.Dir(resolved); ; p = filepath.Dir(p) {
		info, err := os.Lstat(p)
		if err != nil {
			return err
		}
		st, ok := info.Sys().(*syscall.Stat_t)
		sticky := info.Mode()&os.ModeSticky != 0
		if !ok || (int(st.Uid) != euid() && st.Uid != 0) || (info.Mode().Perm()&0o022 != 0 && !sticky) {
			return fmt.Errorf("%w: its parent %s may be changed by another user (it must belong to this user or root, and be writable by no one else unless sticky)", ErrUnsafeDir, p)
		}
		if p == filepath.Dir(p) {
			return nil
		}
	}
}

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
