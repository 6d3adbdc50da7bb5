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
	err := tx.c.queryRow(ctx, `INSERT INTO obligations (kind, incident_id, subject_id, owner_org_id, recipient_org_id,
		recipient_name, plan_id, rule_id, clause, title, due_at, urgency, state, done_at, done_note, remind_at,
		reminded_at, escalated_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		o.Kind, o.IncidentID, o.SubjectID, o.OwnerOrgID, o.RecipientOrgID, o.RecipientName, o.PlanID, o.RuleID, o.Clause,
		o.Title, ms(o.DueAt), o.Urgency, o.State, ms(o.DoneAt), o.DoneNote, ms(o.RemindAt), ms(o.RemindedAt),
		ms(o.EscalatedAt), ms(tx.now), ms(tx.now)).Scan(&o.ID)
	if err != nil {
		return err
	}
	if err := tx.scopeDue(ctx, o.IncidentID); err != nil {
		return err
	}
	return tx.countObligation(ctx, o.Kind, o.OwnerOrgID, o.State, 1)
}

// countedKinds are the duties the reporting records count.
func countedKind(kind string) bool { return kind == "report" || kind == "forward" }

// countObligation moves the reporting-record counter of (owner, state) by
// delta for a report or forward duty.
func (tx *Tx) countObligation(ctx context.Context, kind string, owner int64, state string, delta int) error {
	if !countedKind(kind) || delta == 0 {
		return nil
	}
	_, err := tx.c.exec(ctx, `INSERT INTO obligation_counts (org_id, state, n) VALUES (?, ?, ?)
		ON CONFLICT (org_id, state) DO UPDATE SET n = obligation_counts.n + excluded.n`, owner, state, delta)
	if err != nil {
		return fmt.Errorf("store: reporting records: %w", err)
	}
	return nil
}

// rebuildObligationCounts recomputes every reporting-record counter.
func (tx *Tx) rebuildObligationCounts(ctx context.Context) error {
	if _, err := tx.c.exec(ctx, "DELETE FROM obligation_counts"); err != nil {
		return err
	}
	_, err := tx.c.exec(ctx, `INSERT INTO obligation_counts (org_id, state, n)
		SELECT owner_org_id, state, COUNT(*) FROM obligations WHERE kind IN ('report', 'forward') GROUP BY owner_org_id, state`)
	return err
}

// UpdateObligation writes the mutable fields of o.
func (tx *Tx) UpdateObligation(ctx context.Context, o *fenghuo.Obligation) error {
	var kind, state string
	var owner, incident int64
	if err := tx.c.queryRow(ctx, "SELECT kind, owner_org_id, state, incident_id FROM obligations WHERE id = ?", o.ID).Scan(&kind, &owner, &state, &incident); err != nil {
		return notFoundOr(err, "Obligation", o.ID)
	}
	if state != o.State {
		if err := tx.countObligation(ctx, kind, owner, state, -1); err != nil {
			return err
		}
		if err := tx.countObligation(ctx, kind, owner, o.State, 1); err != nil {
			return err
		}
	}
	_, err := tx.c.exec(ctx, `UPDATE obligations SET state = ?, due_at = ?, done_at = ?, done_note = ?, remind_at = ?,
		reminded_at = ?, escalated_at = ?, recipient_org_id = ?, recipient_name = ?, title = ?, updated_at = ? WHERE id = ?`,
		o.State, ms(o.DueAt), ms(o.DoneAt), o.DoneNote, ms(o.RemindAt), ms(o.RemindedAt), ms(o.EscalatedAt),
		o.RecipientOrgID, o.RecipientName, o.Title, ms(tx.now), o.ID)
	if err != nil {
		return fmt.Errorf("store: update obligation %d: %w", o.ID, err)
	}
	return tx.scopeDue(ctx, incident)
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
	var err error
	if res.Total, res.Capped, err = tx.countCapped(ctx, "SELECT 1 "+where, args); err != nil {
		return res, err
	}
	// Two parts, each in the order of the (owner, state, due_at, id)
	// index: the duties with a due time, soonest first, then those without.
	dated, _, err := tx.countUpTo(ctx, "SELECT 1 "+where+" AND b.due_at > 0", args, p.Offset+p.Limit)
	if err != nil {
		return res, err
	}
	res.Items = []fenghuo.Obligation{}
	if p.Offset < dated {
		items, err := tx.queryObligations(ctx, "SELECT "+obligationColumns+" "+where+" AND b.due_at > 0 ORDER BY b.due_at, b.id LIMIT ? OFFSET ?",
			append(args[:len(args):len(args)], p.Limit, p.Offset)...)
		if err != nil {
			return res, err
		}
		res.Items = items
	}
	if rest := p.Limit - len(res.Items); rest > 0 {
		items, err := tx.queryObligations(ctx, "SELECT "+obligationColumns+" "+where+" AND b.due_at = 0 ORDER BY b.id LIMIT ? OFFSET ?",
			append(args[:len(args):len(args)], rest, max(0, p.Offset-dated))...)
		if err != nil {
			return res, err
		}
		res.Items = append(res.Items, items...)
	}
	return res, nil
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
// of orgPath, at now: the kept counters per state, and the open duties past
// due (from the index of open duties by due time).
func (db *DB) ReportingRecords(ctx context.Context, orgPath string, now time.Time) ([]ReportingRecord, error) {
	return view(ctx, db, func(tx *Tx) ([]ReportingRecord, error) {
		like := likeEscape(orgPath) + "%"
		rows, err := tx.c.query(ctx, `SELECT o.id, o.name, c.state, c.n FROM obligation_counts c JOIN orgs o ON o.id = c.org_id
			WHERE o.path LIKE ? ESCAPE '\' AND c.n > 0 ORDER BY o.name, o.id`, like)
		if err != nil {
			return nil, err
		}
		out := []ReportingRecord{}
		at := map[int64]int{}
		for rows.Next() {
			var id, n int64
			var name, state string
			if err := rows.Scan(&id, &name, &state, &n); err != nil {
				rows.Close()
				return nil, err
			}
			i, ok := at[id]
			if !ok {
				i = len(out)
				at[id] = i
				out = append(out, ReportingRecord{OrgID: id, OrgName: name})
			}
			switch r := &out[i]; state {
			case "on_time":
				r.OnTime = int(n)
			case "late":
				r.Late = int(n)
			case "missed":
				r.Missed = int(n)
			case "open":
				r.Open = int(n)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		rows, err = tx.c.query(ctx, `SELECT b.owner_org_id, COUNT(*) FROM obligations b JOIN orgs o ON o.id = b.owner_org_id
			WHERE b.state = 'open' AND b.due_at > 0 AND b.due_at <= ? AND b.kind IN ('report', 'forward') AND o.path LIKE ? ESCAPE '\'
			GROUP BY b.owner_org_id`, ms(now), like)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var n int
			if err := rows.Scan(&id, &n); err != nil {
				return nil, err
			}
			if i, ok := at[id]; ok {
				out[i].Overdue = n
			}
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
