package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"fenghuo/internal/fenghuo"
)

// Exposure checks from remote probes and checks queued from the console
// (0024_exposure_probes.sql).

// ExposureConnect is one planned connect (fenghuo.ExposureConnect).
type ExposureConnect = fenghuo.ExposureConnect

// ExposureProbeWork is a check of one system handed to one remote probe:
// the server's plan (the only connects the probe's report may name).
type ExposureProbeWork struct {
	ID        int64
	ProbeID   int64
	ProbeName string // filled by the listing queries
	SystemID  int64
	OrgID     int64
	Cause     string
	CreatedBy int64
	Plan      []ExposureConnect
	Refused   []string
	Addresses int
	CreatedAt time.Time
	// LeaseUntil is when a claimed item is handed out again (zero: never
	// claimed); Claims counts the hand-outs.
	LeaseUntil time.Time
	Claims     int
}

const exposureWorkColumns = `w.id, w.probe_id, COALESCE(p.name, ''), w.system_id, w.org_id, w.cause, w.created_by, w.plan, w.refused,
	w.addresses, w.created_at, w.lease_until, w.claims`

const exposureWorkFrom = ` FROM exposure_probe_work w LEFT JOIN probes p ON p.id = w.probe_id`

func scanExposureWork(sc scanner) (*ExposureProbeWork, error) {
	var w ExposureProbeWork
	var plan, refused string
	var created, lease int64
	if err := sc.Scan(&w.ID, &w.ProbeID, &w.ProbeName, &w.SystemID, &w.OrgID, &w.Cause, &w.CreatedBy, &plan, &refused,
		&w.Addresses, &created, &lease, &w.Claims); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(plan), &w.Plan); err != nil {
		return nil, fmt.Errorf("store: exposure work %d: plan unreadable: %w", w.ID, err)
	}
	if err := json.Unmarshal([]byte(refused), &w.Refused); err != nil {
		w.Refused = nil
	}
	w.CreatedAt = fromMS(created)
	if lease > 0 {
		w.LeaseUntil = fromMS(lease)
	}
	return &w, nil
}

