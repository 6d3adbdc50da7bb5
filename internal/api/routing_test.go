package api_test

import (
	"fmt"
	"testing"

	"fenghuo/internal/fenghuo"
)

// TestReportStaysInChain: a county office's own incident report goes up
// its own chain, never to the office of a sibling county, which would then
// see the incident (incidents are visible where their reports land).
func TestReportStaysInChain(t *testing.T) {
	e := newEnv(t)
	e.user(t, "duty", "county", fenghuo.RoleDutyOfficer)
	e.user(t, "duty2", "county2", fenghuo.RoleDutyOfficer)
	duty, duty2 := e.login(t, "duty"), e.login(t, "duty2")
	var inc incidentOut
	e.do(t, duty, "POST", "/api/v1/incidents", map[string]any{"org_id": e.Orgs["county"].ID, "title": "县网信办门户被篡改",
		"facts": map[string]any{"cii": true}}).want(t, 201).json(t, &inc)
	var obs listOut[struct {
		RecipientOrgID int64 `json:"recipient_org_id"`
	}]
	e.do(t, duty, "GET", fmt.Sprintf("/api/v1/incidents/%d/obligations", inc.ID), nil).want(t, 200).json(t, &obs)
	for _, o := range obs.Items {
		if o.RecipientOrgID == e.Orgs["county2"].ID {
			t.Fatalf("the county office's own report is addressed to the sibling county office %d", o.RecipientOrgID)
		}
	}
	var form struct {
		Fields []struct{ ID, Stage string } `json:"fields"`
	}
	e.do(t, duty, "GET", fmt.Sprintf("/api/v1/incidents/%d/report-form", inc.ID), nil).want(t, 200).json(t, &form)
	content := map[string]string{}
	for _, f := range form.Fields {
		content[f.ID] = "测试"
	}
	e.do(t, duty, "POST", fmt.Sprintf("/api/v1/incidents/%d/reports", inc.ID), map[string]any{"kind": "initial", "content": content,
		"signer": "主任", "reporter_name": "值班员", "reporter_phone": "13800138000"}).want(t, 201)
	e.do(t, duty2, "GET", fmt.Sprintf("/api/v1/incidents/%d", inc.ID), nil).want(t, 404)
}
