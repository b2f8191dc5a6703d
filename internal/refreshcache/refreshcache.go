// Package refreshcache keeps the result of a refresh for a few minutes, so
// that the next open of the ephemeral resource in the same run (Terraform
// opens it during plan and again during apply) hands back the same new
// tokens instead of refreshing a refresh token that Pinterest has already
// retired.
//
// An entry is readable only by whoever holds the refresh token that was
// refreshed: its file name and its AES-256-GCM key are both derived from
// that token with HKDF-SHA256 (the key with a random salt), so the cache
// directory reveals neither the token nor the result. Files are mode 0600 in
// a 0700 directory. The provider deletes the entries whose time is up at
// every run (Sweep), and an open the entry whose result the store has since
// given back (Forget).
package refreshcache

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
)

// DefaultTTL is how long an entry lives: long enough for a person to read a
// plan and approve it, short enough that nothing lingers.
const DefaultTTL = 30 * time.Minute

const (
	fileSuffix    = ".entry"
	tempPrefix    = ".tmp-"
	infoName      = "terraform-provider-pinterest refresh cache v1: file name"
	infoKey       = "terraform-provider-pinterest refresh cache v1: key"
	infoSuccessor = "terraform-provider-pinterest refresh cache v1: successor"
	// maxEntryBytes bounds what is read of a file: an entry is a few KiB.
	maxEntryBytes = 64 << 10
)

// Cache is a directory of entries. The zero TTL means DefaultTTL and a nil
// Now means time.Now.
type Cache struct {
	Dir string
	TTL time.Duration
	Now func() time.Time
}

// DefaultDir is the per-user cache directory; it is empty when the system
// has none (no home directory), and then nothing is cached.
func DefaultDir() string {
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
	// Forget can drop the entry once that token is what the store gives.
	Successor string `json:"successor"`
}

// Put keeps value, the result of refreshing given, whose new refresh token
// is successor, replacing any earlier entry for given.
func (c *Cache) Put(given, successor pinterest.Secret, value []byte) error {
	if err := c.ensureDir(); err != nil {
		return err
	}
	name, err := fileName(given)
	if err != nil {
		return err
	}
	tag, err := derive(successor, nil, infoSuccessor, 16)
	if err != nil {
		return err
	}
	e := entry{Expires: c.now().Add(c.ttl()).Unix(), Salt: make([]byte, 16), Successor: hex.EncodeToString(tag)}
	if _, err := rand.Read(e.Salt); err != nil {
		return err
	}
	aead, err := newAEAD(given, e.Salt)
	if err != nil {
		return err
	}
	e.Nonce = make([]byte, aead.NonceSize())
	if _, err := rand.Read(e.Nonce); err != nil {
		return err
	}
	e.Sealed = aead.Seal(nil, e.Nonce, value, additionalData(name, e.Expires))
	raw, err := json.Marshal(e)
	if err != nil {
		return err
	}
	// Write beside, then rename: a reader never sees half an entry.
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
	return os.Rename(tmp.Name(), filepath.Join(c.Dir, name+fileSuffix))
}

// Forget deletes the entries whose result holds the refresh token given:
// the store gave it back, so the result reached the store and the entry has
// done its job. That also leaves nothing for a holder of the retired token.
func (c *Cache) Forget(given pinterest.Secret) {
	if c.Dir == "" || given.IsEmpty() {
		return
	}
	tag, err := derive(given, nil, infoSuccessor, 16)
	if err != nil {
		return
	}
	_ = c.each(func(path string, e *entry) {
		if e != nil && e.Successor == hex.EncodeToString(tag) {
			_ = os.Remove(path)
		}
	})
}

// locks serialises opens of the same refresh token within this process.
var locks sync.Map // file name -> *sync.Mutex

// Lock holds the lock of the refresh token given until the returned
// function is called.
func Lock(given pinterest.Secret) func() {
	name, err := fileName(given)
	if err != nil {
		return func() {}
	}
	v, _ := locks.LoadOrStore(name, &sync.Mutex{})
	mu, _ := v.(*sync.Mutex) // only *sync.Mutex is ever stored
	mu.Lock()
	return mu.Unlock
}

