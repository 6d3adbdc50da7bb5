// Package keyfile keeps the server's secret keys (the audit chain's and the
// sealer's) in files of their own, outside the database.
package keyfile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// LoadOrCreate reads a key of size bytes from path, or creates the file
// with fresh random bytes when it does not exist. The file holds the key in
// hex on one line (so it can be printed and kept offline) and is created
// with mode 0600; a file that other users can read, or that its group can
// write, is refused. what names the key in errors ("audit", "sealer").
func LoadOrCreate(path string, size int, what string) ([]byte, error) {
	key, err := read(path, size, what)
	if !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("%s: key directory: %w", what, err)
	}
	key = make([]byte, size)
	rand.Read(key) // never fails since Go 1.24
	// Write a temporary file and link it into place, so no process ever sees
	// a half-written key, and two processes starting at once agree on one.
	tmp, err := os.CreateTemp(dir, ".key-*") // CreateTemp uses mode 0600
	if err != nil {
		return nil, fmt.Errorf("%s: key file: %w", what, err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.WriteString(hex.EncodeToString(key) + "\n")
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("%s: key file: %w", what, err)
	}
	if err := os.Link(tmp.Name(), path); errors.Is(err, fs.ErrExist) {
		return read(path, size, what) // another process created it first
	} else if err != nil {
		return nil, fmt.Errorf("%s: key file: %w", what, err)
	}
	return key, nil
}

func read(path string, size int, what string) ([]byte, error) {
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
