package api_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/period"
	"fenghuo/internal/app/warning"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// Fixtures and probes of the warning, protection-period, duty, channel and
// monitor routes. Issuing needs an office that the plans let issue, and
// the fixture's child of the county is a school (an operator unit), so the
// matrix adds an office below the county — its education bureau
// (department level, which wushen-county §3.3 lets issue yellow and blue)
// with an operator unit of its own — and uses it as the "child" office.
//
// Which org a probe targets depends on the route: the issuing office for
// issue, raise/lower, lift and periods; the office a proposal went to for
// decisions; the target org for acknowledgements; the reporting unit for
// daily reports.

type warningFixtures struct {
	issuer   *app.Actor                // a commander of the city: may act anywhere in the tree
	dept     *fenghuo.Org              // the county's education bureau (an office)
	deptUnit *fenghuo.Org              // an operator unit under it
	warning  map[string]int64          // an active warning issued by the relation's office
	target   map[string]int64          // a warning target of the relation's org
	period   map[string]int64          // a period set by the relation's office
	unitPer  map[string]int64          // a period in which the relation's org reports
	monitor  map[string]*store.Monitor // a monitor of the relation's system
}

// office is the org that issues, decides or sets periods for a relation.
func (m *matrix) office(rel relation) *fenghuo.Org {
	if rel.name == "child" {
		return m.w.dept
	}
	return m.e.Orgs[rel.orgKey]
}

// below is an org under the relation's office, to receive its warnings and
// report in its periods; the city's go to the sibling county so that the
// caller's county neither receives nor sees them.
func (m *matrix) below(rel relation) *fenghuo.Org {
	switch rel.name {
	case "own":
		return m.e.Orgs["school"]
	case "child":
		return m.w.deptUnit
	case "sibling":
		return m.e.Orgs["school2"]
	}
	return m.e.Orgs["county2"]
}

// colors are what the relation's office issues and what it changes to:
// the county may issue orange and below, its bureau yellow and blue.
func (rel relation) colors() (issue, change, propose fenghuo.Color) {
	if rel.name == "child" {
		return fenghuo.ColorYellow, fenghuo.ColorBlue, fenghuo.ColorOrange
	}
	return fenghuo.ColorBlue, fenghuo.ColorYellow, fenghuo.ColorRed
}

