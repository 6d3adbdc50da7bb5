// Package demo seeds the demonstration region: offices, units, systems,
// accounts, a warning, a protection period with its duty roster, and a
// history of incidents.
package demo

import "fenghuo/internal/app"

// Service is the demo seeder.
type Service struct {
	core *app.Core
}

// New returns the demo seeder over core.
func New(core *app.Core) *Service { return &Service{core: core} }
