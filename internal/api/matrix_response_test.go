package api_test

import (
	"context"
	"fmt"
	"testing"

	"fenghuo/internal/app/incident"
	"fenghuo/internal/app/response"
	"fenghuo/internal/fenghuo"
)

// Response levels (R1): the routes of an incident's emergency response.
// The matrix's callers sit in the county office, which the county plan lets
// activate and end level II, so what decides is the right and the scope.

// reportedIncident is a fresh incident of the relation's org with its
// initial report filed (a response needs a reported incident).
func (m *matrix) reportedIncident(t *testing.T, rel relation) *fenghuo.Incident {
	f := m.inc[rel.name]
	inc := m.newIncident(t, f)
	if _, err := m.e.App.Incidents.SubmitReport(context.Background(), f.reporter, inc.ID, incident.ReportInput{Kind: "initial",
		Content: f.content, Signer: "签发人", ReporterName: "报告人", ReporterPhone: "13800138000"}); err != nil {
		t.Fatalf("%s: initial report: %v", rel.name, err)
	}
	return inc
}

var responseProbes = map[string]probeFunc{
	"getIncidentResponse": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return get(m.incidentPath(rel, "/response"))
	},
	"actOnIncidentResponse": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		inc := m.reportedIncident(t, rel)
		return probe{method: "POST", path: fmt.Sprintf("/api/v1/incidents/%d/response", inc.ID), body: map[string]string{
			"action": "activate", "level": "II", "approval": "网信委批准", "commander": "指挥长"}, found: `"state":"active"`}
	},
	"downloadEndNotice": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		if !rel.inScope() {
			return probe{method: "GET", path: m.incidentPath(rel, "/response/notice/pdf")}
		}
		// An ended response, activated and ended by the county commander.
		inc := m.reportedIncident(t, rel)
		ac := m.e.Actor(t, m.users[fenghuo.RoleCommander])
		for _, in := range []response.Input{
			{Action: response.ActionActivate, Level: fenghuo.GradeII, Approval: "网信委批准", Commander: "指挥长"},
			{Action: response.ActionEnd, Approval: "指挥部批准", Situation: "已处置"},
		} {
			if _, err := m.e.App.Response.Act(context.Background(), ac, inc.ID, in); err != nil {
				t.Fatalf("%s: %s: %v", rel.name, in.Action, err)
			}
		}
		return probe{method: "GET", path: fmt.Sprintf("/api/v1/incidents/%d/response/notice/pdf", inc.ID), found: "%PDF"}
	},
}
