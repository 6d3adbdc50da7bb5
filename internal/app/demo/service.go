// Package demo seeds the demonstration region: offices, units, systems,
// accounts, a warning, a protection period with its duty roster, and a
// history of incidents.
package demo

import (
	"fenghuo/internal/app"
	"fenghuo/internal/app/period"
	"fenghuo/internal/app/warning"
)

// Service is the demo seeder.
type Service struct {
	core     *app.Core
	warnings *warning.Service
	periods  *period.Service
}

// New returns the demo seeder over core.
func New(core *app.Core, warnings *warning.Service, periods *period.Service) *Service {
	return &Service{core: core, warnings: warnings, periods: periods}
}
