package store

import (
	"context"
	"fmt"
	"time"

	"fenghuo/internal/fenghuo"
)

// The situational-awareness screen (issue 13 item 1) reads a subtree's
// state in a few grouped statements: the counts are made by the engine,
// through the indexes the lists already use, never by reading every row
// into Go.

// OpenIncidentCount is how many open incidents one unit has of a grade and
// category, as an office (the scope) sees them.
type OpenIncidentCount struct {
	UnitID   int64
	Grade    fenghuo.Grade
	Category string
	N        int
}

// OpenIncidentCounts groups the open incidents the org scopeOrgID sees
// (incident_scope: its subtree's and those reported to it) by unit, grade
// and category, from the (org, status, …, unit, grade, category) index
// alone (0043).
// The unit is grouped as "+s.unit_id", an expression: grouped by the
// column, SQLite walked the (org, unit, …) index to spare the sort and so
// read every incident of the scope, open or not (the home page grew with
// the history: 0.4 s cold at 30,000 incidents).
func (db *DB) OpenIncidentCounts(ctx context.Context, scopeOrgID int64) ([]OpenIncidentCount, error) {
	return view(ctx, db, func(tx *Tx) ([]OpenIncidentCount, error) {
		rows, err := tx.c.query(ctx, `SELECT +s.unit_id, s.grade, s.category, COUNT(*) FROM incident_scope s
			WHERE s.org_id = ? AND s.status IN (`+placeholders(len(openStatuses))+`)
			GROUP BY +s.unit_id, s.grade, s.category`, append([]any{scopeOrgID}, openStatuses...)...)
		if err != nil {
			return nil, fmt.Errorf("store: open incident counts: %w", err)
		}
		defer rows.Close()
		out := []OpenIncidentCount{}
		for rows.Next() {
			var c OpenIncidentCount
			if err := rows.Scan(&c.UnitID, &c.Grade, &c.Category, &c.N); err != nil {
				return nil, err
			}
			out = append(out, c)
		}
		return out, rows.Err()
	})
}

// DayCount is the number of incidents discovered on one day.
type DayCount struct {
	Day string // YYYY-MM-DD in loc
	N   int
}

// IncidentDayCounts counts, per calendar day in loc, the incidents the org
// scopeOrgID sees that were discovered at or after from (the (org,
// discovered) index of the list). Days without incidents are absent.
func (db *DB) IncidentDayCounts(ctx context.Context, scopeOrgID int64, from time.Time, loc *time.Location) ([]DayCount, error) {
	_, offset := from.In(loc).Zone()
	shift := int64(offset) * 1000
	const dayMS = int64(24 * time.Hour / time.Millisecond)
	return view(ctx, db, func(tx *Tx) ([]DayCount, error) {
		rows, err := tx.c.query(ctx, `SELECT x.d, COUNT(*) FROM (SELECT (s.discovered_at + ?) / ? AS d FROM incident_scope s
			WHERE s.org_id = ? AND s.discovered_at >= ?) x GROUP BY x.d`, shift, dayMS, scopeOrgID, ms(from))
		if err != nil {
			return nil, fmt.Errorf("store: incident day counts: %w", err)
		}
		defer rows.Close()
		out := []DayCount{}
		for rows.Next() {
			var d int64
			var c DayCount
			if err := rows.Scan(&d, &c.N); err != nil {
				return nil, err
			}
			c.Day = time.UnixMilli(d * dayMS).UTC().Format("2006-01-02")
			out = append(out, c)
		}
		return out, rows.Err()
	})
}

// Deadline is an open obligation with a due time, with the name of the org
// that owes it and the grade and title of its incident (empty without one).
type Deadline struct {
	fenghuo.Obligation
	OwnerName     string
	IncidentGrade fenghuo.Grade
	IncidentTitle string
}

// DeadlineFilter narrows SubtreeDeadlines.
type DeadlineFilter struct {
	// OrgPath keeps the obligations owned by an org of that subtree.
	OrgPath string
	// SkipKinds leaves out kinds of duty (the daily reports, which the
	// compliance figures show instead).
	SkipKinds []string
	// After and Until bound the due time: After < due_at <= Until (zero:
	// unbounded).
	After, Until time.Time
	Limit        int
	// GradeWindow, when set, picks the Limit duties among the GradeWindow
	// soonest due by their incident's grade (I first, then II …, then the
	// duties of ungraded or no incidents), each grade soonest first: the
	// awareness screen's overdue list, chosen in SQL so that only the
	// duties shown are read whole.
	GradeWindow int
	// NoCount leaves Total and Capped zero (the nearest deadlines are
	// shown without a count).
	NoCount bool
}

// gradeRankSQL orders an incident grade column as the awareness screen
// does: I, II, III, IV, then none.
func gradeRankSQL(col string) string {
	return "CASE " + col + " WHEN 'I' THEN 0 WHEN 'II' THEN 1 WHEN 'III' THEN 2 WHEN 'IV' THEN 3 ELSE 4 END"
}

