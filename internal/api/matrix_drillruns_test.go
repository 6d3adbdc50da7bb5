package api_test

// Drill mode (issue 12 item 6) in the authorisation matrix: drill runs and
// their tasks are read with incident.read over the drilling org (the
// caller's subtree); starting and ending a run, and working on its tasks,
// need incident.write over the org (the task's owner); a caller's own
// unfinished drill tasks are of its own org (untargeted).

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

func init() {
	for op, p := range drillRunProbes {
		incidentProbes[op] = p
	}
	for role, ops := range allowed {
		if slices.Contains(ops, "listIncidents") {
			allowed[role] = append(allowed[role], "listDrillRuns", "getDrillRun", "listMyDrillTasks")
		}
		if slices.Contains(ops, "createIncident") {
			allowed[role] = append(allowed[role], "startDrillRun", "endDrillRun", "patchDrillTask", "commentDrillTask")
		}
	}
	untargeted = append(untargeted, "listMyDrillTasks")
}

// drillRun starts a run of the relation's org with one task it owns.
func (m *matrix) drillRun(t *testing.T, rel relation) (*fenghuo.DrillRun, *fenghuo.DrillTask) {
	ctx := context.Background()
	org := m.e.Orgs[rel.orgKey].ID
	r := &fenghuo.DrillRun{OrgID: org, Title: m.unique("矩阵演练"), PlanID: "wushen-county", PlaybookID: "ransomware"}
	tasks := []fenghuo.DrillTask{{Order: 1, PlanID: r.PlanID, PlaybookID: r.PlaybookID, StepID: "protect-and-isolate",
		Title: "保护现场、隔离", OwnerOrgID: org, DueAt: m.e.Clock.Now().Add(time.Hour)}}
	if err := m.e.DB.WithTx(ctx, func(tx *store.Tx) error { return tx.CreateDrillRun(ctx, r, tasks) }); err != nil {
		t.Fatal(err)
	}
	return r, &tasks[0]
}

var drillRunProbes = map[string]probeFunc{
	"listDrillRuns": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		r, _ := m.drillRun(t, rel)
		return probe{method: "GET", path: "/api/v1/drill-runs?limit=500", found: fmt.Sprintf(`"id":%d,"org_id":%d,`, r.ID, r.OrgID)}
	},
	"startDrillRun": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: "/api/v1/drill-runs", body: map[string]any{"org_id": m.e.Orgs[rel.orgKey].ID,
			"title": m.unique("勒索病毒演练"), "plan_id": "wushen-county", "playbook_id": "ransomware", "scenario": "服务器被加密"}}
	},
	"getDrillRun": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		r, _ := m.drillRun(t, rel)
		return probe{method: "GET", path: fmt.Sprintf("/api/v1/drill-runs/%d", r.ID), found: `"drill":true`}
	},
	"endDrillRun": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		r, _ := m.drillRun(t, rel)
		return probe{method: "POST", path: fmt.Sprintf("/api/v1/drill-runs/%d/end", r.ID), found: `"state":"drill_ended"`}
	},
	"listMyDrillTasks": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		_, task := m.drillRun(t, relation{"own", "county"})
		return probe{method: "GET", path: "/api/v1/drill-tasks/mine?limit=200", found: fmt.Sprintf(`"id":%d,`, task.ID)}
	},
	"patchDrillTask": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		_, task := m.drillRun(t, rel)
		return probe{method: "PATCH", path: fmt.Sprintf("/api/v1/drill-tasks/%d", task.ID), body: map[string]any{"state": "in_progress"}}
	},
	"commentDrillTask": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		_, task := m.drillRun(t, rel)
		return probe{method: "POST", path: fmt.Sprintf("/api/v1/drill-tasks/%d/comments", task.ID), body: map[string]any{"body": "已隔离"}}
	},
}
