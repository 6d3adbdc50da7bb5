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
	"fenghuo/internal/app/finding"
	"fenghuo/internal/fenghuo"
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

// LedgerRaiser records a non-compliant answer in the findings ledger as a
// finding of source "inspection", due by the unit's SLA for its severity;
// the same item found again merges into the open finding.
func LedgerRaiser(ledger *finding.Service) RaiseFunc {
	return func(ctx context.Context, tx *store.Tx, ac *app.Actor, in FindingInput) (int64, error) {
		f, _, err := ledger.RaiseTx(ctx, tx, ac, finding.Input{OrgID: in.OrgID, SystemID: in.SystemID,
			Source: fenghuo.FindingSourceInspection, SourceRef: in.SourceRef, Key: in.Key, Title: in.Title,
			Detail: in.Detail, Severity: in.Severity})
		if err != nil {
			return 0, err
		}
		return f.ID, nil
	}
}
