package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"fenghuo/internal/fenghuo"
)

// Drills, training and publicity activities, and the yearly drill duty
// (0020_drills.sql). The duty is an obligation of kind "drill_year" owned
// by the unit, subject_id = the year, incident_id 0, due at the end of the
// year: the scheduler reminds and escalates it like any other deadline,
// and filing a drill of that year closes it.

// ObligationKindDrillYear is the kind of a unit's yearly drill duty.
const ObligationKindDrillYear = "drill_year"

const drillColumns = `id, org_id, year, kind, held_on, title, participants, headcount, plan_id, playbook_id, scenario, result,
	improvements, filed_to_org_id, file_name, file_type, file_size, file_sm3, file_key, created_by, created_at`

func scanDrill(sc scanner) (*fenghuo.Drill, error) {
	var d fenghuo.Drill
	var held, created int64
	if err := sc.Scan(&d.ID, &d.OrgID, &d.Year, &d.Kind, &held, &d.Title, &d.Participants, &d.Headcount, &d.PlanID,
		&d.PlaybookID, &d.Scenario, &d.Result, &d.Improvements, &d.FiledToOrgID, &d.File.Name, &d.File.ContentType,
		&d.File.Size, &d.File.SM3, &d.File.StorageKey, &d.CreatedBy, &created); err != nil {
		return nil, err
	}
	d.HeldOn, d.CreatedAt = fromMS(held), fromMS(created)
	return &d, nil
}

// CreateDrill validates and stores a drill (Year is set from HeldOn in
// Asia/Shanghai) and closes the unit's open duty for that year, if any:
// on time when filed by its deadline, late after it.
func (tx *Tx) CreateDrill(ctx context.Context, d *fenghuo.Drill) error {
	if err := d.Validate(); err != nil {
		return err
	}
	d.Year = d.HeldOn.In(shanghai).Year()
	d.CreatedAt = tx.now
	err := tx.c.queryRow(ctx, `INSERT INTO drills (org_id, year, kind, held_on, title, participants, headcount, plan_id,
		playbook_id, scenario, result, improvements, filed_to_org_id, file_name, file_type, file_size, file_sm3, file_key,
		created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		d.OrgID, d.Year, d.Kind, ms(d.HeldOn), d.Title, d.Participants, d.Headcount, d.PlanID, d.PlaybookID, d.Scenario,
		d.Result, d.Improvements, d.FiledToOrgID, d.File.Name, d.File.ContentType, d.File.Size, d.File.SM3,
		d.File.StorageKey, d.CreatedBy, ms(tx.now)).Scan(&d.ID)
	if err != nil {
		return fmt.Errorf("store: create drill: %w", err)
	}
	o, err := tx.DrillDuty(ctx, d.OrgID, d.Year)
	if fenghuo.ErrorCode(err) == fenghuo.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	if o.State != fenghuo.ObligationOpen {
		return nil
	}
	o.State, o.DoneAt, o.DoneNote = fenghuo.ObligationOnTime, tx.now, fmt.Sprintf("演练备案：%s", d.Title)
	if !o.DueAt.IsZero() && tx.now.After(o.DueAt) {
		o.State = fenghuo.ObligationLate
	}
	return tx.UpdateObligation(ctx, o)
}

// Drill returns one drill.
func (db *DB) Drill(ctx context.Context, id int64) (*fenghuo.Drill, error) {
	return view(ctx, db, func(tx *Tx) (*fenghuo.Drill, error) {
		d, err := scanDrill(tx.c.queryRow(ctx, "SELECT "+drillColumns+" FROM drills WHERE id = ?", id))
		if err != nil {
			return nil, notFoundOr(err, "Drill", id)
		}
		return d, nil
	})
}

// Drills lists the drills of a year held by orgs of the subtree at
// orgPath, latest first.
func (db *DB) Drills(ctx context.Context, orgPath string, year int, p Page) (ListResult[fenghuo.Drill], error) {
	p = p.norm()
	return view(ctx, db, func(tx *Tx) (ListResult[fenghuo.Drill], error) {
		var res ListResult[fenghuo.Drill]
		where := `FROM drills d WHERE d.year = ? AND d.org_id IN (SELECT o.id FROM orgs o WHERE o.path LIKE ? ESCAPE '\')`
		args := []any{year, likeEscape(orgPath) + "%"}
		var err error
		if res.Total, res.Capped, err = tx.countCapped(ctx, "SELECT 1 "+where, args); err != nil {
			return res, err
		}
		rows, err := tx.c.query(ctx, "SELECT "+qualify("d", drillColumns)+" "+where+" ORDER BY d.held_on DESC, d.id DESC LIMIT ? OFFSET ?",
			append(args, p.Limit, p.Offset)...)
		if err != nil {
			return res, fmt.Errorf("store: drills: %w", err)
		}
		defer rows.Close()
		res.Items = []fenghuo.Drill{}
		for rows.Next() {
			d, err := scanDrill(rows)
			if err != nil {
				return res, err
			}
			res.Items = append(res.Items, *d)
		}
		return res, rows.Err()
	})
}

