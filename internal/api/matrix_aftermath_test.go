package api_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"fenghuo/internal/app/aftermath"
	"fenghuo/internal/fenghuo"
)

// The aftermath routes in the authorisation matrix. Reading follows the
// incident (in scope); drafting, submitting and tracking measures are for
// the unit and the offices above it (incident.write, in scope); deciding a
// step is for the org of that step — the fixture's waiting step is its own
// unit's, so only the caller's own org (incident.write, not the author)
// decides; rewards and accountability are recorded by an office about a
// unit below it (incident.receive, below only).
func init() {
	read := []string{"listIncidentDocuments", "downloadIncidentDocument", "listMyImprovements"}
	write := []string{"saveIncidentDocument", "submitIncidentDocument", "decideIncidentDocument", "createImprovement", "finishImprovement"}
	receive := []string{"createAccountabilityRecord"}
	for role, ops := range allowed {
		u := fenghuo.User{Roles: []fenghuo.Role{role}}
		if u.Can(fenghuo.PermIncidentRead) {
			ops = append(ops, read...)
		}
		if u.Can(fenghuo.PermIncidentWrite) {
			ops = append(ops, write...)
		}
		if u.Can(fenghuo.PermIncidentReceive) {
			ops = append(ops, receive...)
		}
		allowed[role] = ops
	}
	untargeted = append(untargeted, "listMyImprovements")
	ownOrgOnly = append(ownOrgOnly, "decideIncidentDocument")
	belowOnly = append(belowOnly, "createAccountabilityRecord")
	for op, p := range aftermathProbes {
		incidentProbes[op] = p
	}
}

// complete is a full body of a document of kind.
func complete(kind string) map[string]string {
	b := map[string]string{}
	for _, k := range fenghuo.AftermathSections(kind) {
		b[k] = "矩阵:" + k
	}
	return b
}

// draftDocument saves a complete draft of kind on a fresh incident of the
// relation's org (its reporter the author) and, when submit is set,
// submits it; it returns the incident and the version.
func (m *matrix) draftDocument(t *testing.T, rel relation, kind string, submit bool) (int64, int64) {
	ctx := context.Background()
	f := m.inc[rel.name]
	inc := m.newIncident(t, f)
	d, err := m.e.App.Aftermath.Save(ctx, f.reporter, inc.ID, kind, complete(kind))
	if err != nil {
		t.Fatal(err)
	}
	if submit {
		if _, err := m.e.App.Aftermath.Submit(ctx, f.reporter, inc.ID, d.ID); err != nil {
			t.Fatal(err)
		}
	}
	return inc.ID, d.ID
}

var aftermathProbes = map[string]probeFunc{
	"listIncidentDocuments": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: m.incidentPath(rel, "/documents"), found: `"kind":"investigation"`}
	},
	"downloadIncidentDocument": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		inc, doc := m.draftDocument(t, rel, fenghuo.DocRecoveryPlan, false)
		return probe{method: "GET", path: fmt.Sprintf("/api/v1/incidents/%d/documents/versions/%d/pdf", inc, doc), found: "%PDF"}
	},
	"listMyImprovements": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: "/api/v1/improvements", found: `"items":`}
	},
	"saveIncidentDocument": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "PUT", path: m.incidentPath(rel, "/documents/summary"), body: map[string]any{"sections": complete(fenghuo.DocSummary)}}
	},
	"submitIncidentDocument": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		inc, doc := m.draftDocument(t, rel, fenghuo.DocInvestigation, false)
		return probe{method: "POST", path: fmt.Sprintf("/api/v1/incidents/%d/documents/versions/%d/submit", inc, doc)}
	},
	"decideIncidentDocument": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		inc, doc := m.draftDocument(t, rel, fenghuo.DocInvestigation, true)
		return probe{method: "POST", path: fmt.Sprintf("/api/v1/incidents/%d/documents/versions/%d/decision", inc, doc),
			body: map[string]string{"decision": "approve"}}
	},
	"createImprovement": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: m.incidentPath(rel, "/improvements"), body: map[string]any{"text": m.unique("矩阵整改"),
			"owner_org_id": m.e.Orgs[rel.orgKey].ID, "due_at": m.e.Clock.Now().Add(7 * 24 * time.Hour)}}
	},
	"finishImprovement": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		f := m.inc[rel.name]
		im, err := m.e.App.Aftermath.AddImprovement(context.Background(), f.reporter, f.incident.ID, aftermath.ImprovementInput{
			Text: m.unique("矩阵整改"), OwnerOrgID: f.reporter.Org.ID, DueAt: m.e.Clock.Now().Add(7 * 24 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		return probe{method: "POST", path: m.incidentPath(rel, fmt.Sprintf("/improvements/%d/finish", im.ID)),
			body: map[string]string{"state": "done", "note": "已整改"}}
	},
	"createAccountabilityRecord": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: m.incidentPath(rel, "/accountability"), body: map[string]any{"kind": "accountability",
			"subject": "矩阵单位", "basis": "001 §5.4.2(2)", "decision": "通报批评"}}
	},
}
