package auth

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestLoadOrCreateSealerKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secrets", "sealer.key")
	key, err := LoadOrCreateSealerKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(key) != SealerKeySize || bytes.Equal(key, make([]byte, SealerKeySize)) {
		t.Fatalf("created key %x", key)
	}
	if info, _ := os.Stat(path); runtime.GOOS != "windows" && info.Mode().Perm() != 0o600 {
		t.Errorf("mode %04o, want 0600", info.Mode().Perm())
	}
	again, err := LoadOrCreateSealerKey(path)
	if err != nil || !bytes.Equal(again, key) {
		t.Fatalf("second load = %x, %v", again, err)
	}
	if _, err := NewSealer(key); err != nil {
		t.Fatal(err)
	}
	// An audit key (32 bytes) in the sealer's place is refused, not truncated.
	audit := filepath.Join(t.TempDir(), "audit.key")
	if err := os.WriteFile(audit, []byte(strings.Repeat("ab", 32)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateSealerKey(audit); err == nil || !strings.Contains(err.Error(), "16-byte") {
		t.Errorf("32-byte key file: %v, want refused", err)
	}
	if runtime.GOOS != "windows" {
		if err := os.Chmod(path, 0o604); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadOrCreateSealerKey(path); err == nil {
			t.Error("a world-readable key file was accepted")
		}
	}
}
