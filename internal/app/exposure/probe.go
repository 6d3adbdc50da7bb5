package exposure

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/exposure/report"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/guard"
	"fenghuo/internal/store"
)

// Exposure checks from remote probes (fenghuo probe, in other networks):
// the server plans every check (buildPlan: the closed set of registered
// addresses and ports) and hands the plan to each probe the office's
// policy names; the probe connects with the same dialer code, timeout and
// rate limits and reports; the server stores the report as a run from
// that vantage point, for the plan it handed out only.

// ProbeLease is how long a probe holds the work it was handed: work not
// reported by then is handed out again (the probe died, its report was
// lost).
const ProbeLease = 10 * time.Minute

// probeClaim is how many work items a probe is handed at a time.
const probeClaim = 16

// VantageName is how a check's vantage point is named in findings and
// notes: this server, or the remote probe by name.
func VantageName(v string) string {
	if n := fenghuo.VantageProbe(v); n != "" {
		return "探针「" + n + "」"
	}
	return "本平台服务器"
}

// handToProbes gives the plan of a check to every registered probe the
// policy names, as work (replacing a probe's older plan for the system
// that it has not claimed). It returns the names handed to; a name no
// probe is registered under is logged and skipped.
func (s *Service) handToProbes(ctx context.Context, tx *store.Tx, sys *fenghuo.System, org *fenghuo.Org, pol fenghuo.ExposurePolicy,
	pl plan, cause string, by int64, now time.Time) ([]string, error) {
	names := pol.ProbeNames()
	if len(names) == 0 || len(pl.probes) == 0 {
		return []string{}, nil
	}
	connects := make([]store.ExposureConnect, len(pl.probes))
	for i, pr := range pl.probes {
		connects[i] = store.ExposureConnect{Target: pr.Target, Address: pr.Address.String(), Port: pr.Port}
	}
	handed := []string{}
	for _, name := range names {
		ps, err := tx.ProbesNamedTx(ctx, name)
		if err != nil {
			return nil, err
		}
		if len(ps) == 0 {
			s.core.Logger().Warn("exposure policy names a probe that is not registered", "probe", name, "org", org.ID)
			continue
		}
		for _, p := range ps {
			ok, err := tx.PutExposureProbeWork(ctx, &store.ExposureProbeWork{ProbeID: p.ID, SystemID: sys.ID, OrgID: org.ID,
				Cause: cause, CreatedBy: by, Plan: connects, Refused: pl.refused, Addresses: pl.addrs}, now)
			if err != nil {
				return nil, err
			}
			if ok {
				probeWork.WithLabelValues("handed").Inc()
				handed = append(handed, name)
			}
		}
	}
	return handed, nil
}

// PendingProbes lists the probes that have a check of a system to report.
func (s *Service) PendingProbes(ctx context.Context, ac *app.Actor, systemID int64) ([]store.ExposureProbeWork, error) {
	if _, _, err := s.visible(ctx, ac, systemID); err != nil {
		return nil, err
	}
	return s.core.DB().PendingExposureProbeWork(ctx, systemID)
}

// ProbeAuth authenticates a probe's request (monitor.Service.ProbeAuth:
// the probe's token, stored as an SM3 hash).
type ProbeAuth func(next func(http.ResponseWriter, *http.Request, *store.Probe)) http.HandlerFunc

// ProbeRoutes mounts the exposure part of the probe protocol:
// GET /probe/v1/exposure hands the probe its work (leased for ProbeLease),
// POST /probe/v1/exposure takes its report.
func (s *Service) ProbeRoutes(mux *http.ServeMux, auth ProbeAuth) {
	mux.HandleFunc("GET /probe/v1/exposure", auth(s.probeWork))
	mux.HandleFunc("POST /probe/v1/exposure", auth(s.probeReport))
}

func probeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"code": "probe", "message": msg}})
}

func (s *Service) probeWork(w http.ResponseWriter, r *http.Request, p *store.Probe) {
	ws, err := s.core.DB().ClaimExposureProbeWork(r.Context(), p.ID, s.core.Now(), ProbeLease, probeClaim)
	if err != nil {
		s.core.Logger().Error("exposure probe work", "probe", p.ID, "err", err)
		probeError(w, http.StatusInternalServerError, "internal error")
		return
	}
	items := make([]report.Work, 0, len(ws))
	for _, wk := range ws {
		cs := make([]report.Connect, len(wk.Plan))
		for i, c := range wk.Plan {
			cs[i] = report.Connect{Address: c.Address, Port: c.Port}
		}
		items = append(items, report.Work{WorkID: wk.ID, Connects: cs})
		probeWork.WithLabelValues("claimed").Inc()
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"probe": p.Name, "lease_seconds": int(ProbeLease / time.Second), "items": items})
}

// probeActor is who a probe's report is recorded as: the platform (the
// probe only connects where the server planned), named after the probe.
func probeActor(p *store.Probe) *app.Actor {
	return &app.Actor{User: fenghuo.User{Username: "probe:" + p.Name, DisplayName: "探针" + p.Name}, Via: "system"}
}

