package store

import (
	"context"
	"time"
)

// DayOf converts a day number of the statistics back to its date (at
// midnight UTC; the date is the Chinese calendar day).
func DayOf(n int64) time.Time { return time.Unix(n*86400, 0).UTC() }

// IncidentCount is how many incidents of one grade, category and unit were
// discovered on one day.
type IncidentCount struct {
	Day      int64 // see DayOf
	Grade    string
	Category string
	UnitID   int64
	N        int
}

// IncidentCounts counts the incidents an organisation sees (its scope:
// its subtree's and those reported to it) discovered in [from, to), per
// day, grade, category and unit. It reads one range of the scope's list
// index.
func (db *DB) IncidentCounts(ctx context.Context, orgID int64, from, to time.Time) ([]IncidentCount, error) {
	day := `(s.discovered_at + 28800000) / 86400000`
	return view(ctx, db, func(tx *Tx) ([]IncidentCount, error) {
		rows, err := tx.c.query(ctx, `SELECT `+day+`, s.grade, s.category, s.unit_id, COUNT(*) FROM incident_scope s
			WHERE s.org_id = ? AND s.discovered_at >= ? AND s.discovered_at < ?
			GROUP BY `+day+`, s.grade, s.category, s.unit_id`, orgID, ms(from), ms(to))
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		out := []IncidentCount{}
		for rows.Next() {
			var c IncidentCount
			if err := rows.Scan(&c.Day, &c.Grade, &c.Category, &c.UnitID, &c.N); err != nil {
				return nil, err
			}
			out = append(out, c)
		}
		return out, rows.Err()
	})
}

// DutyCount is how many report and forward duties one unit had due on one
// day, by how they ended (the obligations' states on_time, late, missed,
// open).
type DutyCount struct {
	Day     int64
	OrgID   int64
	State   string
	Overdue bool // open and due before now
	N       int
}

// ReportDutyCounts counts the report and forward duties of the units in
// the subtree of orgPath due in [from, to), per due day, owner and state;
// open duties are split by whether they are past due at now. It reads the
// (kind, due_at) range of obligations_kind_due_at.
func (db *DB) ReportDutyCounts(ctx context.Context, orgPath string, from, to, now time.Time) ([]DutyCount, error) {
	return view(ctx, db, func(tx *Tx) ([]DutyCount, error) {
		// The derived table names the day and the overdue flag once, so
		// both engines group by them (PostgreSQL would not match two
		// placeholders of the same instant in SELECT and GROUP BY).
		rows, err := tx.c.query(ctx, `SELECT x.day, x.owner, x.state, x.overdue, COUNT(*) FROM (
			SELECT (b.due_at + 28800000) / 86400000 AS day, b.owner_org_id AS owner, b.state AS state,
				CASE WHEN b.state = 'open' AND b.due_at <= ? THEN 1 ELSE 0 END AS overdue
			FROM obligations b JOIN orgs o ON o.id = b.owner_org_id
			WHERE b.kind IN ('report', 'forward') AND b.due_at >= ? AND b.due_at < ? AND o.path LIKE ? ESCAPE '\'
		) x GROUP BY x.day, x.owner, x.state, x.overdue`, ms(now), ms(from), ms(to), likeEscape(orgPath)+"%")
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		out := []DutyCount{}
		for rows.Next() {
			var c DutyCount
			var overdue int
			if err := rows.Scan(&c.Day, &c.OrgID, &c.State, &overdue, &c.N); err != nil {
				return nil, err
			}
			c.Overdue = overdue == 1
			out = append(out, c)
		}
		return out, rows.Err()
	})
}
