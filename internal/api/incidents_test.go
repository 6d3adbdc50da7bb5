package api_test

import (
	"fmt"
	"strings"
	"testing"

	"fenghuo/internal/fenghuo"
)

type incidentOut struct {
	ID      int64  `json:"id"`
	OrgID   int64  `json:"org_id"`
	Status  string `json:"status"`
	Grade   string `json:"grade"`
	Version int    `json:"version"`
	Grading []struct {
		Plan string `json:"plan"`
	} `json:"grading"`
}

// TestIncidentFlow: a school files an incident and its initial report; the
// county office sees it, receives the report and forwards it to the city.
func TestIncidentFlow(t *testing.T) {
	e := newEnv(t)
	e.user(t, "rep", "school", fenghuo.RoleUnitReporter)
	e.user(t, "duty", "county", fenghuo.RoleDutyOfficer)
	e.user(t, "ana", "county", fenghuo.RoleAnalyst)
	e.user(t, "duty2", "county2", fenghuo.RoleDutyOfficer)
	rep, duty, ana, duty2 := e.login(t, "rep"), e.login(t, "duty"), e.login(t, "ana"), e.login(t, "duty2")
	school := e.Orgs["school"].ID

	wantField(t, e.do(t, rep, "POST", "/api/v1/incidents", map[string]any{"org_id": school, "title": "x", "facts": map[string]any{"outage_hours": 3}}), "facts.outage_hours")
	wantField(t, e.do(t, rep, "POST", "/api/v1/incidents", map[string]any{"org_id": school, "title": "x", "channel": "phone", "caller": "张三"}), "channel")
	var inc incidentOut
	e.do(t, rep, "POST", "/api/v1/incidents", map[string]any{"org_id": school, "title": "门户网站被篡改",
		"facts": map[string]any{"cii": true, "outage_minutes": 30}}).want(t, 201).json(t, &inc)
	if inc.OrgID != school || inc.Status != "draft" || len(inc.Grading) == 0 {
		t.Fatalf("created %+v", inc)
	}
	base := fmt.Sprintf("/api/v1/incidents/%d", inc.ID)
	e.do(t, duty, "GET", base, nil).want(t, 200)
	e.do(t, duty2, "GET", base, nil).want(t, 404) // another county's office

	e.do(t, rep, "PUT", base+"/facts", map[string]any{"version": inc.Version, "facts": map[string]any{"cii": true, "outage_minutes": 90}}).want(t, 200).json(t, &inc)
	e.do(t, rep, "PUT", base+"/facts", map[string]any{"version": inc.Version - 1, "facts": map[string]any{}}).want(t, 409)
	wantField(t, e.do(t, rep, "PUT", base+"/facts", map[string]any{"facts": map[string]any{}}), "version")
	e.do(t, rep, "POST", base+"/grade", map[string]any{"grade": "II", "reason": "影响面扩大"}).want(t, 403)
	e.do(t, ana, "POST", base+"/grade", map[string]any{"grade": "II", "reason": "影响面扩大"}).want(t, 200).json(t, &inc)
	if inc.Grade != "II" {
		t.Fatalf("override: %+v", inc)
	}

	var form struct {
		Fields []struct {
			ID    string `json:"id"`
			Stage string `json:"stage"`
		} `json:"fields"`
	}
	e.do(t, rep, "GET", base+"/report-form", nil).want(t, 200).json(t, &form)
	content := map[string]string{}
	for _, f := range form.Fields {
		if f.Stage == "initial" {
			content[f.ID] = "2026-11-20 08:30 测试"
		}
	}
	report := map[string]any{"kind": "initial", "content": content, "signer": "王校长", "reporter_name": "李老师", "reporter_phone": "13800138000"}
	wantField(t, e.do(t, rep, "POST", base+"/reports", map[string]any{"kind": "initial", "content": map[string]string{},
		"signer": "王校长", "reporter_name": "李老师", "reporter_phone": "13800138000"}), "content."+form.Fields[0].ID)
	e.do(t, rep, "POST", base+"/reports", report).want(t, 201)

	var inbox listOut[struct {
		ID         int64 `json:"id"`
		IncidentID int64 `json:"incident_id"`
	}]
	e.do(t, duty, "GET", "/api/v1/inbox", nil).want(t, 200).json(t, &inbox)
	if inbox.Total != 1 || inbox.Items[0].IncidentID != inc.ID {
		t.Fatalf("county inbox: %+v", inbox)
	}
	delivery := fmt.Sprintf("/api/v1/inbox/%d", inbox.Items[0].ID)
	e.do(t, rep, "POST", delivery+"/receive", nil).want(t, 404) // not the school's inbox
	e.do(t, duty, "POST", delivery+"/forward", map[string]any{"to_org_id": e.Orgs["city"].ID}).want(t, 400)
	e.do(t, duty, "POST", delivery+"/receive", nil).want(t, 204)
	var fwd struct {
		To []string `json:"forwarded_to"`
	}
	e.do(t, duty, "POST", delivery+"/forward", map[string]any{"to_org_id": e.Orgs["city"].ID, "note": "请市办知悉"}).want(t, 200).json(t, &fwd)
	if len(fwd.To) == 0 {
		t.Fatalf("forwarded to nobody")
	}

	e.do(t, duty, "POST", base+"/notes", map[string]string{"text": "已电话联系学校"}).want(t, 204)
	wantField(t, e.do(t, duty, "POST", base+"/notes", map[string]string{"text": " "}), "text")
	var ev struct {
		ID  int64  `json:"id"`
		SM3 string `json:"sm3"`
	}
	e.do(t, rep, "POST", base+"/evidence", upload("access.log", "GET / 200\n")).want(t, 201).json(t, &ev)
	wantField(t, e.do(t, rep, "POST", base+"/evidence", map[string]string{"file": "x"}), "file")
	wantField(t, e.do(t, rep, "POST", base+"/evidence", upload("shell.exe", "MZ")), "file")
	r := e.do(t, duty, "GET", fmt.Sprintf("/api/v1/evidence/%d", ev.ID), nil).want(t, 200)
	if string(r.Body) != "GET / 200\n" || r.Header.Get("X-Content-SM3") != ev.SM3 || !strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("download: %v %q", r.Header, r.Body)
	}
	e.do(t, duty2, "GET", fmt.Sprintf("/api/v1/evidence/%d", ev.ID), nil).want(t, 404)

	var tl struct {
		Total  int  `json:"total"`
		Intact bool `json:"intact"`
	}
	e.do(t, duty, "GET", base+"/timeline", nil).want(t, 200).json(t, &tl)
	if !tl.Intact || tl.Total < 5 {
		t.Fatalf("timeline: %+v", tl)
	}
	var grades listOut[struct{ Grade string }]
	e.do(t, duty, "GET", base+"/grades", nil).want(t, 200).json(t, &grades)
	if grades.Total != 3 {
		t.Fatalf("grade history: %+v", grades)
	}
	var reports struct {
		Reports    []any `json:"reports"`
		Deliveries []any `json:"deliveries"`
	}
	e.do(t, duty, "GET", base+"/reports", nil).want(t, 200).json(t, &reports)
	if len(reports.Reports) != 1 || len(reports.Deliveries) < 2 {
		t.Fatalf("reports: %+v", reports)
	}

	var obs listOut[struct {
		ID         int64  `json:"id"`
		OwnerOrgID int64  `json:"owner_org_id"`
		State      string `json:"state"`
	}]
	e.do(t, rep, "GET", base+"/obligations", nil).want(t, 200).json(t, &obs)
	open := int64(0)
	for _, o := range obs.Items {
		if o.State == "open" && o.OwnerOrgID == school {
			open = o.ID
		}
	}
	if open == 0 {
		t.Fatalf("no open obligation of the school: %+v", obs)
	}
	done := fmt.Sprintf("/api/v1/obligations/%d/complete", open)
	wantField(t, e.do(t, rep, "POST", done, map[string]string{"note": ""}), "note")
	e.do(t, rep, "POST", done, map[string]string{"note": "已电话报告旗公安局"}).want(t, 204)
	e.do(t, rep, "POST", done, map[string]string{"note": "again"}).want(t, 409)

	var rec listOut[struct {
		OrgID  int64 `json:"org_id"`
		OnTime int   `json:"on_time"`
	}]
	e.do(t, duty, "GET", "/api/v1/reporting-records", nil).want(t, 200).json(t, &rec)
	if rec.Total == 0 {
		t.Fatalf("reporting records: %+v", rec)
	}
	var l listOut[incidentOut]
	e.do(t, duty, "GET", "/api/v1/incidents?open=true&grade=II", nil).want(t, 200).json(t, &l)
	if l.Total != 1 {
		t.Fatalf("open grade II incidents: %+v", l)
	}
	wantField(t, e.do(t, duty, "GET", "/api/v1/incidents?open=perhaps", nil), "open")

	// The follow-up and final reports, then both exports of the final one.
	all := map[string]string{}
	for _, f := range form.Fields {
		all[f.ID] = "续报内容:处置进展"
	}
	for _, kind := range []string{"follow_up", "final"} {
		e.do(t, rep, "POST", base+"/reports", map[string]any{"kind": kind, "content": all, "signer": "王校长",
			"reporter_name": "李老师", "reporter_phone": "13800138000"}).want(t, 201)
	}
	var filed struct {
		Reports []struct {
			ID   int64  `json:"id"`
			Kind string `json:"kind"`
		} `json:"reports"`
	}
	e.do(t, duty, "GET", base+"/reports", nil).want(t, 200).json(t, &filed)
	if len(filed.Reports) != 3 || filed.Reports[2].Kind != "final" {
		t.Fatalf("reports after final: %+v", filed)
	}
	for format, magic := range map[string]string{"pdf": "%PDF", "docx": "PK"} {
		r := e.do(t, duty, "GET", fmt.Sprintf("%s/reports/%d/%s", base, filed.Reports[2].ID, format), nil).want(t, 200)
		if !strings.HasPrefix(string(r.Body), magic) || !strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("%s export: %q %v", format, r.Body[:min(8, len(r.Body))], r.Header)
		}
	}
	e.do(t, duty2, "GET", fmt.Sprintf("%s/reports/%d/pdf", base, filed.Reports[2].ID), nil).want(t, 404)
	if r := e.do(t, duty, "GET", "/api/v1/incidents/export.xlsx", nil).want(t, 200); !strings.HasPrefix(string(r.Body), "PK") {
		t.Errorf("incident list export is not XLSX")
	}

	var draft incidentOut
	e.do(t, rep, "POST", "/api/v1/incidents", map[string]any{"org_id": school, "title": "误报"}).want(t, 201).json(t, &draft)
	wantField(t, e.do(t, rep, "POST", fmt.Sprintf("/api/v1/incidents/%d/status", draft.ID), map[string]string{"status": "closed"}), "reason")
	e.do(t, rep, "POST", fmt.Sprintf("/api/v1/incidents/%d/status", draft.ID), map[string]string{"status": "closed", "reason": "误报"}).want(t, 200).json(t, &draft)
	if draft.Status != "closed" {
		t.Fatalf("dismissed draft: %+v", draft)
	}
}