// SubtreeDeadlines lists open obligations with a due time owned in a
// subtree, soonest first, walking the (owner, state, due_at) index, and
// counts them (up to CountCap) unless f.NoCount.
func (db *DB) SubtreeDeadlines(ctx context.Context, f DeadlineFilter) (ListResult[Deadline], error) {
	const from = "FROM obligations b JOIN orgs o ON o.id = b.owner_org_id"
	// The owners as a set: each one's open duties by due time through the
	// (owner, state, due_at) index, so that a county reads its own duties
	// and not every open duty of the region.
	where := ` WHERE b.owner_org_id IN (SELECT s.id FROM orgs s WHERE s.path LIKE ? ESCAPE '\') AND b.state = 'open' AND b.due_at > ?`
	args := []any{likeEscape(f.OrgPath) + "%", max(ms(f.After), 0)}
	if !f.Until.IsZero() {
		where += " AND b.due_at <= ?"
		args = append(args, ms(f.Until))
	}
	if len(f.SkipKinds) > 0 {
		where += " AND b.kind NOT IN (" + placeholders(len(f.SkipKinds)) + ")"
		for _, k := range f.SkipKinds {
			args = append(args, k)
		}
	}
	limit := f.Limit
	if limit <= 0 || limit > MaxLimit {
		limit = 10
	}
	return view(ctx, db, func(tx *Tx) (ListResult[Deadline], error) {
		var res ListResult[Deadline]
		var err error
		if !f.NoCount {
			if res.Total, res.Capped, err = tx.countCapped(ctx, "SELECT 1 "+from+where, args); err != nil {
				return res, fmt.Errorf("store: deadlines: %w", err)
			}
		}
		cols := "b." + joinPrefixed(obligationColumns, "b.")
		// The page of duties first, then their owners and incidents: the
		// joins read only the rows shown, so no planner may choose to read
		// the incidents table whole for a hash join.
		page := "SELECT " + cols + ", o.name, COALESCE(i.grade, ''), COALESCE(i.title, '') FROM (SELECT " +
			obligationColumns + " FROM obligations b" + where + " ORDER BY b.due_at, b.id LIMIT ?) b JOIN orgs o ON o.id = b.owner_org_id" +
			" LEFT JOIN incidents i ON i.id = b.incident_id ORDER BY b.due_at, b.id"
		pageArgs := append(args[:len(args):len(args)], limit)
		if f.GradeWindow > 0 {
			// The window's keys (id, due time, incident) by index, their
			// incidents' grades by primary key, then the Limit duties shown.
			page = "SELECT " + cols + ", o.name, COALESCE(i.grade, ''), COALESCE(i.title, '') FROM (SELECT w.id, w.due_at, " +
				gradeRankSQL("g.grade") + " AS grade_rank FROM (SELECT b.id, b.due_at, b.incident_id FROM obligations b" + where +
				" ORDER BY b.due_at, b.id LIMIT ?) w LEFT JOIN incidents g ON g.id = w.incident_id ORDER BY grade_rank, w.due_at, w.id LIMIT ?) k" +
				" JOIN obligations b ON b.id = k.id JOIN orgs o ON o.id = b.owner_org_id LEFT JOIN incidents i ON i.id = b.incident_id" +
				" ORDER BY k.grade_rank, k.due_at, k.id"
			pageArgs = append(args[:len(args):len(args)], f.GradeWindow, limit)
		}
		rows, err := tx.c.query(ctx, page, pageArgs...)
		if err != nil {
			return res, fmt.Errorf("store: deadlines: %w", err)
		}
		defer rows.Close()
		res.Items = []Deadline{}
		for rows.Next() {
			var d Deadline
			var due, done, remind, reminded, escalated, created int64
			o := &d.Obligation
			if err := rows.Scan(&o.ID, &o.Kind, &o.IncidentID, &o.SubjectID, &o.OwnerOrgID, &o.RecipientOrgID, &o.RecipientName,
				&o.PlanID, &o.RuleID, &o.Clause, &o.Title, &due, &o.Urgency, &o.State, &done, &o.DoneNote, &remind, &reminded,
				&escalated, &created, &d.OwnerName, &d.IncidentGrade, &d.IncidentTitle); err != nil {
				return res, err
			}
			o.DueAt, o.DoneAt, o.RemindAt = fromMS(due), fromMS(done), fromMS(remind)
			o.RemindedAt, o.EscalatedAt, o.CreatedAt = fromMS(reminded), fromMS(escalated), fromMS(created)
			res.Items = append(res.Items, d)
		}
		return res, rows.Err()
	})
}

