// Package journal is the provider's write-ahead journal: it keeps the token
// sets this machine obtained, for a while, so that nothing Pinterest issued
// is lost to a run that did not finish:
//
//   - the ephemeral resource's refresh at plan is handed back again at apply
//     (Terraform opens it twice), instead of a second refresh of a refresh
//     token Pinterest has already retired (DefaultTTL);
//   - the managed resource writes every new token set ahead before it
//     returns it, so that the next plan on this machine adopts it when the
//     run died before the state reached its backend (WriteAheadTTL).
//
// An entry is readable only by whoever holds both the token that was traded
// (a refresh token or a code) and the app's credentials: its file name and
// its AES-256-GCM key are derived from all of them with HKDF-SHA256, each for
// its own purpose, the key with a random salt. A previous refresh token alone
// (an old secret version, a backup) opens nothing. Files are mode 0600 in a
// 0700 directory owned by this user, opened without following links; the
// directory is secret material all the same. An entry whose time is up is
// never read, and goes when it is looked up or at the next sweep (Tidy, once
// a run); an entry whose result the state or store has since handed back is
// deleted (Forget), found by name through a small index file. No operation
// but the sweep reads the directory, so what one costs does not grow with
// the journal.
//
// Lock takes an flock on a per-token lock file, so that two provider
// processes on one machine never trade the same token at once; the file
// goes when the lock is released.
package journal

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
)

// DefaultTTL is how long a refresh of the ephemeral resource is kept: long
// enough for a person to read a plan and approve it, short enough that
// nothing lingers.
const DefaultTTL = 30 * time.Minute

// WriteAheadTTL is how long a managed token set written ahead is kept when
// no later run confirms it: long enough for the next scheduled run (daily or
// weekly) to recover a run that died.
const WriteAheadTTL = 14 * 24 * time.Hour

// EnvDir moves the cache to another directory; the value "off" turns it
// off (and with it the reuse across opens and the recovery of dead runs).
const EnvDir = "PINTEREST_CACHE_DIR"

const (
	fileSuffix  = ".entry"
	indexSuffix = ".next" // names the entry whose result holds a refresh token
	lockSuffix  = ".lock"
	tempPrefix  = ".tmp-"
	sweptMarker = ".swept"
	// Each derivation has its own purpose string (domain separation).
	infoName      = "terraform-provider-pinterest cache v2: file name"
	infoKey       = "terraform-provider-pinterest cache v2: key"
	infoSuccessor = "terraform-provider-pinterest cache v2: successor"
	infoIndex     = "terraform-provider-pinterest cache v2: successor index"
	// maxEntryBytes bounds what is read of a file: an entry is a few KiB.
	maxEntryBytes = 64 << 10
	lockPoll      = 50 * time.Millisecond
	// SweepEvery spaces the sweeps of one directory: a run starts the
	// provider more than once (plan, apply), and one sweep serves them all.
	SweepEvery = 15 * time.Minute
)

// ErrUnsafeDir is a cache directory this user cannot trust: not a
// directory, a link, or owned by someone else (as one left by a sudo run).
var ErrUnsafeDir = errors.New("the cache directory is not a directory owned by this user")

// Journal is a directory of entries. The zero TTL means DefaultTTL and a nil
// Now means time.Now. Binding is the app's credentials (client id and
// secret): every name and key is derived from the traded token and Binding.
type Journal struct {
	Dir     string
	TTL     time.Duration
	Now     func() time.Time
	Binding []byte

	// The directory is opened once (open) and every operation goes
	// through that handle, never through the path again: swapping the
	// directory, or a parent, for a link after the checks redirects
	// nothing.
	once    sync.Once
	root    *os.Root
	rootErr error
}

// FallbackDir is where the journal goes when the default directory's
// parents are not safe (a home directory another user owns, as in some CI
// containers that run as root): a directory of this user's in the system's
// temporary directory, which is sticky.
func FallbackDir() string {
	return filepath.Join(os.TempDir(), fmt.Sprintf("terraform-provider-pinterest-%d", os.Geteuid()), "refresh")
}

