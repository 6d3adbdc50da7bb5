package cli

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

// The first administrator comes from the command line; audit verify names
// an entry changed directly in the database; a backup restores.
func TestUserCreateAuditVerifyBackupRestore(t *testing.T) {
	dir := t.TempDir()
	data := []string{"--data-dir", dir}
	code, out, errOut := runCLI(t, "", append([]string{"user", "create", "--admin", "--username", "root", "--org-name", "测试市委网信办"}, data...)...)
	if code != 0 || !strings.Contains(out, "Password (shown only now): ") {
		t.Fatalf("user create: %d %s %s", code, out, errOut)
	}
	code, out, _ = runCLI(t, "", append([]string{"user", "create", "--username", "second", "--role", "analyst", "--org", "1", "--password-stdin"}, data...)...)
	if code != 2 {
		t.Errorf("no password on stdin should be refused: %d %s", code, out)
	}
	code, out, _ = runCLI(t, "", append([]string{"audit", "verify"}, data...)...)
	if code != 0 || !strings.HasPrefix(out, "OK: ") {
		t.Fatalf("verify: %d %s", code, out)
	}
	backup := filepath.Join(t.TempDir(), "fenghuo.bak")
	if code, _, errOut := runCLI(t, "", append([]string{"backup", backup}, data...)...); code != 0 {
		t.Fatalf("backup: %s", errOut)
	}
	restored := t.TempDir()
	// The keys travel beside the backup (docs/storage.md): copy them first.
	if err := os.CopyFS(filepath.Join(restored, "keys"), os.DirFS(filepath.Join(dir, "keys"))); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"audit.key", "sealer.key"} {
		os.Chmod(filepath.Join(restored, "keys", k), 0o600) // the key loader refuses readable keys
	}
	if code, out, errOut := runCLI(t, "", "restore", backup, "--data-dir", restored); code != 0 || !strings.Contains(out, "restored") {
		t.Fatalf("restore: %d %s %s", code, out, errOut)
	}
	// The restored server works: its audit chain verifies with the same keys.
	if code, out, _ := runCLI(t, "", "audit", "verify", "--data-dir", restored); code != 0 || !strings.HasPrefix(out, "OK: ") {
		t.Fatalf("restored verify: %d %s", code, out)
	}

	db, err := sql.Open("sqlite", filepath.Join(dir, "fenghuo.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("UPDATE audit_entries SET actor_name = 'mallory' WHERE seq = 2"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	code, out, _ = runCLI(t, "", append([]string{"audit", "verify"}, data...)...)
	if code != 1 || !strings.Contains(out, "BROKEN at entry 2") {
		t.Errorf("a changed audit row was not named: %d %s", code, out)
	}
}
