package cli

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/audit"
	"fenghuo/internal/auth"
	"fenghuo/internal/keyfile"
	"fenghuo/internal/store"
)

// dbOf returns the database URL of engineArgs' flags.
func dbOf(args []string, dir string) string {
	for i := range args {
		if args[i] == "--db" {
			return args[i+1]
		}
	}
	return filepath.Join(dir, "fenghuo.db")
}

// appendEntries appends n entries to the database at dsn with the data
// directory's audit key, as the server does, at time at (now when zero).
func appendEntries(t *testing.T, dsn, dir string, n int, at time.Time) audit.Anchor {
	t.Helper()
	ctx := context.Background()
	key, err := audit.LoadKey(filepath.Join(dir, "keys", "audit.key"))
	if err != nil {
		t.Fatal(err)
	}
	chain, _ := audit.NewChain(key)
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var e audit.Entry
	for i := range n {
		e = audit.Entry{Time: at, ActorName: "alice", Action: "org.update", ObjectType: "org", ObjectID: fmt.Sprint(i), Outcome: audit.OutcomeSuccess}
		if !at.IsZero() {
			e.Time = at.Add(time.Duration(i) * time.Second)
		}
		if err := db.AppendAudit(ctx, chain, &e); err != nil {
			t.Fatal(err)
		}
	}
	// The head as sealed (on PostgreSQL by the store's sealer, which the
	// read runs first).
	head, err := db.AuditHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return head
}

// rewriteTail does what someone holding the database and the audit key can:
// delete the last n entries with SQL, move the head back, and chain
// keep entries of their own in their place with the real key.
func rewriteTail(t *testing.T, dsn, dir string, n, keep int) {
	t.Helper()
	driver := "sqlite"
	if strings.HasPrefix(dsn, "postgres") {
		driver = "pgx"
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	var head int64
	if err := raw.QueryRow("SELECT seq FROM audit_head WHERE id = 1").Scan(&head); err != nil {
		t.Fatal(err)
	}
	from := head - int64(n) + 1
	var prevHash string
	if err := raw.QueryRow(fmt.Sprintf("SELECT hash FROM audit_entries WHERE seq = %d", from-1)).Scan(&prevHash); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		fmt.Sprintf("DELETE FROM audit_entries WHERE seq >= %d", from),
		fmt.Sprintf("UPDATE audit_head SET seq = %d, hash = '%s' WHERE id = 1", from-1, prevHash),
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	if _, err := hex.DecodeString(prevHash); err != nil {
		t.Fatal(err)
	}
	if keep > 0 {
		appendEntries(t, dsn, dir, keep, time.Time{})
	}
}

// The acceptance of issue 15 item 4: deleting the audit table's last 100
// rows and re-chaining them is caught by the external anchor; without the
// anchor file the same log passes.
func TestAnchorCatchesARewrittenTail(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			dir := t.TempDir()
			args := engineArgs(t, engine, dir)
			if code, _, errOut := runCLI(t, "", append([]string{"user", "create", "--admin", "--username", "root", "--org-name", "测试市委网信办"}, args...)...); code != 0 {
				t.Fatal(errOut)
			}
			dsn := dbOf(args, dir)
			head := appendEntries(t, dsn, dir, 150, time.Time{})
			code, out, errOut := runCLI(t, "", append([]string{"audit", "anchor"}, args...)...)
			anchorFile := filepath.Join(dir, "audit-anchors.log")
			if code != 0 || !strings.Contains(out, "anchored "+head.String()+" in "+anchorFile) {
				t.Fatalf("anchor: %d %s %s", code, out, errOut)
			}
			code, out, _ = runCLI(t, "", append([]string{"audit", "verify"}, args...)...)
			if code != 0 || !strings.HasPrefix(out, "OK: ") || !strings.Contains(out, fmt.Sprintf("Anchors: 1 in %s, all matching; the newest, entry %d", anchorFile, head.Seq)) {
				t.Fatalf("verify before: %d %s", code, out)
			}

			rewriteTail(t, dsn, dir, 100, 100)
			code, out, _ = runCLI(t, "", append([]string{"audit", "verify"}, args...)...)
			want := fmt.Sprintf("BROKEN at entry %d (altered): entry %d (", head.Seq, head.Seq)
			if code != 1 || !strings.HasPrefix(out, want) || !strings.Contains(out, "is not the entry recorded in the anchor written at ") ||
				!strings.Contains(out, "anchor file "+anchorFile+", line 1") || !strings.Contains(out, "日志自此处起被重写") {
				t.Fatalf("the rewritten tail was not caught by the anchor: %d\n%s\nwant %s", code, out, want)
			}
			// Without the anchor file the rewritten log passes: it is the
			// anchor that catches it.
			moved := filepath.Join(t.TempDir(), "anchors.log")
			if err := os.Rename(anchorFile, moved); err != nil {
				t.Fatal(err)
			}
			if code, out, _ := runCLI(t, "", append([]string{"audit", "verify"}, args...)...); code != 0 || !strings.HasPrefix(out, "OK: ") || !strings.Contains(out, "Anchors: none") {
				t.Fatalf("without the anchor file: %d %s", code, out)
			}
			// --audit-anchor-file names a file on other storage.
			if code, out, _ := runCLI(t, "", append([]string{"audit", "verify", "--audit-anchor-file", moved}, args...)...); code != 1 || !strings.Contains(out, "anchor file "+moved+", line 1") {
				t.Fatalf("--audit-anchor-file: %d %s", code, out)
			}
			// Fewer entries chained back than were cut: the tail is missing.
			if err := os.Rename(moved, anchorFile); err != nil {
				t.Fatal(err)
			}
			rewriteTail(t, dsn, dir, 100, 40)
			code, out, _ = runCLI(t, "", append([]string{"audit", "verify"}, args...)...)
			if code != 1 || !strings.HasPrefix(out, fmt.Sprintf("BROKEN at entry %d (tail_removed)", head.Seq-59)) || !strings.Contains(out, "anchor file "+anchorFile+", line 1 records entry") {
				t.Fatalf("shorter rewrite: %d %s", code, out)
			}
		})
	}
}

