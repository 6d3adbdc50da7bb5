package api_test

// Detection rules (issue 14 item 3) in the authorisation matrix: which
// rule sets run on an org's events and its uploaded rule files are read
// with system.read over the org (the caller's subtree); turning sets on
// and off and uploading or deleting rule files need system.write over the
// org, like the org's systems and intake sources.

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

func init() {
	for op, p := range ruleSetProbes {
		incidentProbes[op] = p
	}
	for role, ops := range allowed {
		if slices.Contains(ops, "listSystems") {
			allowed[role] = append(allowed[role], "listRuleSets", "getCustomRule")
		}
		if slices.Contains(ops, "createSystem") {
			allowed[role] = append(allowed[role], "setRuleSetState", "createCustomRule", "deleteCustomRule")
		}
	}
}

func (m *matrix) ruleBody(title string) string {
	return fmt.Sprintf("title: %s\nid: %s\ndetection:\n    selection:\n        event.action: login\n    condition: selection\nlevel: low\n", title, m.unique("matrix-rule-"))
}

// customRule stores an uploaded rule file of the relation's org.
func (m *matrix) customRule(t *testing.T, rel relation) *store.CustomRule {
	r := &store.CustomRule{OrgID: m.e.Orgs[rel.orgKey].ID, RuleID: m.unique("matrix-rule-"), Title: "矩阵规则", Level: "low",
		Body: m.ruleBody("矩阵规则"), CreatedBy: 1}
	if err := m.e.DB.WithTx(context.Background(), func(tx *store.Tx) error { return tx.CreateCustomRule(context.Background(), r) }); err != nil {
		t.Fatal(err)
	}
	return r
}

var ruleSetProbes = map[string]probeFunc{
	"listRuleSets": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		id := m.e.Orgs[rel.orgKey].ID
		return probe{method: "GET", path: fmt.Sprintf("/api/v1/rule-sets?org_id=%d", id), found: fmt.Sprintf(`"org_id":%d`, id)}
	},
	"setRuleSetState": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "PUT", path: "/api/v1/rule-sets/mail/state", body: map[string]any{"org_id": m.e.Orgs[rel.orgKey].ID, "enabled": false}}
	},
	"createCustomRule": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: "/api/v1/custom-rules", body: map[string]any{"org_id": m.e.Orgs[rel.orgKey].ID, "body": m.ruleBody("上传规则")}}
	},
	"getCustomRule": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return get(fmt.Sprintf("/api/v1/custom-rules/%d", m.customRule(t, rel).ID))
	},
	"deleteCustomRule": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "DELETE", path: fmt.Sprintf("/api/v1/custom-rules/%d", m.customRule(t, rel).ID)}
	},
}
