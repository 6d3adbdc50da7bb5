package api_test

// The findings ledger (issue 12, P1) in the authorisation matrix: reading
// needs incident.read over the unit (the caller's subtree); a unit's work on
// its findings (start, evidence, submit, comment) and an office's manual
// record need incident.write over the unit; verifying, rejecting and
// accepting the risk are the office above's (the child, never the
// caller's own org); the SLA is the caller's own office's.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

func init() {
	for op, p := range findingProbes {
		incidentProbes[op] = p
	}
	for role, ops := range allowed {
		if slices.Contains(ops, "listIncidents") {
			allowed[role] = append(allowed[role], "listFindings", "getFinding", "getFindingBoard", "exportFindingBoard",
				"getFindingSLA", "downloadFindingEvidence")
		}
		if slices.Contains(ops, "createIncident") {
			allowed[role] = append(allowed[role], "createFinding", "startFinding", "uploadFindingEvidence", "submitFinding",
				"commentFinding", "putFindingSLA", "verifyFinding", "rejectFinding", "acceptFinding")
		}
	}
	untargeted = append(untargeted, "getFindingSLA", "putFindingSLA")
	belowOnly = append(belowOnly, "verifyFinding", "rejectFinding", "acceptFinding")
}

// finding adds a fresh finding of the relation's org in state (open,
// rectifying with one evidence file, or submitted).
func (m *matrix) finding(t *testing.T, rel relation, state string) (*fenghuo.Finding, *fenghuo.FindingEvidence) {
	ctx := context.Background()
	f := &fenghuo.Finding{OrgID: m.e.Orgs[rel.orgKey].ID, Source: fenghuo.FindingSourceInspection, Key: m.unique("matrix/"),
		Title: m.unique("矩阵隐患"), Severity: fenghuo.SeverityHigh, DueAt: m.e.Clock.Now().Add(7 * 24 * time.Hour)}
	var ev *fenghuo.FindingEvidence
	err := m.e.DB.WithTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateFinding(ctx, f, store.Duty{}); err != nil {
			return err
		}
		if state == fenghuo.FindingOpen {
			return nil
		}
		key := fmt.Sprintf("matrixfinding%d", f.ID)
		dir := m.e.App.Core.Config().EvidenceDir
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, key), []byte("rectification log\n"), 0o600); err != nil {
			return err
		}
		ev = &fenghuo.FindingEvidence{FindingID: f.ID, Filename: "fix.log", ContentType: "text/plain", Size: 18, SM3: "00", StorageKey: key}
		if err := tx.CreateFindingEvidence(ctx, ev); err != nil {
			return err
		}
		f.State = state
		if state == fenghuo.FindingSubmitted {
			if err := tx.CloseFindingDuty(ctx, f, true, "done"); err != nil {
				return err
			}
		}
		return tx.UpdateFinding(ctx, f)
	})
	if err != nil {
		t.Fatal(err)
	}
	return f, ev
}

func findingPath(f *fenghuo.Finding, tail string) string {
	return fmt.Sprintf("/api/v1/findings/%d%s", f.ID, tail)
}

var findingProbes = map[string]probeFunc{
	"listFindings": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		f, _ := m.finding(t, rel, fenghuo.FindingOpen)
		return probe{method: "GET", path: "/api/v1/findings?state=active&limit=500", found: fmt.Sprintf(`"id":%d,"org_id":%d,`, f.ID, f.OrgID)}
	},
	"getFinding": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		f, _ := m.finding(t, rel, fenghuo.FindingOpen)
		return get(findingPath(f, ""))
	},
	"getFindingBoard": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return get(fmt.Sprintf("/api/v1/findings/board?org_id=%d", m.e.Orgs[rel.orgKey].ID))
	},
	"exportFindingBoard": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: fmt.Sprintf("/api/v1/findings/export.xlsx?org_id=%d", m.e.Orgs[rel.orgKey].ID), found: "PK"}
	},
	"getFindingSLA": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return get("/api/v1/findings/sla")
	},
	"putFindingSLA": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "PUT", path: "/api/v1/findings/sla", body: map[string]int{"critical": 2, "high": 7, "medium": 30, "low": 90}}
	},
	"createFinding": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: "/api/v1/findings", body: map[string]any{"org_id": m.e.Orgs[rel.orgKey].ID,
			"title": m.unique("外部通报隐患"), "severity": "medium", "reference": "矩阵通报"}}
	},
	"startFinding": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		f, _ := m.finding(t, rel, fenghuo.FindingOpen)
		return probe{method: "POST", path: findingPath(f, "/start"), body: map[string]string{"note": "开始"}}
	},
	"uploadFindingEvidence": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		f, _ := m.finding(t, rel, fenghuo.FindingOpen)
		return probe{method: "POST", path: findingPath(f, "/evidence"), body: upload("fix.txt", "patched\n")}
	},
	"submitFinding": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		f, _ := m.finding(t, rel, fenghuo.FindingRectifying)
		return probe{method: "POST", path: findingPath(f, "/submit"), body: map[string]string{"note": "已整改"}}
	},
	"commentFinding": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		f, _ := m.finding(t, rel, fenghuo.FindingOpen)
		return probe{method: "POST", path: findingPath(f, "/comments"), body: map[string]string{"body": "矩阵备注"}}
	},
	"verifyFinding": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		f, _ := m.finding(t, rel, fenghuo.FindingSubmitted)
		return probe{method: "POST", path: findingPath(f, "/verify"), body: map[string]string{"note": "复核通过"}}
	},
	"rejectFinding": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		f, _ := m.finding(t, rel, fenghuo.FindingSubmitted)
		return probe{method: "POST", path: findingPath(f, "/reject"), body: map[string]string{"reason": "复测未通过"}}
	},
	"acceptFinding": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		f, _ := m.finding(t, rel, fenghuo.FindingOpen)
		return probe{method: "POST", path: findingPath(f, "/accept"), body: map[string]any{"reason": "业务必需",
			"until": m.e.Clock.Now().Add(30 * 24 * time.Hour).Format(time.RFC3339)}}
	},
	"downloadFindingEvidence": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		_, ev := m.finding(t, rel, fenghuo.FindingRectifying)
		return probe{method: "GET", path: fmt.Sprintf("/api/v1/finding-evidence/%d", ev.ID), found: "rectification log"}
	},
}
