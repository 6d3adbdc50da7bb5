package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Monitor watches one URL of a registered system.
type Monitor struct {
	ID            int64
	SystemID      int64
	URL           string
	Checks        []string // availability, content
	Interval      time.Duration
	Enabled       bool
	NextDueAt     time.Time
	Status        string // "", up, down
	LastCheckedAt time.Time
	LastLatency   time.Duration
	LastError     string
	DownSince     time.Time
	// Baseline is the tamper.Baseline JSON, kept in monitor_baselines: read
	// by Monitor and LoadBaseline, not by the lists nor by the claim.
	Baseline          string
	BaselineSnapshots int
	// Pending holds the kinds of a content change seen once and waiting for
	// the confirming re-fetch, as JSON.
	Pending string
	// Resolvers are the DNS servers (host:port) whose answers are compared
	// with the DNS baseline; DNSBaseline and TLSBaseline are JSON.
	Resolvers   []string
	DNSBaseline string
	TLSBaseline string
	// Agreement is how many vantage points must see a failure (1: this
	// server alone).
	Agreement int
	// ContentState is what the content check remembers between checks
	// (validators, digests and findings of the last copies it fetched), as
	// JSON owned by the monitor package.
	ContentState string
	CreatedAt    time.Time

	// readBaseline and readSnapshots are the baseline as read: a check that
	// leaves it as it was does not write it again (~10 KB a check), nor
	// undo a RelearnBaseline that ran meanwhile.
	readBaseline  string
	readSnapshots int
}

const monitorColumns = `id, system_id, url, checks, interval_s, enabled, next_due_at, status, last_checked_at, last_latency_ms,
	last_error, down_since, baseline_snapshots, pending, resolvers, dns_baseline, tls_baseline, agreement, content_state, created_at`

func scanMonitor(sc scanner) (*Monitor, error) {
	var m Monitor
	var checks, resolvers string
	var interval, latency int
	var due, checked, down, created int64
	if err := sc.Scan(&m.ID, &m.SystemID, &m.URL, &checks, &interval, &m.Enabled, &due, &m.Status, &checked, &latency,
		&m.LastError, &down, &m.BaselineSnapshots, &m.Pending, &resolvers, &m.DNSBaseline, &m.TLSBaseline, &m.Agreement, &m.ContentState, &created); err != nil {
		return nil, err
	}
	m.readSnapshots = m.BaselineSnapshots
	m.Interval, m.LastLatency = time.Duration(interval)*time.Second, time.Duration(latency)*time.Millisecond
	m.NextDueAt, m.LastCheckedAt, m.DownSince, m.CreatedAt = fromMS(due), fromMS(checked), fromMS(down), fromMS(created)
	if err := json.Unmarshal([]byte(checks), &m.Checks); err != nil {
		return nil, fmt.Errorf("store: monitor %d checks: %w", m.ID, err)
	}
	if err := json.Unmarshal([]byte(resolvers), &m.Resolvers); err != nil {
		return nil, fmt.Errorf("store: monitor %d resolvers: %w", m.ID, err)
	}
	return &m, nil
}

// CreateMonitor inserts a monitor due first at m.NextDueAt.
func (db *DB) CreateMonitor(ctx context.Context, m *Monitor) error {
	return db.WithTx(ctx, func(tx *Tx) error { return tx.createMonitor(ctx, m) })
}

