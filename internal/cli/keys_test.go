package cli

import (
	"bytes"
	"context"
	"fenghuo/internal/audit"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fenghuo/internal/apptest"
)

// runCLIEnv is runCLI with environment variables.
func runCLIEnv(t *testing.T, vars map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return vars[k] }}
	code := run(context.Background(), env, args)
	return code, out.String(), errb.String()
}

// keyFiles lists the files in DIR/keys.
func keyFiles(dir string) []string {
	entries, _ := os.ReadDir(filepath.Join(dir, "keys"))
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// engineArgs returns the database flags for a new database on the engine.
func engineArgs(t *testing.T, engine, dir string) []string {
	if engine == "postgres" {
		return []string{"--data-dir", dir, "--db", apptest.PostgresDSN(t)}
	}
	return []string{"--data-dir", dir}
}

// A restore without the keys refuses, names the missing files and writes
// nothing; with --keys, or from a backup that carries them sealed, the
// restored audit chain verifies.
func TestRestoreNeedsTheKeys(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			src := t.TempDir()
			srcArgs := engineArgs(t, engine, src)
			if code, _, errOut := runCLI(t, "", append([]string{"user", "create", "--admin", "--username", "root", "--org-name", "测试市委网信办"}, srcArgs...)...); code != 0 {
				t.Fatalf("user create: %s", errOut)
			}
			// The audit-signing key, as the first archive creates it: it
			// travels with the other keys when it exists.
			if _, err := audit.LoadOrCreateSigningKey(filepath.Join(src, "keys", signingKeyFile)); err != nil {
				t.Fatal(err)
			}
			backup := filepath.Join(t.TempDir(), "fenghuo.bak")
			code, _, errOut := runCLI(t, "", append([]string{"backup", backup}, srcArgs...)...)
			if code != 0 || !strings.Contains(errOut, filepath.Join(src, "keys", "audit.key")) || !strings.Contains(errOut, "--include-keys") {
				t.Fatalf("backup should name the keys to keep: %d %s", code, errOut)
			}

			// Without keys: refused, the files named, nothing written.
			dst := filepath.Join(t.TempDir(), "restored")
			dstArgs := engineArgs(t, engine, dst)
			code, out, errOut := runCLI(t, "", append([]string{"restore", backup}, dstArgs...)...)
			for _, want := range []string{filepath.Join(dst, "keys", "audit.key"), filepath.Join(dst, "keys", "sealer.key"), "copy them from the backup's keys", "--keys"} {
				if !strings.Contains(strings.ToLower(errOut), strings.ToLower(want)) {
					t.Errorf("restore without keys: stderr lacks %q:\n%s", want, errOut)
				}
			}
			if code == 0 || strings.Contains(out, "restored") {
				t.Errorf("restore without keys: exit %d, %s", code, out)
			}
			if _, err := os.Stat(dst); !os.IsNotExist(err) {
				t.Errorf("restore without keys created %s (keys %v)", dst, keyFiles(dst))
			}

			// Another server's keys: refused before anything commits, and the
			// keys it had written are taken away again.
			other := t.TempDir()
			if code, _, errOut := runCLI(t, "", "audit", "verify", "--data-dir", other); code != 0 {
				t.Fatal(errOut)
			}
			code, out, errOut = runCLI(t, "", append([]string{"restore", backup, "--keys", filepath.Join(other, "keys")}, dstArgs...)...)
			if code == 0 || !strings.Contains(errOut, "is not the one of the server that made the backup") || len(keyFiles(dst)) > 0 {
				t.Fatalf("restore with another server's keys: %d %s %s, keys %v", code, out, errOut, keyFiles(dst))
			}

			// With --keys: restored and verified.
			code, out, errOut = runCLI(t, "", append([]string{"restore", backup, "--keys", filepath.Join(src, "keys")}, dstArgs...)...)
			if code != 0 || !strings.Contains(out, "audit chain verified") {
				t.Fatalf("restore --keys: %d %s %s", code, out, errOut)
			}
			if code, out, _ := runCLI(t, "", append([]string{"audit", "verify"}, dstArgs...)...); code != 0 || !strings.HasPrefix(out, "OK: ") {
				t.Fatalf("verify after restore --keys: %d %s", code, out)
			}

			// A backup with the keys sealed in it.
			pass := map[string]string{"FENGHUO_BACKUP_PASSPHRASE": "烽火 backup passphrase"}
			sealed := filepath.Join(t.TempDir(), "sealed.bak")
			if code, _, errOut := runCLIEnv(t, pass, "", append([]string{"backup", "--include-keys", sealed}, srcArgs...)...); code != 0 || !strings.Contains(errOut, "sealed under the passphrase") {
				t.Fatalf("backup --include-keys: %d %s", code, errOut)
			}
			raw, _ := os.ReadFile(sealed)
			for _, k := range []string{"audit.key", "sealer.key", signingKeyFile} {
				key, _ := os.ReadFile(filepath.Join(src, "keys", k))
				if bytes.Contains(raw, bytes.TrimSpace(key)) {
					t.Errorf("the backup holds %s in clear", k)
				}
			}
			wrong := filepath.Join(t.TempDir(), "wrong")
			wrongArgs := engineArgs(t, engine, wrong)
			code, _, errOut = runCLIEnv(t, map[string]string{"FENGHUO_BACKUP_PASSPHRASE": "not the passphrase"}, "", append([]string{"restore", sealed}, wrongArgs...)...)
			if code == 0 || !strings.Contains(errOut, "passphrase does not open") || len(keyFiles(wrong)) > 0 {
				t.Errorf("wrong passphrase: %d %s keys %v", code, errOut, keyFiles(wrong))
			}
			dst2 := filepath.Join(t.TempDir(), "restored2")
			dst2Args := engineArgs(t, engine, dst2)
			// Asked on standard input when the variable is not set.
			code, out, errOut = runCLI(t, "烽火 backup passphrase\n", append([]string{"restore", sealed}, dst2Args...)...)
			if code != 0 || !strings.Contains(out, "audit chain verified") {
				t.Fatalf("restore of a backup with keys: %d %s %s", code, out, errOut)
			}
			if code, out, _ := runCLI(t, "", append([]string{"audit", "verify"}, dst2Args...)...); code != 0 || !strings.HasPrefix(out, "OK: ") {
				t.Fatalf("verify after restore of a backup with keys: %d %s", code, out)
			}
			for _, k := range []string{"audit.key", "sealer.key", signingKeyFile} {
				a, _ := os.ReadFile(filepath.Join(src, "keys", k))
				b, _ := os.ReadFile(filepath.Join(dst2, "keys", k))
				if len(a) == 0 || !bytes.Equal(a, b) {
					t.Errorf("%s restored from the backup differs from the original", k)
				}
				if b, _ := os.ReadFile(filepath.Join(dst, "keys", k)); !bytes.Equal(a, b) {
					t.Errorf("%s restored with --keys differs from the original", k)
				}
			}

			// The database without its keys: verify (and every command
			// that opens the keys) refuses and creates none.
			for _, k := range []string{"audit.key", "sealer.key", signingKeyFile, "audit-signing.pub"} {
				os.Remove(filepath.Join(dst, "keys", k))
			}
			for _, cmd := range [][]string{{"audit", "verify"}, {"backup", filepath.Join(t.TempDir(), "x.bak")}, {"user", "create", "--username", "bob", "--role", "analyst", "--org", "1"}, {"serve", "--listen", "127.0.0.1:0"}} {
				code, out, errOut := runCLI(t, "", append(cmd, dstArgs...)...)
				if code == 0 || strings.Contains(out, "OK") || !strings.Contains(errOut, filepath.Join(dst, "keys", "audit.key")) ||
					!strings.Contains(errOut, "copy them from the backup's keys") {
					t.Errorf("%v on a database without keys: %d %s %s", cmd, code, out, errOut)
				}
				if len(keyFiles(dst)) > 0 {
					t.Fatalf("%v created keys %v", cmd, keyFiles(dst))
				}
			}
		})
	}
}

