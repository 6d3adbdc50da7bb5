package auditlog_test

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/account"
	"fenghuo/internal/app/auditlog"
	"fenghuo/internal/apptest"
	"fenghuo/internal/audit"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// keepingEnv is an application with archives, an anchor file and the
// given syslog destination, in a temporary directory.
func keepingEnv(t *testing.T, syslog string) (*apptest.Env, app.AuditKeeping) {
	t.Helper()
	dir := t.TempDir()
	signer, err := audit.LoadOrCreateSigningKey(filepath.Join(dir, "keys", "audit-signing.key"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := app.DefaultConfig()
	cfg.AuditKeeping = app.AuditKeeping{Retention: 183 * 24 * time.Hour, ArchiveDir: filepath.Join(dir, "archive"), Signer: signer,
		AnchorFile: filepath.Join(dir, "other-disk", "anchors.log"), AnchorSyslog: syslog, AnchorInterval: time.Minute}
	return apptest.NewWith(t, cfg), cfg.AuditKeeping
}

// writeEntries appends n audit entries, one a minute from the clock's time.
func writeEntries(t *testing.T, e *apptest.Env, n int) {
	t.Helper()
	for i := range n {
		e.Clock.Advance(time.Minute)
		if err := e.App.Core.RecordAlone(context.Background(), app.SystemActor(), "org.update", "org", strconv.Itoa(i), audit.OutcomeSuccess, nil); err != nil {
			t.Fatal(err)
		}
	}
}

func mustVerify(t *testing.T, e *apptest.Env) *audit.LogResult {
	t.Helper()
	res, err := e.App.AuditLog.VerifyAudit(context.Background(), account.CLIActor())
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestArchiveOldEntries(t *testing.T) {
	e, k := keepingEnv(t, "")
	ctx := context.Background()
	defer auditlog.SetArchiveBatch(25)()
	writeEntries(t, e, 60)
	head, _ := e.DB.AuditHead(ctx)
	old := head.Seq
	e.Clock.Advance(100 * 24 * time.Hour)
	writeEntries(t, e, 5)

	// Nothing is past six months yet; and --before cannot reach into them.
	run, err := e.App.AuditLog.Archive(ctx, account.CLIActor(), time.Time{})
	if err != nil || len(run.Files) != 0 {
		t.Fatalf("within the retention: %+v %v", run, err)
	}
	if _, err := e.App.AuditLog.Archive(ctx, account.CLIActor(), e.Clock.Now().Add(-24*time.Hour)); fenghuo.ErrorCode(err) != fenghuo.EINVALID ||
		!strings.Contains(err.Error(), "within the retention of 183 days") {
		t.Errorf("--before within the retention: %v", err)
	}
	if _, err := e.App.AuditLog.Archive(ctx, app.SystemActor(), time.Time{}); err != nil {
		t.Errorf("the scheduler's actor: %v", err)
	}

	e.Clock.Advance(90 * 24 * time.Hour) // the first 60 are now 190 days old
	run, err = e.App.AuditLog.Archive(ctx, account.CLIActor(), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	wantFiles := int((old + 24) / 25)
	if len(run.Files) != wantFiles || run.Entries != old {
		t.Fatalf("archived %d entries in %v, want %d in %d files", run.Entries, run.Files, old, wantFiles)
	}
	if run.Files[0] != audit.ArchiveName(1, 25) {
		t.Errorf("first file %s", run.Files[0])
	}
	for _, f := range run.Files {
		info, err := os.Stat(filepath.Join(k.ArchiveDir, f))
		if err != nil || info.Mode().Perm() != 0o640 {
			t.Errorf("archive %s: %v %v", f, info, err)
		}
	}
	use, _ := e.DB.KeyUse(ctx)
	if use.AuditArchives != int64(wantFiles) {
		t.Errorf("archives recorded: %d", use.AuditArchives)
	}
	// The young entries (and the archive's own audit entries) stay.
	if first, err := e.DB.AuditEntryAt(ctx, old+1); err != nil || first.Action != "org.update" {
		t.Errorf("entry %d after archiving: %+v %v", old+1, first, err)
	}
	if _, err := e.DB.AuditEntryAt(ctx, old); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		t.Errorf("entry %d is still in the database: %v", old, err)
	}
	res := mustVerify(t, e)
	if !res.OK || res.Archives != wantFiles || res.ArchivedEntries != old {
		t.Fatalf("verify after archiving: %+v %+v", res, res.Problem)
	}
	// A second run finds nothing more to do.
	if run, err := e.App.AuditLog.Archive(ctx, account.CLIActor(), time.Time{}); err != nil || len(run.Files) != 0 {
		t.Errorf("second run: %+v %v", run, err)
	}

	// One changed byte in an archive is named by file and entry.
	second := filepath.Join(k.ArchiveDir, audit.ArchiveName(26, 50))
	data, _ := os.ReadFile(second)
	i := bytes.Index(data, []byte(`"seq":30,`))
	j := i + bytes.Index(data[i:], []byte(`"object_id":"`)) + len(`"object_id":"`)
	data[j]++ // "28" → "38"
	if err := os.WriteFile(second, data, 0o640); err != nil {
		t.Fatal(err)
	}
	res = mustVerify(t, e)
	if res.OK || res.Problem.File != audit.ArchiveName(26, 50) || res.Problem.Seq != 30 || res.Problem.Kind != audit.ProblemAltered {
		t.Fatalf("changed byte: %+v", res.Problem)
	}
	if !strings.Contains(res.Problem.Message, "archive "+audit.ArchiveName(26, 50)+": entry 30 (") {
		t.Errorf("message: %s", res.Problem.Message)
	}
	// A removed archive is a gap.
	if err := os.Remove(second); err != nil {
		t.Fatal(err)
	}
	if res = mustVerify(t, e); res.OK || res.Problem.Kind != audit.ProblemRemoved || res.Problem.Seq != 26 {
		t.Fatalf("removed archive: %+v", res.Problem)
	}
}

// The archiver stopped after writing a file and before removing its
// entries: the next run completes that file, and writes no second copy.
func TestArchiveCompletesAnInterruptedRun(t *testing.T) {
	e, k := keepingEnv(t, "")
	ctx := context.Background()
	writeEntries(t, e, 30)
	e.Clock.Advance(200 * 24 * time.Hour)
	// What the archiver writes before it removes anything.
	var entries []audit.Entry
	for ent, err := range e.DB.AuditIter(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, ent)
	}
	var buf bytes.Buffer
	if _, err := e.App.Core.Chain().WriteArchive(&buf, k.Signer, audit.Anchor{Hash: audit.Genesis()}, entries[:20], e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(k.ArchiveDir, 0o700)
	if err := os.WriteFile(filepath.Join(k.ArchiveDir, audit.ArchiveName(1, 20)), buf.Bytes(), 0o640); err != nil {
		t.Fatal(err)
	}
	if res := mustVerify(t, e); !res.OK || res.Archives != 1 {
		t.Fatalf("the interrupted state verifies: %+v %+v", res, res.Problem)
	}
	run, err := e.App.AuditLog.Archive(ctx, account.CLIActor(), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(run.Files) != 2 || run.Files[0] != audit.ArchiveName(1, 20) || run.Entries != int64(len(entries)) {
		t.Fatalf("run after the crash: %+v", run)
	}
	names, _ := os.ReadDir(k.ArchiveDir)
	if len(names) != 2 {
		t.Errorf("archive directory: %v", names)
	}
	if res := mustVerify(t, e); !res.OK || res.Archives != 2 || res.ArchivedEntries != int64(len(entries)) {
		t.Fatalf("after completing: %+v %+v", res, res.Problem)
	}
}

func TestArchiveNeedsTheSigningKey(t *testing.T) {
	e, _ := keepingEnv(t, "")
	ctx := context.Background()
	writeEntries(t, e, 10)
	e.Clock.Advance(200 * 24 * time.Hour)
	if _, err := e.App.AuditLog.Archive(ctx, account.CLIActor(), time.Time{}); err != nil {
		t.Fatal(err)
	}
	// The same database seen by an application without the key.
	cfg := e.App.Core.Config()
	cfg.AuditKeeping.Signer = nil
	_, other := apptest.OpenAppWith(t, e.DSN, cfg)
	if _, err := other.AuditLog.VerifyAudit(ctx, account.CLIActor()); err == nil || !strings.Contains(err.Error(), "audit-signing key") {
		t.Errorf("verify without the signing key: %v", err)
	}
	// A console user without the audit right cannot archive nor read the state.
	an, _ := e.User(t, "analyst", "county", fenghuo.RoleAnalyst)
	if _, err := e.App.AuditLog.Archive(ctx, e.Actor(t, an), time.Time{}); fenghuo.ErrorCode(err) != fenghuo.EFORBIDDEN {
		t.Errorf("archive from the console: %v", err)
	}
	if _, err := e.App.AuditLog.KeepingState(ctx, e.Actor(t, an)); fenghuo.ErrorCode(err) != fenghuo.EFORBIDDEN {
		t.Errorf("state for an analyst: %v", err)
	}
}

// The anchor goes to the file and to a syslog receiver on loopback (UDP and
// TCP); the console's state shows it.
func TestAnchorToFileAndSyslog(t *testing.T) {
	for _, network := range []string{"udp", "tcp"} {
		t.Run(network, func(t *testing.T) {
			got := make(chan string, 4)
			var addr string
			if network == "udp" {
				pc, err := net.ListenPacket("udp", "127.0.0.1:0")
				if err != nil {
					t.Fatal(err)
				}
				defer pc.Close()
				addr = pc.LocalAddr().String()
				go func() {
					buf := make([]byte, 2048)
					for {
						n, _, err := pc.ReadFrom(buf)
						if err != nil {
							return
						}
						got <- string(buf[:n])
					}
				}()
			} else {
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				if err != nil {
					t.Fatal(err)
				}
				defer ln.Close()
				addr = ln.Addr().String()
				go func() {
					for {
						c, err := ln.Accept()
						if err != nil {
							return
						}
						r := bufio.NewReader(c)
						lenText, _ := r.ReadString(' ')
						n, _ := strconv.Atoi(strings.TrimSpace(lenText))
						msg := make([]byte, n)
						if _, err := io.ReadFull(r, msg); err == nil {
							got <- string(msg)
						}
						c.Close()
					}
				}()
			}
			e, k := keepingEnv(t, network+"://"+addr)
			ctx := context.Background()
			writeEntries(t, e, 3)

			// The scheduler's pass anchors once per interval (after its other
			// passes, which may audit what they do).
			if _, err := e.App.Scheduler.Tick(ctx); err != nil {
				t.Fatal(err)
			}
			head, _ := e.DB.AuditHead(ctx)
			var msg string
			select {
			case msg = <-got:
			case <-time.After(10 * time.Second):
				t.Fatal("no syslog message")
			}
			if !strings.HasPrefix(msg, "<109>1 ") || !strings.HasSuffix(msg, " fenghuo - audit-anchor - audit chain head "+head.String()) {
				t.Errorf("syslog message %q", msg)
			}
			data, err := os.ReadFile(k.AnchorFile)
			if err != nil {
				t.Fatal(err)
			}
			anchors, err := audit.ReadAnchorLines(bytes.NewReader(data), "f")
			if err != nil || len(anchors) != 1 || anchors[0].String() != head.String() || !anchors[0].Time.Equal(e.Clock.Now()) {
				t.Fatalf("anchor file %q: %v", data, err)
			}
			// Within the interval nothing more is written; after it, the new head.
			writeEntries(t, e, 1) // the clock moves a minute: the interval
			e.Clock.Advance(-30 * time.Second)
			e.App.Scheduler.Tick(ctx)
			if data2, _ := os.ReadFile(k.AnchorFile); len(data2) != len(data) {
				t.Errorf("anchored again within the interval")
			}
			e.Clock.Advance(30 * time.Second)
			e.App.Scheduler.Tick(ctx)
			select {
			case <-got:
			case <-time.After(10 * time.Second):
				t.Fatal("no second syslog message")
			}
			head2, _ := e.DB.AuditHead(ctx)
			st, err := e.App.AuditLog.KeepingState(ctx, auditAdmin(t, e))
			if err != nil {
				t.Fatal(err)
			}
			if st.LastAnchor == nil || st.LastAnchor.Seq != head2.Seq || st.LastAnchor.File != k.AnchorFile || st.LastAnchor.Syslog != k.AnchorSyslog ||
				st.LastAnchor.FileError != "" || st.LastAnchor.SyslogError != "" || st.RetentionDays != 183 || st.AnchorIntervalSeconds != 60 {
				t.Errorf("state: %+v %+v", st, st.LastAnchor)
			}
			if res := mustVerify(t, e); !res.OK || res.Anchors != 2 || res.Newest.Seq != head2.Seq || head2.Seq <= head.Seq {
				t.Errorf("verify with the anchors: %+v %+v", res, res.Problem)
			}
		})
	}
}

// A syslog server that is not there is recorded as the anchor's failure;
// the file is written all the same.
func TestAnchorSyslogFailure(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	e, k := keepingEnv(t, "tcp://"+addr)
	ctx := context.Background()
	writeEntries(t, e, 2)
	rec, err := e.App.AuditLog.WriteAnchor(ctx, true)
	if err == nil || rec == nil || rec.SyslogError == "" || rec.FileError != "" || !strings.Contains(err.Error(), "anchor to syslog tcp://"+addr) {
		t.Fatalf("unreachable syslog: %+v %v", rec, err)
	}
	if data, _ := os.ReadFile(k.AnchorFile); !strings.Contains(string(data), rec.Hash) {
		t.Errorf("the file was not written: %q", data)
	}
}

func auditAdmin(t *testing.T, e *apptest.Env) *app.Actor {
	t.Helper()
	u, _ := e.User(t, "auditor", "city", fenghuo.RoleAuditAdmin)
	return e.Actor(t, u)
}

func TestKeepingSettingsChangesAreAudited(t *testing.T) {
	e, _ := keepingEnv(t, "")
	ctx := context.Background()
	changed, err := e.App.AuditLog.RecordKeepingSettings(ctx)
	if err != nil || !changed {
		t.Fatalf("first start: %v %v", changed, err)
	}
	if changed, err := e.App.AuditLog.RecordKeepingSettings(ctx); err != nil || changed {
		t.Fatalf("same settings again: %v %v", changed, err)
	}
	cfg := e.App.Core.Config()
	cfg.AuditKeeping.Retention = 400 * 24 * time.Hour
	_, other := apptest.OpenAppWith(t, e.DSN, cfg)
	if changed, err := other.AuditLog.RecordKeepingSettings(ctx); err != nil || !changed {
		t.Fatalf("a longer retention: %v %v", changed, err)
	}
	res, err := e.App.AuditLog.AuditEntries(ctx, auditAdmin(t, e), store.AuditFilter{ActionPrefix: "audit.settings"}, store.Page{})
	if err != nil || len(res.Items) != 2 {
		t.Fatalf("settings entries: %+v %v", res.Items, err)
	}
	d := res.Items[0].Detail
	if !strings.Contains(d, `"old":{"retention_days":183`) || !strings.Contains(d, `"new":{"retention_days":400`) {
		t.Errorf("detail %s", d)
	}
}
