package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fenghuo/internal/fenghuo"
)

const obligationColumns = `id, kind, incident_id, subject_id, owner_org_id, recipient_org_id, recipient_name, plan_id,
	rule_id, clause, title, due_at, urgency, state, done_at, done_note, remind_at, reminded_at, escalated_at, created_at`

func scanObligation(sc scanner) (*fenghuo.Obligation, error) {
	var o fenghuo.Obligation
	var due, done, remind, reminded, escalated, created int64
	if err := sc.Scan(&o.ID, &o.Kind, &o.IncidentID, &o.SubjectID, &o.OwnerOrgID, &o.RecipientOrgID, &o.RecipientName,
		&o.PlanID, &o.RuleID, &o.Clause, &o.Title, &due, &o.Urgency, &o.State, &done, &o.DoneNote, &remind, &reminded,
		&escalated, &created); err != nil {
		return nil, err
	}
	o.DueAt, o.DoneAt, o.RemindAt = fromMS(due), fromMS(done), fromMS(remind)
	o.RemindedAt, o.EscalatedAt, o.CreatedAt = fromMS(reminded), fromMS(escalated), fromMS(created)
	return &o, nil
}

// CreateObligation inserts an obligation.
func (tx *Tx) CreateObligation(ctx context.Context, o *fenghuo.Obligation) error {
	if o.State == "" {
		o.State = fenghuo.ObligationOpen
	}
	o.CreatedAt = tx.now
	return tx.c.queryRow(ctx, `INSERT INTO obligations (kind, incident_id, subject_id, owner_org_id, recipient_org_id,
		recipient_name, plan_id, rule_id, clause, title, due_at, urgency, state, done_at, done_note, remind_at,
		reminded_at, escalated_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		o.Kind, o.IncidentID, o.SubjectID, o.OwnerOrgID, o.RecipientOrgID, o.RecipientName, o.PlanID, o.RuleID, o.Clause,
		o.Title, ms(o.DueAt), o.Urgency, o.State, ms(o.DoneAt), o.DoneNote, ms(o.RemindAt), ms(o.RemindedAt),
		ms(o.EscalatedAt), ms(tx.now), ms(tx.now)).Scan(&o.ID)
}

// UpdateObligation writes the mutable fields of o.
func (tx *Tx) UpdateObligation(ctx context.Context, o *fenghuo.Obligation) error {
	_, err := tx.c.exec(ctx, `UPDATE obligations SET state = ?, due_at = ?, done_at = ?, done_note = ?, remind_at = ?,
		reminded_at = ?, escalated_at = ?, recipient_org_id = ?, recipient_name = ?, title = ?, updated_at = ? WHERE id = ?`,
		o.State, ms(o.DueAt), ms(o.DoneAt), o.DoneNote, ms(o.RemindAt), ms(o.RemindedAt), ms(o.EscalatedAt),
		o.RecipientOrgID, o.RecipientName, o.Title, ms(tx.now), o.ID)
	if err != nil {
		return fmt.Errorf("store: update obligation %d: %w", o.ID, err)
	}
	return nil
}

// Obligation returns one obligation.
func (tx *Tx) Obligation(ctx context.Context, id int64) (*fenghuo.Obligation, error) {
	o, err := scanObligation(tx.c.queryRow(ctx, "SELECT "+obligationColumns+" FROM obligations WHERE id = ?", id))
	if err != nil {
		return nil, notFoundOr(err, "Obligation", id)
	}
	return o, nil
}

// ObligationFilter narrows Obligations.
type ObligationFilter struct {
	IncidentID int64
	Kind       string
	// OrgPath limits to obligations owned by, or addressed to, an org in
	// that subtree.
	OrgPath string
	// OwnerOrgID keeps the obligations one org owns.
	OwnerOrgID int64
	State      string
	// OverdueAt, when set, keeps only open obligations due at or before it.
	OverdueAt time.Time
}

// Obligations lists obligations, soonest due first (those without a due
// time last).
func (db *DB) Obligations(ctx context.Context, f ObligationFilter, p Page) (ListResult[fenghuo.Obligation], error) {
	return view(ctx, db, func(tx *Tx) (ListResult[fenghuo.Obligation], error) { return tx.Obligations(ctx, f, p) })
}

// Obligations is DB.Obligations inside tx.
func (tx *Tx) Obligations(ctx context.Context, f ObligationFilter, p Page) (ListResult[fenghuo.Obligation], error) {
	p = p.norm()
	where := "FROM obligations b WHERE 1 = 1"
	var args []any
	if f.IncidentID != 0 {
		where += " AND b.incident_id = ?"
		args = append(args, f.IncidentID)
	}
	if f.Kind != "" {
		where += " AND b.kind = ?"
		args = append(args, f.Kind)
	}
	if f.OrgPath != "" {
		where += ` AND EXISTS (SELECT 1 FROM orgs o WHERE (o.id = b.owner_org_id OR o.id = b.recipient_org_id) AND o.path LIKE ? ESCAPE '\')`
		args = append(args, likeEscape(f.OrgPath)+"%")
	}
	if f.OwnerOrgID != 0 {
		where += " AND b.owner_org_id = ?"
		args = append(args, f.OwnerOrgID)
	}
	if f.State != "" {
		where += " AND b.state = ?"
		args = append(args, f.State)
	}
	if !f.OverdueAt.IsZero() {
		where += " AND b.state = 'open' AND b.due_at > 0 AND b.due_at <= ?"
		args = append(args, ms(f.OverdueAt))
	}
	var res ListResult[fenghuo.Obligation]
	if err := tx.c.queryRow(ctx, "SELECT COUNT(*) "+where, args...).Scan(&res.Total); err != nil {
		return res, err
	}
	items, err := tx.queryObligations(ctx, "SELECT "+obligationColumns+" "+where+
		" ORDER BY CASE WHEN b.due_at = 0 THEN 1 ELSE 0 END, b.due_at, b.id LIMIT ? OFFSET ?", append(args, p.Limit, p.Offset)...)
	res.Items = items
	return res, err
}

func (tx *Tx) queryObligations(ctx context.Context, q string, args ...any) ([]fenghuo.Obligation, error) {
	rows, err := tx.c.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: obligations: %w", err)
	}
	defer rows.Close()
	out := []fenghuo.Obligation{}
	for rows.Next() {
		o, err := scanObligation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *o)
	}
	return out, rows.Err()
}

