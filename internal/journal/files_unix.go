//go:build unix

package journal

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// openPlain opens path for reading without following a link and without
// blocking on a FIFO, and accepts only a regular file of this user's with
// one link: a file planted by someone else, or linked to another name, is
// never read.
func openPlain(path string) (*os.File, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		_ = unix.Close(fd)
		return nil, err
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG || int(st.Uid) != euid() || st.Nlink != 1 {
		_ = unix.Close(fd)
		return nil, fmt.Errorf("%s is not a plain file of this user's", path)
	}
	return os.NewFile(uintptr(fd), path), nil
}

// euid is this process's user; a variable so that a test can play another.
var euid = os.Geteuid

func ownedByMe(info fs.FileInfo) bool {
	st, ok := info.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == euid()
}

// tryLock takes an exclusive flock on path without waiting. held reports
// that another holder has it. The lock is on the open file, so two opens in
// one process exclude each other as two processes do. A lock file that was
// swept between open and lock is not the one at path any more: try again.
// A lock file that cannot be opened or locked at all (not ours, a file
// system without flock) gives no lock: see Journal.Lock.
func tryLock(path string) (unlock func(), held bool) {
	for {
		f, err := openLock(path)
		if err != nil {
			return func() {}, false
		}
		if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
			_ = f.Close()
			return func() {}, errors.Is(err, unix.EWOULDBLOCK)
		}
		if same(f, path) {
			// Released, the lock file goes: removed while still held, so a
			// waiter that opened it finds it is no longer the file at path
			// (same) and tries again. Closing releases the flock.
			return func() {
				if same(f, path) {
					_ = os.Remove(path)
				}
				_ = f.Close()
			}, false
		}
		_ = f.Close()
	}
}

func openLock(path string) (*os.File, error) {
	fd, err := unix.Open(path, unix.O_RDWR|unix.O_CREAT|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil || st.Mode&unix.S_IFMT != unix.S_IFREG || int(st.Uid) != euid() {
		_ = unix.Close(fd)
		return nil, fmt.Errorf("%s is not a plain file of this user's", path)
	}
	return os.NewFile(uintptr(fd), path), nil
}

// same reports whether the open file f is still the file at path.
func same(f *os.File, path string) bool {
	a, err1 := f.Stat()
	b, err2 := os.Lstat(path)
	return err1 == nil && err2 == nil && os.SameFile(a, b)
}

// removeIdleLock deletes a lock file nobody holds.
func removeIdleLock(path string) bool {
	f, err := openLock(path)
	if err != nil {
		return false
	}
	defer f.Close()
	if unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB) != nil || !same(f, path) {
		return false
	}
	return os.Remove(path) == nil
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
