package exposure

import (
	"context"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// SystemStatus is one system with checkable exposure and its latest check.
type SystemStatus struct {
	System  fenghuo.System
	Last    *fenghuo.ExposureRun // nil: never checked
	NextDue time.Time            // zero: not yet scheduled
	// CanRun is whether the actor may run a check now.
	CanRun bool
}

// Checkable reports whether a system has an address to check (a domain,
// URL or IP).
func Checkable(s *fenghuo.System) bool {
	for _, e := range s.Exposure {
		if e.Kind == fenghuo.ExposureDomain || e.Kind == fenghuo.ExposureURL || e.Kind == fenghuo.ExposureIP {
			return true
		}
	}
	return false
}

// Overview lists the active systems of an org's subtree (the actor must see
// the org) that have an address to check, with their latest check, up to
// one page of systems (store.MaxLimit). Capped tells that more exist.
func (s *Service) Overview(ctx context.Context, ac *app.Actor, orgID int64) (out []SystemStatus, capped bool, err error) {
	org, err := s.core.VisibleOrg(ctx, ac, orgID)
	if err != nil {
		return nil, false, err
	}
	if err := app.RequireAt(ac, fenghuo.PermSystemRead, org.Path, "Org", orgID); err != nil {
		return nil, false, err
	}
	db := s.core.DB()
	res, err := db.SubtreeSystems(ctx, org.ID, store.SystemFilter{Status: fenghuo.SystemActive}, store.Page{Limit: store.MaxLimit})
	if err != nil {
		return nil, false, err
	}
	out = []SystemStatus{}
	for i := range res.Items {
		sys := res.Items[i]
		if !Checkable(&sys) {
			continue
		}
		st := SystemStatus{System: sys}
		runs, err := db.ExposureRuns(ctx, sys.ID, 1)
		if err != nil {
			return nil, false, err
		}
		if len(runs) > 0 {
			st.Last = &runs[0]
		}
		if st.NextDue, err = db.ExposureDue(ctx, sys.ID); err != nil {
			return nil, false, err
		}
		sysOrg, err := db.Org(ctx, sys.OrgID)
		if err != nil {
			return nil, false, err
		}
		st.CanRun = ac.CanAt(fenghuo.PermSystemWrite, sysOrg.Path)
		out = append(out, st)
	}
	return out, res.Capped || res.Total > len(res.Items), nil
}

// SystemView is one system's exposure: what is registered, the policy that
// applies, its latest results and its recent checks.
type SystemView struct {
	System fenghuo.System
	Org    fenghuo.Org
	Policy fenghuo.ExposurePolicy
	// PolicySetBy is the org whose policy applies (0: the default).
	PolicySetBy int64
	Runs        []fenghuo.ExposureRun
	// Latest are the results of the latest run from each vantage point
	// (the server, each probe), newest run first.
	Latest  []fenghuo.ExposureResult
	NextDue time.Time
	CanRun  bool
	// RequestedAt is when a check asked for in the console was queued
	// (zero: none waiting); PendingProbes the probes that have a check of
	// the system to report. Either means "检测中".
	RequestedAt   time.Time
	PendingProbes []string
}

// Checking reports whether a check of the system is queued or waits for
// a probe's report.
func (v *SystemView) Checking() bool { return !v.RequestedAt.IsZero() || len(v.PendingProbes) > 0 }

// System returns a system's exposure view for an actor who sees it.
func (s *Service) System(ctx context.Context, ac *app.Actor, systemID int64) (*SystemView, error) {
	sys, org, err := s.visible(ctx, ac, systemID)
	if err != nil {
		return nil, err
	}
	v := &SystemView{System: *sys, Org: *org, CanRun: ac.CanAt(fenghuo.PermSystemWrite, org.Path) && sys.Status == fenghuo.SystemActive}
	db := s.core.DB()
	if err := db.View(ctx, func(tx *store.Tx) error {
		var err error
		v.Policy, v.PolicySetBy, err = s.PolicyTx(ctx, tx, org)
		return err
	}); err != nil {
		return nil, err
	}
	if v.Runs, err = db.ExposureRuns(ctx, sys.ID, 20); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	v.Latest = []fenghuo.ExposureResult{}
	for _, r := range v.Runs {
		if seen[r.Vantage] {
			continue
		}
		seen[r.Vantage] = true
		res, err := db.ExposureResults(ctx, r.ID)
		if err != nil {
			return nil, err
		}
		SortResults(res)
		v.Latest = append(v.Latest, res...)
	}
	if v.NextDue, err = db.ExposureDue(ctx, sys.ID); err != nil {
		return nil, err
	}
	if _, v.RequestedAt, err = db.ExposureRequest(ctx, sys.ID); err != nil {
		return nil, err
	}
	ws, err := db.PendingExposureProbeWork(ctx, sys.ID)
	if err != nil {
		return nil, err
	}
	v.PendingProbes = []string{}
	for _, w := range ws {
		v.PendingProbes = append(v.PendingProbes, w.ProbeName)
	}
	return v, nil
}

// Run returns one check with its results, for an actor who sees its system.
func (s *Service) Run(ctx context.Context, ac *app.Actor, runID int64) (*fenghuo.ExposureRun, []fenghuo.ExposureResult, error) {
	db := s.core.DB()
	r, err := db.ExposureRun(ctx, runID)
	if err != nil {
		return nil, nil, err
	}
	org, err := db.Org(ctx, r.OrgID)
	if err != nil {
		return nil, nil, err
	}
	if err := app.RequireAt(ac, fenghuo.PermSystemRead, org.Path, "Exposure check", runID); err != nil {
		return nil, nil, err
	}
	res, err := db.ExposureResults(ctx, r.ID)
	if err != nil {
		return nil, nil, err
	}
	SortResults(res)
	return r, res, nil
}

// History returns the results of one target and port of a system, newest
// first (up to limit).
func (s *Service) History(ctx context.Context, ac *app.Actor, systemID int64, target string, port, limit int) ([]fenghuo.ExposureResult, error) {
	if _, _, err := s.visible(ctx, ac, systemID); err != nil {
		return nil, err
	}
	return s.core.DB().ExposureHistory(ctx, systemID, target, port, limit)
}
