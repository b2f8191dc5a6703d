//go:build windows

package journal

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"golang.org/x/sys/windows"
)

// openPlain opens a regular file; Windows has no FIFOs at a path and the
// per-user cache directory's ACL keeps other users out.
func openPlain(path string) (*os.File, error) {
	info, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a plain file", path)
	}
	return os.Open(path)
}

func ownedByMe(fs.FileInfo) bool { return true }

// tryLock takes an exclusive LockFileEx lock on path without waiting; a
// file that cannot be opened or locked gives no lock (see Journal.Lock).
func tryLock(path string) (unlock func(), held bool) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return func() {}, false
	}
	ol := new(windows.Overlapped)
	err = windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, ol)
	if err != nil {
		_ = f.Close()
		return func() {}, errors.Is(err, windows.ERROR_LOCK_VIOLATION)
	}
	return func() { _ = f.Close() }, false
}

// removeIdleLock leaves lock files alone: Windows cannot delete an open file,
// and they are empty.
func removeIdleLock(string) bool { return false }

func syncDir(string) error { return nil }
