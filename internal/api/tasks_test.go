package api_test

import (
	"fmt"
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
)

type taskOut struct {
	ID          int64   `json:"id"`
	PlaybookID  string  `json:"playbook_id"`
	StepID      string  `json:"step_id"`
	Title       string  `json:"title"`
	State       string  `json:"state"`
	OwnerOrgID  int64   `json:"owner_org_id"`
	DueAt       *string `json:"due_at"`
	Late        bool    `json:"late"`
	EscalatedTo string  `json:"escalated_to"`
	CanAct      bool    `json:"can_act"`
	EvidenceIDs []int64 `json:"evidence_ids"`
}

// TestTasks: a ransomware incident gets its playbook steps; the county adds
// an ad-hoc task; the school links evidence, finishes the standby switch
// after 2 h (late) and sees its own task list; a sibling county sees nothing.
func TestTasks(t *testing.T) {
	e := newEnv(t)
	e.user(t, "rep", "school", fenghuo.RoleUnitReporter)
	e.user(t, "duty", "county", fenghuo.RoleDutyOfficer)
	e.user(t, "duty2", "county2", fenghuo.RoleDutyOfficer)
	rep, duty, duty2 := e.login(t, "rep"), e.login(t, "duty"), e.login(t, "duty2")
	school := e.Orgs["school"].ID
	var inc incidentOut
	e.do(t, rep, "POST", "/api/v1/incidents", map[string]any{"org_id": school, "title": "服务器被勒索病毒加密", "category": "OMI",
		"facts": map[string]any{"social_impact": "serious"}}).want(t, 201).json(t, &inc)
	path := fmt.Sprintf("/api/v1/incidents/%d/tasks", inc.ID)

	var list struct{ Items []taskOut }
	e.do(t, duty, "GET", path, nil).want(t, 200).json(t, &list)
	var sw taskOut
	for _, tk := range list.Items {
		if tk.PlaybookID == "ransomware" && tk.StepID == "switch-to-standby" {
			sw = tk
		}
	}
	if sw.ID == 0 || sw.DueAt == nil || !sw.CanAct {
		t.Fatalf("no standby switch task with a due time: %+v", list.Items)
	}
	e.do(t, duty2, "GET", path, nil).want(t, 404)

	wantField(t, e.do(t, duty, "POST", path, map[string]any{"title": "", "owner_org_id": school}), "title")
	wantField(t, e.do(t, duty, "POST", path, map[string]any{"title": "核查备份", "owner_org_id": e.Orgs["school2"].ID}), "owner_org_id")
	var ad taskOut
	e.do(t, duty, "POST", path, map[string]any{"title": "核查离线备份", "owner_org_id": school,
		"due_at": e.Clock.Now().Add(3 * time.Hour).Format(time.RFC3339)}).want(t, 201).json(t, &ad)
	if ad.State != "open" || ad.OwnerOrgID != school {
		t.Fatalf("ad-hoc task %+v", ad)
	}
	var mine struct{ Items []taskOut }
	e.do(t, rep, "GET", "/api/v1/tasks/mine", nil).want(t, 200).json(t, &mine)
	if len(mine.Items) < 2 {
		t.Errorf("the school's own tasks: %+v", mine.Items)
	}

	e.Clock.Advance(2*time.Hour + time.Minute)
	rep, duty2 = e.login(t, "rep"), e.login(t, "duty2") // the sessions ended while idle
	wantField(t, e.do(t, rep, "PATCH", fmt.Sprintf("/api/v1/tasks/%d", sw.ID), map[string]any{"state": "done"}), "evidence")
	var ev struct{ ID int64 }
	e.do(t, rep, "POST", fmt.Sprintf("/api/v1/incidents/%d/evidence", inc.ID), upload("standby.txt", "备用系统11:20启用")).want(t, 201).json(t, &ev)
	e.do(t, rep, "POST", fmt.Sprintf("/api/v1/tasks/%d/comments", sw.ID), map[string]any{"body": "已启用备用系统", "evidence_id": ev.ID}).want(t, 201)
	var done taskOut
	e.do(t, rep, "PATCH", fmt.Sprintf("/api/v1/tasks/%d", sw.ID), map[string]any{"state": "done"}).want(t, 200).json(t, &done)
	if done.State != "done" || !done.Late {
		t.Errorf("done after 2 h: %+v", done)
	}
	wantField(t, e.do(t, rep, "PATCH", fmt.Sprintf("/api/v1/tasks/%d", ad.ID), map[string]any{"state": "not_applicable"}), "note")
	e.do(t, duty2, "PATCH", fmt.Sprintf("/api/v1/tasks/%d", ad.ID), map[string]any{"state": "done"}).want(t, 404)
}