func (m *matrix) newWarningFixtures(t *testing.T) {
	ctx := context.Background()
	city := m.e.user(t, "w_city_commander", "city", fenghuo.RoleCommander)
	w := &warningFixtures{issuer: m.e.Actor(t, city), warning: map[string]int64{}, target: map[string]int64{},
		period: map[string]int64{}, unitPer: map[string]int64{}, monitor: map[string]*store.Monitor{}}
	m.w = w
	w.dept = &fenghuo.Org{ParentID: m.e.Orgs["county"].ID, Name: "甲县教育局", Level: fenghuo.LevelDepartment, Type: fenghuo.OrgRegulator,
		Sector: "education"}
	if err := m.e.DB.CreateOrg(ctx, w.dept); err != nil {
		t.Fatal(err)
	}
	w.deptUnit = &fenghuo.Org{ParentID: w.dept.ID, Name: "甲县教育信息中心", Level: fenghuo.LevelUnit, Type: fenghuo.OrgOperator,
		Sector: "education", PlanRoles: []string{"operator"}}
	if err := m.e.DB.CreateOrg(ctx, w.deptUnit); err != nil {
		t.Fatal(err)
	}
	for _, rel := range relations {
		w.warning[rel.name] = m.issue(t, rel)
		w.period[rel.name] = m.newPeriod(t, m.office(rel), m.below(rel))
		mon := &store.Monitor{SystemID: m.systems[rel.name].ID, URL: "https://matrix-" + rel.name + ".example.gov.cn/",
			Checks: []string{"availability"}, Interval: 5 * time.Minute, NextDueAt: m.e.Clock.Now().Add(time.Hour)}
		if err := m.e.DB.CreateMonitor(ctx, mon); err != nil {
			t.Fatal(err)
		}
		w.monitor[rel.name] = mon
	}
	// Targets by the target org: the county receives one from the city,
	// the school the county's, the sibling county the city's; nothing is
	// above the city, so its target is stored directly.
	targetOf := func(warningID, orgID int64) int64 {
		ts, err := m.e.DB.WarningTargets(ctx, warningID)
		if err != nil {
			t.Fatal(err)
		}
		for _, tg := range ts {
			if tg.OrgID == orgID {
				return tg.ID
			}
		}
		t.Fatalf("warning %d has no target %d: %+v", warningID, orgID, ts)
		return 0
	}
	toCounty, err := m.e.App.Warnings.IssueWarning(ctx, w.issuer, warning.WarningInput{OrgID: m.e.Orgs["city"].ID, Color: fenghuo.ColorBlue,
		Title: "矩阵预警(市→县)", Targeting: fenghuo.Targeting{OrgIDs: []int64{m.e.Orgs["county"].ID}}})
	if err != nil {
		t.Fatal(err)
	}
	w.target["own"] = targetOf(toCounty.ID, m.e.Orgs["county"].ID)
	w.target["child"] = targetOf(w.warning["own"], m.e.Orgs["school"].ID)
	w.target["sibling"] = targetOf(w.warning["parent"], m.e.Orgs["county2"].ID)
	err = m.e.DB.WithTx(ctx, func(tx *store.Tx) error {
		top := &fenghuo.Warning{OrgID: m.e.Orgs["city"].ID, PlanID: "cac-2025", Color: fenghuo.ColorBlue, Title: "矩阵预警(市)",
			AckMinutes: 120, Targeting: fenghuo.Targeting{OrgIDs: []int64{m.e.Orgs["city"].ID}}, Status: fenghuo.WarningActive}
		if err := tx.CreateWarning(ctx, top); err != nil {
			return err
		}
		tg := &fenghuo.WarningTarget{WarningID: top.ID, OrgID: m.e.Orgs["city"].ID, Reason: "矩阵"}
		if err := tx.AddWarningTarget(ctx, tg); err != nil {
			return err
		}
		w.target["parent"] = tg.ID
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Periods by the reporting unit: the county reports to the city, the
	// school to the county, the sibling county to the city; the city's own
	// is stored directly.
	w.unitPer["own"] = m.newPeriod(t, m.e.Orgs["city"], m.e.Orgs["county"])
	w.unitPer["child"] = w.period["own"]
	w.unitPer["sibling"] = w.period["parent"]
	err = m.e.DB.WithTx(ctx, func(tx *store.Tx) error {
		p := &fenghuo.Period{OrgID: m.e.Orgs["city"].ID, Name: "矩阵保障期(市)", FirstDay: "2026-11-20", LastDay: "2026-11-21",
			Cutoff: "13:00", UnitIDs: []int64{m.e.Orgs["city"].ID}}
		if err := tx.CreatePeriod(ctx, p); err != nil {
			return err
		}
		w.unitPer["parent"] = p.ID
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// issue has the relation's office issue a fresh active warning to the org
// below it.
func (m *matrix) issue(t *testing.T, rel relation) int64 {
	c, _, _ := rel.colors()
	w, err := m.e.App.Warnings.IssueWarning(context.Background(), m.w.issuer, warning.WarningInput{OrgID: m.office(rel).ID, Color: c,
		Title: m.unique("矩阵预警"), Targeting: fenghuo.Targeting{OrgIDs: []int64{m.below(rel).ID}}})
	if err != nil {
		t.Fatalf("%s: issue: %v", rel.name, err)
	}
	return w.ID
}

// proposal stores a fresh proposal to the relation's office from the org
// below it (the county's from its bureau, red from the county to the city).
func (m *matrix) proposal(t *testing.T, rel relation) int64 {
	ctx := context.Background()
	office := m.office(rel)
	from, c, targets := m.below(rel).ID, fenghuo.ColorYellow, []int64{m.below(rel).ID}
	switch rel.name {
	case "own":
		from, c = m.w.dept.ID, fenghuo.ColorOrange
	case "parent":
		from, c, targets = m.e.Orgs["county"].ID, fenghuo.ColorRed, []int64{m.e.Orgs["county2"].ID}
	}
	w := &fenghuo.Warning{OrgID: from, PlanID: "wushen-county", Color: c, Title: m.unique("矩阵预警建议"), AckMinutes: 120,
		Targeting: fenghuo.Targeting{OrgIDs: targets}, Status: fenghuo.WarningProposed, ProposedTo: office.ID}
	if err := m.e.DB.WithTx(ctx, func(tx *store.Tx) error { return tx.CreateWarning(ctx, w) }); err != nil {
		t.Fatal(err)
	}
	return w.ID
}

func (m *matrix) newPeriod(t *testing.T, office, unit *fenghuo.Org) int64 {
	p, err := m.e.App.Periods.CreatePeriod(context.Background(), m.w.issuer, period.PeriodInput{OrgID: office.ID, Name: m.unique("矩阵保障期"),
		FirstDay: "2026-11-20", LastDay: "2026-11-21", UnitIDs: []int64{unit.ID}})
	if err != nil {
		t.Fatalf("period of %s: %v", office.Name, err)
	}
	return p.ID
}

func warningBody(officeID int64, c fenghuo.Color, title string, targets ...int64) map[string]any {
	return map[string]any{"org_id": officeID, "color": c, "title": title, "items": "矩阵测试",
		"measures": []map[string]any{{"text": "排查", "hours": 24}}, "targets": map[string]any{"org_ids": targets}}
}

var warningProbes = map[string]probeFunc{
	"listWarnings": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: "/api/v1/warnings?limit=500", found: fmt.Sprintf(`"id":%d,`, m.w.warning[rel.name])}
	},
	"getWarning": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return get(fmt.Sprintf("/api/v1/warnings/%d", m.w.warning[rel.name]))
	},
	"downloadWarningNotice": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: fmt.Sprintf("/api/v1/warnings/%d/notice/pdf", m.w.warning[rel.name]), found: "%PDF"}
	},
	"checkWarningIssuer": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: "/api/v1/warnings/issuer-check?color=red", found: `"plan_id":"wushen-county"`}
	},
	"issueWarning": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		c, _, _ := rel.colors()
		return probe{method: "POST", path: "/api/v1/warnings", body: warningBody(m.office(rel).ID, c, m.unique("矩阵新预警"), m.below(rel).ID)}
	},
	"proposeWarning": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		_, _, c := rel.colors()
		return probe{method: "POST", path: "/api/v1/warnings/proposals", body: warningBody(m.office(rel).ID, c, m.unique("矩阵预警建议"), m.below(rel).ID)}
	},
	"decideWarning": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: fmt.Sprintf("/api/v1/warnings/%d/decision", m.proposal(t, rel)),
			body: map[string]any{"issue": true, "reason": "矩阵研判"}}
	},
	"changeWarningColor": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		_, c, _ := rel.colors()
		return probe{method: "POST", path: fmt.Sprintf("/api/v1/warnings/%d/color", m.issue(t, rel)),
			body: map[string]any{"color": c, "reason": "矩阵调整"}}
	},
	"liftWarning": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: fmt.Sprintf("/api/v1/warnings/%d/lift", m.issue(t, rel)), body: map[string]any{"reason": "风险消除"}}
	},
	"ackWarningTarget": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: fmt.Sprintf("/api/v1/warning-targets/%d/ack", m.w.target[rel.name])}
	},
	"reportWarningMeasuresDone": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: fmt.Sprintf("/api/v1/warning-targets/%d/done", m.w.target[rel.name]),
			body: map[string]any{"note": "已排查"}}
	},

	"listPeriods": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: "/api/v1/periods?limit=500", found: fmt.Sprintf(`"id":%d,`, m.w.period[rel.name])}
	},
	"createPeriod": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: "/api/v1/periods", body: map[string]any{"org_id": m.office(rel).ID, "name": m.unique("矩阵新保障期"),
			"first_day": "2026-11-21", "last_day": "2026-11-22", "unit_ids": []int64{m.below(rel).ID}}}
	},
	"getPeriodBoard": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return get(fmt.Sprintf("/api/v1/periods/%d/board?day=2026-11-20", m.w.period[rel.name]))
	},
	"exportDailyReports": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: fmt.Sprintf("/api/v1/periods/%d/export.xlsx?day=2026-11-20", m.w.period[rel.name]), found: "PK"}
	},
	"fileDailyReport": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: fmt.Sprintf("/api/v1/periods/%d/reports", m.w.unitPer[rel.name]),
			// Not 平安: the org has an open incident of the day (the matrix's
			// fixture), which a quiet report would contradict.
			body: map[string]any{"org_id": m.e.Orgs[rel.orgKey].ID, "day": "2026-11-20", "incident_ids": []int64{m.inc[rel.name].incident.ID}}}
	},

	"getDuty": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return get(fmt.Sprintf("/api/v1/duty?org_id=%d", m.e.Orgs[rel.orgKey].ID))
	},
	"addDutyShift": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		// Each probe its own window, after the deleteDutyShift probes':
		// shifts of one office may not overlap.
		m.seq++
		start := m.e.Clock.Now().Add(48*time.Hour + time.Duration(m.seq)*10*time.Hour)
		return probe{method: "POST", path: "/api/v1/duty/shifts", body: map[string]any{"org_id": m.e.Orgs[rel.orgKey].ID,
			// The duty officer is an account of that org (issue 13 item 5).
			"start_at": start, "end_at": start.Add(8 * time.Hour), "officer_id": m.targets[rel.name].ID, "leader": "带班领导"}}
	},
	"deleteDutyShift": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		ctx := context.Background()
		now := m.e.Clock.Now()
		s := &fenghuo.DutyShift{OrgID: m.e.Orgs[rel.orgKey].ID, StartAt: now.Add(24 * time.Hour), EndAt: now.Add(32 * time.Hour), Officer: "待删"}
		if err := m.e.DB.WithTx(ctx, func(tx *store.Tx) error { return tx.CreateDutyShift(ctx, s) }); err != nil {
			t.Fatal(err)
		}
		return probe{method: "DELETE", path: fmt.Sprintf("/api/v1/duty/shifts/%d?org_id=%d", s.ID, s.OrgID)}
	},
	"addDutyLog": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: "/api/v1/duty/log", body: map[string]any{"org_id": m.e.Orgs[rel.orgKey].ID, "kind": "log", "body": "矩阵值班记录"}}
	},

	"listChannels": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return get(fmt.Sprintf("/api/v1/channels?org_id=%d", m.e.Orgs[rel.orgKey].ID))
	},
	"createChannel": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: "/api/v1/channels", body: map[string]any{"org_id": m.e.Orgs[rel.orgKey].ID, "kind": "webhook",
			"name": m.unique("矩阵渠道"), "target": "https://soc.example.gov.cn/hooks/fenghuo", "secret": "matrix-s3cret", "events": []string{"warning"}}}
	},
	"deleteChannel": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		ctx := context.Background()
		c := &fenghuo.Channel{OrgID: m.e.Orgs[rel.orgKey].ID, Kind: "email", Name: m.unique("待删渠道"), Target: "duty@example.gov.cn", Enabled: true}
		if err := m.e.DB.WithTx(ctx, func(tx *store.Tx) error { return tx.CreateChannel(ctx, c) }); err != nil {
			t.Fatal(err)
		}
		return probe{method: "DELETE", path: fmt.Sprintf("/api/v1/channels/%d", c.ID)}
	},
	"listDeliveries": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return get("/api/v1/deliveries?limit=10")
	},

	"listMonitors": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: "/api/v1/monitors?limit=500", found: fmt.Sprintf(`"id":%d,"system_id":%d,`,
			m.w.monitor[rel.name].ID, m.systems[rel.name].ID)}
	},
	"getMonitor": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return get(fmt.Sprintf("/api/v1/monitors/%d", m.w.monitor[rel.name].ID))
	},
	"createMonitor": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: "/api/v1/monitors", body: map[string]any{"system_id": m.systems[rel.name].ID,
			"url": "https://" + m.unique("new") + ".example.gov.cn/", "interval_seconds": 300}}
	},
	"acceptMonitorChange": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: fmt.Sprintf("/api/v1/monitors/%d/accept", m.w.monitor[rel.name].ID)}
	},
}
