// Package risknotice holds the use cases of risk notices (网络安全风险通报,
// issue 12): an office issues a notice about a component and its affected
// version ranges; the notice is targeted automatically at the units of the
// office's subtree whose registered systems run an affected version (by
// normalised vendor/product and real version comparison, internal/version);
// each targeted unit answers "affected" or "not affected" (with a reason)
// by the deadline — 7 days by default, seed 001 附件4 五 — an obligation the
// one scheduler reminds and escalates to the issuer when nobody answers;
// "affected" raises a finding (隐患) per affected system in the findings
// ledger, due the notice's deadline. The issuer follows progress on a board
// and exports the notice as DOCX/PDF in the official layout.
package risknotice

import (
	"fenghuo/internal/app"
	"fenghuo/internal/app/finding"
)

// Service is the risk notices capability.
type Service struct {
	core     *app.Core
	findings *finding.Service
}

// New returns the risk notices capability over core; findings records
// the findings an "affected" answer raises.
func New(core *app.Core, findings *finding.Service) *Service {
	return &Service{core: core, findings: findings}
}
