package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/app/incident"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// TestAuditReadsPage: an analyst opens a unit's page, which shows its
// liaison's name and masked mobile number; the audit search shows that view as a read, in
// words, and keeps it out of the changes. The org list writes no read.
func TestAuditReadsPage(t *testing.T) {
	e, srv := console(t)
	ctx := context.Background()
	school := *e.Orgs["school"]
	school.Liaison = fenghuo.Liaison{Name: "王老师", Mobile: "13800138000"}
	if err := e.DB.UpdateOrg(ctx, &school); err != nil {
		t.Fatal(err)
	}
	e.User(t, "ana", "county", fenghuo.RoleAnalyst)
	_, secret := e.User(t, "aud", "city", fenghuo.RoleAuditAdmin)
	c := browser(t)
	if r := login(t, c, srv, "ana", apptest.Password); r.StatusCode != 303 {
		t.Fatalf("log-in: %d", r.StatusCode)
	}
	if r, _ := get(t, c, srv, "/orgs"); r.StatusCode != 200 {
		t.Fatalf("/orgs: %d", r.StatusCode)
	}
	a := browser(t)
	loginTOTP(t, a, srv, e, "aud", secret)
	if _, body := get(t, a, srv, "/audit?audit_kind=read"); strings.Contains(body, "org.contact.read") {
		t.Fatal("the org list was audited as a contact read")
	}
	// The page shows the mobile masked (issue 15 item 5), with the link
	// that shows it in full.
	if r, body := get(t, c, srv, "/orgs/"+strconv.FormatInt(school.ID, 10)); r.StatusCode != 200 || strings.Contains(body, "13800138000") ||
		!strings.Contains(body, "138****8000") || !strings.Contains(body, `href="/contacts/org/`+strconv.FormatInt(school.ID, 10)+`"`) {
		t.Fatalf("the school's page: %d, mobile shown in full %v", r.StatusCode, strings.Contains(body, "13800138000"))
	}
	r, body := get(t, a, srv, "/audit?audit_kind=read")
	if r.StatusCode != 200 || !strings.Contains(body, "查看联系人电话") || !strings.Contains(body, "org.contact.read") ||
		!strings.Contains(body, `<span class="badge">读取</span>`) || !strings.Contains(body, `value="read" selected`) {
		t.Fatalf("the read search: %d, missing the contact view as a read", r.StatusCode)
	}
	if strings.Contains(body, "auth.login.success") {
		t.Error("the read search shows log-ins")
	}
	_, body = get(t, a, srv, "/audit?audit_kind=change")
	if strings.Contains(body, "org.contact.read") || !strings.Contains(body, "auth.login.success") {
		t.Error("the change search shows the contact view or misses the log-ins")
	}
	if r, _ := get(t, a, srv, "/audit?audit_kind=views"); r.StatusCode != 400 {
		t.Errorf("an unknown kind: %d, want 400", r.StatusCode)
	}
}

// TestIncidentTabsAreOneView: an analyst opens an incident and goes through
// its tabs; the audit log has one view of the incident (and one of its
// reports), not one per tab. Logging in again is a new view.
func TestIncidentTabsAreOneView(t *testing.T) {
	e, srv := console(t)
	ctx := context.Background()
	rep, _ := e.User(t, "rep", "school", fenghuo.RoleUnitReporter)
	inc, err := e.App.Incidents.CreateIncident(ctx, e.Actor(t, rep), incident.IncidentInput{OrgID: e.Orgs["school"].ID, Title: "网站篡改",
		Category: "IAI", DiscoveredAt: e.Clock.Now(), OccurredAt: e.Clock.Now()})
	if err != nil {
		t.Fatal(err)
	}
	e.User(t, "ana", "county", fenghuo.RoleAnalyst)
	views := func() (incident, reports int) {
		t.Helper()
		res, err := e.DB.AuditEntries(ctx, store.AuditFilter{Kind: "read"}, store.Page{Limit: store.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range res.Items {
			if a.ObjectID != strconv.FormatInt(inc.ID, 10) || a.ActorName != "ana" {
				continue
			}
			switch a.Action {
			case "incident.read":
				incident++
			case "report.read":
				reports++
			}
		}
		return incident, reports
	}
	c := browser(t)
	login(t, c, srv, "ana", apptest.Password)
	base := "/incidents/" + strconv.FormatInt(inc.ID, 10)
	for _, tab := range []string{"", "/reports", "/tasks", "/response", "/timeline", "/evidence", "/documents", "/reports", ""} {
		if r, _ := get(t, c, srv, base+tab); r.StatusCode != 200 {
			t.Fatalf("%s: %d", base+tab, r.StatusCode)
		}
	}
	if i, r := views(); i != 1 || r != 1 {
		t.Fatalf("after going through the tabs: %d incident views, %d report views; want 1 and 1", i, r)
	}
	d := browser(t)
	login(t, d, srv, "ana", apptest.Password)
	get(t, d, srv, base+"/timeline")
	if i, _ := views(); i != 2 {
		t.Fatalf("a new log-in: %d incident views, want 2", i)
	}
	e.Clock.Advance(10 * time.Minute)
	get(t, c, srv, base+"/evidence")
	if i, _ := views(); i != 3 {
		t.Fatalf("ten minutes later: %d incident views, want 3", i)
	}
}
