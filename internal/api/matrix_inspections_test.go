package api_test

// Inspection checklists and campaigns (issue 12, P2) in the authorisation
// matrix. Everyone who reads systems reads checklists and the campaigns of
// their subtree; offices (warning.issue: commanders, analysts) upload
// checklists, issue campaigns to their subtree and answer an office
// inspection for a unit below them. Per relation the fixture campaign is
// one the caller's county must see (own: issued by the county; child: issued
// by the city to the county's school) or must not (sibling: the other
// county's; parent: the city's to the other county's school).

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"fenghuo/internal/checklist"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

func init() {
	maps.Copy(coreProbes, inspectionProbes)
	for role, ops := range allowed {
		if slices.Contains(ops, "listSystems") {
			allowed[role] = append(allowed[role], "listChecklists", "getChecklist", "listInspections", "getInspection", "getInspectionUnit",
				"downloadInspectionEvidence", "getInspectionSummary", "exportInspectionSummary")
		}
		if slices.Contains(ops, "issueWarning") {
			allowed[role] = append(allowed[role], "uploadChecklist", "createInspection", "answerInspection", "uploadInspectionEvidence",
				"closeInspection", "returnInspectionUnit")
		}
	}
	untargeted = append(untargeted, "listChecklists", "getChecklist", "uploadChecklist")
	// The summary, the close and 退回重填 are the issuer's side's: the
	// county for its own campaign, not for the city's reaching its school.
	ownOrgOnly = append(ownOrgOnly, "getInspectionSummary", "exportInspectionSummary", "closeInspection", "returnInspectionUnit")
}

type inspectionFixture struct {
	campaign *fenghuo.Campaign
	unitKey  string
}

var inspectionFixtures = map[*matrix]map[string]inspectionFixture{}

// inspectionFor returns the relation's fixture campaign (an inspection by
// the office), made once per matrix.
func (m *matrix) inspectionFor(t *testing.T, rel relation) inspectionFixture {
	if fx, ok := inspectionFixtures[m][rel.name]; ok {
		return fx
	}
	ctx := context.Background()
	cl, err := checklist.BuiltinChecklist("seed000-self-inspection")
	if err != nil {
		t.Fatal(err)
	}
	spec := map[string]struct{ issuer, unit string }{"own": {"county", "school"}, "child": {"city", "school"},
		"sibling": {"county2", "school2"}, "parent": {"city", "school2"}}[rel.name]
	now := m.e.Clock.Now()
	c := &fenghuo.Campaign{OrgID: m.e.Orgs[spec.issuer].ID, Kind: fenghuo.CampaignOffice, Title: m.unique("矩阵检查"),
		ChecklistID: cl.ID, ChecklistVersion: cl.FullVersion(), ChecklistYAML: string(cl.Raw()),
		Scope: fenghuo.Targeting{OrgIDs: []int64{m.e.Orgs[spec.unit].ID}}, StartsAt: now, DueAt: now.Add(7 * 24 * time.Hour)}
	err = m.e.DB.WithTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateCampaign(ctx, c); err != nil {
			return err
		}
		return tx.AddCampaignTarget(ctx, &fenghuo.CampaignTarget{CampaignID: c.ID, OrgID: m.e.Orgs[spec.unit].ID})
	})
	if err != nil {
		t.Fatal(err)
	}
	if inspectionFixtures[m] == nil {
		inspectionFixtures[m] = map[string]inspectionFixture{}
	}
	fx := inspectionFixture{campaign: c, unitKey: spec.unit}
	inspectionFixtures[m][rel.name] = fx
	return fx
}