// Get returns the value kept for the refresh token given, if an entry is
// there and its time is not up.
func (c *Cache) Get(given pinterest.Secret) ([]byte, bool) {
	if c.Dir == "" {
		return nil, false
	}
	name, err := fileName(given)
	if err != nil {
		return nil, false
	}
	e, err := readEntry(filepath.Join(c.Dir, name+fileSuffix))
	if err != nil || e == nil || !c.now().Before(time.Unix(e.Expires, 0)) {
		return nil, false
	}
	aead, err := newAEAD(given, e.Salt)
	if err != nil || len(e.Nonce) != aead.NonceSize() {
		return nil, false
	}
	value, err := aead.Open(nil, e.Nonce, e.Sealed, additionalData(name, e.Expires))
	if err != nil {
		return nil, false
	}
	return value, true
}

// Sweep deletes every entry whose time is up or that is not an entry at
// all, and temporary files older than an entry's lifetime, and returns how
// many it deleted. A file it cannot read for another reason is left alone:
// it may hold the only copy of the newest token.
func (c *Cache) Sweep() (int, error) {
	if c.Dir == "" {
		return 0, nil
	}
	removed := 0
	err := c.each(func(path string, e *entry) {
		if e == nil || !c.now().Before(time.Unix(e.Expires, 0)) {
			if os.Remove(path) == nil {
				removed++
			}
		}
	})
	files, _ := os.ReadDir(c.Dir)
	for _, f := range files {
		if info, err := f.Info(); err == nil && strings.HasPrefix(f.Name(), tempPrefix) && info.Mode().IsRegular() &&
			c.now().Sub(info.ModTime()) > c.ttl() {
			if os.Remove(filepath.Join(c.Dir, f.Name())) == nil {
				removed++
			}
		}
	}
	return removed, err
}

// each calls fn for every regular entry file with its parsed entry, or nil
// when the file is not an entry. Files it cannot read are skipped.
func (c *Cache) each(fn func(path string, e *entry)) error {
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
// be read, and a nil entry when it was read but is not an entry.
func readEntry(path string) (*entry, error) {
	info, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, nil
	}
	f, err := os.Open(path)
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

func (c *Cache) ensureDir() error {
	if c.Dir == "" {
		return errors.New("no cache directory: the system has no per-user cache directory (is HOME set?)")
	}
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		return err
	}
	// MkdirAll leaves an existing directory's mode alone.
	info, err := os.Lstat(c.Dir)
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return fmt.Errorf("%s is not a directory", c.Dir)
	}
	if info.Mode().Perm()&0o077 != 0 {
		return os.Chmod(c.Dir, 0o700)
	}
	return nil
}

func (c *Cache) ttl() time.Duration {
	if c.TTL <= 0 {
		return DefaultTTL
	}
	return c.TTL
}

func (c *Cache) now() time.Time {
	if c.Now == nil {
		return time.Now()
	}
	return c.Now()
}

// fileName derives an entry's name from the token; it says nothing of the
// token and differs from the key.
func fileName(given pinterest.Secret) (string, error) {
	b, err := derive(given, nil, infoName, 16)
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// derive is HKDF-SHA256 of a token, for one purpose (info).
func derive(token pinterest.Secret, salt []byte, info string, n int) ([]byte, error) {
	if token.IsEmpty() {
		return nil, errors.New("no refresh token")
	}
	return hkdf.Key(sha256.New, []byte(token.Reveal()), salt, info, n)
}

func newAEAD(given pinterest.Secret, salt []byte) (cipher.AEAD, error) {
	key, err := derive(given, salt, infoKey, 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// additionalData binds a sealed value to its file name and expiry, so that
// neither can be swapped or extended without the key.
func additionalData(name string, expires int64) []byte {
	return []byte(name + "|" + strconv.FormatInt(expires, 10))
}

// Lock is the package's Lock, as a method, so that a Cache is what the
// token-set core calls its Memory.
func (c *Cache) Lock(given pinterest.Secret) func() { return Lock(given) }
