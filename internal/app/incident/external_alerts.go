package incident

import (
	"context"
	"fmt"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/phrase"
	"fenghuo/internal/store"
)

// ExternalAlert is an alert group from the tools a unit runs (Wazuh,
// Suricata, syslog …, issue 14) that a person promotes to an incident.
type ExternalAlert struct {
	OrgID int64
	// Category is a GB/T 20986-2023 code (mapped from the rule's ATT&CK
	// tags); "" leaves it for the unit to choose.
	Category  string
	Title     string
	Summary   string
	SystemIDs []int64
	// DetectedAt is when the first event of the group happened.
	DetectedAt time.Time
	// Source names the alert group ("alert-group:12"), so that promoting
	// it again finds the incident it opened.
	Source string
}

// OpenDraftFromExternalAlertTx opens, in the caller's transaction and in
// ac's name, a draft incident for the alert's unit with its category and
// the facts the group gives filled in for the unit to confirm; an incident
// still open for the same source is returned instead (created false). The
// caller has checked ac's right to act on the group and records its own
// audit entry for the promotion; the incident's creation is audited here.
func (a *Service) OpenDraftFromExternalAlertTx(ctx context.Context, tx *store.Tx, ac *app.Actor, al ExternalAlert) (*fenghuo.Incident, bool, error) {
	if al.DetectedAt.IsZero() {
		al.DetectedAt = a.core.Now()
	}
	// Titles and summaries quote what outside tools sent: hostile until cleaned.
	al.Title, al.Summary = fenghuo.CleanText(al.Title, 200), fenghuo.CleanText(al.Summary, 4000)
	unit, err := tx.Org(ctx, al.OrgID)
	if err != nil {
		return nil, false, err
	}
	if existing, err := tx.OpenIncidentBySource(ctx, al.Source); err != nil {
		return nil, false, err
	} else if existing != nil {
		return existing, false, a.timeline(ctx, tx, ac, existing.ID, "monitor", phrase.New("monitor.again", "summary", al.Summary), map[string]string{"source": al.Source})
	}
	inc := &fenghuo.Incident{OrgID: unit.ID, Title: al.Title, SystemIDs: al.SystemIDs, DiscoveredAt: al.DetectedAt,
		Facts: map[string]any{}, Description: al.Summary, Channel: fenghuo.ChannelMonitoring, Source: al.Source,
		Status: fenghuo.StatusDraft}
	if err := a.checkIncidentRefs(ctx, tx, inc, unit); err != nil {
		return nil, false, err
	}
	inc.Category = translateCategory(al.Category, "gbt-20986-2023", taxonomyPlan(inc.Taxonomy))
	// The facts the platform knows are written into the draft for the unit
	// to confirm: its operator type, and whether the systems the events
	// name are important or CII systems.
	facts, err := a.gradingFacts(ctx, tx, inc, unit)
	if err != nil {
		return nil, false, err
	}
	inc.Facts = facts
	if _, err := a.grade(ctx, tx, inc, unit); err != nil {
		return nil, false, err
	}
	if err := tx.CreateIncident(ctx, inc); err != nil {
		return nil, false, err
	}
	if err := a.gradeRecord(ctx, tx, ac, inc, "opened from an alert group"); err != nil {
		return nil, false, err
	}
	if err := a.syncObligations(ctx, tx, inc, unit); err != nil {
		return nil, false, err
	}
	if err := a.concealedAtCreation(ctx, tx, ac, inc, unit); err != nil {
		return nil, false, err
	}
	if err := a.core.NotifyOrg(ctx, tx, app.Notice{OrgID: unit.ID, Kind: "monitor.alert",
		Title: "告警转事件：" + inc.Title + "，请核实并报告", Link: fmt.Sprintf("/incidents/%d", inc.ID)}); err != nil {
		return nil, false, err
	}
	if err := a.timeline(ctx, tx, ac, inc.ID, "created", phrase.New("monitor.draft", "summary", al.Summary), map[string]string{"source": al.Source}); err != nil {
		return nil, false, err
	}
	return inc, true, a.core.Record(ctx, tx, ac, "incident.create", "incident", incidentRef(inc.ID), "success", map[string]string{"source": al.Source})
}
