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
func openPlain(root *os.Root, name string) (*os.File, error) {
	info, err := root.Lstat(name)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a plain file", name)
	}
	return root.Open(name)
}

func ownedByMe(fs.FileInfo) bool { return true }

// checkParents: the per-user cache directory's ACL keeps other users out.
func checkParents(string) error { return nil }

func openLock(root *os.Root, name string) (*os.File, error) {
	return root.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o600)
}

// tryLock takes an exclusive LockFileEx lock on name without waiting; a
// file that cannot be opened or locked is an error (see Journal.Lock).
func tryLock(root *os.Root, name string) (unlock func(), held bool, err error) {
	f, err := openLock(root, name)
	if err != nil {
		return nil, false, err
	}
	ol := new(windows.Overlapped)
	err = windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, ol)
	if err != nil {
		_ = f.Close()
		if errors.Is(err, windows.ERROR_LOCK_VIOLATION) {
			return nil, true, nil
		}
		return nil, false, err
	}
	return func() { _ = f.Close() }, false, nil
}

// removeIdleLock leaves lock files alone: Windows cannot delete an open file,
// and they are empty.
func removeIdleLock(*os.Root, string) bool { return false }

func syncDir(*os.Root) error { return nil }
