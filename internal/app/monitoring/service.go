// Package monitoring holds the use cases of website monitoring: monitors
// and their history, remote probes, accepted changes, and the sink through
// which the probes' alerts and outages reach the incidents capability.
package monitoring

import (
	"fenghuo/internal/app"
	"fenghuo/internal/app/incident"
)

// Service is the monitoring capability.
type Service struct {
	core *app.Core
	// incidents opens the drafts and records the outages monitoring finds.
	incidents *incident.Service
}

// New returns the monitoring capability over core.
func New(core *app.Core, incidents *incident.Service) *Service {
	return &Service{core: core, incidents: incidents}
}
