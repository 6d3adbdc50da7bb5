package api_test

// The risk notice routes (issue 12, P3) in the authorisation matrix: read
// with incident.read over a notice issued in the caller's subtree or
// reaching a unit in it; issue, preview and close with warning.issue over
// the issuing office; answer with warning.ack over the target unit.

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
	maps.Copy(warningProbes, riskProbes)
	for role, ops := range allowed {
		if slices.Contains(ops, "listIncidents") {
			allowed[role] = append(allowed[role], "listRiskNotices", "getRiskNotice", "downloadRiskNotice")
		}
		if slices.Contains(ops, "issueWarning") {
			allowed[role] = append(allowed[role], "previewRiskNotice", "issueRiskNotice", "closeRiskNotice")
		}
		if slices.Contains(ops, "ackWarningTarget") {
			allowed[role] = append(allowed[role], "answerRiskNotice")
		}
	}
}

// riskSystems records which matrices already registered the WebLogic
// systems that issue probes need.
var riskSystems = map[*matrix]bool{}

// storedNotice stores an active notice of office with a target at unit,
// directly (the routes under test are not the fixture's way in), and
// returns the notice and target ids.
func (m *matrix) storedNotice(t *testing.T, office, unit *fenghuo.Org) (int64, int64) {
	ctx := context.Background()
	n := &fenghuo.RiskNotice{OrgID: office.ID, Title: m.unique("矩阵风险通报"), Product: "WebLogic Server",
		ProductKey: "oracle/weblogic_server", Ranges: "12.2.1.3 - 12.2.1.4", Description: "矩阵", Measures: "升级",
		DueAt: m.e.Clock.Now().Add(7 * 24 * time.Hour)}
	tg := &fenghuo.RiskNoticeTarget{OrgID: unit.ID, OrgName: unit.Name}
	err := m.e.DB.WithTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateRiskNotice(ctx, n); err != nil {
			return err
		}
		return tx.AddRiskNoticeTarget(ctx, n, tg, store.Duty{RecipientOrgID: office.ID})
	})
	if err != nil {
		t.Fatal(err)
	}
	return n.ID, tg.ID
}

func (m *matrix) riskBody(t *testing.T, rel relation) map[string]any {
	if !riskSystems[m] {
		riskSystems[m] = true
		for _, r := range relations {
			s := &fenghuo.System{OrgID: m.below(r).ID, Name: "矩阵WebLogic-" + r.name,
				Components: []fenghuo.Component{{Name: "Oracle WebLogic Server", Version: "12.2.1.3.0"}}}
			if err := m.e.DB.CreateSystem(context.Background(), s); err != nil {
				t.Fatal(err)
			}
		}
	}
	return map[string]any{"org_id": m.office(rel).ID, "title": m.unique("矩阵通报"), "product": "WebLogic Server",
		"ranges": []string{"12.2.1.3 - 12.2.1.4"}, "description": "远程代码执行", "measures": "升级补丁"}
}

var riskProbes = map[string]probeFunc{
	"listRiskNotices": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		id, _ := m.storedNotice(t, m.office(rel), m.below(rel))
		return probe{method: "GET", path: "/api/v1/risk-notices?limit=500", found: fmt.Sprintf(`"id":%d,`, id)}
	},
	"getRiskNotice": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		id, _ := m.storedNotice(t, m.office(rel), m.below(rel))
		return get(fmt.Sprintf("/api/v1/risk-notices/%d", id))
	},
	"downloadRiskNotice": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		id, _ := m.storedNotice(t, m.office(rel), m.below(rel))
		return get(fmt.Sprintf("/api/v1/risk-notices/%d/notice/pdf", id))
	},
	"previewRiskNotice": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: "/api/v1/risk-notices/preview", body: m.riskBody(t, rel)}
	},
	"issueRiskNotice": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: "/api/v1/risk-notices", body: m.riskBody(t, rel)}
	},
	"closeRiskNotice": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		id, _ := m.storedNotice(t, m.office(rel), m.below(rel))
		return probe{method: "POST", path: fmt.Sprintf("/api/v1/risk-notices/%d/close", id), body: map[string]any{"reason": "整改完成"}}
	},
	"answerRiskNotice": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		_, target := m.storedNotice(t, m.e.Orgs["city"], m.e.Orgs[rel.orgKey])
		return probe{method: "POST", path: fmt.Sprintf("/api/v1/risk-notice-targets/%d/answer", target),
			body: map[string]any{"answer": "not_affected", "note": "已升级至14.1.1"}}
	},
}
