package keyfile

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadNeverCreates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys", "audit.key")
	if _, err := Load(path, 32, "audit"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Load of a missing key: %v", err)
	}
	if _, err := os.Stat(filepath.Dir(path)); !os.IsNotExist(err) {
		t.Error("Load created the key directory")
	}
}

func TestInstallKeepsAnExistingKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys", "sealer.key")
	key := bytes.Repeat([]byte{7}, 16)
	if made, err := Install(path, key, "sealer"); err != nil || !made {
		t.Fatalf("first install: %v %v", made, err)
	}
	if made, err := Install(path, key, "sealer"); err != nil || made {
		t.Fatalf("same key again: %v %v", made, err)
	}
	other := bytes.Repeat([]byte{8}, 16)
	if _, err := Install(path, other, "sealer"); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("another key: %v", err)
	}
	if got, err := Load(path, 16, "sealer"); err != nil || !bytes.Equal(got, key) {
		t.Fatalf("key now %x %v", got, err)
	}
	info, _ := os.Stat(path)
	if info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", info.Mode())
	}
}