func (tx *Tx) createMonitor(ctx context.Context, m *Monitor) error {
	if m.Interval < 10*time.Second {
		m.Interval = 5 * time.Minute
	}
	if len(m.Checks) == 0 {
		m.Checks = []string{"availability", "content"}
	}
	m.CreatedAt, m.Enabled = tx.now, true // a new monitor runs: the answer says so, as a read would
	if m.Agreement < 1 {
		m.Agreement = 1
	}
	if err := tx.c.queryRow(ctx, `INSERT INTO monitors (system_id, url, checks, interval_s, enabled, next_due_at, resolvers, agreement,
		baseline_snapshots, content_state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		m.SystemID, m.URL, jsonText(m.Checks), int(m.Interval/time.Second), b2i(true), ms(m.NextDueAt), jsonText(m.Resolvers),
		m.Agreement, m.BaselineSnapshots, m.ContentState, ms(tx.now), ms(tx.now)).Scan(&m.ID); err != nil {
		return err
	}
	m.readSnapshots = m.BaselineSnapshots
	return tx.saveBaseline(ctx, m)
}

// saveBaseline writes a monitor's baseline when it differs from the one
// read (or none was).
func (tx *Tx) saveBaseline(ctx context.Context, m *Monitor) error {
	if m.Baseline == m.readBaseline {
		return nil
	}
	var err error
	if m.Baseline == "" {
		_, err = tx.c.exec(ctx, "DELETE FROM monitor_baselines WHERE monitor_id = ?", m.ID)
	} else {
		_, err = tx.c.exec(ctx, `INSERT INTO monitor_baselines (monitor_id, baseline) VALUES (?, ?)
			ON CONFLICT (monitor_id) DO UPDATE SET baseline = excluded.baseline`, m.ID, m.Baseline)
	}
	if err == nil {
		m.readBaseline = m.Baseline
	}
	return err
}

// LoadBaseline reads a monitor's baseline into m.Baseline (the claim and
// the lists leave it out: a check needs it only to learn or to analyse a
// changed page).
func (db *DB) LoadBaseline(ctx context.Context, m *Monitor) error {
	_, err := view(ctx, db, func(tx *Tx) (struct{}, error) { return struct{}{}, tx.loadBaseline(ctx, m) })
	return err
}

func (tx *Tx) loadBaseline(ctx context.Context, m *Monitor) error {
	var b string
	err := tx.c.queryRow(ctx, "SELECT baseline FROM monitor_baselines WHERE monitor_id = ?", m.ID).Scan(&b)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	m.Baseline, m.readBaseline = b, b
	return nil
}

// Monitor returns one monitor.
func (db *DB) Monitor(ctx context.Context, id int64) (*Monitor, error) {
	return view(ctx, db, func(tx *Tx) (*Monitor, error) {
		m, err := scanMonitor(tx.c.queryRow(ctx, "SELECT "+monitorColumns+" FROM monitors WHERE id = ?", id))
		if err != nil {
			return nil, notFoundOr(err, "Monitor", id)
		}
		return m, tx.loadBaseline(ctx, m)
	})
}

// ClaimDueMonitors takes up to limit enabled monitors due at now and moves
// each one's next due time to lease from now, so a crashed checker's
// monitors come due again. The rows are read (FOR UPDATE SKIP LOCKED on
// PostgreSQL) and leased by one UPDATE … RETURNING that takes only rows
// still due, so several replicas claim disjoint monitors.
func (db *DB) ClaimDueMonitors(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Monitor, error) {
	return update(ctx, db, func(tx *Tx) ([]Monitor, error) {
		rows, err := tx.c.query(ctx, "SELECT "+monitorColumns+" FROM monitors WHERE enabled = 1 AND next_due_at <= ? ORDER BY next_due_at LIMIT ?"+tx.c.d.skipLocked(), ms(now), limit)
		if err != nil {
			return nil, err
		}
		var due []Monitor
		for rows.Next() {
			m, err := scanMonitor(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			due = append(due, *m)
		}
		rows.Close()
		if len(due) == 0 {
			return nil, nil
		}
		// One statement leases them all; a row another claimer moved in
		// between is not returned, so not claimed twice.
		args := []any{ms(now.Add(lease)), ms(now)}
		q := strings.Builder{}
		q.WriteString("UPDATE monitors SET next_due_at = ? WHERE next_due_at <= ? AND id IN (")
		for i, m := range due {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("?")
			args = append(args, m.ID)
		}
		q.WriteString(") RETURNING id")
		rows, err = tx.c.query(ctx, q.String(), args...)
		if err != nil {
			return nil, err
		}
		leased := make(map[int64]bool, len(due))
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			leased[id] = true
		}
		if err := rows.Err(); err != nil {
			rows.Close()
			return nil, err
		}
		rows.Close()
		claimed := due[:0]
		for _, m := range due {
			if leased[m.ID] {
				claimed = append(claimed, m)
			}
		}
		return claimed, nil
	})
}

// SaveMonitorState writes the state a check leaves behind.
func (db *DB) SaveMonitorState(ctx context.Context, m *Monitor) error {
	return db.WithTx(ctx, func(tx *Tx) error { return tx.saveMonitorState(ctx, m) })
}

// SaveCheck records one check and the state it leaves behind in one
// transaction (one commit, one fsync, per check).
func (db *DB) SaveCheck(ctx context.Context, m *Monitor, r *MonitorResult) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		if err := tx.addMonitorResult(ctx, r); err != nil {
			return err
		}
		return tx.saveMonitorState(ctx, m)
	})
}

// CheckRecord is one check to save with SaveChecks.
type CheckRecord struct {
	Monitor *Monitor
	Result  *MonitorResult
}

// SaveChecks saves several checks in one transaction (group commit: one
// fsync for many checks), their results in multi-row INSERTs. The results'
// IDs are not set.
func (db *DB) SaveChecks(ctx context.Context, cs []CheckRecord) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		const perChunk = 100
		for start := 0; start < len(cs); start += perChunk {
			chunk := cs[start:min(start+perChunk, len(cs))]
			args := make([]any, 0, 8*len(chunk))
			for _, c := range chunk {
				r := c.Result
				if r.Findings == "" {
					r.Findings = "[]"
				}
				args = append(args, r.MonitorID, ms(r.At), b2i(r.OK), r.HTTPStatus, int(r.Latency/time.Millisecond), r.Error, r.Verdict, r.Findings)
			}
			if _, err := tx.c.exec(ctx, `INSERT INTO monitor_results (monitor_id, at, ok, http_status, latency_ms, error, verdict, findings)
				VALUES `+values(len(chunk), 8), args...); err != nil {
				return err
			}
		}
		for _, c := range cs {
			if err := tx.saveMonitorState(ctx, c.Monitor); err != nil {
				return err
			}
		}
		return nil
	})
}

// NextMonitorDue returns the earliest due time of an enabled monitor (zero
// when there is none), so the checker can sleep until then.
func (db *DB) NextMonitorDue(ctx context.Context) (time.Time, error) {
	return view(ctx, db, func(tx *Tx) (time.Time, error) {
		var next int64
		err := tx.c.queryRow(ctx, "SELECT COALESCE(MIN(next_due_at), 0) FROM monitors WHERE enabled = 1").Scan(&next)
		return fromMS(next), err
	})
}

// CreateMonitors inserts monitors in one transaction (bulk set-up:
// benchmarks), each due first at its NextDueAt and with the baseline and
// content state it carries.
func (db *DB) CreateMonitors(ctx context.Context, ms []*Monitor) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		for _, m := range ms {
			if err := tx.createMonitor(ctx, m); err != nil {
				return err
			}
		}
		return nil
	})
}

func (tx *Tx) saveMonitorState(ctx context.Context, m *Monitor) error {
	if m.BaselineSnapshots == m.readSnapshots && m.Baseline == m.readBaseline {
		// The baseline as read: its snapshot count is not written back
		// either, so that a RelearnBaseline during the check stands.
		_, err := tx.c.exec(ctx, `UPDATE monitors SET next_due_at = ?, status = ?, last_checked_at = ?, last_latency_ms = ?,
		last_error = ?, down_since = ?, pending = ?, dns_baseline = ?, tls_baseline = ?, content_state = ?, updated_at = ?
		WHERE id = ?`,
			ms(m.NextDueAt), m.Status, ms(m.LastCheckedAt), int(m.LastLatency/time.Millisecond), m.LastError, ms(m.DownSince),
			m.Pending, m.DNSBaseline, m.TLSBaseline, m.ContentState, ms(tx.now), m.ID)
		return err
	}
	_, err := tx.c.exec(ctx, `UPDATE monitors SET next_due_at = ?, status = ?, last_checked_at = ?, last_latency_ms = ?,
		last_error = ?, down_since = ?, baseline_snapshots = ?, pending = ?, dns_baseline = ?, tls_baseline = ?,
		content_state = ?, updated_at = ? WHERE id = ?`,
		ms(m.NextDueAt), m.Status, ms(m.LastCheckedAt), int(m.LastLatency/time.Millisecond), m.LastError, ms(m.DownSince),
		m.BaselineSnapshots, m.Pending, m.DNSBaseline, m.TLSBaseline, m.ContentState, ms(tx.now), m.ID)
	if err != nil {
		return err
	}
	m.readSnapshots = m.BaselineSnapshots
	return tx.saveBaseline(ctx, m)
}

// MonitorResult is one check of a monitor.
type MonitorResult struct {
	ID         int64
	MonitorID  int64
	At         time.Time
	OK         bool
	HTTPStatus int
	Latency    time.Duration
	Error      string
	Verdict    string
	Findings   string
}

// AddMonitorResult records one check.
func (db *DB) AddMonitorResult(ctx context.Context, r *MonitorResult) error {
	return db.WithTx(ctx, func(tx *Tx) error { return tx.addMonitorResult(ctx, r) })
}

func (tx *Tx) addMonitorResult(ctx context.Context, r *MonitorResult) error {
	if r.Findings == "" {
		r.Findings = "[]"
	}
	return tx.c.queryRow(ctx, `INSERT INTO monitor_results (monitor_id, at, ok, http_status, latency_ms, error, verdict, findings)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, r.MonitorID, ms(r.At), b2i(r.OK), r.HTTPStatus,
		int(r.Latency/time.Millisecond), r.Error, r.Verdict, r.Findings).Scan(&r.ID)
}

