// Package incident holds the use cases of incidents and their reporting:
// creation and grading under the governing plan, facts and transitions,
// evidence, report forms and submissions, routing to the competent offices
// and their inboxes, forwarding, the reporting obligations, the exports of
// reports and records, drafts opened from monitoring alerts, and the demo
// history of incidents.
package incident

import (
	"context"

	"fenghuo/internal/app"
	"fenghuo/internal/store"
)

// Service is the incidents capability.
type Service struct {
	core *app.Core
	// reportHook instantiates report playbooks (task capability; taskhook.go).
	reportHook ReportHook
}

// New returns the incidents capability over core.
func New(core *app.Core) *Service { return &Service{core: core} }

// write runs fn in a write transaction that keeps the orgs it reads
// (store.Tx.MemoOrgs): an incident's writes read the same offices again and
// again — access, governing plans, routing up the chain — and write none
// (reading them was 11 % of serve's CPU in the writes benchmark).
func (a *Service) write(ctx context.Context, fn func(tx *store.Tx) error) error {
	return a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		tx.MemoOrgs()
		return fn(tx)
	})
}
