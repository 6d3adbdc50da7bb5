package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"fenghuo/internal/app"
	"fenghuo/internal/app/incident"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// incidentFixture is an incident of the relation's org with an initial
// report, a piece of evidence, a delivery to that org and an obligation the
// org owns: a target for every incident route.
type incidentFixture struct {
	rel        relation
	reporter   *app.Actor
	incident   *fenghuo.Incident
	content    map[string]string // the initial items of its report form
	reportID   int64
	evidenceID int64
	deliveryID int64
}

func (m *matrix) newIncidentFixture(t *testing.T, rel relation) *incidentFixture {
	ctx := context.Background()
	f := &incidentFixture{rel: rel, reporter: m.e.Actor(t, m.targets[rel.name])}
	f.incident = m.newIncident(t, f)
	fields, err := m.e.App.Incidents.ReportForm(ctx, f.reporter, f.incident.ID)
	if err != nil {
		t.Fatal(err)
	}
	f.content = initialContent(fields)
	rep, err := m.e.App.Incidents.SubmitReport(ctx, f.reporter, f.incident.ID, incident.ReportInput{Kind: "initial", Content: f.content,
		Signer: "签发人", ReporterName: "报告人", ReporterPhone: "13800138000"})
	if err != nil {
		t.Fatalf("%s: initial report: %v", rel.name, err)
	}
	f.reportID = rep.ID
	ev, err := m.e.App.Incidents.AddEvidence(ctx, f.reporter, f.incident.ID, "scan.txt", strings.NewReader("port scan log\n"), "")
	if err != nil {
		t.Fatal(err)
	}
	f.evidenceID = ev.ID
	f.deliveryID = m.delivery(t, f, false)
	m.obligation(t, f)
	return f
}

func initialContent(fields []plan.FormField) map[string]string {
	content := map[string]string{}
	for _, fd := range fields {
		if fd.Stage == "initial" {
			content[fd.ID] = "2026-11-20 08:30 矩阵测试"
		}
	}
	return content
}

// newIncident files a fresh draft incident for the fixture's org.
func (m *matrix) newIncident(t *testing.T, f *incidentFixture) *fenghuo.Incident {
	inc, err := m.e.App.Incidents.CreateIncident(context.Background(), f.reporter, incident.IncidentInput{OrgID: f.reporter.Org.ID,
		Title: m.unique("矩阵事件"), Facts: plan.Facts{"cii": true}})
	if err != nil {
		t.Fatalf("%s: incident: %v", f.rel.name, err)
	}
	return inc
}

