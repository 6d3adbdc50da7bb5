package api_test

// Alerts (issue 14) in the authorisation matrix: alert groups and events
// are read with incident.read and triaged with incident.write over their
// unit (the caller's subtree); intake sources are read with system.read and
// registered and revoked with system.write over their unit; POST
// /api/v1/alerts takes an intake token only, so no user's credentials may
// send alerts.

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"fenghuo/internal/app/intake"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

func init() {
	for op, p := range alertProbes {
		incidentProbes[op] = p
	}
	for role, ops := range allowed {
		if slices.Contains(ops, "listIncidents") {
			allowed[role] = append(allowed[role], "listAlertGroups", "getAlertGroup", "searchEvents")
		}
		if slices.Contains(ops, "createIncident") {
			allowed[role] = append(allowed[role], "assignAlertGroup", "dismissAlertGroup", "reopenAlertGroup", "promoteAlertGroup")
		}
		if slices.Contains(ops, "listSystems") {
			allowed[role] = append(allowed[role], "listIntakeSources", "getIntakeSource")
		}
		if slices.Contains(ops, "createSystem") {
			allowed[role] = append(allowed[role], "createIntakeSource", "revokeIntakeSource")
		}
	}
}

// alertGroup adds a group of the relation's org in state, with one event.
func (m *matrix) alertGroup(t *testing.T, rel relation, state string) (*store.AlertGroup, *store.StoredEvent) {
	ctx := context.Background()
	now := m.e.Clock.Now()
	ev := &store.StoredEvent{OrgID: m.e.Orgs[rel.orgKey].ID, At: now, Received: now, Kind: "generic",
		SourceIP: m.unique("203.0.113."), Fields: `{"message":"matrix"}`}
	g := &store.AlertGroup{OrgID: ev.OrgID, RuleID: m.unique("matrix-rule-"), Entity: "source.ip=" + ev.SourceIP, Kind: "sigma",
		Title: m.unique("矩阵告警"), Level: "high", Tags: []string{"attack.t1110"}, Count: 1, FirstSeen: now, LastSeen: now, State: state}
	if state == store.AlertDismissed {
		g.DismissReason = "测试"
	}
	err := m.e.DB.WithTx(ctx, func(tx *store.Tx) error {
		if err := tx.InsertEvents(ctx, []*store.StoredEvent{ev}); err != nil {
			return err
		}
		if err := tx.CreateAlertGroup(ctx, g); err != nil {
			return err
		}
		return tx.AddAlertSamples(ctx, g.ID, []int64{ev.ID}, intake.SampleEvents)
	})
	if err != nil {
		t.Fatal(err)
	}
	return g, ev
}

// intakeSource registers a source of the relation's org.
func (m *matrix) intakeSource(t *testing.T, rel relation) *store.IntakeSource {
	src := &store.IntakeSource{OrgID: m.e.Orgs[rel.orgKey].ID, Name: m.unique("sensor-"), Kind: "wazuh", TokenHash: m.unique("hash-"), TokenHint: "fhi_test"}
	if err := m.e.DB.WithTx(context.Background(), func(tx *store.Tx) error { return tx.CreateIntakeSource(context.Background(), src) }); err != nil {
		t.Fatal(err)
	}
	return src
}

var alertProbes = map[string]probeFunc{
	"ingestAlerts": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: "/api/v1/alerts", body: map[string]any{"message": "a user's credentials send no alerts"}}
	},
	"listAlertGroups": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		g, _ := m.alertGroup(t, rel, store.AlertOpen)
		return probe{method: "GET", path: "/api/v1/alert-groups?limit=500", found: fmt.Sprintf(`"id":%d,"org_id":%d,`, g.ID, g.OrgID)}
	},
	"getAlertGroup": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		g, _ := m.alertGroup(t, rel, store.AlertOpen)
		return get(fmt.Sprintf("/api/v1/alert-groups/%d", g.ID))
	},
	"assignAlertGroup": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		g, _ := m.alertGroup(t, rel, store.AlertOpen)
		return probe{method: "POST", path: fmt.Sprintf("/api/v1/alert-groups/%d/assign", g.ID), body: map[string]any{"user_id": m.users[role].ID}}
	},
	"dismissAlertGroup": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		g, _ := m.alertGroup(t, rel, store.AlertOpen)
		return probe{method: "POST", path: fmt.Sprintf("/api/v1/alert-groups/%d/dismiss", g.ID), body: map[string]any{"reason": "误报"}}
	},
	"reopenAlertGroup": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		g, _ := m.alertGroup(t, rel, store.AlertDismissed)
		return probe{method: "POST", path: fmt.Sprintf("/api/v1/alert-groups/%d/reopen", g.ID)}
	},
	"promoteAlertGroup": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		g, _ := m.alertGroup(t, rel, store.AlertOpen)
		return probe{method: "POST", path: fmt.Sprintf("/api/v1/alert-groups/%d/promote", g.ID)}
	},
	"searchEvents": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		_, ev := m.alertGroup(t, rel, store.AlertOpen)
		return probe{method: "GET", path: "/api/v1/events?source.ip=" + ev.SourceIP + "&from=" + time.Unix(0, 0).UTC().Format(time.RFC3339),
			found: fmt.Sprintf(`"id":%d,"org_id":%d,`, ev.ID, ev.OrgID)}
	},
	"listIntakeSources": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		s := m.intakeSource(t, rel)
		return probe{method: "GET", path: "/api/v1/intake-sources?limit=500", found: fmt.Sprintf(`"id":%d,"org_id":%d,`, s.ID, s.OrgID)}
	},
	"createIntakeSource": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: "/api/v1/intake-sources", body: map[string]any{"org_id": m.e.Orgs[rel.orgKey].ID,
			"name": m.unique("sensor-"), "kind": "suricata", "addresses": []string{"192.0.2.0/28"}}}
	},
	"getIntakeSource": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return get(fmt.Sprintf("/api/v1/intake-sources/%d", m.intakeSource(t, rel).ID))
	},
	"revokeIntakeSource": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "DELETE", path: fmt.Sprintf("/api/v1/intake-sources/%d", m.intakeSource(t, rel).ID)}
	},
}
