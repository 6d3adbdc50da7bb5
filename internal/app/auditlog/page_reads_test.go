package auditlog_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/apptest"
	"fenghuo/internal/audit"
)

// readActions lists the read entries written since before, oldest first,
// as "action detail".
func readActions(t *testing.T, e *apptest.Env, auditor *app.Actor, before int) []string {
	t.Helper()
	reads := search(t, e, auditor, audit.KindRead)
	var out []string
	for i := len(reads) - before - 1; i >= 0; i-- {
		out = append(out, strings.TrimSpace(reads[i].Action+" "+reads[i].Detail))
	}
	return out
}

func wantReads(t *testing.T, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("reads:\n got %q\nwant %q", got, want)
	}
}

// The tabs of an incident's console page are one view: the first tab a
// session opens writes incident.read (the reports tab report.read), the
// others opened within ten minutes write nothing; another session, or the
// same one ten minutes later, is a new view. The API's reads of the
// incident's parts are each a read of their own, under the console's
// action names.
func TestIncidentPageTabsAreOneView(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	reader, auditor, inc := readsFixture(t, e)
	before := len(search(t, e, auditor, audit.KindRead))
	page := *reader
	page.SessionHash = "session-1"
	tab := func(ac *app.Actor, reports bool) {
		t.Helper()
		if _, err := e.App.Incidents.ViewIncidentPage(ctx, ac, inc.ID); err != nil {
			t.Fatal(err)
		}
		if reports {
			if _, _, err := e.App.Incidents.ViewReportsPage(ctx, ac, inc.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Facts, reports, timeline, evidence, reports again, facts again.
	tab(&page, false)
	tab(&page, true)
	tab(&page, false)
	tab(&page, false)
	tab(&page, true)
	e.Clock.Advance(9 * time.Minute)
	tab(&page, false)
	wantReads(t, readActions(t, e, auditor, before), "incident.read", `report.read {"reports":0}`)

	// Another session of the same person is another view.
	other := *reader
	other.SessionHash = "session-2"
	tab(&other, false)
	// Ten minutes after the first entry, the same session's tab is a view.
	e.Clock.Advance(time.Minute)
	tab(&page, true)
	wantReads(t, readActions(t, e, auditor, before), "incident.read", `report.read {"reports":0}`,
		"incident.read", "incident.read", `report.read {"reports":0}`)

	// The API (no console session): every request is a read, named as the
	// console's.
	before = len(search(t, e, auditor, audit.KindRead))
	for range 2 {
		if _, _, err := e.App.Incidents.ViewTimeline(ctx, reader, inc.ID); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.App.Incidents.ViewEvidence(ctx, reader, inc.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.App.Incidents.ViewReports(ctx, reader, inc.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Incidents.ViewIncidentPage(ctx, reader, inc.ID); err != nil {
		t.Fatal(err)
	}
	entries, _, _ := e.App.Incidents.Timeline(ctx, reader, inc.ID)
	tl := `incident.read {"entries":` + itoa(len(entries)) + `,"part":"timeline"}`
	wantReads(t, readActions(t, e, auditor, before), tl, tl, `incident.read {"files":0,"part":"evidence"}`,
		`report.read {"reports":0}`, "incident.read")
}

// Under audit_reads=none the console's tabs write nothing either.
func TestIncidentPageUnderNone(t *testing.T) {
	cfg := app.DefaultConfig()
	cfg.AuditReads = app.AuditReadsNone
	e := apptest.NewWith(t, cfg)
	ctx := context.Background()
	reader, auditor, inc := readsFixture(t, e)
	before := len(search(t, e, auditor, audit.KindRead))
	reader.SessionHash = "session-1"
	if _, err := e.App.Incidents.ViewIncidentPage(ctx, reader, inc.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.App.Incidents.ViewTimeline(ctx, reader, inc.ID); err != nil {
		t.Fatal(err)
	}
	wantReads(t, readActions(t, e, auditor, before))
}

func itoa(n int) string { return strconv.Itoa(n) }
