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
			allowed[role] = append(allowed[role], "listChecklists", "getChecklist", "listInspections", "getInspection", "getInspectionUnit")
		}
		if slices.Contains(ops, "issueWarning") {
			allowed[role] = append(allowed[role], "uploadChecklist", "createInspection", "answerInspection")
		}
	}
	untargeted = append(untargeted, "listChecklists", "getChecklist", "uploadChecklist")
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
	"answerInspection": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: m.inspectionUnitPath(t, rel) + "/answers",
			body:  map[string]any{"answers": []map[string]any{{"item_id": "weak-passwords", "answer": "compliant", "evidence": "矩阵核查"}}},
			found: `"answer":"compliant"`}
	},
}