// UnitsWithoutDrill lists the operator units of the subtree at orgPath
// that filed no drill in year, in tree order.
func (db *DB) UnitsWithoutDrill(ctx context.Context, orgPath string, year int, p Page) (ListResult[fenghuo.Org], error) {
	p = p.norm()
	return view(ctx, db, func(tx *Tx) (ListResult[fenghuo.Org], error) {
		var res ListResult[fenghuo.Org]
		where := `FROM orgs WHERE path LIKE ? ESCAPE '\' AND type = ?
			AND NOT EXISTS (SELECT 1 FROM drills d WHERE d.org_id = orgs.id AND d.year = ?)`
		args := []any{likeEscape(orgPath) + "%", string(fenghuo.OrgOperator), year}
		var err error
		if res.Total, res.Capped, err = tx.countCapped(ctx, "SELECT 1 "+where, args); err != nil {
			return res, err
		}
		rows, err := tx.c.query(ctx, "SELECT id "+where+" ORDER BY path LIMIT ? OFFSET ?", append(args, p.Limit, p.Offset)...)
		if err != nil {
			return res, fmt.Errorf("store: units without drill: %w", err)
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return res, err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return res, err
		}
		res.Items = []fenghuo.Org{}
		for _, id := range ids {
			o, err := tx.Org(ctx, id)
			if err != nil {
				return res, err
			}
			res.Items = append(res.Items, *o)
		}
		return res, nil
	})
}

// DrillDuty returns a unit's yearly drill duty, or ENOTFOUND.
func (tx *Tx) DrillDuty(ctx context.Context, orgID int64, year int) (*fenghuo.Obligation, error) {
	o, err := scanObligation(tx.c.queryRow(ctx, "SELECT "+obligationColumns+` FROM obligations WHERE kind = ? AND subject_id = ?
		AND owner_org_id = ? ORDER BY id LIMIT 1`, ObligationKindDrillYear, year, orgID))
	if err != nil {
		return nil, notFoundOr(err, "Drill duty of org", orgID)
	}
	return o, nil
}

