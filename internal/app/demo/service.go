// Package demo seeds the demonstration region: offices, units, systems,
// accounts, a warning, a protection period with its duty roster, and a
// history of incidents.
package demo

import (
	"context"

	"fenghuo/internal/app"
	"fenghuo/internal/app/aftermath"
	"fenghuo/internal/app/drill"
	"fenghuo/internal/app/exposure"
	"fenghuo/internal/app/finding"
	"fenghuo/internal/app/incident"
	"fenghuo/internal/app/inspection"
	"fenghuo/internal/app/intake"
	"fenghuo/internal/app/intel"
	"fenghuo/internal/app/monitoring"
	"fenghuo/internal/app/period"
	"fenghuo/internal/app/response"
	"fenghuo/internal/app/task"
	"fenghuo/internal/app/warning"
)

// Service is the demo seeder.
type Service struct {
	core      *app.Core
	incidents *incident.Service
	warnings  *warning.Service
	periods   *period.Service
	// The story's response, tasks and documents (UseResponse).
	tasks     *task.Service
	response  *response.Service
	aftermath *aftermath.Service
	// findings: the findings ledger (issue 12, P1), set by SetFindings.
	findings *finding.Service
	// exposure: exposure checks (issue 12, P4), set by SetExposure.
	exposure *exposure.Service
	// drills: drills, training and publicity (issue 12, P5), set by SetDrills.
	drills *drill.Service
	// inspections seeds a campaign (issue 12, P2); see SetInspections.
	inspections *inspection.Service
	// monitoring watches the demo's site farm (issue 13 item 7), set by
	// SetMonitoring.
	monitoring *monitoring.Service
	// intake and intel receive the demo's alerts and share its
	// intelligence (issue 14 item 8), set by SetAlerts.
	intake *intake.Service
	intel  *intel.Service
}

// UseResponse gives the seeder the capabilities the demo story goes
// through: its response levels, playbook tasks and aftermath documents are
// made by their use cases, with their rules and audit entries.
func (a *Service) UseResponse(t *task.Service, r *response.Service, am *aftermath.Service) {
	a.tasks, a.response, a.aftermath = t, r, am
}

// New returns the demo seeder over core.
func New(core *app.Core, incidents *incident.Service, warnings *warning.Service, periods *period.Service) *Service {
	return &Service{core: core, incidents: incidents, warnings: warnings, periods: periods}
}

// SeedDemoIncidents adds n historical incidents over the demo units; the
// incidents capability writes them, since the history goes through its
// grading and reporting rules (see incident.Service.SeedDemoIncidents).
func (a *Service) SeedDemoIncidents(ctx context.Context, n int) (*incident.DemoHistory, error) {
	return a.incidents.SeedDemoIncidents(ctx, n)
}

// SeedDemoIncidentsProgress is SeedDemoIncidents reporting the incidents
// written so far after each transaction.
func (a *Service) SeedDemoIncidentsProgress(ctx context.Context, n int, progress func(done int)) (*incident.DemoHistory, error) {
	return a.incidents.SeedDemoIncidentsProgress(ctx, n, progress)
}
