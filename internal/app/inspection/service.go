// Package inspection is the inspection-campaign capability (C8; seed 000
// §3, seed 004 §3(一)): offices keep checklists as numbered versions and
// send one to the units of a scope for a window, as a self-inspection
// (自查: each unit answers for itself) or an inspection by the office (检查:
// the office answers for each unit). Each unit's duty to answer by the
// window's end is an obligation, reminded and escalated by the scheduler;
// a non-compliant answer becomes a finding (隐患) when the answers are
// submitted.
package inspection

import (
	"context"

	"fenghuo/internal/app"
	"fenghuo/internal/store"
)

// FindingInput is what a non-compliant answer raises: a finding of the
// unit (and the system, when the answer names one), keyed by checklist and
// item so that the same point found again merges into the open finding.
type FindingInput struct {
	OrgID     int64
	SystemID  int64
	Key       string
	SourceRef string
	Title     string
	Detail    string
	Severity  string
}

// RaiseFunc records a finding in the caller's transaction and returns its
// id (the findings ledger's RaiseTx, wired in internal/app/services).
type RaiseFunc func(ctx context.Context, tx *store.Tx, ac *app.Actor, in FindingInput) (int64, error)

// Service is the inspection capability.
type Service struct {
	core  *app.Core
	raise RaiseFunc
}

// New returns the inspection capability over core. Until SetFindingRaiser
// is called, submitting a non-compliant answer fails: a campaign must never
// lose a finding.
func New(core *app.Core) *Service { return &Service{core: core} }

// SetFindingRaiser sets where non-compliant answers are recorded.
func (s *Service) SetFindingRaiser(f RaiseFunc) { s.raise = f }
