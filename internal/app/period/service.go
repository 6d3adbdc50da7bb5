// Package period holds the use cases of protection periods (重要保障期):
// the periods themselves, the units' daily reports, and the duty roster.
package period

import (
	"fenghuo/internal/app"
	"fenghuo/internal/app/warning"
)

// Service is the protection-period capability.
type Service struct {
	core *app.Core
	// warnings decides which office a period is issued for (the same
	// issuer rule as a warning's).
	warnings *warning.Service
}

// New returns the protection-period capability over core.
func New(core *app.Core, warnings *warning.Service) *Service {
	return &Service{core: core, warnings: warnings}
}
