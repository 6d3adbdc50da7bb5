package api_test

// The task capability's routes in the authorisation matrix: reading an
// incident's tasks needs incident.read over a visible incident, adding,
// changing and commenting on one incident.write (the owner in the caller's
// subtree), and "my tasks" lists the caller's own org's tasks only.

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

func init() {
	maps.Copy(incidentProbes, taskProbes)
	for role, ops := range allowed {
		if slices.Contains(ops, "listIncidents") {
			allowed[role] = append(allowed[role], "listIncidentTasks", "listMyTasks")
		}
		if slices.Contains(ops, "createIncident") {
			allowed[role] = append(allowed[role], "createIncidentTask", "patchTask", "commentTask")
		}
	}
	ownOrgOnly = append(ownOrgOnly, "listMyTasks")
}

// task adds a fresh open ad-hoc task, owned by the relation's org, to its
// fixture incident.
func (m *matrix) task(t *testing.T, rel relation) *fenghuo.Task {
	ctx := context.Background()
	f := m.inc[rel.name]
	tk := &fenghuo.Task{IncidentID: f.incident.ID, Title: m.unique("矩阵任务"), OwnerOrgID: f.reporter.Org.ID,
		DueAt: m.e.Clock.Now().Add(24 * time.Hour)}
	if err := m.e.DB.WithTx(ctx, func(tx *store.Tx) error { return tx.CreateTask(ctx, tk, store.Duty{}) }); err != nil {
		t.Fatal(err)
	}
	return tk
}

var taskProbes = map[string]probeFunc{
	"listIncidentTasks": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return get(m.incidentPath(rel, "/tasks"))
	},
	"listMyTasks": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		tk := m.task(t, rel)
		return probe{method: "GET", path: "/api/v1/tasks/mine?limit=500", found: fmt.Sprintf(`"id":%d,"incident_id":%d,`, tk.ID, tk.IncidentID)}
	},
	"createIncidentTask": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: m.incidentPath(rel, "/tasks"), body: map[string]any{"title": m.unique("矩阵临时任务"),
			"owner_org_id": m.e.Orgs[rel.orgKey].ID, "due_at": m.e.Clock.Now().Add(time.Hour).Format(time.RFC3339)}}
	},
	"patchTask": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "PATCH", path: fmt.Sprintf("/api/v1/tasks/%d", m.task(t, rel).ID), body: map[string]string{"state": "in_progress"}}
	},
	"commentTask": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: fmt.Sprintf("/api/v1/tasks/%d/comments", m.task(t, rel).ID),
			body: map[string]any{"body": "矩阵备注", "evidence_id": m.inc[rel.name].evidenceID}}
	},
}
