// Package demo seeds the demonstration region: offices, units, systems,
// accounts, a warning, a protection period with its duty roster, and a
// history of incidents.
package demo

import (
	"context"

	"fenghuo/internal/app"
	"fenghuo/internal/app/incident"
	"fenghuo/internal/app/inspection"
	"fenghuo/internal/app/period"
	"fenghuo/internal/app/warning"
)

// Service is the demo seeder.
type Service struct {
	core      *app.Core
	incidents *incident.Service
	warnings  *warning.Service
	periods   *period.Service
	// inspections seeds a campaign (issue 12, P2); see SetInspections.
	inspections *inspection.Service
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
