package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"fenghuo/internal/app/incident"
	"fenghuo/internal/app/response"
	"fenghuo/internal/fenghuo"
)

// After the end of a response, GET /incidents/{id}/response lists in
// open_after_end the playbook tasks still open (the response service's
// OpenAfterEnd, which the console shows too); the standby tasks are done
// with "应急响应结束，解除待命" and are not listed. While the level holds the
// list is empty.
func TestResponseOpenAfterEnd(t *testing.T) {
	e := newEnv(t)
	u := e.user(t, "rep", "school", fenghuo.RoleUnitReporter)
	cmdUser := e.user(t, "cmd", "county", fenghuo.RoleCommander)
	rep := e.login(t, "rep")
	var inc incidentOut
	e.do(t, rep, "POST", "/api/v1/incidents", map[string]any{"org_id": e.Orgs["school"].ID, "title": "服务器被勒索病毒加密",
		"category": "OMI", "facts": map[string]any{"social_impact": "serious"}}).want(t, 201).json(t, &inc)
	content := map[string]string{}
	for _, id := range []string{"unit_and_system", "event_details", "development", "preliminary_cause", "tracing_leads",
		"further_measures", "scene_protection", "other", "occurred_time", "unit", "people_affected_text", "expected_loss",
		"system_overview", "department", "system_name", "protection_level", "grade", "category", "occurred_at", "ended_at",
		"description", "scope", "measures", "result", "reporting_unit", "reporter", "phone"} {
		content[id] = "内容：" + id
	}
	ctx := context.Background()
	if _, err := e.App.Incidents.SubmitReport(ctx, e.Actor(t, u), inc.ID, incident.ReportInput{Kind: fenghuo.ReportInitial,
		Content: content, Signer: "张经理", ReporterName: "李工", ReporterPhone: "0477-7581234"}); err != nil {
		t.Fatal(err)
	}
	cmd := e.login(t, "cmd")
	path := fmt.Sprintf("/api/v1/incidents/%d/response", inc.ID)
	type view struct {
		OpenAfterEnd []struct {
			ID         int64  `json:"id"`
			PlaybookID string `json:"playbook_id"`
			StepID     string `json:"step_id"`
			State      string `json:"state"`
		} `json:"open_after_end"`
		EndSignature *struct {
			Valid    bool   `json:"valid"`
			OfficeID int64  `json:"office_id"`
			Message  string `json:"message"`
		} `json:"end_signature"`
	}
	if _, err := e.App.Response.Act(ctx, e.Actor(t, cmdUser), inc.ID, response.Input{Action: response.ActionActivate,
		Level: fenghuo.GradeII, Approval: "网信委批准", Commander: "指挥长"}); err != nil {
		t.Fatal(err)
	}
	var during view
	e.do(t, cmd, "GET", path, nil).want(t, 200).json(t, &during)
	if during.OpenAfterEnd == nil || len(during.OpenAfterEnd) != 0 {
		t.Errorf("while the level holds, open_after_end = %+v, want []", during.OpenAfterEnd)
	}
	if _, err := e.App.Response.Act(ctx, e.Actor(t, cmdUser), inc.ID, response.Input{Action: response.ActionEnd,
		Approval: "指挥部批准", Situation: "已恢复"}); err != nil {
		t.Fatal(err)
	}
	var after view
	e.do(t, cmd, "GET", path, nil).want(t, 200).json(t, &after)
	// The end notice is signed by the office that ended the response (issue 15 item 1).
	if during.EndSignature != nil || after.EndSignature == nil || !after.EndSignature.Valid || after.EndSignature.OfficeID != cmdUser.OrgID ||
		!strings.Contains(after.EndSignature.Message, "未被改动") {
		t.Errorf("end_signature during %+v, after %+v", during.EndSignature, after.EndSignature)
	}
	v, err := e.App.Response.View(ctx, e.Actor(t, cmdUser), inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.OpenAfterEnd) == 0 || len(after.OpenAfterEnd) != len(v.OpenAfterEnd) {
		t.Fatalf("open_after_end has %d tasks, the service %d", len(after.OpenAfterEnd), len(v.OpenAfterEnd))
	}
	listed := map[int64]bool{}
	for i, tk := range after.OpenAfterEnd {
		listed[tk.ID] = true
		if tk.ID != v.OpenAfterEnd[i].ID || tk.PlaybookID == "" || strings.HasPrefix(tk.StepID, response.StandbyStep) || tk.State == fenghuo.TaskDone {
			t.Errorf("open_after_end[%d] = %+v", i, tk)
		}
	}
	tasks, err := e.DB.IncidentTasks(ctx, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	standby := 0
	for _, tk := range tasks {
		if strings.HasPrefix(tk.StepID, response.StandbyStep) {
			standby++
			if tk.State != fenghuo.TaskDone || tk.DoneNote != "应急响应结束，解除待命" || listed[tk.ID] {
				t.Errorf("standby task after the end: %s %q listed %v", tk.State, tk.DoneNote, listed[tk.ID])
			}
		}
	}
	if standby == 0 {
		t.Error("level II put no team on standby")
	}
}