// DefaultDir is the cache directory: $PINTEREST_CACHE_DIR, else the per-user
// cache directory. It is empty when the cache is off, or the system has no
// per-user cache directory (no home directory), and then nothing is cached.
func DefaultDir() string {
	switch v := os.Getenv(EnvDir); {
	case strings.EqualFold(v, "off"):
		return ""
	case v != "":
		return v
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(base, "terraform-provider-pinterest", "refresh")
}

type entry struct {
	Expires int64  `json:"expires"` // Unix seconds; authenticated as additional data
	Salt    []byte `json:"salt"`
	Nonce   []byte `json:"nonce"`
	Sealed  []byte `json:"sealed"`
	// Successor is derived from the refresh token the value holds, so that
	// Forget can drop the entry once that token is what the state gives.
	// It is authenticated as additional data too.
	Successor string `json:"successor"`
	// Ahead marks a set written ahead for longer than DefaultTTL (the
	// managed resource's): when its time is up and nobody confirmed it,
	// the sweep says so.
	Ahead bool `json:"ahead,omitempty"`
}

// Put keeps value, the result of trading given, whose new refresh token is
// successor, until the time until (zero: TTL from now), replacing any
// earlier entry for given.
func (c *Journal) Put(given, successor sensitive.Secret, value []byte, until time.Time) error {
	root, err := c.open()
	if err != nil {
		return err
	}
	name, err := c.fileName(given)
	if err != nil {
		return err
	}
	tag, err := c.derive(successor, nil, infoSuccessor, 16)
	if err != nil {
		return err
	}
	if until.IsZero() {
		until = c.now().Add(c.ttl())
	}
	e := entry{Expires: until.Unix(), Salt: make([]byte, 16), Successor: hex.EncodeToString(tag), Ahead: until.Sub(c.now()) > DefaultTTL}
	if _, err := rand.Read(e.Salt); err != nil {
		return err
	}
	aead, err := c.newAEAD(given, e.Salt)
	if err != nil {
		return err
	}
	e.Nonce = make([]byte, aead.NonceSize())
	if _, err := rand.Read(e.Nonce); err != nil {
		return err
	}
	e.Sealed = aead.Seal(nil, e.Nonce, value, additionalData(name, e.Expires, e.Successor))
	raw, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if len(raw) > maxEntryBytes {
		return fmt.Errorf("a journal entry of %d bytes is over the limit of %d", len(raw), maxEntryBytes)
	}
	if err := writeFile(root, name+fileSuffix, raw); err != nil {
		return err
	}
	// The index lets Forget find this entry by the refresh token it holds,
	// without reading the directory. The entry kept for given itself is
	// never confirmed by given (see Forget), so it gets none.
	if !successor.Equal(given) {
		index, err := c.indexName(successor)
		if err != nil {
			return err
		}
		if err := writeFile(root, index+indexSuffix, []byte(name)); err != nil {
			return err
		}
	}
	return syncDir(root) // the renames themselves survive a crash
}

// writeFile writes raw to name in root beside, then renames it, so that a
// reader never sees half a file.
func writeFile(root *os.Root, name string, raw []byte) error {
	suffix := make([]byte, 8)
	if _, err := rand.Read(suffix); err != nil {
		return err
	}
	tmpName := tempPrefix + hex.EncodeToString(suffix)
	tmp, err := root.OpenFile(tmpName, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer func() { _ = root.Remove(tmpName) }()
	_, err = tmp.Write(raw)
	if err == nil {
		err = tmp.Sync() // the entry may hold the only copy of the newest token
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return root.Rename(tmpName, name)
}

// Get returns the value kept for the token given, if an entry is there and
// its time is not up.
func (c *Journal) Get(given sensitive.Secret) ([]byte, bool) {
	root, err := c.open()
	if err != nil {
		return nil, false
	}
	name, err := c.fileName(given)
	if err != nil {
		return nil, false
	}
	e, err := readEntry(root, name+fileSuffix)
	if err != nil || e == nil {
		return nil, false
	}
	if !c.live(e) {
		_ = root.Remove(name + fileSuffix) // its time is up: never read, and gone now
		return nil, false
	}
	aead, err := c.newAEAD(given, e.Salt)
	if err != nil || len(e.Nonce) != aead.NonceSize() {
		return nil, false
	}
	value, err := aead.Open(nil, e.Nonce, e.Sealed, additionalData(name, e.Expires, e.Successor))
	if err != nil {
		return nil, false
	}
	return value, true
}

// Forget deletes the hand-back entry whose result holds the refresh token
// given: a store gave it back, so the result arrived and the entry has done
// its job. That also leaves nothing for a holder of the retired token. A
// set written ahead (the managed resource's) stays: only its state
// confirms it (Confirm), and a store's copy may be one its run wrote before
// it died. The entry is found through its index, by name.
func (c *Journal) Forget(given sensitive.Secret) { c.forget(given, false) }

// Confirm deletes the entry, hand-back or written ahead, whose result holds
// the refresh token given: the state holds that set, so it arrived.
func (c *Journal) Confirm(given sensitive.Secret) { c.forget(given, true) }

func (c *Journal) forget(given sensitive.Secret, ahead bool) {
	root, err := c.open()
	if given.IsEmpty() || err != nil {
		return
	}
	index, err := c.indexName(given)
	if err != nil {
		return
	}
	name, ok := readIndex(root, index+indexSuffix)
	// The entry kept for given itself is never confirmed by given: when
	// Pinterest keeps the refresh token (no continuous refresh), the
	// successor of given is given, and that entry is the one to recall.
	if own, _ := c.fileName(given); ok && name != own {
		tag, _ := c.derive(given, nil, infoSuccessor, 16)
		e, err := readEntry(root, name+fileSuffix)
		if err != nil || e == nil || e.Successor != hex.EncodeToString(tag) {
			_ = root.Remove(index + indexSuffix) // stale
			return
		}
		if e.Ahead && !ahead {
			return
		}
		_ = root.Remove(name + fileSuffix)
	}
	_ = root.Remove(index + indexSuffix)
}

// readIndex returns the entry name an index file holds.
func readIndex(root *os.Root, name string) (string, bool) {
	f, err := openPlain(root, name)
	if err != nil {
		return "", false
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, 64))
	entryName := string(raw)
	if err != nil || len(entryName) != 32 || strings.Trim(entryName, "0123456789abcdef") != "" {
		return "", false
	}
	return entryName, true
}

// Drop deletes the entry kept for the token given, if any: its token set
// was destroyed and must never be recovered.
func (c *Journal) Drop(given sensitive.Secret) {
	root, err := c.open()
	if err != nil {
		return
	}
	if name, err := c.fileName(given); err == nil {
		_ = root.Remove(name + fileSuffix)
	}
}

// ErrNoLock is a lock that could not be taken at all (a journal that
// cannot be used, a lock file that is not this user's, a file system
// without locks): the caller goes on without one, and says so.
var ErrNoLock = errors.New("this machine's lock of the token set could not be taken")

// Lock takes this machine's lock of the token given, waiting while another
// process (or goroutine) holds it, until ctx ends; that wait is an error.
// The returned function releases it. A lock that cannot be taken at all
// returns a function that does nothing and an error wrapping ErrNoLock:
// the caller may go on without one, and must say so.
func (c *Journal) Lock(ctx context.Context, given sensitive.Secret) (func(), error) {
	root, err := c.open()
	if err != nil {
		return func() {}, fmt.Errorf("%w: %w", ErrNoLock, err)
	}
	name, err := c.fileName(given)
	if err != nil {
		return func() {}, fmt.Errorf("%w: %w", ErrNoLock, err)
	}
	for {
		unlock, held, err := tryLock(root, name+lockSuffix)
		if err != nil {
			return func() {}, fmt.Errorf("%w: %w", ErrNoLock, err)
		}
		if !held {
			return unlock, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("another Terraform run on this machine is obtaining the same token set and did not finish in time: %w", ctx.Err())
		case <-time.After(lockPoll):
		}
	}
}

// Sweep deletes every entry whose time is up or that is not an entry at
// all, and temporary and lock files older than an entry's lifetime, and
// returns how many it deleted. A file it cannot read for another reason is
// left alone: it may hold the only copy of the newest token. Its error says
// why the directory cannot be used (ErrUnsafeDir for one that is not ours),
// for a warning at configure: that turns reuse and recovery off, and must
// not do so silently.
func (c *Journal) Sweep() (int, error) {
	if c.Dir == "" {
		return 0, nil
	}
	root, err := c.open()
	if err != nil {
		return 0, err
	}
	n, _ := c.sweep(root)
	return n, nil
}

// Tidy sweeps the directory unless it was swept in the last SweepEvery:
// the provider calls it at configure, so that a run sweeps once however
// often it starts the provider, and no other operation reads the directory.
// It returns how many files it deleted, and how many of them were sets
// written ahead that no run confirmed before their time was up: a run died
// after Pinterest answered, and no later run here picked its set up.
func (c *Journal) Tidy() (removed, unconfirmed int, err error) {
	if c.Dir == "" {
		return 0, 0, nil
	}
	root, err := c.open()
	if err != nil {
		return 0, 0, err
	}
	if info, err := root.Lstat(sweptMarker); err == nil && info.Mode().IsRegular() && c.now().Sub(info.ModTime()) < SweepEvery && !info.ModTime().After(c.now()) {
		return 0, 0, nil
	}
	removed, unconfirmed = c.sweep(root)
	if f, err := openLock(root, sweptMarker); err == nil {
		now := c.now()
		_ = f.Close()
		_ = root.Chtimes(sweptMarker, now, now)
	}
	return removed, unconfirmed, nil
}

func (c *Journal) sweep(root *os.Root) (removed, unconfirmed int) {
	remove := func(name string) {
		if root.Remove(name) == nil {
			removed++
		}
	}
	// Only names this journal makes are touched: a file of another kind in
	// the directory (PINTEREST_CACHE_DIR pointed at a shared one) stays.
	var files []os.DirEntry
	for _, f := range list(root) {
		if f.Type().IsRegular() && ourName.MatchString(f.Name()) { // a FIFO or a link planted here is never opened
			files = append(files, f)
		}
	}
	for _, f := range files {
		if !strings.HasSuffix(f.Name(), fileSuffix) {
			continue
		}
		if e, err := readEntry(root, f.Name()); err == nil && (e == nil || !c.live(e)) {
			remove(f.Name())
			if e != nil && e.Ahead {
				unconfirmed++ // a confirmed set is forgotten, never swept
			}
		}
	}
	for _, f := range files {
		if strings.HasSuffix(f.Name(), indexSuffix) {
			// An index whose entry is gone (expired, replaced, dropped).
			if name, ok := readIndex(root, f.Name()); !ok || !exists(root, name+fileSuffix) {
				remove(f.Name())
			}
			continue
		}
		info, err := f.Info()
		if err != nil || c.now().Sub(info.ModTime()) <= c.ttl() {
			continue
		}
		switch {
		case strings.HasPrefix(f.Name(), tempPrefix):
			remove(f.Name())
		case strings.HasSuffix(f.Name(), lockSuffix):
			if removeIdleLock(root, f.Name()) {
				removed++
			}
		}
	}
	return removed, unconfirmed
}

// ourName is the shape of every name the journal makes: entries, their
// indexes and lock files are named by 32 hex digits, temporary files by
// 16 after their prefix.
var ourName = regexp.MustCompile(`^([0-9a-f]{32}(\.entry|\.next|\.lock)|\.tmp-[0-9a-f]{16})$`)

// list reads the directory through its handle.
func list(root *os.Root) []os.DirEntry {
	d, err := root.Open(".")
	if err != nil {
		return nil
	}
	defer d.Close()
	files, _ := d.ReadDir(-1)
	return files
}

func exists(root *os.Root, name string) bool {
	_, err := root.Lstat(name)
	return err == nil
}

func (c *Journal) live(e *entry) bool { return c.now().Before(time.Unix(e.Expires, 0)) }

// readEntry reads an entry file. It returns an error when the file cannot
// be read or is not a plain file of this user's (openPlain), and a nil
// entry when it was read but is not an entry.
func readEntry(root *os.Root, name string) (*entry, error) {
	f, err := openPlain(root, name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, maxEntryBytes+1))
	if err != nil {
		return nil, err
	}
	var e entry
	if len(raw) > maxEntryBytes || json.Unmarshal(raw, &e) != nil {
		return nil, nil
	}
	return &e, nil
}

// Usable says why the journal cannot be used, or nil: the managed resource
// refuses to rotate without it (unless it was turned off), since a run
// killed after the rotation would lose the newest refresh token.
func (c *Journal) Usable() error {
	_, err := c.open()
	return err
}

// open opens the directory once, creating it if need be, after checking
// every parent (owned by this user or root, not writable by others unless
// sticky, so that nobody else can swap it) and the directory itself (a
// directory of this user's; a mode open to others is closed). Every
// operation then goes through the handle.
func (c *Journal) open() (*os.Root, error) {
	c.once.Do(func() {
		if c.Dir == "" {
			c.rootErr = errors.New("no journal directory: the system has no per-user cache directory (is HOME set?), or " + EnvDir + " is off")
			return
		}
		dir, err := filepath.Abs(c.Dir)
		if err != nil {
			c.rootErr = err
			return
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			c.rootErr = err
			return
		}
		if err := checkParents(dir); err != nil {
			c.rootErr = err
			return
		}
		root, err := os.OpenRoot(dir)
		if err != nil {
			c.rootErr = err
			return
		}
		info, err := root.Stat(".")
		switch {
		case err != nil:
			c.rootErr = err
		case !info.IsDir() || !ownedByMe(info):
			c.rootErr = fmt.Errorf("%w: %s", ErrUnsafeDir, c.Dir)
		case info.Mode().Perm()&0o077 != 0:
			c.rootErr = root.Chmod(".", 0o700)
		}
		if c.rootErr != nil {
			_ = root.Close()
			return
		}
		c.root = root
	})
	return c.root, c.rootErr
}

func (c *Journal) ttl() time.Duration {
	if c.TTL <= 0 {
		return DefaultTTL
	}
	return c.TTL
}

func (c *Journal) now() time.Time {
	if c.Now == nil {
		return time.Now()
	}
	return c.Now()
}

// indexName derives the name of the index of the entry whose result holds
// the refresh token successor.
func (c *Journal) indexName(successor sensitive.Secret) (string, error) {
	b, err := c.derive(successor, nil, infoIndex, 16)
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// fileName derives an entry's name; it says nothing of the token and
// differs from the key.
func (c *Journal) fileName(given sensitive.Secret) (string, error) {
	b, err := c.derive(given, nil, infoName, 16)
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// derive is HKDF-SHA256 of the token and the app's credentials, for one
// purpose (info). Both are length-prefixed, so no two pairs give the same
// input.
func (c *Journal) derive(token sensitive.Secret, salt []byte, info string, n int) ([]byte, error) {
	if token.IsEmpty() {
		return nil, errors.New("no token")
	}
	return hkdf.Key(sha256.New, lengthPrefixed([]byte(token.Reveal()), c.Binding), salt, info, n)
}

func (c *Journal) newAEAD(given sensitive.Secret, salt []byte) (cipher.AEAD, error) {
	key, err := c.derive(given, salt, infoKey, 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// additionalData binds a sealed value to its file name, expiry and
// successor tag, so that none can be swapped or extended without the key.
func additionalData(name string, expires int64, successor string) []byte {
	return []byte(name + "|" + strconv.FormatInt(expires, 10) + "|" + successor)
}

// Binding returns the credentials binding for an app: its id and secret,
// length-prefixed.
func Binding(clientID string, clientSecret sensitive.Secret) []byte {
	return lengthPrefixed([]byte(clientID), []byte(clientSecret.Reveal()))
}

// lengthPrefixed joins parts, each after its length, so that no two lists
// of parts give the same bytes.
func lengthPrefixed(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = binary.BigEndian.AppendUint32(b, uint32(len(p)))
		b = append(b, p...)
	}
	return b
}