// Only deleting rows (no re-chaining) leaves a shorter valid chain; the
// anchor file reports the missing tail.
func TestAnchorCatchesADeletedTail(t *testing.T) {
	dir := t.TempDir()
	args := engineArgs(t, "sqlite", dir)
	if code, _, errOut := runCLI(t, "", append([]string{"user", "create", "--admin", "--username", "root", "--org-name", "测试市委网信办"}, args...)...); code != 0 {
		t.Fatal(errOut)
	}
	head := appendEntries(t, dbOf(args, dir), dir, 120, time.Time{})
	if code, _, errOut := runCLI(t, "", append([]string{"audit", "anchor"}, args...)...); code != 0 {
		t.Fatal(errOut)
	}
	rewriteTail(t, dbOf(args, dir), dir, 100, 0)
	code, out, _ := runCLI(t, "", append([]string{"audit", "verify"}, args...)...)
	want := fmt.Sprintf("BROKEN at entry %d (tail_removed): entries %d to %d were removed from the end of the log", head.Seq-99, head.Seq-99, head.Seq)
	if code != 1 || !strings.HasPrefix(out, want) {
		t.Fatalf("deleted tail: %d %s\nwant %s", code, out, want)
	}
}

// fenghuo audit archive writes entries past the retention to a signed file,
// verify checks it, and a changed byte in it is named by file and entry.
func TestAuditArchiveCommand(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			dir := t.TempDir()
			args := engineArgs(t, engine, dir)
			// A server with a year-old log: its keys, then old entries.
			if _, err := audit.LoadOrCreateKey(filepath.Join(dir, "keys", "audit.key")); err != nil {
				t.Fatal(err)
			}
			if _, err := keyfile.LoadOrCreate(filepath.Join(dir, "keys", "sealer.key"), auth.SealerKeySize, "sealer"); err != nil {
				t.Fatal(err)
			}
			appendEntries(t, dbOf(args, dir), dir, 40, time.Now().Add(-400*24*time.Hour))
			appendEntries(t, dbOf(args, dir), dir, 5, time.Time{})

			if code, _, errOut := runCLI(t, "", append([]string{"audit", "archive", "--audit-retention-days", "100"}, args...)...); code == 0 ||
				!strings.Contains(errOut, "Cybersecurity Law (art. 21)") {
				t.Errorf("a retention of 100 days: %d %s", code, errOut)
			}
			code, out, errOut := runCLI(t, "", append([]string{"audit", "archive", "--before", time.Now().Add(-30 * 24 * time.Hour).Format(time.DateOnly)}, args...)...)
			if code == 0 || !strings.Contains(errOut, "within the retention of 365 days") {
				t.Errorf("--before within the retention: %d %s %s", code, out, errOut)
			}
			archiveDir := filepath.Join(t.TempDir(), "archive")
			code, out, errOut = runCLI(t, "", append([]string{"audit", "archive", "--dir", archiveDir}, args...)...)
			name := audit.ArchiveName(1, 40)
			if code != 0 || !strings.Contains(out, "archived "+filepath.Join(archiveDir, name)) || !strings.Contains(out, "40 entries before ") {
				t.Fatalf("archive: %d %s %s", code, out, errOut)
			}
			keyPath := filepath.Join(dir, "keys", "audit-signing.key")
			if info, err := os.Stat(keyPath); err != nil || info.Mode().Perm() != 0o600 {
				t.Fatalf("signing key: %v %v", info, err)
			}
			pubPEM, err := os.ReadFile(filepath.Join(dir, "keys", "audit-signing.pub"))
			if err != nil || !strings.Contains(string(pubPEM), "BEGIN PUBLIC KEY") {
				t.Fatalf("public key beside it: %q %v", pubPEM, err)
			}
			verify := append([]string{"audit", "verify", "--audit-archive-dir", archiveDir}, args...)
			code, out, _ = runCLI(t, "", verify...)
			if code != 0 || !strings.Contains(out, "of them in 1 signed archives in "+archiveDir) {
				t.Fatalf("verify with the archive: %d %s", code, out)
			}
			// The archive's signature checks with the published key alone.
			pub, err := audit.ParsePublicKeyPEM(pubPEM)
			if err != nil {
				t.Fatal(err)
			}
			data, _ := os.ReadFile(filepath.Join(archiveDir, name))
			sigLine := data[strings.LastIndex(strings.TrimSuffix(string(data), "\n"), "\n")+1:]
			var sig struct{ Signature string }
			if err := json.Unmarshal(sigLine, &sig); err != nil {
				t.Fatal(err)
			}
			sigBytes, _ := hex.DecodeString(sig.Signature)
			if !audit.VerifySignature(pub, data[:len(data)-len(sigLine)], sigBytes) {
				t.Error("the archive's signature does not check with audit-signing.pub")
			}

			// The signing key missing once archives exist: refused, not made anew.
			os.Rename(keyPath, keyPath+".away")
			code, _, errOut = runCLI(t, "", verify...)
			if code == 0 || !strings.Contains(errOut, keyPath) || !strings.Contains(errOut, "archives of audit entries signed with it") {
				t.Errorf("without the signing key: %d %s", code, errOut)
			}
			if _, err := os.Stat(keyPath); !os.IsNotExist(err) {
				t.Fatal("a new signing key was made")
			}
			os.Rename(keyPath+".away", keyPath)

			// One changed byte in the archive.
			i := strings.Index(string(data), `"object_id":"17"`)
			data[i+len(`"object_id":"1`)] = '8'
			os.WriteFile(filepath.Join(archiveDir, name), data, 0o640)
			code, out, _ = runCLI(t, "", verify...)
			if code != 1 || !strings.HasPrefix(out, "BROKEN at entry 18 in archive "+name+" (altered): archive "+name+": entry 18 (") {
				t.Fatalf("changed byte: %d %s", code, out)
			}
		})
	}
}