// PutExposureProbeWork hands a check of a system to a probe: it replaces
// the probe's pending item for that system unless that one is under lease
// at now (the probe is working on it; the newer plan is dropped). It
// reports whether the item was stored.
func (tx *Tx) PutExposureProbeWork(ctx context.Context, w *ExposureProbeWork, now time.Time) (bool, error) {
	plan, err := json.Marshal(w.Plan)
	if err != nil {
		return false, err
	}
	refused := w.Refused
	if refused == nil {
		refused = []string{}
	}
	rb, err := json.Marshal(refused)
	if err != nil {
		return false, err
	}
	res, err := tx.c.exec(ctx, `INSERT INTO exposure_probe_work (probe_id, system_id, org_id, cause, created_by, plan, refused,
		addresses, created_at, lease_until, claims) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)
		ON CONFLICT (system_id, probe_id) DO UPDATE SET org_id = excluded.org_id, cause = excluded.cause,
		created_by = excluded.created_by, plan = excluded.plan, refused = excluded.refused, addresses = excluded.addresses,
		created_at = excluded.created_at, lease_until = 0, claims = 0
		WHERE exposure_probe_work.lease_until <= ?`,
		w.ProbeID, w.SystemID, w.OrgID, w.Cause, w.CreatedBy, string(plan), string(rb), w.Addresses, ms(now), ms(now))
	if err != nil {
		return false, fmt.Errorf("store: exposure probe work: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// ClaimExposureProbeWork hands up to limit of a probe's items that are not
// under lease at now to the probe, each leased until now+lease: an item
// the probe does not report on in time is handed out again.
func (db *DB) ClaimExposureProbeWork(ctx context.Context, probeID int64, now time.Time, lease time.Duration, limit int) ([]ExposureProbeWork, error) {
	return update(ctx, db, func(tx *Tx) ([]ExposureProbeWork, error) {
		rows, err := tx.c.query(ctx, "SELECT "+exposureWorkColumns+exposureWorkFrom+
			" WHERE w.probe_id = ? AND w.lease_until <= ? ORDER BY w.lease_until, w.id LIMIT ?", probeID, ms(now), limit)
		if err != nil {
			return nil, fmt.Errorf("store: claim exposure work: %w", err)
		}
		var ws []ExposureProbeWork
		for rows.Next() {
			w, err := scanExposureWork(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			ws = append(ws, *w)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		out := []ExposureProbeWork{}
		until := now.Add(lease)
		for _, w := range ws {
			res, err := tx.c.exec(ctx, "UPDATE exposure_probe_work SET lease_until = ?, claims = claims + 1 WHERE id = ? AND lease_until = ?",
				ms(until), w.ID, ms(w.LeaseUntil))
			if err != nil {
				return nil, err
			}
			if n, _ := res.RowsAffected(); n == 1 {
				w.LeaseUntil, w.Claims = until, w.Claims+1
				out = append(out, w)
			}
		}
		return out, nil
	})
}

// ExposureProbeWorkTx returns one item of a probe's work (ENOTFOUND when it
// is not that probe's, or done).
func (tx *Tx) ExposureProbeWorkTx(ctx context.Context, id, probeID int64) (*ExposureProbeWork, error) {
	w, err := scanExposureWork(tx.c.queryRow(ctx, "SELECT "+exposureWorkColumns+exposureWorkFrom+
		" WHERE w.id = ? AND w.probe_id = ?", id, probeID))
	if err != nil {
		return nil, notFoundOr(err, "Exposure probe work", id)
	}
	return w, nil
}

// DoneExposureProbeWork removes an item its probe reported on; false when
// it was gone already (reported twice).
func (tx *Tx) DoneExposureProbeWork(ctx context.Context, id, probeID int64) (bool, error) {
	res, err := tx.c.exec(ctx, "DELETE FROM exposure_probe_work WHERE id = ? AND probe_id = ?", id, probeID)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// PendingExposureProbeWork lists the items of a system that probes have
// not reported on yet.
func (db *DB) PendingExposureProbeWork(ctx context.Context, systemID int64) ([]ExposureProbeWork, error) {
	return view(ctx, db, func(tx *Tx) ([]ExposureProbeWork, error) {
		rows, err := tx.c.query(ctx, "SELECT "+exposureWorkColumns+exposureWorkFrom+
			" WHERE w.system_id = ? ORDER BY w.probe_id LIMIT ?", systemID, MaxLimit)
		if err != nil {
			return nil, fmt.Errorf("store: exposure probe work: %w", err)
		}
		defer rows.Close()
		out := []ExposureProbeWork{}
		for rows.Next() {
			w, err := scanExposureWork(rows)
			if err != nil {
				return nil, err
			}
			out = append(out, *w)
		}
		return out, rows.Err()
	})
}

// ProbesNamedTx returns the registered probes called name (a probe name is
// not unique: each one so called is a vantage point).
func (tx *Tx) ProbesNamedTx(ctx context.Context, name string) ([]Probe, error) {
	rows, err := tx.c.query(ctx, "SELECT id, name, network, token_hash, last_seen FROM probes WHERE name = ? ORDER BY id LIMIT ?", name, MaxLimit)
	if err != nil {
		return nil, fmt.Errorf("store: probes: %w", err)
	}
	defer rows.Close()
	var out []Probe
	for rows.Next() {
		var p Probe
		var seen int64
		if err := rows.Scan(&p.ID, &p.Name, &p.Network, &p.TokenHash, &seen); err != nil {
			return nil, err
		}
		p.LastSeen = fromMS(seen)
		out = append(out, p)
	}
	return out, rows.Err()
}

// RequestExposureCheck queues a check of a system asked for by userID:
// due at now, run by the checker whatever the schedule policy says.
func (tx *Tx) RequestExposureCheck(ctx context.Context, systemID, orgID, userID int64, now time.Time) error {
	_, err := tx.c.exec(ctx, `INSERT INTO exposure_schedule (system_id, org_id, next_due_at, requested_by, requested_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (system_id) DO UPDATE SET next_due_at = excluded.next_due_at, org_id = excluded.org_id,
		requested_by = excluded.requested_by, requested_at = excluded.requested_at`, systemID, orgID, ms(now), userID, ms(now))
	if err != nil {
		return fmt.Errorf("store: exposure request: %w", err)
	}
	return nil
}

// ExposureRequest returns who queued a check of a system and when (0 and
// zero: none waiting).
func (db *DB) ExposureRequest(ctx context.Context, systemID int64) (by int64, at time.Time, err error) {
	err = db.View(ctx, func(tx *Tx) error {
		var a int64
		err := tx.c.queryRow(ctx, "SELECT requested_by, requested_at FROM exposure_schedule WHERE system_id = ?", systemID).Scan(&by, &a)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if a > 0 {
			at = fromMS(a)
		}
		return err
	})
	return by, at, err
}

// ClearExposureRequest marks a queued check done when it was asked for at
// or before upTo (a request made during the check stays queued).
func (tx *Tx) ClearExposureRequest(ctx context.Context, systemID int64, upTo time.Time) error {
	_, err := tx.c.exec(ctx, "UPDATE exposure_schedule SET requested_by = 0, requested_at = 0 WHERE system_id = ? AND requested_at > 0 AND requested_at <= ?",
		systemID, ms(upTo))
	return err
}