// freshInspection is a new campaign of the relation (an inspection by the
// office), its unit's answers submitted when submitted is set: the close
// and 退回重填 probes each change their own.
func (m *matrix) freshInspection(t *testing.T, rel relation, submitted bool) inspectionFixture {
	saved := inspectionFixtures[m][rel.name]
	delete(inspectionFixtures[m], rel.name)
	fx := m.inspectionFor(t, rel)
	inspectionFixtures[m][rel.name] = saved
	if saved.campaign == nil {
		delete(inspectionFixtures[m], rel.name)
	}
	if submitted {
		err := m.e.DB.WithTx(context.Background(), func(tx *store.Tx) error {
			tg, err := tx.CampaignTarget(context.Background(), fx.campaign.ID, m.e.Orgs[fx.unitKey].ID)
			if err != nil {
				return err
			}
			return tx.SubmitCampaignTarget(context.Background(), tg.ID, 0)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return fx
}

// inspectionEvidence adds a file to the relation's fixture unit's answers.
func (m *matrix) inspectionEvidence(t *testing.T, rel relation) *fenghuo.InspectionEvidence {
	fx := m.inspectionFor(t, rel)
	key := m.unique("matrixinspection")
	dir := m.e.App.Core.Config().EvidenceDir
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, key), []byte("scan report\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ev := &fenghuo.InspectionEvidence{CampaignID: fx.campaign.ID, OrgID: m.e.Orgs[fx.unitKey].ID, ItemID: "unpatched-vulnerabilities",
		Filename: "scan.txt", ContentType: "text/plain", Size: 12, SM3: "00", StorageKey: key}
	if err := m.e.DB.WithTx(context.Background(), func(tx *store.Tx) error { return tx.CreateInspectionEvidence(context.Background(), ev) }); err != nil {
		t.Fatal(err)
	}
	return ev
}

func (m *matrix) inspectionUnitPath(t *testing.T, rel relation) string {
	fx := m.inspectionFor(t, rel)
	return fmt.Sprintf("/api/v1/inspections/%d/units/%d", fx.campaign.ID, m.e.Orgs[fx.unitKey].ID)
}

var inspectionProbes = map[string]probeFunc{
	"listChecklists": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: "/api/v1/checklists", found: `"id":"seed004-ransomware-hardening"`}
	},
	"getChecklist": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: "/api/v1/checklists/seed000-self-inspection", found: `"weak-passwords"`}
	},
	"uploadChecklist": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		doc := fmt.Sprintf("id: %s\nversion: \"1\"\ntitle: {zh: 矩阵检查表}\nitems:\n  - id: a1\n    text: {zh: 有备份}\n    category: data\n    severity: high\n    verify: {zh: 看记录}\n    evidence: {zh: 备份记录}\n",
			m.unique("matrix-list-"))
		return probe{method: "POST", path: "/api/v1/checklists", body: rawBody{"application/yaml", []byte(doc)}, found: `"version":1`}
	},
	"listInspections": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: "/api/v1/inspections?limit=500", found: fmt.Sprintf(`"id":%d,`, m.inspectionFor(t, rel).campaign.ID)}
	},
	"getInspection": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: fmt.Sprintf("/api/v1/inspections/%d", m.inspectionFor(t, rel).campaign.ID), found: `"units":[{`}
	},
	"getInspectionUnit": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: m.inspectionUnitPath(t, rel), found: `"item_id":"weak-passwords"`}
	},
	"createInspection": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		body := map[string]any{"kind": "office", "title": m.unique("矩阵新检查"), "checklist_id": "seed004-ransomware-hardening",
			"due_at": m.e.Clock.Now().Add(72 * time.Hour).Format(time.RFC3339)}
		switch rel.name {
		case "own":
			body["org_id"] = m.e.Orgs["county"].ID
		case "child":
			body["scope"] = map[string]any{"org_ids": []int64{m.e.Orgs["school"].ID}}
		case "sibling":
			body["scope"] = map[string]any{"org_ids": []int64{m.e.Orgs["school2"].ID}}
		case "parent":
			body["org_id"] = m.e.Orgs["city"].ID
		}
		return probe{method: "POST", path: "/api/v1/inspections", body: body, found: `"targets":[{`}
	},
	"uploadInspectionEvidence": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: m.inspectionUnitPath(t, rel) + "/items/weak-passwords/evidence", body: upload("policy.txt", "口令策略\n"),
			found: `"item_id":"weak-passwords"`}
	},
	"downloadInspectionEvidence": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: fmt.Sprintf("/api/v1/inspection-evidence/%d", m.inspectionEvidence(t, rel).ID), found: "scan report"}
	},
	"getInspectionSummary": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: fmt.Sprintf("/api/v1/inspections/%d/summary", m.inspectionFor(t, rel).campaign.ID), found: `"units":[{`}
	},
	"exportInspectionSummary": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: fmt.Sprintf("/api/v1/inspections/%d/export.xlsx", m.inspectionFor(t, rel).campaign.ID), found: "PK"}
	},
	"closeInspection": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		fx := m.freshInspection(t, rel, false)
		return probe{method: "POST", path: fmt.Sprintf("/api/v1/inspections/%d/close", fx.campaign.ID), body: map[string]string{"reason": "矩阵提前结束"},
			found: `"state":"closed"`}
	},
	"returnInspectionUnit": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		fx := m.freshInspection(t, rel, true)
		return probe{method: "POST", path: fmt.Sprintf("/api/v1/inspections/%d/units/%d/return", fx.campaign.ID, m.e.Orgs[fx.unitKey].ID),
			body: map[string]string{"note": "请补充涉及系统"}, found: `"return_note":"请补充涉及系统"`}
	},
	"answerInspection": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: m.inspectionUnitPath(t, rel) + "/answers",
			body:  map[string]any{"answers": []map[string]any{{"item_id": "default-passwords", "answer": "compliant", "evidence": "矩阵核查"}}},
			found: `"answer":"compliant"`}
	},
}
