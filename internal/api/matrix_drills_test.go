package api_test

// Drills, training and publicity, capability score card (issue 12, P5) in
// the authorisation matrix: reading needs incident.read over the org (the
// caller's subtree); filing drills, their summaries and activities needs
// incident.write over the org; the lists of units without a drill, the
// score card and the configuration are of the caller's own subtree
// (untargeted); setting the weights is an office's (warning.issue).

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
	for op, p := range drillProbes {
		incidentProbes[op] = p
	}
	for role, ops := range allowed {
		if slices.Contains(ops, "listIncidents") {
			allowed[role] = append(allowed[role], "listDrills", "getDrill", "downloadDrillFile", "listUnitsWithoutDrill",
				"listActivities", "getScoreCard", "exportScoreCard", "getCapabilityConfig")
		}
		if slices.Contains(ops, "createIncident") {
			allowed[role] = append(allowed[role], "createDrill", "uploadDrillFile", "createActivity")
		}
		if slices.Contains(ops, "issueWarning") {
			allowed[role] = append(allowed[role], "putCapabilityConfig")
		}
	}
	untargeted = append(untargeted, "listUnitsWithoutDrill", "getScoreCard", "exportScoreCard", "getCapabilityConfig",
		"putCapabilityConfig")
}

// drill adds a drill of the relation's org, with a summary file when
// withFile is set.
func (m *matrix) drill(t *testing.T, rel relation, withFile bool) *fenghuo.Drill {
	ctx := context.Background()
	d := &fenghuo.Drill{OrgID: m.e.Orgs[rel.orgKey].ID, Kind: fenghuo.DrillLive, HeldOn: m.e.Clock.Now().Add(-time.Hour),
		Title: m.unique("矩阵演练"), Participants: "信息科", Headcount: 5, PlanID: "cac-2025", Scenario: "网站被篡改", Result: "处置顺利"}
	err := m.e.DB.WithTx(ctx, func(tx *store.Tx) error {
		if withFile {
			key := m.unique("matrixdrill")
			dir := m.e.App.Core.Config().EvidenceDir
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(dir, key), []byte("drill summary\n"), 0o600); err != nil {
				return err
			}
			d.File = fenghuo.DrillFile{Name: "summary.txt", ContentType: "text/plain", Size: 14, SM3: "00", StorageKey: key}
		}
		return tx.CreateDrill(ctx, d)
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

var drillProbes = map[string]probeFunc{
	"listDrills": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		d := m.drill(t, rel, false)
		return probe{method: "GET", path: "/api/v1/drills?limit=500", found: fmt.Sprintf(`"id":%d,"org_id":%d,`, d.ID, d.OrgID)}
	},
	"createDrill": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: "/api/v1/drills", body: map[string]any{"org_id": m.e.Orgs[rel.orgKey].ID, "kind": "tabletop",
			"held_on": m.e.Clock.Now().Add(-time.Hour).Format(time.RFC3339), "title": m.unique("桌面推演"), "participants": "信息科",
			"headcount": 6, "plan_id": "cac-2025", "scenario": "勒索病毒", "result": "流程清楚"}}
	},
	"listUnitsWithoutDrill": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return get("/api/v1/drills/missing")
	},
	"getDrill": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return get(fmt.Sprintf("/api/v1/drills/%d", m.drill(t, rel, false).ID))
	},
	"uploadDrillFile": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		d := m.drill(t, rel, false)
		return probe{method: "POST", path: fmt.Sprintf("/api/v1/drills/%d/file", d.ID), body: upload("summary.txt", "演练总结\n")}
	},
	"downloadDrillFile": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		d := m.drill(t, rel, true)
		return probe{method: "GET", path: fmt.Sprintf("/api/v1/drills/%d/file", d.ID), found: "drill summary"}
	},
	"listActivities": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		a := &fenghuo.Activity{OrgID: m.e.Orgs[rel.orgKey].ID, Category: fenghuo.ActivityTraining, HeldOn: m.e.Clock.Now().Add(-time.Hour),
			Kind: m.unique("培训"), Audience: "职工", Count: 10, Summary: "应急知识"}
		if err := m.e.DB.WithTx(context.Background(), func(tx *store.Tx) error { return tx.CreateActivity(context.Background(), a) }); err != nil {
			t.Fatal(err)
		}
		return probe{method: "GET", path: "/api/v1/activities?limit=500", found: fmt.Sprintf(`"id":%d,"org_id":%d,`, a.ID, a.OrgID)}
	},
	"createActivity": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: "/api/v1/activities", body: map[string]any{"org_id": m.e.Orgs[rel.orgKey].ID,
			"category": "publicity", "held_on": m.e.Clock.Now().Add(-time.Hour).Format(time.RFC3339), "kind": "宣传周",
			"audience": "市民", "count": 100, "summary": "发放宣传册"}}
	},
	"getScoreCard": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return get("/api/v1/capability")
	},
	"exportScoreCard": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: "/api/v1/capability/export.xlsx", found: "PK"}
	},
	"getCapabilityConfig": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return get("/api/v1/capability/config")
	},
	"putCapabilityConfig": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "PUT", path: "/api/v1/capability/config", body: map[string]any{"weights": map[string]int{"drill_done": 40,
			"reporting_on_time": 60}, "listing_month": 12, "listing_day": 1}}
	},
}
