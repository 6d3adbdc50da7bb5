package monitor_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/monitor"
	"fenghuo/internal/store"
)

// flakySink fails its first n alerts, then passes them to the app.
type flakySink struct {
	monitor.Sink
	failures atomic.Int32
}

func (s *flakySink) Alert(ctx context.Context, a monitor.Alert) (int64, error) {
	if s.failures.Add(-1) >= 0 {
		return 0, errors.New("database briefly unavailable")
	}
	return s.Sink.Alert(ctx, a)
}

// TestHostileExcerptStillOpensDraft: hidden links whose text and address
// hold invalid UTF-8 and NUL (an attacker's way to make the incident's
// description unstorable, so that no incident opens) still open the draft,
// with the text cleaned; and when opening the draft fails, the monitor shows
// a failed check with the reason and the next check opens it, instead of
// the alert group swallowing it for good.
func TestHostileExcerptStillOpensDraft(t *testing.T) {
	e, _, svc, _ := setup(t)
	ctx := context.Background()
	var tampered atomic.Bool
	day := atomic.Int32{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		extra := ""
		if tampered.Load() {
			extra = "<div style=\"display:none\"><a href=\"http://\xff.casino.example/\">\xff博彩\x00开奖</a>" +
				"<a href=\"http://bet\xfe.example/\">六合彩\xff</a><a href=\"http://x\xff.example/\">百家乐\x00</a></div>"
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		page := strings.Replace(portalPage, "%s", "2026-11-1"+string(rune('0'+day.Load())), 1)
		w.Write([]byte(strings.Replace(page, "%s", extra, 1)))
	}))
	t.Cleanup(srv.Close)
	sys := &fenghuo.System{OrgID: e.Orgs["hospital"].ID, Name: "甲县人民医院网站", Exposure: []fenghuo.Exposure{{Kind: "url", Value: srv.URL + "/"}}}
	if err := e.DB.CreateSystem(ctx, sys); err != nil {
		t.Fatal(err)
	}
	m := &store.Monitor{SystemID: sys.ID, URL: srv.URL + "/", Interval: 5 * time.Minute, NextDueAt: e.Clock.Now()}
	if err := e.DB.CreateMonitor(ctx, m); err != nil {
		t.Fatal(err)
	}
	sink := &flakySink{Sink: svc.Sink}
	svc.Sink = sink
	for i := 0; i < 3; i++ {
		day.Store(int32(i))
		runFor(t, e, svc, 5*time.Minute, 5*time.Minute)
	}
	drafts := func() []fenghuo.Incident {
		var out []fenghuo.Incident
		for _, inc := range incidentsOf(t, e) {
			if inc.OrgID == e.Orgs["hospital"].ID {
				out = append(out, inc)
			}
		}
		return out
	}
	if got := drafts(); len(got) != 0 {
		t.Fatalf("learning raised incidents: %+v", got)
	}
	tampered.Store(true)
	sink.failures.Store(1)
	// Seen, confirmed: the sink fails once.
	runFor(t, e, svc, time.Minute+svc.Confirm, time.Minute)
	got, err := e.DB.Monitor(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != monitor.StatusFailed || !strings.Contains(got.LastError, "could not be recorded") || !strings.Contains(got.LastError, "briefly unavailable") {
		t.Fatalf("after the sink failed: status %q, reason %q; want a failed check with its reason", got.Status, got.LastError)
	}
	if len(drafts()) != 0 {
		t.Fatal("a draft opened although the sink failed")
	}
	// The next checks hand the unlinked group over again.
	runFor(t, e, svc, 10*time.Minute+svc.Confirm, time.Minute)
	ds := drafts()
	var titles []string
	for _, d := range ds {
		titles = append(titles, d.Title)
		if !utf8.ValidString(d.Description) || strings.ContainsRune(d.Description, 0) || !strings.Contains(d.Description, "博彩") {
			t.Errorf("description not cleaned: %q", d.Description)
		}
	}
	if !strings.Contains(strings.Join(titles, " | "), "暗链植入") {
		t.Fatalf("drafts after the retry: %q", titles)
	}
	// Linked: a continuing alert opens nothing more.
	runFor(t, e, svc, 15*time.Minute, 5*time.Minute)
	if again := drafts(); len(again) != len(ds) {
		t.Fatalf("a continuing alert opened more drafts: %d → %d", len(ds), len(again))
	}
	if got, _ := e.DB.Monitor(ctx, m.ID); got.Status == monitor.StatusFailed {
		t.Fatalf("still failing: %s", got.LastError)
	}
}
