package web_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// TestContactRevealAudited (issue 15 item 5): pages show a unit's
// liaison's mobile and an account's e-mail masked; the county's duty officer
// reveals the mobile and the audit log names who saw whose number; a viewer
// of the same county is refused, and the other county's officer does not
// even learn the record exists.
func TestContactRevealAudited(t *testing.T) {
	e, srv := console(t)
	ctx := context.Background()
	school := *e.Orgs["school"]
	school.Liaison = fenghuo.Liaison{Name: "王老师", Mobile: "13800138000"}
	school.ReportEmail = "cert@school.example.cn"
	if err := e.DB.UpdateOrg(ctx, &school); err != nil {
		t.Fatal(err)
	}
	duty, _ := e.User(t, "duty", "county", fenghuo.RoleDutyOfficer)
	e.User(t, "look", "county", fenghuo.RoleViewer)
	e.User(t, "other", "county2", fenghuo.RoleDutyOfficer)
	id := strconv.FormatInt(school.ID, 10)

	c := browser(t)
	if r := login(t, c, srv, "duty", apptest.Password); r.StatusCode != 303 {
		t.Fatalf("log-in: %d", r.StatusCode)
	}
	_, body := get(t, c, srv, "/orgs/"+id)
	if strings.Contains(body, "13800138000") || strings.Contains(body, "cert@school") ||
		!strings.Contains(body, "138****8000") || !strings.Contains(body, "c***@school.example.cn") {
		t.Fatal("the org page does not mask the contacts")
	}
	r, body := get(t, c, srv, "/contacts/org/"+id)
	if r.StatusCode != 200 || !strings.Contains(body, "13800138000") || !strings.Contains(body, "cert@school.example.cn") {
		t.Fatalf("reveal: %d, full mobile shown %v", r.StatusCode, strings.Contains(body, "13800138000"))
	}
	if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("reveal Cache-Control = %q", cc)
	}
	res, err := e.DB.AuditEntries(ctx, store.AuditFilter{ActionPrefix: "contact.full.read"}, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Items) != 1 {
		t.Fatalf("%d contact.full.read entries, want 1", len(res.Items))
	}
	got := res.Items[0]
	var detail struct {
		OrgID  int64    `json:"org_id"`
		Name   string   `json:"name"`
		Fields []string `json:"fields"`
	}
	if err := json.Unmarshal([]byte(got.Detail), &detail); err != nil {
		t.Fatal(err)
	}
	if got.ActorID != duty.ID || got.ObjectType != "org" || got.ObjectID != id || detail.OrgID != school.ID || detail.Name != "王老师" ||
		strings.Join(detail.Fields, ",") != "liaison_mobile,report_email" {
		t.Errorf("audit entry %+v, detail %+v", got, detail)
	}
	if strings.Contains(got.Detail, "13800138000") {
		t.Error("the audit entry holds the number itself")
	}

	v := browser(t)
	login(t, v, srv, "look", apptest.Password)
	if _, body := get(t, v, srv, "/orgs/"+id); strings.Contains(body, "/contacts/org/") || !strings.Contains(body, "138****8000") {
		t.Error("the viewer's page offers the reveal link or lacks the mask")
	}
	if r, body := get(t, v, srv, "/contacts/org/"+id); r.StatusCode != 403 || strings.Contains(body, "13800138000") {
		t.Errorf("viewer's reveal: %d, want 403", r.StatusCode)
	}
	o := browser(t)
	login(t, o, srv, "other", apptest.Password)
	if r, body := get(t, o, srv, "/contacts/org/"+id); r.StatusCode != 404 || strings.Contains(body, "13800138000") {
		t.Errorf("the other county's reveal: %d, want 404", r.StatusCode)
	}
	if r, _ := get(t, c, srv, "/contacts/nonsense/"+id); r.StatusCode != 400 {
		t.Errorf("an unknown kind: %d, want 400", r.StatusCode)
	}
	res, _ = e.DB.AuditEntries(ctx, store.AuditFilter{ActionPrefix: "contact.full.read"}, store.Page{})
	if len(res.Items) != 1 {
		t.Errorf("refused reveals were audited as reads: %d entries", len(res.Items))
	}
}
