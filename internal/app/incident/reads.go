package incident

import (
	"context"

	"fenghuo/internal/app"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// Audited reads of an incident (issue 15 item 3). The console's incident
// page is split in tabs, each its own address; its views go through
// app.Core.RecordPageRead, so that the tabs of one view write one entry.
// The API's routes are each a view of their own, audited under the same
// action names as the console's: the incident and its timeline and
// evidence list as incident.read (detail "part" says which), its reports
// as report.read, a download as export.evidence.

// ViewIncidentPage is ViewIncident for a tab of the incident's console
// page: every tab shows the incident's header, and the tabs one session
// opens within app.PageViewWindow are one view (one incident.read).
func (a *Service) ViewIncidentPage(ctx context.Context, ac *app.Actor, id int64) (*fenghuo.Incident, error) {
	inc, err := a.Incident(ctx, ac, id)
	if err != nil {
		return nil, err
	}
	if err := a.core.RecordPageRead(ctx, ac, "incident", "incident", incidentRef(id), nil); err != nil {
		return nil, err
	}
	return inc, nil
}

// ViewReportsPage is ViewReports for the reports tab of the console's
// incident page: one report.read per view, as ViewIncidentPage.
func (a *Service) ViewReportsPage(ctx context.Context, ac *app.Actor, id int64) ([]fenghuo.Report, []store.Delivery, error) {
	reports, deliveries, err := a.Reports(ctx, ac, id)
	if err != nil {
		return nil, nil, err
	}
	if err := a.core.RecordPageRead(ctx, ac, "report", "incident", incidentRef(id), map[string]int{"reports": len(reports)}); err != nil {
		return nil, nil, err
	}
	return reports, deliveries, nil
}

// ViewTimeline is Timeline for a caller reading it through the API: a read
// of the incident (incident.read with part "timeline").
func (a *Service) ViewTimeline(ctx context.Context, ac *app.Actor, id int64) ([]store.TimelineEntry, int, error) {
	entries, broken, err := a.Timeline(ctx, ac, id)
	if err != nil {
		return nil, 0, err
	}
	if err := a.core.RecordRead(ctx, ac, "incident", "incident", incidentRef(id), false, map[string]any{"part": "timeline", "entries": len(entries)}); err != nil {
		return nil, 0, err
	}
	return entries, broken, nil
}

// Evidence lists an incident's evidence files (names, sizes, SM3 digests),
// after checking the actor may see the incident.
func (a *Service) Evidence(ctx context.Context, ac *app.Actor, id int64) ([]store.Evidence, error) {
	if _, err := a.Incident(ctx, ac, id); err != nil {
		return nil, err
	}
	return a.core.DB().EvidenceOf(ctx, id)
}

// ViewEvidence is Evidence for a caller reading the list through the API:
// a read of the incident (incident.read with part "evidence").
func (a *Service) ViewEvidence(ctx context.Context, ac *app.Actor, id int64) ([]store.Evidence, error) {
	files, err := a.Evidence(ctx, ac, id)
	if err != nil {
		return nil, err
	}
	if err := a.core.RecordRead(ctx, ac, "incident", "incident", incidentRef(id), false, map[string]any{"part": "evidence", "files": len(files)}); err != nil {
		return nil, err
	}
	return files, nil
}
