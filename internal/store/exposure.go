package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"fenghuo/internal/fenghuo"
)

// Exposure checks (0019_exposure_checks.sql): runs, their per-address and
// per-port results (the history of each registered target and port), and
// the schedule of the systems to check.

const exposureRunColumns = `id, org_id, system_id, cause, vantage, state, addresses, probes, open_high_risk, refused, error,
	created_by, started_at, finished_at`

func scanExposureRun(sc scanner) (*fenghuo.ExposureRun, error) {
	var r fenghuo.ExposureRun
	var refused string
	var started, finished int64
	if err := sc.Scan(&r.ID, &r.OrgID, &r.SystemID, &r.Cause, &r.Vantage, &r.State, &r.Addresses, &r.Probes, &r.OpenHighRisk,
		&refused, &r.Error, &r.CreatedBy, &started, &finished); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(refused), &r.Refused); err != nil {
		r.Refused = nil
	}
	r.StartedAt, r.FinishedAt = fromMS(started), fromMS(finished)
	return &r, nil
}

const exposureResultColumns = `id, run_id, org_id, system_id, target, address, port, state, vantage, high_risk, finding_id, latency_ms, error, at`

func scanExposureResult(sc scanner) (*fenghuo.ExposureResult, error) {
	var r fenghuo.ExposureResult
	var high int
	var at int64
	if err := sc.Scan(&r.ID, &r.RunID, &r.OrgID, &r.SystemID, &r.Target, &r.Address, &r.Port, &r.State, &r.Vantage, &high, &r.FindingID,
		&r.LatencyMS, &r.Error, &at); err != nil {
		return nil, err
	}
	r.HighRisk, r.At = high != 0, fromMS(at)
	return &r, nil
}

