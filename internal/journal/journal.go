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
	"strconv"
	"strings"
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
}

// Put keeps value, the result of trading given, whose new refresh token is
// successor, until the time until (zero: TTL from now), replacing any
// earlier entry for given.
func (c *Journal) Put(given, successor sensitive.Secret, value []byte, until time.Time) error {
	if err := c.ensureDir(); err != nil {
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
	e := entry{Expires: until.Unix(), Salt: make([]byte, 16), Successor: hex.EncodeToString(tag)}
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
	if err := c.writeFile(name+fileSuffix, raw); err != nil {
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
		if err := c.writeFile(index+indexSuffix, []byte(name)); err != nil {
			return err
		}
	}
	return syncDir(c.Dir) // the renames themselves survive a crash
}

// writeFile writes raw to name in the directory beside, then renames it, so
// that a reader never sees half a file.
func (c *Journal) writeFile(name string, raw []byte) error {
	tmp, err := os.CreateTemp(c.Dir, tempPrefix+"*") // mode 0600
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
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
	return os.Rename(tmp.Name(), filepath.Join(c.Dir, name))
}

// Get returns the value kept for the token given, if an entry is there and
// its time is not up.
func (c *Journal) Get(given sensitive.Secret) ([]byte, bool) {
	if c.usable() != nil {
		return nil, false
	}
	name, err := c.fileName(given)
	if err != nil {
		return nil, false
	}
	path := filepath.Join(c.Dir, name+fileSuffix)
	e, err := readEntry(path)
	if err != nil || e == nil {
		return nil, false
	}
	if !c.live(e) {
		_ = os.Remove(path) // its time is up: never read, and gone now
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

// Forget deletes the entry whose result holds the refresh token given: the
// state or store gave it back, so the result arrived and the entry has done
// its job. That also leaves nothing for a holder of the retired token. The
// entry is found through its index, by name.
func (c *Journal) Forget(given sensitive.Secret) {
	if given.IsEmpty() || c.usable() != nil {
		return
	}
	index, err := c.indexName(given)
	if err != nil {
		return
	}
	indexPath := filepath.Join(c.Dir, index+indexSuffix)
	name, ok := readIndex(indexPath)
	// The entry kept for given itself is never confirmed by given: when
	// Pinterest keeps the refresh token (no continuous refresh), the
	// successor of given is given, and that entry is the one to recall.
	if own, _ := c.fileName(given); ok && name != own {
		tag, _ := c.derive(given, nil, infoSuccessor, 16)
		path := filepath.Join(c.Dir, name+fileSuffix)
		if e, err := readEntry(path); err == nil && e != nil && e.Successor == hex.EncodeToString(tag) {
			_ = os.Remove(path)
		}
	}
	_ = os.Remove(indexPath)
}

// readIndex returns the entry name an index file holds.
func readIndex(path string) (string, bool) {
	f, err := openPlain(path)
	if err != nil {
		return "", false
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, 64))
	name := string(raw)
	if err != nil || len(name) != 32 || strings.Trim(name, "0123456789abcdef") != "" {
		return "", false
	}
	return name, true
}

// Drop deletes the entry kept for the token given, if any: its token set
// was destroyed and must never be recovered.
func (c *Journal) Drop(given sensitive.Secret) {
	if c.usable() != nil {
		return
	}
	if name, err := c.fileName(given); err == nil {
		_ = os.Remove(filepath.Join(c.Dir, name+fileSuffix))
	}
}

// Lock takes this machine's lock of the token given, waiting while another
// process (or goroutine) holds it, until ctx ends; only that wait is an
// error. The returned function releases it. Without a usable cache
// directory (none, not ours, read-only, no flock) there is nothing to lock
// with, and Lock degrades to no lock rather than stopping every rotation:
// the configure warning and the failed keep already say the cache is off.
func (c *Journal) Lock(ctx context.Context, given sensitive.Secret) (func(), error) {
	path, ok := c.lockPath(given)
	if !ok {
		return func() {}, nil
	}
	for {
		unlock, held := tryLock(path)
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

// lockPath is the lock file of the token given, when the cache is usable.
func (c *Journal) lockPath(given sensitive.Secret) (string, bool) {
	if c.ensureDir() != nil {
		return "", false
	}
	name, err := c.fileName(given)
	if err != nil {
		return "", false
	}
	return filepath.Join(c.Dir, name+lockSuffix), true
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
	if err := c.usable(); err != nil {
		return 0, err
	}
	return c.sweep(), nil
}

// Tidy sweeps the directory unless it was swept in the last SweepEvery:
// the provider calls it at configure, so that a run sweeps once however
// often it starts the provider, and no other operation reads the directory.
func (c *Journal) Tidy() (int, error) {
	if c.Dir == "" {
		return 0, nil
	}
	if err := c.usable(); err != nil {
		return 0, err
	}
	marker := filepath.Join(c.Dir, sweptMarker)
	if info, err := os.Lstat(marker); err == nil && info.Mode().IsRegular() && c.now().Sub(info.ModTime()) < SweepEvery && !info.ModTime().After(c.now()) {
		return 0, nil
	}
	n := c.sweep()
	if f, err := openLock(marker); err == nil {
		now := c.now()
		_ = f.Close()
		_ = os.Chtimes(marker, now, now)
	}
	return n, nil
}

func (c *Journal) sweep() int {
	removed := 0
	_ = c.each(func(path string, e *entry) {
		if e == nil || !c.live(e) {
			if os.Remove(path) == nil {
				removed++
			}
		}
	})
	files, _ := os.ReadDir(c.Dir)
	for _, f := range files {
		if strings.HasSuffix(f.Name(), indexSuffix) && f.Type().IsRegular() {
			// An index whose entry is gone (expired, replaced, dropped).
			path := filepath.Join(c.Dir, f.Name())
			if name, ok := readIndex(path); !ok || !exists(filepath.Join(c.Dir, name+fileSuffix)) {
				if os.Remove(path) == nil {
					removed++
				}
			}
			continue
		}
		info, err := f.Info()
		if err != nil || !info.Mode().IsRegular() || c.now().Sub(info.ModTime()) <= c.ttl() {
			continue
		}
		switch path := filepath.Join(c.Dir, f.Name()); {
		case strings.HasPrefix(f.Name(), tempPrefix):
			if os.Remove(path) == nil {
				removed++
			}
		case strings.HasSuffix(f.Name(), lockSuffix):
			if removeIdleLock(path) {
				removed++
			}
		}
	}
	return removed
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

func (c *Journal) live(e *entry) bool { return c.now().Before(time.Unix(e.Expires, 0)) }

// each calls fn for every regular entry file with its parsed entry, or nil
// when the file is not an entry. Files it cannot read are skipped.
func (c *Journal) each(fn func(path string, e *entry)) error {
	files, err := os.ReadDir(c.Dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, f := range files {
		if !strings.HasSuffix(f.Name(), fileSuffix) || !f.Type().IsRegular() {
			continue // a FIFO or a link planted here is never opened
		}
		path := filepath.Join(c.Dir, f.Name())
		e, err := readEntry(path)
		if err != nil {
			continue
		}
		fn(path, e)
	}
	return nil
}

// readEntry reads an entry file. It returns an error when the file cannot
// be read or is not a plain file of this user's (openPlain), and a nil
// entry when it was read but is not an entry.
func readEntry(path string) (*entry, error) {
	f, err := openPlain(path)
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

// usable checks the directory at every use: it exists, is a directory and
// not a link, and belongs to this user. A mode open to others is closed.
func (c *Journal) usable() error {
	if c.Dir == "" {
		return errors.New("no cache directory")
	}
	info, err := os.Lstat(c.Dir)
	if err != nil {
		return err
	}
	if !info.IsDir() || !ownedByMe(info) {
		return fmt.Errorf("%w: %s", ErrUnsafeDir, c.Dir)
	}
	if info.Mode().Perm()&0o077 != 0 {
		return os.Chmod(c.Dir, 0o700)
	}
	return nil
}

func (c *Journal) ensureDir() error {
	if c.Dir == "" {
		return errors.New("no cache directory: the system has no per-user cache directory (is HOME set?), or " + EnvDir + " is off")
	}
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		return err
	}
	return c.usable()
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
