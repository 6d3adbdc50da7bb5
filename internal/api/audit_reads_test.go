package api_test

import (
	"context"
	"fmt"
	"testing"

	"fenghuo/internal/fenghuo"
)

type auditRow struct {
	Action     string `json:"action"`
	Kind       string `json:"kind"`
	ObjectType string `json:"object_type"`
	ObjectID   string `json:"object_id"`
	ActorName  string `json:"actor_name"`
	IP         string `json:"ip"`
}

// TestAuditReads: viewing a contact's phone number through the API is a
// read in the audit search, so is an export; the list pages are not; the
// search keeps reads and changes apart.
func TestAuditReads(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	school := *e.Orgs["school"]
	school.Liaison = fenghuo.Liaison{Name: "王老师", Mobile: "13800138000"}
	if err := e.DB.UpdateOrg(ctx, &school); err != nil {
		t.Fatal(err)
	}
	e.user(t, "ana", "county", fenghuo.RoleAnalyst)
	e.user(t, "aud", "county", fenghuo.RoleAuditAdmin)
	ana, aud := e.login(t, "ana"), e.login(t, "aud")
	reads := func() listOut[auditRow] {
		t.Helper()
		var l listOut[auditRow]
		e.do(t, aud, "GET", "/api/v1/audit?audit_kind=read&limit=500", nil).want(t, 200).json(t, &l)
		return l
	}
	base := reads().Total

	e.do(t, ana, "GET", "/api/v1/orgs", nil).want(t, 200)
	e.do(t, ana, "GET", "/api/v1/incidents", nil).want(t, 200)
	if l := reads(); l.Total != base {
		t.Fatalf("list pages wrote %d reads: %+v", l.Total-base, l.Items)
	}

	var o struct {
		Liaison struct{ Mobile string } `json:"liaison"`
	}
	e.do(t, ana, "GET", fmt.Sprintf("/api/v1/orgs/%d", school.ID), nil).want(t, 200).json(t, &o)
	if o.Liaison.Mobile != "138****8000" {
		t.Fatalf("the org's liaison is not masked: %+v", o)
	}
	// The full number is one audited request away (issue 15 item 5).
	var full struct {
		Fields []struct{ Field, Value string } `json:"fields"`
	}
	e.do(t, ana, "GET", fmt.Sprintf("/api/v1/contacts/org/%d", school.ID), nil).want(t, 200).json(t, &full)
	if len(full.Fields) != 1 || full.Fields[0].Field != "liaison_mobile" || full.Fields[0].Value != "13800138000" {
		t.Fatalf("the revealed contacts: %+v", full)
	}
	e.do(t, ana, "GET", "/api/v1/incidents/export.xlsx", nil).want(t, 200)

	l := reads()
	if l.Total != base+3 || len(l.Items) < 3 {
		t.Fatalf("reads after a contact view, a reveal and an export: %d, want %d: %+v", l.Total, base+3, l.Items)
	}
	exp, reveal, contact := l.Items[0], l.Items[1], l.Items[2]
	if reveal.Action != "contact.full.read" || reveal.Kind != "read" || reveal.ObjectType != "org" ||
		reveal.ObjectID != fmt.Sprint(school.ID) || reveal.ActorName != "ana" {
		t.Errorf("the reveal in the audit search: %+v", reveal)
	}
	if contact.Action != "org.contact.read" || contact.Kind != "read" || contact.ObjectType != "org" ||
		contact.ObjectID != fmt.Sprint(school.ID) || contact.ActorName != "ana" || contact.IP == "" {
		t.Errorf("the contact view in the audit search: %+v", contact)
	}
	if exp.Action != "export.incidents" || exp.Kind != "read" || exp.ActorName != "ana" {
		t.Errorf("the export in the audit search: %+v", exp)
	}
	var changes listOut[auditRow]
	e.do(t, aud, "GET", "/api/v1/audit?audit_kind=change&limit=500", nil).want(t, 200).json(t, &changes)
	for _, c := range changes.Items {
		if c.Kind != "change" || c.Action == "org.contact.read" {
			t.Errorf("the change search kept %+v", c)
		}
	}
	if changes.Total == 0 {
		t.Error("no changes (the log-ins at least)")
	}
	wantField(t, e.do(t, aud, "GET", "/api/v1/audit?audit_kind=views", nil), "audit_kind")

	var v struct {
		OK      bool  `json:"ok"`
		Checked int64 `json:"checked"`
	}
	e.do(t, aud, "POST", "/api/v1/audit/verify", nil).want(t, 200).json(t, &v)
	if !v.OK || v.Checked < int64(l.Total) {
		t.Fatalf("verify with reads in the chain: %+v", v)
	}
}