// DueReminders returns open obligations whose reminder time has come and
// that were not reminded yet.
func (tx *Tx) DueReminders(ctx context.Context, now time.Time, limit int) ([]fenghuo.Obligation, error) {
	return tx.queryObligations(ctx, "SELECT "+obligationColumns+` FROM obligations WHERE state = 'open' AND remind_at > 0
		AND remind_at <= ? AND reminded_at = 0 ORDER BY remind_at LIMIT ?`, ms(now), limit)
}

// DueEscalations returns open obligations past due that were not escalated.
func (tx *Tx) DueEscalations(ctx context.Context, now time.Time, limit int) ([]fenghuo.Obligation, error) {
	return tx.queryObligations(ctx, "SELECT "+obligationColumns+` FROM obligations WHERE state = 'open' AND due_at > 0
		AND due_at <= ? AND escalated_at = 0 ORDER BY due_at LIMIT ?`, ms(now), limit)
}

// NextObligationEvent returns the earliest future reminder or due time of an
// open obligation after now (zero when none), so the scheduler can sleep
// until then.
func (tx *Tx) NextObligationEvent(ctx context.Context, now time.Time) (time.Time, error) {
	var next int64
	err := tx.c.queryRow(ctx, `SELECT COALESCE(MIN(t), 0) FROM (
		SELECT remind_at AS t FROM obligations WHERE state = 'open' AND reminded_at = 0 AND remind_at > 0 AND remind_at > ?
		UNION ALL SELECT due_at AS t FROM obligations WHERE state = 'open' AND escalated_at = 0 AND due_at > 0 AND due_at > ?) x`,
		ms(now), ms(now)).Scan(&next)
	return fromMS(next), err
}

// ReportingRecord counts one unit's reporting obligations by outcome.
type ReportingRecord struct {
	OrgID   int64
	OrgName string
	OnTime  int
	Late    int // 迟报: filed after the due time
	Overdue int // open past the due time
	Missed  int // 漏报: never filed
	Open    int
}

