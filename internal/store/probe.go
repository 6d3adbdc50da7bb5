package store

import (
	"context"
	"time"
)

// Probe is a remote fenghuo probe agent: a vantage point in another network.
type Probe struct {
	ID        int64
	Name      string
	Network   string
	TokenHash string
	LastSeen  time.Time
}

// CreateProbe registers a probe by the hash of its token.
func (db *DB) CreateProbe(ctx context.Context, p *Probe) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		return tx.c.queryRow(ctx, "INSERT INTO probes (name, network, token_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id",
			p.Name, p.Network, p.TokenHash, ms(tx.now)).Scan(&p.ID)
	})
}

// ProbeByToken returns the probe whose token hashes to hash, and notes that
// it was seen.
func (db *DB) ProbeByToken(ctx context.Context, hash string, now time.Time) (*Probe, error) {
	return update(ctx, db, func(tx *Tx) (*Probe, error) {
		var p Probe
		var seen int64
		err := tx.c.queryRow(ctx, "SELECT id, name, network, token_hash, last_seen FROM probes WHERE token_hash = ?", hash).
			Scan(&p.ID, &p.Name, &p.Network, &p.TokenHash, &seen)
		if err != nil {
			return nil, notFoundOr(err, "Probe", "token")
		}
		p.LastSeen = fromMS(seen)
		_, err = tx.c.exec(ctx, "UPDATE probes SET last_seen = ? WHERE id = ?", ms(now), p.ID)
		return &p, err
	})
}

// ProbeAssignments lists the monitors remote probes check: those that need
// more than one vantage point to agree. Only ID and URL are filled (a
// probe needs no more; the baselines of thousands of monitors were read at
// every probe request).
func (db *DB) ProbeAssignments(ctx context.Context) ([]Monitor, error) {
	return view(ctx, db, func(tx *Tx) ([]Monitor, error) {
		rows, err := tx.c.query(ctx, "SELECT id, url FROM monitors WHERE enabled = 1 AND agreement > 1 ORDER BY id")
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		out := []Monitor{}
		for rows.Next() {
			var m Monitor
			if err := rows.Scan(&m.ID, &m.URL); err != nil {
				return nil, err
			}
			out = append(out, m)
		}
		return out, rows.Err()
	})
}

// ProbeResult is what a probe saw of a monitor's site, for AddProbeResults.
type ProbeResult struct {
	MonitorID int64
	OK        bool
	Error     string
	Latency   time.Duration
}

// AddProbeResults records a probe's report in one transaction (one commit
// for a report on thousands of monitors, not one each).
func (db *DB) AddProbeResults(ctx context.Context, probeID int64, at time.Time, rs []ProbeResult) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		for _, r := range rs {
			if _, err := tx.c.exec(ctx, "INSERT INTO probe_results (monitor_id, probe_id, at, ok, error, latency_ms) VALUES (?, ?, ?, ?, ?, ?)",
				r.MonitorID, probeID, ms(at), b2i(r.OK), r.Error, int(r.Latency/time.Millisecond)); err != nil {
				return err
			}
		}
		return nil
	})
}

// ProbesFailing counts the probes whose latest report on a monitor since
// since was a failure.
func (db *DB) ProbesFailing(ctx context.Context, monitorID int64, since time.Time) (int, error) {
	return view(ctx, db, func(tx *Tx) (int, error) {
		var n int
		err := tx.c.queryRow(ctx, `SELECT COUNT(*) FROM probe_results r WHERE r.monitor_id = ? AND r.at >= ? AND r.ok = 0
			AND r.at = (SELECT MAX(at) FROM probe_results x WHERE x.monitor_id = r.monitor_id AND x.probe_id = r.probe_id)`,
			monitorID, ms(since)).Scan(&n)
		return n, err
	})
}