// OverdueByOwner counts the open obligations past due at now per owning
// org of a subtree (the org tree's red).
func (db *DB) OverdueByOwner(ctx context.Context, orgPath string, now time.Time, skipKinds []string) (map[int64]int, error) {
	q := `SELECT b.owner_org_id, COUNT(*) FROM obligations b
		WHERE b.owner_org_id IN (SELECT s.id FROM orgs s WHERE s.path LIKE ? ESCAPE '\') AND b.state = 'open' AND b.due_at > 0 AND b.due_at <= ?`
	args := []any{likeEscape(orgPath) + "%", ms(now)}
	if len(skipKinds) > 0 {
		q += " AND b.kind NOT IN (" + placeholders(len(skipKinds)) + ")"
		for _, k := range skipKinds {
			args = append(args, k)
		}
	}
	return view(ctx, db, func(tx *Tx) (map[int64]int, error) {
		rows, err := tx.c.query(ctx, q+" GROUP BY b.owner_org_id", args...)
		if err != nil {
			return nil, fmt.Errorf("store: overdue by owner: %w", err)
		}
		return scanCountsByID(rows)
	})
}

// MonitorSummary is the monitoring of a subtree as the awareness screen
// shows it: counts, and per unit the monitors down and tampered with.
type MonitorSummary struct {
	Total, Up, Down int
	// Tampered counts the monitors with an open alert of one of the
	// tamperKinds; OpenAlerts every open alert of the subtree's monitors.
	Tampered, OpenAlerts int
	// DownByOrg and TamperedByOrg count per unit (units with none are
	// absent).
	DownByOrg, TamperedByOrg map[int64]int
}

// MonitorSummary counts the enabled monitors of a subtree's systems by
// status and unit, and their open alerts, in two grouped statements: the
// first reads the (system, enabled, status) index only, the second the
// open alerts (the (status, monitor) index) — never a monitor's row.
// tamperKinds are the alert kinds that mean the site was tampered with.
func (db *DB) MonitorSummary(ctx context.Context, orgPath string, tamperKinds []string) (MonitorSummary, error) {
	return view(ctx, db, func(tx *Tx) (MonitorSummary, error) {
		sum := MonitorSummary{DownByOrg: map[int64]int{}, TamperedByOrg: map[int64]int{}}
		rows, err := tx.c.query(ctx, `SELECT s.org_id, m.status, COUNT(*) FROM orgs o JOIN systems s ON s.org_id = o.id
			JOIN monitors m ON m.system_id = s.id AND m.enabled = 1
			WHERE o.path LIKE ? ESCAPE '\' GROUP BY s.org_id, m.status`, likeEscape(orgPath)+"%")
		if err != nil {
			return sum, fmt.Errorf("store: monitor counts: %w", err)
		}
		for rows.Next() {
			var org int64
			var status string
			var n int
			if err := rows.Scan(&org, &status, &n); err != nil {
				rows.Close()
				return sum, err
			}
			sum.Total += n
			switch status {
			case "up":
				sum.Up += n
			case "down":
				sum.Down += n
				sum.DownByOrg[org] += n
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return sum, err
		}
		if sum.Total == 0 {
			return sum, nil
		}
		tamper, args := "0 = 1", []any{}
		if len(tamperKinds) > 0 {
			tamper = "a.kind IN (" + placeholders(len(tamperKinds)) + ")"
			for _, k := range tamperKinds {
				args = append(args, k)
			}
		}
		rows, err = tx.c.query(ctx, `SELECT s.org_id, COUNT(DISTINCT CASE WHEN `+tamper+` THEN a.monitor_id END), COUNT(*)
			FROM monitor_alerts a JOIN monitors m ON m.id = a.monitor_id AND m.enabled = 1 JOIN systems s ON s.id = m.system_id
			JOIN orgs o ON o.id = s.org_id
			WHERE a.status = 'open' AND o.path LIKE ? ESCAPE '\' GROUP BY s.org_id`, append(args, likeEscape(orgPath)+"%")...)
		if err != nil {
			return sum, fmt.Errorf("store: monitor alerts: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var org int64
			var tampered, open int
			if err := rows.Scan(&org, &tampered, &open); err != nil {
				return sum, err
			}
			sum.OpenAlerts += open
			if tampered > 0 {
				sum.Tampered += tampered
				sum.TamperedByOrg[org] += tampered
			}
		}
		return sum, rows.Err()
	})
}

// joinPrefixed prefixes every column but the first of a comma-separated
// list (the first carries the caller's prefix).
func joinPrefixed(cols, prefix string) string {
	out := make([]byte, 0, len(cols)*2)
	for i := 0; i < len(cols); i++ {
		out = append(out, cols[i])
		if cols[i] == ',' {
			for i+1 < len(cols) && (cols[i+1] == ' ' || cols[i+1] == '\n' || cols[i+1] == '\t') {
				i++
				out = append(out, cols[i])
			}
			out = append(out, prefix...)
		}
	}
	return string(out)
}