// A data directory holding only the SQLite file (its keys left behind)
// is refused with the file named, and no key is made.
func TestVerifyDatabaseOnlyDirectory(t *testing.T) {
	src := t.TempDir()
	if code, _, errOut := runCLI(t, "", "user", "create", "--admin", "--username", "root", "--org-name", "测试市委网信办", "--data-dir", src); code != 0 {
		t.Fatal(errOut)
	}
	dbOnly := t.TempDir()
	data, err := os.ReadFile(filepath.Join(src, "fenghuo.db"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dbOnly, "fenghuo.db"), data, 0o600)
	code, out, errOut := runCLI(t, "", "audit", "verify", "--data-dir", dbOnly)
	if code != 1 || strings.Contains(out, "BROKEN") || !strings.Contains(errOut, "key files "+filepath.Join(dbOnly, "keys", "audit.key")+" and ") ||
		!strings.Contains(errOut, "audit entries") {
		t.Errorf("verify: %d %q %q", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(dbOnly, "keys")); !os.IsNotExist(err) {
		t.Errorf("verify created %s (keys %v)", filepath.Join(dbOnly, "keys"), keyFiles(dbOnly))
	}
	// A new database still gets its keys.
	fresh := t.TempDir()
	if code, out, errOut := runCLI(t, "", "audit", "verify", "--data-dir", fresh); code != 0 || !strings.HasPrefix(out, "OK: 0 entries") {
		t.Errorf("new database: %d %s %s", code, out, errOut)
	}
	if k := keyFiles(fresh); len(k) != 2 {
		t.Errorf("new database keys %v", k)
	}
}