// TestAuditReadsIncidentParts: the API's incident sub-resources are reads
// in the audit search under the console's action names — the timeline and
// the evidence list as incident.read, the reports as report.read, a
// download as export.evidence — one entry per request, in the caller's
// name and from its address.
func TestAuditReadsIncidentParts(t *testing.T) {
	e := newEnv(t)
	e.user(t, "rep", "school", fenghuo.RoleUnitReporter)
	e.user(t, "ana", "county", fenghuo.RoleAnalyst)
	e.user(t, "aud", "county", fenghuo.RoleAuditAdmin)
	rep, ana, aud := e.login(t, "rep"), e.login(t, "ana"), e.login(t, "aud")
	var inc incidentOut
	e.do(t, rep, "POST", "/api/v1/incidents", map[string]any{"org_id": e.Orgs["school"].ID, "title": "门户网站被篡改"}).want(t, 201).json(t, &inc)
	base := fmt.Sprintf("/api/v1/incidents/%d", inc.ID)
	var ev struct {
		ID int64 `json:"id"`
	}
	e.do(t, rep, "POST", base+"/evidence", upload("access.log", "GET / 200\n")).want(t, 201).json(t, &ev)
	reads := func() listOut[auditRow] {
		t.Helper()
		var l listOut[auditRow]
		e.do(t, aud, "GET", "/api/v1/audit?audit_kind=read&limit=500", nil).want(t, 200).json(t, &l)
		return l
	}
	before := reads().Total

	var files struct {
		Items []struct {
			ID       int64  `json:"id"`
			Filename string `json:"filename"`
			SM3      string `json:"sm3"`
			Note     string `json:"note"`
		} `json:"items"`
	}
	e.do(t, ana, "GET", base+"/evidence", nil).want(t, 200).json(t, &files)
	if len(files.Items) != 1 || files.Items[0].ID != ev.ID || files.Items[0].Filename != "access.log" || len(files.Items[0].SM3) != 64 || files.Items[0].Note != "test" {
		t.Fatalf("evidence list: %+v", files)
	}
	e.do(t, ana, "GET", base+"/timeline", nil).want(t, 200)
	e.do(t, ana, "GET", base+"/timeline", nil).want(t, 200)
	e.do(t, ana, "GET", base+"/reports", nil).want(t, 200)
	e.do(t, ana, "GET", fmt.Sprintf("/api/v1/evidence/%d", ev.ID), nil).want(t, 200)
	// Refused reads are not reads.
	e.user(t, "ana2", "county2", fenghuo.RoleAnalyst)
	e.do(t, e.login(t, "ana2"), "GET", base+"/timeline", nil).want(t, 404)

	l := reads()
	if l.Total != before+5 {
		t.Fatalf("reads: %d new, want 5: %+v", l.Total-before, l.Items)
	}
	want := []string{"export.evidence", "report.read", "incident.read", "incident.read", "incident.read"}
	for i, w := range want {
		got := l.Items[i]
		if got.Action != w || got.Kind != "read" || got.ActorName != "ana" || got.ObjectType != "incident" ||
			got.ObjectID != fmt.Sprint(inc.ID) || got.IP == "" {
			t.Errorf("read %d: %+v, want %s of incident %d by ana", i, got, w, inc.ID)
		}
	}
}