// CreateExposureRun stores a finished run (its ID is set).
func (tx *Tx) CreateExposureRun(ctx context.Context, r *fenghuo.ExposureRun) error {
	refused := r.Refused
	if refused == nil {
		refused = []string{}
	}
	b, err := json.Marshal(refused)
	if err != nil {
		return err
	}
	err = tx.c.queryRow(ctx, `INSERT INTO exposure_runs (org_id, system_id, cause, vantage, state, addresses, probes,
		open_high_risk, refused, error, created_by, started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		r.OrgID, r.SystemID, r.Cause, r.Vantage, r.State, r.Addresses, r.Probes, r.OpenHighRisk, string(b), r.Error, r.CreatedBy,
		ms(r.StartedAt), ms(r.FinishedAt)).Scan(&r.ID)
	if err != nil {
		return fmt.Errorf("store: exposure run: %w", err)
	}
	return nil
}

// AddExposureResult stores one result of run r.RunID (its ID is set).
func (tx *Tx) AddExposureResult(ctx context.Context, r *fenghuo.ExposureResult) error {
	if r.Vantage == "" {
		r.Vantage = fenghuo.VantageServer
	}
	err := tx.c.queryRow(ctx, `INSERT INTO exposure_results (run_id, org_id, system_id, target, address, port, state, vantage,
		high_risk, finding_id, latency_ms, error, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		r.RunID, r.OrgID, r.SystemID, r.Target, r.Address, r.Port, r.State, r.Vantage, b2i(r.HighRisk), r.FindingID, r.LatencyMS, r.Error,
		ms(r.At)).Scan(&r.ID)
	if err != nil {
		return fmt.Errorf("store: exposure result: %w", err)
	}
	return nil
}

// ExposureRun returns one run.
func (db *DB) ExposureRun(ctx context.Context, id int64) (*fenghuo.ExposureRun, error) {
	return view(ctx, db, func(tx *Tx) (*fenghuo.ExposureRun, error) {
		r, err := scanExposureRun(tx.c.queryRow(ctx, "SELECT "+exposureRunColumns+" FROM exposure_runs WHERE id = ?", id))
		if err != nil {
			return nil, notFoundOr(err, "Exposure check", id)
		}
		return r, nil
	})
}

// ExposureRuns lists a system's runs, newest first.
func (db *DB) ExposureRuns(ctx context.Context, systemID int64, limit int) ([]fenghuo.ExposureRun, error) {
	limit = Page{Limit: limit}.norm().Limit
	return view(ctx, db, func(tx *Tx) ([]fenghuo.ExposureRun, error) {
		rows, err := tx.c.query(ctx, "SELECT "+exposureRunColumns+" FROM exposure_runs WHERE system_id = ? ORDER BY id DESC LIMIT ?",
			systemID, limit)
		if err != nil {
			return nil, fmt.Errorf("store: exposure runs: %w", err)
		}
		defer rows.Close()
		out := []fenghuo.ExposureRun{}
		for rows.Next() {
			r, err := scanExposureRun(rows)
			if err != nil {
				return nil, err
			}
			out = append(out, *r)
		}
		return out, rows.Err()
	})
}

// ExposureResults lists a run's results in the order they were stored.
func (db *DB) ExposureResults(ctx context.Context, runID int64) ([]fenghuo.ExposureResult, error) {
	return view(ctx, db, func(tx *Tx) ([]fenghuo.ExposureResult, error) {
		return tx.queryExposureResults(ctx, "SELECT "+exposureResultColumns+" FROM exposure_results WHERE run_id = ? ORDER BY id LIMIT ?",
			runID, MaxLimit)
	})
}

// ExposureHistory lists the results of one registered target and port of a
// system, newest first.
func (db *DB) ExposureHistory(ctx context.Context, systemID int64, target string, port, limit int) ([]fenghuo.ExposureResult, error) {
	limit = Page{Limit: limit}.norm().Limit
	return view(ctx, db, func(tx *Tx) ([]fenghuo.ExposureResult, error) {
		return tx.queryExposureResults(ctx, "SELECT "+exposureResultColumns+` FROM exposure_results
			WHERE system_id = ? AND target = ? AND port = ? ORDER BY id DESC LIMIT ?`, systemID, target, port, limit)
	})
}

// LastExposureResults returns the results of the latest run from vantage
// (before beforeRun; 0: any) that tried target and port on a system: one
// per address.
func (tx *Tx) LastExposureResults(ctx context.Context, systemID int64, target string, port int, vantage string, beforeRun int64) ([]fenghuo.ExposureResult, error) {
	if beforeRun == 0 {
		beforeRun = 1 << 62
	}
	var last int64
	err := tx.c.queryRow(ctx, `SELECT COALESCE(MAX(run_id), 0) FROM exposure_results
		WHERE system_id = ? AND target = ? AND port = ? AND vantage = ? AND run_id < ?`, systemID, target, port, vantage, beforeRun).Scan(&last)
	if err != nil || last == 0 {
		return nil, err
	}
	return tx.queryExposureResults(ctx, "SELECT "+exposureResultColumns+` FROM exposure_results
		WHERE run_id = ? AND target = ? AND port = ? ORDER BY id LIMIT ?`, last, target, port, MaxLimit)
}

func (tx *Tx) queryExposureResults(ctx context.Context, q string, args ...any) ([]fenghuo.ExposureResult, error) {
	rows, err := tx.c.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: exposure results: %w", err)
	}
	defer rows.Close()
	out := []fenghuo.ExposureResult{}
	for rows.Next() {
		r, err := scanExposureResult(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}

// ScheduleExposureChecks adds to the schedule every active system with a
// registered domain, URL or IP that is not on it yet, first due at now plus
// a stagger of up to an hour (by system ID) so that a new install does not
// check everything at once. It returns how many it added.
//
// Replicas sweep at once: a system another replica's sweep inserted
// meanwhile is skipped, not an error (ON CONFLICT).
func (db *DB) ScheduleExposureChecks(ctx context.Context, now time.Time) (int, error) {
	return update(ctx, db, func(tx *Tx) (int, error) {
		res, err := tx.c.exec(ctx, `INSERT INTO exposure_schedule (system_id, org_id, next_due_at)
			SELECT s.id, s.org_id, ? + (s.id % 3600) * 1000 FROM systems s
			WHERE s.status = 'active'
			AND EXISTS (SELECT 1 FROM system_exposures e WHERE e.system_id = s.id AND e.kind IN ('domain', 'url', 'ip'))
			AND NOT EXISTS (SELECT 1 FROM exposure_schedule x WHERE x.system_id = s.id)
			ON CONFLICT (system_id) DO NOTHING`, ms(now))
		if err != nil {
			return 0, fmt.Errorf("store: schedule exposure checks: %w", err)
		}
		n, _ := res.RowsAffected()
		return int(n), nil
	})
}

// ClaimDueExposureChecks takes up to limit systems due at now and moves
// each one's next due time to lease from now, so a crashed checker's
// systems come due again; the conditional update lets replicas claim
// disjoint systems.
func (db *DB) ClaimDueExposureChecks(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]int64, error) {
	return update(ctx, db, func(tx *Tx) ([]int64, error) {
		rows, err := tx.c.query(ctx, `SELECT system_id, next_due_at FROM exposure_schedule WHERE next_due_at <= ?
			ORDER BY next_due_at, system_id LIMIT ?`, ms(now), limit)
		if err != nil {
			return nil, err
		}
		type due struct{ id, at int64 }
		var ds []due
		for rows.Next() {
			var d due
			if err := rows.Scan(&d.id, &d.at); err != nil {
				rows.Close()
				return nil, err
			}
			ds = append(ds, d)
		}
		rows.Close()
		var claimed []int64
		for _, d := range ds {
			res, err := tx.c.exec(ctx, "UPDATE exposure_schedule SET next_due_at = ? WHERE system_id = ? AND next_due_at = ?",
				ms(now.Add(lease)), d.id, d.at)
			if err != nil {
				return nil, err
			}
			if n, _ := res.RowsAffected(); n == 1 {
				claimed = append(claimed, d.id)
			}
		}
		return claimed, nil
	})
}

// SetExposureDue sets when a system is next checked (it is added to the
// schedule if missing).
func (tx *Tx) SetExposureDue(ctx context.Context, systemID, orgID int64, next time.Time) error {
	_, err := tx.c.exec(ctx, `INSERT INTO exposure_schedule (system_id, org_id, next_due_at) VALUES (?, ?, ?)
		ON CONFLICT (system_id) DO UPDATE SET next_due_at = excluded.next_due_at, org_id = excluded.org_id`, systemID, orgID, ms(next))
	if err != nil {
		return fmt.Errorf("store: exposure schedule: %w", err)
	}
	return nil
}

// UnscheduleExposure removes a system from the schedule (retired, or no
// address left to check).
func (db *DB) UnscheduleExposure(ctx context.Context, systemID int64) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		_, err := tx.c.exec(ctx, "DELETE FROM exposure_schedule WHERE system_id = ?", systemID)
		return err
	})
}

// ExposureDue returns when a system is next checked (zero: not scheduled).
func (db *DB) ExposureDue(ctx context.Context, systemID int64) (time.Time, error) {
	return view(ctx, db, func(tx *Tx) (time.Time, error) {
		var next int64
		err := tx.c.queryRow(ctx, "SELECT COALESCE(MAX(next_due_at), 0) FROM exposure_schedule WHERE system_id = ?", systemID).Scan(&next)
		return fromMS(next), err
	})
}

// SetExposureRunOpen stores a run's count of open high-risk ports.
func (tx *Tx) SetExposureRunOpen(ctx context.Context, runID int64, n int) error {
	_, err := tx.c.exec(ctx, "UPDATE exposure_runs SET open_high_risk = ? WHERE id = ?", n, runID)
	return err
}
