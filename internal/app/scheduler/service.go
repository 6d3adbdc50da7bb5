// Package scheduler runs the deadlines: reminders and escalations of due
// obligations, claimed in batches under row locks so that several replicas
// share the work and a restart loses nothing.
package scheduler

import (
	"context"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// Service is the scheduler.
type Service struct {
	core *app.Core
	// onObligationEvent, when set, is told of every reminder and escalation
	// after its batch commits (ObserveObligationEvents).
	onObligationEvent func(event string, o *fenghuo.Obligation, at time.Time)
	// passes run at the start of each Tick: time-driven work of other
	// capabilities whose state lives in their own rows (AddPass).
	passes []pass
	// overdue are steps of other capabilities run, in the escalation's
	// transaction, when an obligation of their kind becomes overdue
	// (OnOverdue).
	overdue map[string]func(ctx context.Context, tx *store.Tx, o *fenghuo.Obligation) error
}

// OnOverdue sets fn to run when an obligation of kind is escalated, in
// the transaction that escalates it (so it happens exactly once, with the
// escalation, across replicas and restarts). Risk notices raise their
// presumed findings this way.
func (a *Service) OnOverdue(kind string, fn func(ctx context.Context, tx *store.Tx, o *fenghuo.Obligation) error) {
	if a.overdue == nil {
		a.overdue = map[string]func(ctx context.Context, tx *store.Tx, o *fenghuo.Obligation) error{}
	}
	a.overdue[kind] = fn
}

type pass struct {
	name string
	fn   func(ctx context.Context) (int, error)
	// lease, when set, names the lease the pass runs under: it runs only on
	// the replica that holds it (AddLeasedPass).
	lease string
}

// AddPass adds work to every scheduler pass, run before the reminders and
// escalations (so that an obligation it creates is handled in the same
// pass): fn handles what is due at the application's clock, claiming its
// rows under lock, and returns how many it handled. Findings reopen
// expired risk acceptances this way.
func (a *Service) AddPass(name string, fn func(ctx context.Context) (int, error)) {
	a.passes = append(a.passes, pass{name: name, fn: fn})
}

// AddLeasedPass adds a pass that runs on one replica at a time: the one
// holding the lease named lease (taken, renewed and taken over through the
// store's leases table, see TakeLease). Work whose rows cannot be claimed
// one by one, such as writing the audit log's archives and anchors outside
// the database, runs this way.
func (a *Service) AddLeasedPass(name, lease string, fn func(ctx context.Context) (int, error)) {
	a.passes = append(a.passes, pass{name: name, fn: fn, lease: lease})
}

// New returns the scheduler over core.
func New(core *app.Core) *Service { return &Service{core: core} }