// MonitorResults returns a monitor's latest checks, newest first.
func (db *DB) MonitorResults(ctx context.Context, monitorID int64, limit int) ([]MonitorResult, error) {
	return view(ctx, db, func(tx *Tx) ([]MonitorResult, error) {
		rows, err := tx.c.query(ctx, `SELECT id, monitor_id, at, ok, http_status, latency_ms, error, verdict, findings
			FROM monitor_results WHERE monitor_id = ? ORDER BY at DESC, id DESC LIMIT ?`, monitorID, limit)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		out := []MonitorResult{}
		for rows.Next() {
			var r MonitorResult
			var at int64
			var latency int
			if err := rows.Scan(&r.ID, &r.MonitorID, &at, &r.OK, &r.HTTPStatus, &latency, &r.Error, &r.Verdict, &r.Findings); err != nil {
				return nil, err
			}
			r.At, r.Latency = fromMS(at), time.Duration(latency)*time.Millisecond
			out = append(out, r)
		}
		return out, rows.Err()
	})
}

// RecordAlert adds a confirmed alert to its group (monitor and kind): a new
// group row, or one more sighting of an open one. It reports whether the
// group must be handed to the sink: it is new, or no incident has been
// linked to it yet (LinkAlert).
func (db *DB) RecordAlert(ctx context.Context, monitorID, systemID int64, kind, source, findings string, at time.Time) (bool, error) {
	return update(ctx, db, func(tx *Tx) (bool, error) {
		rows, err := tx.c.query(ctx, "UPDATE monitor_alerts SET last_seen = ?, count = count + 1, findings = ? WHERE source = ? AND status = 'open' RETURNING incident_id",
			ms(at), findings, source)
		if err != nil {
			return false, err
		}
		found, incident := false, int64(0)
		for rows.Next() {
			found = true
			if err := rows.Scan(&incident); err != nil {
				rows.Close()
				return false, err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return false, err
		}
		if found {
			// An open group whose incident was never opened (the sink failed,
			// or the process stopped in between) is handed over again.
			return incident == 0, nil
		}
		_, err = tx.c.exec(ctx, `INSERT INTO monitor_alerts (monitor_id, system_id, kind, source, first_seen, last_seen, findings)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, monitorID, systemID, kind, source, ms(at), ms(at), findings)
		return err == nil, err
	})
}

// LinkAlert records the incident that the open alert group source opened,
// so that RecordAlert stops handing the group over.
func (db *DB) LinkAlert(ctx context.Context, source string, incidentID int64) error {
	_, err := update(ctx, db, func(tx *Tx) (struct{}, error) {
		_, err := tx.c.exec(ctx, "UPDATE monitor_alerts SET incident_id = ? WHERE source = ? AND status = 'open'", incidentID, source)
		return struct{}{}, err
	})
	return err
}

// MonitorsOf lists the monitors of the systems of units in the subtree of
// orgPath.
func (db *DB) MonitorsOf(ctx context.Context, orgPath string) ([]Monitor, error) {
	return view(ctx, db, func(tx *Tx) ([]Monitor, error) {
		return tx.queryMonitors(ctx, "SELECT m."+strings.ReplaceAll(monitorColumns, ", ", ", m.")+` FROM monitors m
			JOIN systems s ON s.id = m.system_id JOIN orgs o ON o.id = s.org_id
			WHERE o.path LIKE ? ESCAPE '\' ORDER BY m.id`, likeEscape(orgPath)+"%")
	})
}

// MonitorRow is one line of the monitors list: the monitor, its system's
// name and its latest checks, newest first.
type MonitorRow struct {
	Monitor
	SystemName string
	Recent     []MonitorResult
}

// monitorColumnsM is monitorColumns qualified by the alias m.
var monitorColumnsM = "m." + strings.Join(strings.Split(strings.Join(strings.Fields(monitorColumns), " "), ", "), ", m.")

// MonitorList lists a page of the monitors of the systems of units in the
// subtree of orgPath, by system and then in the order they were created,
// each with its system's name and up to recent of its latest checks: three
// statements whatever the page's size (the capped count, the page, the
// checks of the page's monitors), not one per monitor. The page is chosen
// on the index on monitors (system_id) alone, in its order, and only its
// monitors' rows are read.
func (db *DB) MonitorList(ctx context.Context, orgPath string, recent int, p Page) (ListResult[MonitorRow], error) {
	p = p.norm()
	recent = min(max(recent, 0), MaxLimit)
	return view(ctx, db, func(tx *Tx) (ListResult[MonitorRow], error) {
		var res ListResult[MonitorRow]
		scope := ` FROM monitors m JOIN systems s ON s.id = m.system_id JOIN orgs o ON o.id = s.org_id
			WHERE o.path LIKE ? ESCAPE '\'`
		args := []any{likeEscape(orgPath) + "%"}
		var err error
		if res.Total, res.Capped, err = tx.countCapped(ctx, "SELECT m.system_id, m.id"+scope, args); err != nil {
			return res, err
		}
		rows, err := tx.c.query(ctx, "SELECT p.name, "+monitorColumnsM+" FROM (SELECT m.system_id, m.id, s.name"+scope+
			" ORDER BY m.system_id, m.id LIMIT ? OFFSET ?) p JOIN monitors m ON m.id = p.id ORDER BY p.system_id, p.id",
			append(args, p.Limit, p.Offset)...)
		if err != nil {
			return res, err
		}
		res.Items = []MonitorRow{}
		for rows.Next() {
			var name string
			m, err := scanMonitor(prefixScanner{rows, &name})
			if err != nil {
				rows.Close()
				return res, err
			}
			res.Items = append(res.Items, MonitorRow{Monitor: *m, SystemName: name, Recent: []MonitorResult{}})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return res, err
		}
		if recent == 0 || len(res.Items) == 0 {
			return res, nil
		}
		return res, tx.recentResults(ctx, res.Items, recent)
	})
}

// prefixScanner scans one leading column into first, then the rest with
// the scanner it wraps.
type prefixScanner struct {
	sc    scanner
	first any
}

func (p prefixScanner) Scan(dest ...any) error { return p.sc.Scan(append([]any{p.first}, dest...)...) }

// recentResults fills the Recent checks of rows (up to n each, newest
// first) with one statement that reads only those checks on the index on
// (monitor_id, at), however long the monitors' histories: on PostgreSQL a
// lateral join takes each monitor's newest n; SQLite has no lateral join,
// so there the time of each monitor's n-th newest check bounds a range of
// the index instead.
func (tx *Tx) recentResults(ctx context.Context, rows []MonitorRow, n int) error {
	args := make([]any, 0, len(rows)+1)
	at := map[int64]int{}
	for i, r := range rows {
		args = append(args, r.ID)
		at[r.ID] = i
	}
	const cols = "r.id, r.monitor_id, r.at, r.ok, r.http_status, r.latency_ms, r.error, r.verdict, r.findings"
	var q string
	if tx.c.d.engine == Postgres {
		q = "SELECT " + cols + " FROM monitors m CROSS JOIN LATERAL (SELECT * FROM monitor_results x WHERE x.monitor_id = m.id" +
			" ORDER BY x.at DESC, x.id DESC LIMIT ?) r WHERE m.id IN (" + placeholders(len(rows)) + ") ORDER BY r.monitor_id, r.at DESC, r.id DESC"
		args = append([]any{n}, args...)
	} else {
		q = "SELECT " + cols + ` FROM monitors m JOIN monitor_results r ON r.monitor_id = m.id AND r.at >= COALESCE((SELECT x.at
			FROM monitor_results x WHERE x.monitor_id = m.id ORDER BY x.at DESC LIMIT 1 OFFSET ?), 0)
			WHERE m.id IN (` + placeholders(len(rows)) + ") ORDER BY r.monitor_id, r.at DESC, r.id DESC"
		args = append([]any{n - 1}, args...)
	}
	res, err := tx.c.query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer res.Close()
	for res.Next() {
		var r MonitorResult
		var t int64
		var latency int
		if err := res.Scan(&r.ID, &r.MonitorID, &t, &r.OK, &r.HTTPStatus, &latency, &r.Error, &r.Verdict, &r.Findings); err != nil {
			return err
		}
		r.At, r.Latency = fromMS(t), time.Duration(latency)*time.Millisecond
		// On SQLite, checks stamped with the same millisecond as the n-th
		// pass the bound too: the order keeps the newest n.
		if row := &rows[at[r.MonitorID]]; len(row.Recent) < n {
			row.Recent = append(row.Recent, r)
		}
	}
	return res.Err()
}

// queryMonitors runs a query selecting monitorColumns.
func (tx *Tx) queryMonitors(ctx context.Context, q string, args ...any) ([]Monitor, error) {
	rows, err := tx.c.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Monitor{}
	for rows.Next() {
		m, err := scanMonitor(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *m)
	}
	return out, rows.Err()
}

// RelearnBaseline makes a monitor learn its content baseline again from its
// next fetches: how an operator accepts a legitimate change of the site.
func (db *DB) RelearnBaseline(ctx context.Context, id int64, now time.Time) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		_, err := tx.c.exec(ctx, "UPDATE monitors SET baseline_snapshots = 0, pending = '', content_state = '', next_due_at = ?, updated_at = ? WHERE id = ?", ms(now), ms(tx.now), id)
		if err != nil {
			return err
		}
		if _, err := tx.c.exec(ctx, "DELETE FROM monitor_baselines WHERE monitor_id = ?", id); err != nil {
			return err
		}
		_, err = tx.c.exec(ctx, "UPDATE monitor_alerts SET status = 'resolved' WHERE monitor_id = ? AND status = 'open'", id)
		return err
	})
}