// ReportingRecords counts report obligations per owner org in the subtree
// of orgPath, at now.
func (db *DB) ReportingRecords(ctx context.Context, orgPath string, now time.Time) ([]ReportingRecord, error) {
	return view(ctx, db, func(tx *Tx) ([]ReportingRecord, error) {
		rows, err := tx.c.query(ctx, `SELECT o.id, o.name,
			SUM(CASE WHEN b.state = 'on_time' THEN 1 ELSE 0 END),
			SUM(CASE WHEN b.state = 'late' THEN 1 ELSE 0 END),
			SUM(CASE WHEN b.state = 'open' AND b.due_at > 0 AND b.due_at <= ? THEN 1 ELSE 0 END),
			SUM(CASE WHEN b.state = 'missed' THEN 1 ELSE 0 END),
			SUM(CASE WHEN b.state = 'open' THEN 1 ELSE 0 END)
			FROM obligations b JOIN orgs o ON o.id = b.owner_org_id
			WHERE b.kind IN ('report', 'forward') AND o.path LIKE ? ESCAPE '\'
			GROUP BY o.id, o.name ORDER BY o.name, o.id`, ms(now), likeEscape(orgPath)+"%")
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		out := []ReportingRecord{}
		for rows.Next() {
			var r ReportingRecord
			if err := rows.Scan(&r.OrgID, &r.OrgName, &r.OnTime, &r.Late, &r.Overdue, &r.Missed, &r.Open); err != nil {
				return nil, err
			}
			out = append(out, r)
		}
		return out, rows.Err()
	})
}

// Obligation events the scheduler claims.
const (
	EventRemind   = "reminded_at"  // the owner is reminded before the due time
	EventEscalate = "escalated_at" // the duty is overdue: owner and recipient are told
)

// ClaimDueObligations claims, in the caller's transaction, up to limit open
// obligations whose event (EventRemind or EventEscalate) has come at now and
// was not done yet: it stamps the event column with now and returns them,
// soonest first. Reading and stamping happen in one transaction, with the
// rows locked on PostgreSQL (others skipped) and SQLite's writer alone, so
// of several schedulers each row is claimed by exactly one.
func (tx *Tx) ClaimDueObligations(ctx context.Context, event string, now time.Time, limit int) ([]fenghuo.Obligation, error) {
	var q string
	switch event {
	case EventRemind:
		q = "SELECT " + obligationColumns + ` FROM obligations WHERE state = 'open' AND remind_at > 0 AND remind_at <= ?
			AND reminded_at = 0 ORDER BY remind_at, id LIMIT ?`
	case EventEscalate:
		q = "SELECT " + obligationColumns + ` FROM obligations WHERE state = 'open' AND due_at > 0 AND due_at <= ?
			AND escalated_at = 0 ORDER BY due_at, id LIMIT ?`
	default:
		return nil, fmt.Errorf("store: unknown obligation event %q", event)
	}
	due, err := tx.queryObligations(ctx, q+tx.c.d.skipLocked(), ms(now), limit)
	if err != nil || len(due) == 0 {
		return due, err
	}
	// One UPDATE per chunk of IDs (placeholders only), re-checking that the
	// event is still unset.
	claimed := due[:0]
	for start := 0; start < len(due); start += 500 {
		chunk := due[start:min(start+500, len(due))]
		args := []any{ms(now), ms(tx.now)}
		marks := make([]string, len(chunk))
		for i := range chunk {
			marks[i] = "?"
			args = append(args, chunk[i].ID)
		}
		rows, err := tx.c.query(ctx, "UPDATE obligations SET "+event+" = ?, updated_at = ? WHERE id IN ("+strings.Join(marks, ", ")+
			") AND "+event+" = 0 RETURNING id", args...)
		if err != nil {
			return nil, fmt.Errorf("store: claim obligations: %w", err)
		}
		got := map[int64]bool{}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			got[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		for _, o := range chunk {
			if got[o.ID] {
				if event == EventRemind {
					o.RemindedAt = now
				} else {
					o.EscalatedAt = now
				}
				claimed = append(claimed, o)
			}
		}
	}
	return claimed, nil
}

// ClaimObligationEvent stamps column (reminded_at or escalated_at) of an
// obligation with now if it is still unset, and reports whether this call
// did it: of several replicas ticking at once, exactly one acts.
func (tx *Tx) ClaimObligationEvent(ctx context.Context, id int64, column string, now time.Time) (bool, error) {
	if column != "reminded_at" && column != "escalated_at" {
		return false, fmt.Errorf("store: unknown obligation event %q", column)
	}
	res, err := tx.c.exec(ctx, "UPDATE obligations SET "+column+" = ?, updated_at = ? WHERE id = ? AND "+column+" = 0", ms(now), ms(tx.now), id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
