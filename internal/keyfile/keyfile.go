// Package keyfile keeps the server's secret keys (the audit chain's and the
// sealer's) in files of their own, outside the database.
//
// A key is created only for a new database. Once the database holds audit
// entries or sealed secrets, a missing key file is an error that names the
// file: a fresh key would make the whole audit chain look tampered with and
// every sealed secret unreadable, and entries sealed with it would stay
// broken after the real key is put back.
package keyfile

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"fenghuo/internal/durable"
)

// LoadOrCreate reads a key of size bytes from path, or creates the file
// with fresh random bytes when it does not exist. Call it only for a new
// database; otherwise use Load. The file holds the key in hex on one line
// (so it can be printed and kept offline) and is created with mode 0600; a
// file that other users can read, or that its group can write, is refused.
// what names the key in errors ("audit", "sealer").
func LoadOrCreate(path string, size int, what string) ([]byte, error) {
	key, err := Load(path, size, what)
	if !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	key = make([]byte, size)
	rand.Read(key) // never fails since Go 1.24
	if _, err := Install(path, key, what); err != nil {
		if errors.Is(err, errDifferent) {
			return Load(path, size, what) // another process created it first
		}
		return nil, err
	}
	return key, nil
}

var errDifferent = errors.New("holds a different key")

// Install writes key to path unless the file exists. An existing file must
// hold the same key; one with another key is refused, never overwritten.
// created tells whether the file was written. The write is atomic and synced
// (file and directory) before Install returns, so two processes installing
// at once agree on one key.
func Install(path string, key []byte, what string) (created bool, err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return false, fmt.Errorf("%s: key directory: %w", what, err)
	}
	err = durable.CreateNew(path, 0o600, []byte(hex.EncodeToString(key)+"\n"))
	if errors.Is(err, fs.ErrExist) {
		have, err := Load(path, len(key), what)
		if err != nil {
			return false, err
		}
		if !bytes.Equal(have, key) {
			return false, fmt.Errorf("%s: key file %s already exists and %w; move it away first if the other key is the right one: %w",
				what, path, errDifferent, fs.ErrExist)
		}
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("%s: key file: %w", what, err)
	}
	return true, nil
}

// Load reads a key of size bytes from path. A missing file gives an error
// satisfying errors.Is(err, fs.ErrNotExist).
func Load(path string, size int, what string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	// Windows reports made-up permission bits; rely on its ACLs there.
	if runtime.GOOS != "windows" && info.Mode().Perm()&0o027 != 0 {
		return nil, fmt.Errorf("%s: key file %s has mode %04o; others must not read it nor its group write it (chmod 600 %s)",
			what, path, info.Mode().Perm(), path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(data)))
	if err != nil || len(key) != size {
		return nil, fmt.Errorf("%s: key file %s does not hold a %d-byte key in hex", what, path, size)
	}
	return key, nil
}
