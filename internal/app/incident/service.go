// Package incident holds the use cases of incidents and their reporting:
// creation and grading under the governing plan, facts and transitions,
// evidence, report forms and submissions, routing to the competent offices
// and their inboxes, forwarding, the reporting obligations, the exports of
// reports and records, drafts opened from monitoring alerts, and the demo
// history of incidents.
package incident

import "fenghuo/internal/app"

// Service is the incidents capability.
type Service struct {
	core *app.Core
	// reportHook instantiates report playbooks (task capability; taskhook.go).
	reportHook ReportHook
}

// New returns the incidents capability over core.
func New(core *app.Core) *Service { return &Service{core: core} }
