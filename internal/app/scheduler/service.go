// Package scheduler runs the deadlines: reminders and escalations of due
// obligations, claimed in batches under row locks so that several replicas
// share the work and a restart loses nothing.
package scheduler

import (
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/fenghuo"
)

// Service is the scheduler.
type Service struct {
	core *app.Core
	// onObligationEvent, when set, is told of every reminder and escalation
	// after its batch commits (ObserveObligationEvents).
	onObligationEvent func(event string, o *fenghuo.Obligation, at time.Time)
}

// New returns the scheduler over core.
func New(core *app.Core) *Service { return &Service{core: core} }
