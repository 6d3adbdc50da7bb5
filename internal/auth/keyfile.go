package auth

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

// LoadOrCreateSealerKey reads the SM4 key for Sealer from path, or creates
// the file with SealerKeySize random bytes when it does not exist. The file
// holds the key in hex on one line (so it can be printed and kept offline as
// a backup) and is created with mode 0600; a file that other users can read,
// or that its group can write, is refused.
//
// Keep this file apart from the audit key and from database backups: a
// backup together with this key reveals every sealed secret. Losing it makes
// the sealed secrets unreadable (people re-enrol TOTP, operators re-enter
// webhook secrets). With several replicas, copy the same file to each.
func LoadOrCreateSealerKey(path string) ([]byte, error) {
	return loadOrCreateKey(path, SealerKeySize)
}

// loadOrCreateKey is a copy of internal/audit's: the two packages do not
// import each other, and their keys must stay in separate files.
func loadOrCreateKey(path string, size int) ([]byte, error) {
	key, err := readKeyFile(path, size)
	if !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("auth: key directory: %w", err)
	}
	key = make([]byte, size)
	rand.Read(key) // never fails since Go 1.24
	// Write a temporary file and link it into place, so no process ever sees
	// a half-written key, and two processes starting at once agree on one.
	tmp, err := os.CreateTemp(dir, ".key-*") // CreateTemp uses mode 0600
	if err != nil {
		return nil, fmt.Errorf("auth: key file: %w", err)
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
		return nil, fmt.Errorf("auth: key file: %w", err)
	}
	if err := os.Link(tmp.Name(), path); errors.Is(err, fs.ErrExist) {
		return readKeyFile(path, size) // another process created it first
	} else if err != nil {
		return nil, fmt.Errorf("auth: key file: %w", err)
	}
	return key, nil
}

func readKeyFile(path string, size int) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	// Windows reports made-up permission bits; rely on its ACLs there.
	if runtime.GOOS != "windows" && info.Mode().Perm()&0o027 != 0 {
		return nil, fmt.Errorf("auth: key file %s has mode %04o; others must not read it nor its group write it (chmod 600 %s)",
			path, info.Mode().Perm(), path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(data)))
	if err != nil || len(key) != size {
		return nil, fmt.Errorf("auth: key file %s does not hold a %d-byte key in hex", path, size)
	}
	return key, nil
}
