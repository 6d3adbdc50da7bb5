package web_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/account"
	"fenghuo/internal/apptest"
	"fenghuo/internal/audit"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/server"
)

// TestAuditKeepingPanel: the audit page shows the retention, the last
// archive with its range and the last anchor with its destinations.
func TestAuditKeepingPanel(t *testing.T) {
	dir := t.TempDir()
	signer, err := audit.LoadOrCreateSigningKey(filepath.Join(dir, "audit-signing.key"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := app.DefaultConfig()
	cfg.AuditKeeping = app.AuditKeeping{Retention: 183 * 24 * time.Hour, ArchiveDir: filepath.Join(dir, "archive"), Signer: signer,
		AnchorFile: filepath.Join(dir, "anchors.log"), AnchorSyslog: "udp://127.0.0.1:9", AnchorInterval: time.Minute}
	e := apptest.NewWith(t, cfg)
	h, err := server.NewHandler(e.App, server.HandlerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	ctx := context.Background()
	_, secret := e.User(t, "aud", "city", fenghuo.RoleAuditAdmin)
	a := browser(t)
	loginTOTP(t, a, srv, e, "aud", secret)
	_, body := get(t, a, srv, "/audit")
	for _, want := range []string{"留存、归档与锚定", "183 天（不少于 183 天：《网络安全法》第二十一条）", "尚无归档", "尚未写入锚点", filepath.Join(dir, "anchors.log"), "udp://127.0.0.1:9"} {
		if !strings.Contains(body, want) {
			t.Errorf("before any archive: the page lacks %q", want)
		}
	}

	e.Clock.Advance(200 * 24 * time.Hour)
	run, err := e.App.AuditLog.Archive(ctx, account.CLIActor(), time.Time{})
	if err != nil || len(run.Files) != 1 {
		t.Fatalf("archive: %+v %v", run, err)
	}
	rec, err := e.App.AuditLog.WriteAnchor(ctx, true)
	if err != nil || rec == nil {
		t.Fatalf("anchor: %+v %v", rec, err)
	}
	a = browser(t) // the session ended in those 200 days
	loginTOTP(t, a, srv, e, "aud", secret)
	_, body = get(t, a, srv, "/audit")
	for _, want := range []string{run.Files[0], fmt.Sprintf("第 1 至 %d 条，共 %d 条", run.Entries, run.Entries), "累计 1 个归档文件",
		fmt.Sprintf("第 %d 条记录", rec.Seq), rec.Hash, audit.PublicKeyID(signer.PublicKey()), "每 60 秒及关闭时写入"} {
		if !strings.Contains(body, want) {
			t.Errorf("after archiving and anchoring: the page lacks %q", want)
		}
	}
	post(t, a, srv, "/lang", url.Values{"lang": {"en"}, "back": {"/audit"}})
	_, body = get(t, a, srv, "/audit")
	if !strings.Contains(body, "Retention, archives and anchors") || !strings.Contains(body, "183 days (at least 183: Cybersecurity Law art. 21)") {
		t.Error("the English panel")
	}
	post(t, a, srv, "/lang", url.Values{"lang": {"zh"}, "back": {"/audit"}})
	// The archive is audited in words.
	if _, body = get(t, a, srv, "/audit?action=audit.archive"); !strings.Contains(body, "归档审计记录") {
		t.Error("the archive's audit entry is not shown in words")
	}
}