// UnitsWithoutDrillDuty returns up to limit operator units that have no
// drill duty for year yet, in id order.
func (tx *Tx) UnitsWithoutDrillDuty(ctx context.Context, year, limit int) ([]fenghuo.Org, error) {
	// NOT IN, not NOT EXISTS: the year's duties are read once into a set
	// (PostgreSQL's hashed subplan, SQLite's ephemeral index). PostgreSQL
	// estimated one duty for (drill_year, year) — subject_id is an incident
	// for other kinds — and with NOT EXISTS compared each unit with every
	// duty: 3 s at 10,000 units, each scheduler pass.
	rows, err := tx.c.query(ctx, `SELECT id FROM orgs WHERE type = ? AND id NOT IN (SELECT b.owner_org_id FROM obligations b
		WHERE b.kind = ? AND b.subject_id = ?) ORDER BY id LIMIT ?`,
		string(fenghuo.OrgOperator), ObligationKindDrillYear, year, limit)
	if err != nil {
		return nil, fmt.Errorf("store: units without drill duty: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := []fenghuo.Org{}
	for _, id := range ids {
		o, err := tx.Org(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, *o)
	}
	return out, nil
}

// CreateDrillDuty opens a unit's drill duty for year: due at the start of
// the next year (Asia/Shanghai), reminded at remindAt, escalated to
// recipientOrgID when it passes. A drill already filed that year makes it
// on time at once.
func (tx *Tx) CreateDrillDuty(ctx context.Context, orgID int64, year int, recipientOrgID int64, remindAt time.Time) (*fenghuo.Obligation, error) {
	o := &fenghuo.Obligation{Kind: ObligationKindDrillYear, SubjectID: int64(year), OwnerOrgID: orgID,
		RecipientOrgID: recipientOrgID, Clause: "001 §6.2 每年至少组织一次预案演练",
		Title: fmt.Sprintf("%d年度应急演练及总结备案", year), DueAt: time.Date(year+1, 1, 1, 0, 0, 0, 0, shanghai),
		RemindAt: remindAt}
	var n int
	if err := tx.c.queryRow(ctx, "SELECT COUNT(*) FROM drills WHERE org_id = ? AND year = ?", orgID, year).Scan(&n); err != nil {
		return nil, err
	}
	if n > 0 {
		o.State, o.DoneAt, o.DoneNote = fenghuo.ObligationOnTime, tx.now, "已有演练备案"
	}
	if err := tx.CreateObligation(ctx, o); err != nil {
		return nil, fmt.Errorf("store: drill duty: %w", err)
	}
	return o, nil
}

const activityColumns = `id, org_id, category, held_on, kind, audience, headcount, summary, created_by, created_at`

func scanActivity(sc scanner) (*fenghuo.Activity, error) {
	var a fenghuo.Activity
	var held, created int64
	if err := sc.Scan(&a.ID, &a.OrgID, &a.Category, &held, &a.Kind, &a.Audience, &a.Count, &a.Summary, &a.CreatedBy, &created); err != nil {
		return nil, err
	}
	a.HeldOn, a.CreatedAt = fromMS(held), fromMS(created)
	return &a, nil
}

// CreateActivity validates and stores a training or publicity activity.
func (tx *Tx) CreateActivity(ctx context.Context, a *fenghuo.Activity) error {
	if err := a.Validate(); err != nil {
		return err
	}
	a.CreatedAt = tx.now
	err := tx.c.queryRow(ctx, `INSERT INTO activities (org_id, category, held_on, kind, audience, headcount, summary,
		created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, a.OrgID, a.Category, ms(a.HeldOn), a.Kind,
		a.Audience, a.Count, a.Summary, a.CreatedBy, ms(tx.now)).Scan(&a.ID)
	if err != nil {
		return fmt.Errorf("store: create activity: %w", err)
	}
	return nil
}

// Activities lists the activities held in [from, to) by orgs of the
// subtree at orgPath, latest first.
func (db *DB) Activities(ctx context.Context, orgPath string, from, to time.Time, p Page) (ListResult[fenghuo.Activity], error) {
	p = p.norm()
	return view(ctx, db, func(tx *Tx) (ListResult[fenghuo.Activity], error) {
		var res ListResult[fenghuo.Activity]
		where := `FROM activities a WHERE a.held_on >= ? AND a.held_on < ?
			AND a.org_id IN (SELECT o.id FROM orgs o WHERE o.path LIKE ? ESCAPE '\')`
		args := []any{ms(from), ms(to), likeEscape(orgPath) + "%"}
		var err error
		if res.Total, res.Capped, err = tx.countCapped(ctx, "SELECT 1 "+where, args); err != nil {
			return res, err
		}
		rows, err := tx.c.query(ctx, "SELECT "+qualify("a", activityColumns)+" "+where+" ORDER BY a.held_on DESC, a.id DESC LIMIT ? OFFSET ?",
			append(args, p.Limit, p.Offset)...)
		if err != nil {
			return res, fmt.Errorf("store: activities: %w", err)
		}
		defer rows.Close()
		res.Items = []fenghuo.Activity{}
		for rows.Next() {
			a, err := scanActivity(rows)
			if err != nil {
				return res, err
			}
			res.Items = append(res.Items, *a)
		}
		return res, rows.Err()
	})
}

// DutyTally counts one org's obligations of one kind due in a period by
// outcome: Met on time; Due all that count (met, late, missed, and still
// open past their deadline — an open duty not yet due is not counted, nor
// a cancelled one).
type DutyTally struct {
	OrgID int64
	Kind  string
	Met   int
	Due   int
}

// DutyTallies counts, for the orgs of the subtree at orgPath, their
// obligations of the given kinds due in [from, to), as of now.
func (db *DB) DutyTallies(ctx context.Context, orgPath string, kinds []string, from, to, now time.Time) ([]DutyTally, error) {
	return view(ctx, db, func(tx *Tx) ([]DutyTally, error) {
		out := []DutyTally{}
		for _, kind := range kinds {
			rows, err := tx.c.query(ctx, `SELECT b.owner_org_id,
				SUM(CASE WHEN b.state = 'on_time' THEN 1 ELSE 0 END),
				SUM(CASE WHEN b.state IN ('on_time', 'late', 'missed') OR (b.state = 'open' AND b.due_at <= ?) THEN 1 ELSE 0 END)
				FROM obligations b WHERE b.kind = ? AND b.due_at >= ? AND b.due_at < ?
				AND b.owner_org_id IN (SELECT o.id FROM orgs o WHERE o.path LIKE ? ESCAPE '\')
				GROUP BY b.owner_org_id`, ms(now), kind, ms(from), ms(to), likeEscape(orgPath)+"%")
			if err != nil {
				return nil, fmt.Errorf("store: duty tallies: %w", err)
			}
			for rows.Next() {
				t := DutyTally{Kind: kind}
				if err := rows.Scan(&t.OrgID, &t.Met, &t.Due); err != nil {
					rows.Close()
					return nil, err
				}
				out = append(out, t)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, err
			}
		}
		return out, nil
	})
}

// DrillCounts returns the number of drills each org of the subtree at
// orgPath filed in year (orgs with none are absent).
func (db *DB) DrillCounts(ctx context.Context, orgPath string, year int) (map[int64]int, error) {
	return view(ctx, db, func(tx *Tx) (map[int64]int, error) {
		rows, err := tx.c.query(ctx, `SELECT d.org_id, COUNT(*) FROM drills d WHERE d.year = ?
			AND d.org_id IN (SELECT o.id FROM orgs o WHERE o.path LIKE ? ESCAPE '\') GROUP BY d.org_id`, year, likeEscape(orgPath)+"%")
		if err != nil {
			return nil, fmt.Errorf("store: drill counts: %w", err)
		}
		return scanCountsByID(rows)
	})
}

// scanCountsByID reads (id, count) rows into a map and closes them.
func scanCountsByID(rows *sql.Rows) (map[int64]int, error) {
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

// shanghai is China Standard Time (no daylight saving), the zone a year
// of drills and duties is counted in.
var shanghai = time.FixedZone("CST", 8*3600)

// qualify prefixes each column of a column list with alias.
func qualify(alias, columns string) string {
	return alias + "." + strings.Join(strings.Split(strings.Join(strings.Fields(columns), " "), ", "), ", "+alias+".")
}

// AttachDrillFile records the written summary of a drill that has none
// (ECONFLICT when one is attached already: a filed summary is not replaced).
func (tx *Tx) AttachDrillFile(ctx context.Context, id int64, f fenghuo.DrillFile) error {
	res, err := tx.c.exec(ctx, `UPDATE drills SET file_name = ?, file_type = ?, file_size = ?, file_sm3 = ?, file_key = ?
		WHERE id = ? AND file_key = ''`, f.Name, f.ContentType, f.Size, f.SM3, f.StorageKey, id)
	if err != nil {
		return fmt.Errorf("store: attach drill file: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fenghuo.Errorf(fenghuo.ECONFLICT, "This drill's summary file is already filed. / 该演练已上传总结文件。")
	}
	return nil
}
