package store

import (
	"context"
	"fmt"
	"time"

	"fenghuo/internal/fenghuo"
)

// CreatePeriod stores a protection period and its participating units.
func (tx *Tx) CreatePeriod(ctx context.Context, p *fenghuo.Period) error {
	p.CreatedAt = tx.now
	if err := tx.c.queryRow(ctx, `INSERT INTO periods (org_id, name, first_day, last_day, cutoff, leader_duty, round_clock, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, p.OrgID, p.Name, p.FirstDay, p.LastDay, p.Cutoff, b2i(p.LeaderDuty),
		b2i(p.RoundClock), p.CreatedBy, ms(tx.now)).Scan(&p.ID); err != nil {
		return err
	}
	for _, u := range p.UnitIDs {
		if _, err := tx.c.exec(ctx, "INSERT INTO period_units (period_id, org_id) VALUES (?, ?)", p.ID, u); err != nil {
			return fmt.Errorf("store: period unit %d: %w", u, err)
		}
	}
	return nil
}

const periodColumns = "id, org_id, name, first_day, last_day, cutoff, leader_duty, round_clock, created_by, created_at"

func (tx *Tx) scanPeriods(ctx context.Context, q string, args ...any) ([]fenghuo.Period, error) {
	rows, err := tx.c.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	var out []fenghuo.Period
	for rows.Next() {
		var p fenghuo.Period
		var created int64
		if err := rows.Scan(&p.ID, &p.OrgID, &p.Name, &p.FirstDay, &p.LastDay, &p.Cutoff, &p.LeaderDuty, &p.RoundClock,
			&p.CreatedBy, &created); err != nil {
			rows.Close()
			return nil, err
		}
		p.CreatedAt = fromMS(created)
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		units, err := tx.c.query(ctx, "SELECT org_id FROM period_units WHERE period_id = ? ORDER BY org_id", out[i].ID)
		if err != nil {
			return nil, err
		}
		for units.Next() {
			var id int64
			if err := units.Scan(&id); err != nil {
				units.Close()
				return nil, err
			}
			out[i].UnitIDs = append(out[i].UnitIDs, id)
		}
		units.Close()
	}
	return out, nil
}

// Period returns one period with its units.
func (db *DB) Period(ctx context.Context, id int64) (*fenghuo.Period, error) {
	return view(ctx, db, func(tx *Tx) (*fenghuo.Period, error) {
		ps, err := tx.scanPeriods(ctx, "SELECT "+periodColumns+" FROM periods WHERE id = ?", id)
		if err != nil {
			return nil, err
		}
		if len(ps) == 0 {
			return nil, notFound("Period", id)
		}
		return &ps[0], nil
	})
}

// PeriodsVisible lists the periods set by an org in the subtree of orgPath
// or in which a unit of it takes part, latest first.
func (db *DB) PeriodsVisible(ctx context.Context, orgPath string) ([]fenghuo.Period, error) {
	return view(ctx, db, func(tx *Tx) ([]fenghuo.Period, error) {
		like := likeEscape(orgPath) + "%"
		ps, err := tx.scanPeriods(ctx, "SELECT "+periodColumns+` FROM periods p WHERE
			EXISTS (SELECT 1 FROM orgs o WHERE o.id = p.org_id AND o.path LIKE ? ESCAPE '\')
			OR EXISTS (SELECT 1 FROM period_units u JOIN orgs o ON o.id = u.org_id WHERE u.period_id = p.id AND o.path LIKE ? ESCAPE '\')
			ORDER BY p.first_day DESC, p.id DESC LIMIT 200`, like, like)
		if ps == nil {
			ps = []fenghuo.Period{}
		}
		return ps, err
	})
}

// PeriodsOn lists the periods that include day (YYYY-MM-DD).
func (db *DB) PeriodsOn(ctx context.Context, day string) ([]fenghuo.Period, error) {
	return view(ctx, db, func(tx *Tx) ([]fenghuo.Period, error) {
		return tx.scanPeriods(ctx, "SELECT "+periodColumns+" FROM periods WHERE first_day <= ? AND last_day >= ? ORDER BY id", day, day)
	})
}

// DailyReport returns a unit's report for a day of a period, or ENOTFOUND.
func (tx *Tx) DailyReport(ctx context.Context, periodID, orgID int64, day string) (*fenghuo.DailyReport, error) {
	rs, err := tx.dailyReports(ctx, "WHERE period_id = ? AND org_id = ? AND day = ?", periodID, orgID, day)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, notFound("Daily report", day)
	}
	return &rs[0], nil
}

// SaveDailyReport inserts a unit's report for a day, or replaces the one
// it filed before (a correction keeps the first submission time).
func (tx *Tx) SaveDailyReport(ctx context.Context, r *fenghuo.DailyReport) error {
	old, err := tx.DailyReport(ctx, r.PeriodID, r.OrgID, r.Day)
	if err == nil {
		r.ID, r.SubmittedAt, r.Late = old.ID, old.SubmittedAt, old.Late
		_, err = tx.c.exec(ctx, "UPDATE daily_reports SET quiet = ?, incident_ids = ?, note = ?, submitted_by = ? WHERE id = ?",
			b2i(r.Quiet), jsonText(r.IncidentIDs), r.Note, r.SubmittedBy, r.ID)
		return err
	}
	return tx.c.queryRow(ctx, `INSERT INTO daily_reports (period_id, org_id, day, quiet, incident_ids, note, submitted_at, submitted_by, late)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, r.PeriodID, r.OrgID, r.Day, b2i(r.Quiet), jsonText(r.IncidentIDs), r.Note,
		ms(r.SubmittedAt), r.SubmittedBy, b2i(r.Late)).Scan(&r.ID)
}

// DailyReports lists the reports of a period, for one day or all ("").
func (db *DB) DailyReports(ctx context.Context, periodID int64, day string) ([]fenghuo.DailyReport, error) {
	return view(ctx, db, func(tx *Tx) ([]fenghuo.DailyReport, error) {
		if day == "" {
			return tx.dailyReports(ctx, "WHERE period_id = ? ORDER BY day, org_id", periodID)
		}
		return tx.dailyReports(ctx, "WHERE period_id = ? AND day = ? ORDER BY org_id", periodID, day)
	})
}

func (tx *Tx) dailyReports(ctx context.Context, where string, args ...any) ([]fenghuo.DailyReport, error) {
	rows, err := tx.c.query(ctx, `SELECT id, period_id, org_id, day, quiet, incident_ids, note, submitted_at, submitted_by, late
		FROM daily_reports `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []fenghuo.DailyReport{}
	for rows.Next() {
		var r fenghuo.DailyReport
		var ids string
		var at int64
		if err := rows.Scan(&r.ID, &r.PeriodID, &r.OrgID, &r.Day, &r.Quiet, &ids, &r.Note, &at, &r.SubmittedBy, &r.Late); err != nil {
			return nil, err
		}
		r.SubmittedAt = fromMS(at)
		if err := unmarshalList(ids, &r.IncidentIDs); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// CreateDutyShift stores a shift.
func (tx *Tx) CreateDutyShift(ctx context.Context, s *fenghuo.DutyShift) error {
	err := tx.c.queryRow(ctx, `INSERT INTO duty_shifts (org_id, start_at, end_at, officer, leader, officer_id, leader_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, s.OrgID, ms(s.StartAt), ms(s.EndAt), s.Officer, s.Leader,
		s.OfficerID, s.LeaderID, ms(tx.now)).Scan(&s.ID)
	if err != nil {
		return err
	}
	// Sealed once the row exists: the seal is bound to its id.
	return tx.setPersonal(ctx, "duty_shifts", s.ID, personal{"phone", &s.Phone})
}

// DeleteDutyShift removes a shift of an org.
func (tx *Tx) DeleteDutyShift(ctx context.Context, orgID, id int64) error {
	res, err := tx.c.exec(ctx, "DELETE FROM duty_shifts WHERE id = ? AND org_id = ?", id, orgID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("Shift", id)
	}
	return nil
}

// DutyShifts lists an org's shifts that end after from and start before to.
func (db *DB) DutyShifts(ctx context.Context, orgID int64, from, to time.Time) ([]fenghuo.DutyShift, error) {
	return view(ctx, db, func(tx *Tx) ([]fenghuo.DutyShift, error) { return tx.DutyShifts(ctx, orgID, from, to) })
}

// DutyShifts is DB.DutyShifts inside tx.
func (tx *Tx) DutyShifts(ctx context.Context, orgID int64, from, to time.Time) ([]fenghuo.DutyShift, error) {
	rows, err := tx.c.query(ctx, `SELECT id, org_id, start_at, end_at, officer, leader, phone, officer_id, leader_id FROM duty_shifts
		WHERE org_id = ? AND end_at > ? AND start_at < ? ORDER BY start_at, id`, orgID, ms(from), ms(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []fenghuo.DutyShift{}
	for rows.Next() {
		var s fenghuo.DutyShift
		var start, end int64
		if err := rows.Scan(&s.ID, &s.OrgID, &start, &end, &s.Officer, &s.Leader, &s.Phone, &s.OfficerID, &s.LeaderID); err != nil {
			return nil, err
		}
		s.StartAt, s.EndAt = fromMS(start), fromMS(end)
		if err := tx.openPersonal("duty_shifts", s.ID, personal{"phone", &s.Phone}); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// AddDutyLog appends to an org's duty log.
func (tx *Tx) AddDutyLog(ctx context.Context, e *fenghuo.DutyLogEntry) error {
	e.At = tx.now
	return tx.c.queryRow(ctx, "INSERT INTO duty_log (org_id, at, author, kind, body) VALUES (?, ?, ?, ?, ?) RETURNING id",
		e.OrgID, ms(e.At), e.Author, e.Kind, e.Body).Scan(&e.ID)
}

// DutyLog returns an org's latest duty log entries, newest first.
func (db *DB) DutyLog(ctx context.Context, orgID int64, limit int) ([]fenghuo.DutyLogEntry, error) {
	return view(ctx, db, func(tx *Tx) ([]fenghuo.DutyLogEntry, error) {
		rows, err := tx.c.query(ctx, "SELECT id, org_id, at, author, kind, body FROM duty_log WHERE org_id = ? ORDER BY at DESC, id DESC LIMIT ?", orgID, limit)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		out := []fenghuo.DutyLogEntry{}
		for rows.Next() {
			var e fenghuo.DutyLogEntry
			var at int64
			if err := rows.Scan(&e.ID, &e.OrgID, &at, &e.Author, &e.Kind, &e.Body); err != nil {
				return nil, err
			}
			e.At = fromMS(at)
			out = append(out, e)
		}
		return out, rows.Err()
	})
}

// DutyShift returns one shift, or ENOTFOUND.
func (tx *Tx) DutyShift(ctx context.Context, id int64) (*fenghuo.DutyShift, error) {
	var s fenghuo.DutyShift
	var start, end int64
	err := tx.c.queryRow(ctx, `SELECT id, org_id, start_at, end_at, officer, leader, phone, officer_id, leader_id FROM duty_shifts
		WHERE id = ?`, id).Scan(&s.ID, &s.OrgID, &start, &end, &s.Officer, &s.Leader, &s.Phone, &s.OfficerID, &s.LeaderID)
	if err != nil {
		return nil, notFoundOr(err, "Shift", id)
	}
	s.StartAt, s.EndAt = fromMS(start), fromMS(end)
	if err := tx.openPersonal("duty_shifts", s.ID, personal{"phone", &s.Phone}); err != nil {
		return nil, err
	}
	return &s, nil
}
