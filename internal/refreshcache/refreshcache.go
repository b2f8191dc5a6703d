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
// a 0700 directory, and every open deletes the entries whose time is up.
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
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
)

// DefaultTTL is how long an entry lives: long enough for a person to read a
// plan and approve it, short enough that nothing lingers.
const DefaultTTL = 30 * time.Minute

const (
	fileSuffix = ".entry"
	infoName   = "terraform-provider-pinterest refresh cache v1: file name"
	infoKey    = "terraform-provider-pinterest refresh cache v1: key"
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
}

// Put keeps value for the refresh token given, replacing any earlier entry.
func (c *Cache) Put(given pinterest.Secret, value []byte) error {
	if err := c.ensureDir(); err != nil {
		return err
	}
	name, err := fileName(given)
	if err != nil {
		return err
	}
	e := entry{Expires: c.now().Add(c.ttl()).Unix(), Salt: make([]byte, 16)}
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
	tmp, err := os.CreateTemp(c.Dir, ".tmp-*") // mode 0600
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(raw); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(c.Dir, name+fileSuffix))
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
	raw, err := os.ReadFile(filepath.Join(c.Dir, name+fileSuffix))
	if err != nil {
		return nil, false
	}
	var e entry
	if json.Unmarshal(raw, &e) != nil || !c.now().Before(time.Unix(e.Expires, 0)) {
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

// Sweep deletes every entry whose time is up, and any that cannot be read,
// and returns how many it deleted.
func (c *Cache) Sweep() (int, error) {
	if c.Dir == "" {
		return 0, nil
	}
	files, err := os.ReadDir(c.Dir)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	removed := 0
	for _, f := range files {
		if !strings.HasSuffix(f.Name(), fileSuffix) {
			continue
		}
		p := filepath.Join(c.Dir, f.Name())
		var e entry
		raw, err := os.ReadFile(p)
		if err == nil && json.Unmarshal(raw, &e) == nil && c.now().Before(time.Unix(e.Expires, 0)) {
			continue
		}
		if os.Remove(p) == nil {
			removed++
		}
	}
	return removed, nil
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
	if given.IsEmpty() {
		return "", errors.New("no refresh token")
	}
	b, err := hkdf.Key(sha256.New, []byte(given.Reveal()), nil, infoName, 16)
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

func newAEAD(given pinterest.Secret, salt []byte) (cipher.AEAD, error) {
	key, err := hkdf.Key(sha256.New, []byte(given.Reveal()), salt, infoKey, 32)
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