// delivery puts the fixture's report in its own org's inbox (received or
// not), as a unit below it would have sent it.
func (m *matrix) delivery(t *testing.T, f *incidentFixture, received bool) int64 {
	ctx := context.Background()
	d := &store.Delivery{ReportID: f.reportID, IncidentID: f.incident.ID, FromOrgID: f.reporter.Org.ID, ToOrgID: f.reporter.Org.ID,
		PlanID: "cac-2025", SentBy: f.reporter.User.ID}
	err := m.e.DB.WithTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateDelivery(ctx, d); err != nil {
			return err
		}
		if received {
			return tx.ReceiveDelivery(ctx, d.ID, f.reporter.User.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return d.ID
}

// obligation gives the fixture's org an open report duty.
func (m *matrix) obligation(t *testing.T, f *incidentFixture) int64 {
	ctx := context.Background()
	o := &fenghuo.Obligation{Kind: "report", IncidentID: f.incident.ID, OwnerOrgID: f.reporter.Org.ID, RecipientName: "上级",
		PlanID: "cac-2025", RuleID: "matrix", Title: m.unique("矩阵报告义务"), Urgency: "timely", State: fenghuo.ObligationOpen}
	if err := m.e.DB.WithTx(ctx, func(tx *store.Tx) error { return tx.CreateObligation(ctx, o) }); err != nil {
		t.Fatal(err)
	}
	return o.ID
}

func (m *matrix) incidentPath(rel relation, suffix string) string {
	return fmt.Sprintf("/api/v1/incidents/%d%s", m.inc[rel.name].incident.ID, suffix)
}

func get(path string) probe { return probe{method: "GET", path: path} }

var incidentProbes = map[string]probeFunc{
	"listIncidents": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		inc := m.inc[rel.name].incident
		return probe{method: "GET", path: "/api/v1/incidents?limit=500", found: fmt.Sprintf(`"id":%d,"org_id":%d,`, inc.ID, inc.OrgID)}
	},
	"getIncident": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return get(m.incidentPath(rel, ""))
	},
	"listIncidentGrades": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return get(m.incidentPath(rel, "/grades"))
	},
	"getReportForm": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return get(m.incidentPath(rel, "/report-form"))
	},
	"listIncidentReports": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return get(m.incidentPath(rel, "/reports"))
	},
	"listIncidentObligations": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return get(m.incidentPath(rel, "/obligations"))
	},
	"getIncidentTimeline": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return get(m.incidentPath(rel, "/timeline"))
	},
	"listIncidentEvidence": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		p := get(m.incidentPath(rel, "/evidence"))
		p.found = fmt.Sprintf(`"id":%d,`, m.inc[rel.name].evidenceID)
		return p
	},
	"downloadEvidence": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: fmt.Sprintf("/api/v1/evidence/%d", m.inc[rel.name].evidenceID), found: "port scan log"}
	},
	"downloadReport": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: fmt.Sprintf("/api/v1/incidents/%d/reports/%d/pdf", m.inc[rel.name].incident.ID, m.inc[rel.name].reportID), found: "%PDF"}
	},
	"exportIncidents": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: fmt.Sprintf("/api/v1/incidents/export.xlsx?unit_id=%d", m.e.Orgs[rel.orgKey].ID), found: "PK"}
	},
	"listInbox": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: "/api/v1/inbox?limit=500", found: fmt.Sprintf(`"id":%d,`, m.inc[rel.name].deliveryID)}
	},
	"listReportingRecords": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: "/api/v1/reporting-records?limit=500", found: fmt.Sprintf(`"org_id":%d,`, m.e.Orgs[rel.orgKey].ID)}
	},
	// signals: the target's incident marked as a suspected concealment (once),
	// so the org appears in the counts of a window around now.
	"listReportingSignals": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		ctx, inc := context.Background(), m.inc[rel.name].incident
		if _, err := m.e.DB.Concealment(ctx, inc.ID); fenghuo.ErrorCode(err) == fenghuo.ENOTFOUND {
			if err := m.e.DB.WithTx(ctx, func(tx *store.Tx) error {
				return tx.MarkConcealment(ctx, &fenghuo.ConcealmentMark{IncidentID: inc.ID, UnitOrgID: inc.OrgID, Reason: "矩阵"})
			}); err != nil {
				t.Fatal(err)
			}
		}
		now := m.e.Clock.Now()
		return probe{method: "GET", path: fmt.Sprintf("/api/v1/reporting-signals?limit=500&from=%s&to=%s",
			now.AddDate(0, 0, -30).Format("2006-01-02"), now.AddDate(0, 0, 30).Format("2006-01-02")),
			found: fmt.Sprintf(`"org_id":%d,`, inc.OrgID)}
	},

	"createIncident": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: "/api/v1/incidents", body: map[string]any{"org_id": m.e.Orgs[rel.orgKey].ID, "title": m.unique("矩阵新事件")}}
	},
	"replaceIncidentFacts": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		inc, err := m.e.DB.Incident(context.Background(), m.inc[rel.name].incident.ID)
		if err != nil {
			t.Fatal(err)
		}
		return probe{method: "PUT", path: m.incidentPath(rel, "/facts"), body: map[string]any{"version": inc.Version, "facts": map[string]any{"cii": true}}}
	},
	"transitionIncident": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		inc := m.newIncident(t, m.inc[rel.name]) // a fresh draft to dismiss
		return probe{method: "POST", path: fmt.Sprintf("/api/v1/incidents/%d/status", inc.ID), body: map[string]string{"status": "closed", "reason": "误报"}}
	},
	"submitReport": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: m.incidentPath(rel, "/reports"), body: map[string]any{"kind": "initial", "content": m.inc[rel.name].content,
			"signer": "签发人", "reporter_name": "报告人", "reporter_phone": "13800138000"}}
	},
	"uploadEvidence": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: m.incidentPath(rel, "/evidence"), body: upload("note.txt", "evidence\n")}
	},
	"completeObligation": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		id := m.obligation(t, m.inc[rel.name]) // a fresh open duty each time
		return probe{method: "POST", path: fmt.Sprintf("/api/v1/obligations/%d/complete", id), body: map[string]string{"note": "电话报告"}}
	},
	"addIncidentNote": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: m.incidentPath(rel, "/notes"), body: map[string]string{"text": "矩阵记录"}}
	},
	"overrideIncidentGrade": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: m.incidentPath(rel, "/grade"), body: map[string]string{"grade": "III", "reason": "矩阵测试调整"}}
	},
	"receiveReport": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		id := m.delivery(t, m.inc[rel.name], false)
		return probe{method: "POST", path: fmt.Sprintf("/api/v1/inbox/%d/receive", id)}
	},
	"forwardReport": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		id := m.delivery(t, m.inc[rel.name], true)
		return probe{method: "POST", path: fmt.Sprintf("/api/v1/inbox/%d/forward", id), body: map[string]any{"to_org_id": m.e.Orgs["city"].ID}}
	},
}