// probeReport takes a probe's report. Whatever is in it, a panic while
// processing it is recovered, counted and logged with its SM3 digest. A
// report is taken whole or refused whole: if any item names work that is
// not this probe's, or any result is not a connect of the plan handed out,
// nothing of it is stored, the refusal is counted
// (fenghuo_exposure_probe_reports_refused_total) and audited.
func (s *Service) probeReport(w http.ResponseWriter, r *http.Request, p *store.Probe) {
	body, err := io.ReadAll(io.LimitReader(r.Body, report.MaxBody+1))
	if err != nil {
		probeError(w, http.StatusBadRequest, "the report could not be read")
		return
	}
	var pe *guard.PanicError
	if err := guard.Run(s.core.Logger(), "exposure_probe_report", func() error { s.ingest(w, r, p, body); return nil },
		"probe", p.ID, "input_sm3", guard.Digest(body)); errors.As(err, &pe) {
		reportsRefused.WithLabelValues("panic").Inc()
		probeError(w, http.StatusInternalServerError, "the report could not be processed (internal error, logged with its digest)")
	}
}

func (s *Service) refuse(ctx context.Context, w http.ResponseWriter, p *store.Probe, reason string, err error) {
	reportsRefused.WithLabelValues(reason).Inc()
	s.core.Logger().Warn("exposure probe report refused", "probe", p.ID, "name", p.Name, "reason", reason, "err", err)
	if aerr := s.core.RecordAlone(ctx, probeActor(p), "exposure.probe_report", "probe", app.ObjectID(p.ID), "denied",
		map[string]any{"reason": reason, "error": fenghuo.CleanText(err.Error(), 300)}); aerr != nil {
		s.core.Logger().Error("audit", "err", aerr)
	}
	probeError(w, http.StatusBadRequest, err.Error())
}

func (s *Service) ingest(w http.ResponseWriter, r *http.Request, p *store.Probe, body []byte) {
	ctx := r.Context()
	rep, err := report.Parse(body)
	if err != nil {
		s.refuse(ctx, w, p, "malformed", err)
		return
	}
	// Every item is checked against the work this probe was handed
	// before anything is stored.
	type matched struct {
		work    *store.ExposureProbeWork
		results []fenghuo.ExposureResult
	}
	var ms []matched
	err = s.core.DB().View(ctx, func(tx *store.Tx) error {
		for _, it := range rep.Items {
			wk, err := tx.ExposureProbeWorkTx(ctx, it.WorkID, p.ID)
			if err != nil {
				return err
			}
			rs, err := report.Match(wk.Plan, it.Results)
			if err != nil {
				return fmt.Errorf("work %d: %w", it.WorkID, err)
			}
			ms = append(ms, matched{wk, rs})
		}
		return nil
	})
	switch {
	case fenghuo.ErrorCode(err) == fenghuo.ENOTFOUND:
		s.refuse(ctx, w, p, "unknown_work", fmt.Errorf("%w: the report names work this probe was not handed, or reported already", report.ErrBad))
		return
	case errors.Is(err, report.ErrNotInPlan):
		s.refuse(ctx, w, p, "not_in_plan", fmt.Errorf("%w: %v: a probe reports only on the addresses and ports it was handed", report.ErrBad, err))
		return
	case err != nil:
		s.core.Logger().Error("exposure probe report", "probe", p.ID, "err", err)
		probeError(w, http.StatusInternalServerError, "internal error")
		return
	}
	for _, m := range ms {
		if err := s.storeProbeRun(ctx, p, m.work, m.results); err != nil {
			s.core.Logger().Error("exposure probe report", "probe", p.ID, "work", m.work.ID, "err", err)
			probeError(w, http.StatusInternalServerError, "internal error")
			return
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// storeProbeRun stores one work item's results as a run from the probe's
// vantage: the work is removed, the run, results, findings and audit
// entry written, in one transaction. Work of a system retired or removed
// meanwhile is dropped.
func (s *Service) storeProbeRun(ctx context.Context, p *store.Probe, wk *store.ExposureProbeWork, results []fenghuo.ExposureResult) error {
	db := s.core.DB()
	ac := probeActor(p)
	return db.WithTx(ctx, func(tx *store.Tx) error {
		ok, err := tx.DoneExposureProbeWork(ctx, wk.ID, p.ID)
		if err != nil || !ok {
			return err // reported meanwhile (a replica took it): nothing to do
		}
		sys, err := tx.System(ctx, wk.SystemID)
		if fenghuo.ErrorCode(err) == fenghuo.ENOTFOUND || (err == nil && sys.Status != fenghuo.SystemActive) {
			probeWork.WithLabelValues("dropped").Inc()
			return nil
		} else if err != nil {
			return err
		}
		org, err := tx.Org(ctx, sys.OrgID)
		if err != nil {
			return err
		}
		pol, _, err := s.PolicyTx(ctx, tx, org)
		if err != nil {
			return err
		}
		now := s.core.Now()
		run := &fenghuo.ExposureRun{OrgID: org.ID, SystemID: sys.ID, Cause: wk.Cause, Vantage: fenghuo.ProbeVantage(p.Name),
			State: fenghuo.ExposureRunDone, Addresses: wk.Addresses, Probes: len(wk.Plan), Refused: wk.Refused, CreatedBy: wk.CreatedBy,
			StartedAt: wk.CreatedAt, FinishedAt: now}
		if err := tx.CreateExposureRun(ctx, run); err != nil {
			return err
		}
		if err := s.record(ctx, tx, ac, sys, org, pol, run, results); err != nil {
			return err
		}
		for _, r := range results {
			probes.WithLabelValues(r.State).Inc()
		}
		probeWork.WithLabelValues("reported").Inc()
		checks.WithLabelValues("done").Inc()
		return s.core.Record(ctx, tx, ac, "exposure.check", "system", app.ObjectID(sys.ID), "success",
			map[string]any{"run": run.ID, "cause": run.Cause, "vantage": run.Vantage, "probe": p.ID, "work": wk.ID,
				"addresses": run.Addresses, "probes": run.Probes, "open_high_risk": run.OpenHighRisk})
	})
}
