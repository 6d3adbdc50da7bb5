package store

import (
	"context"
	"encoding/json"
	"fmt"

	"fenghuo/internal/fenghuo"
)

const warningColumns = `id, org_id, plan_id, color, category, title, start_at, scope, items, measures, ack_minutes,
	targeting, switches, status, proposed_to, created_by, created_at, updated_at, lifted_at`

func scanWarning(sc scanner) (*fenghuo.Warning, error) {
	var w fenghuo.Warning
	var start, created, updated, lifted int64
	var measures, targeting, switches, color string
	if err := sc.Scan(&w.ID, &w.OrgID, &w.PlanID, &color, &w.Category, &w.Title, &start, &w.Scope, &w.Items, &measures,
		&w.AckMinutes, &targeting, &switches, &w.Status, &w.ProposedTo, &w.CreatedBy, &created, &updated, &lifted); err != nil {
		return nil, err
	}
	w.Color = fenghuo.Color(color)
	w.StartAt, w.CreatedAt, w.UpdatedAt, w.LiftedAt = fromMS(start), fromMS(created), fromMS(updated), fromMS(lifted)
	if err := unmarshalList(measures, &w.Measures); err != nil {
		return nil, err
	}
	if err := unmarshalList(switches, &w.Switches); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(targeting), &w.Targeting); err != nil {
		return nil, err
	}
	return &w, nil
}

// CreateWarning stores a warning (its targets are added separately).
func (tx *Tx) CreateWarning(ctx context.Context, w *fenghuo.Warning) error {
	w.CreatedAt, w.UpdatedAt = tx.now, tx.now
	targeting, _ := json.Marshal(w.Targeting)
	return tx.c.queryRow(ctx, `INSERT INTO warnings (org_id, plan_id, color, category, title, start_at, scope, items, measures,
		ack_minutes, targeting, switches, status, proposed_to, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		w.OrgID, w.PlanID, string(w.Color), w.Category, w.Title, ms(w.StartAt), w.Scope, w.Items, jsonText(w.Measures),
		w.AckMinutes, string(targeting), jsonText(w.Switches), w.Status, w.ProposedTo, w.CreatedBy, ms(tx.now), ms(tx.now)).Scan(&w.ID)
}

// UpdateWarning writes a warning's colour, status, switches and texts.
func (tx *Tx) UpdateWarning(ctx context.Context, w *fenghuo.Warning) error {
	w.UpdatedAt = tx.now
	_, err := tx.c.exec(ctx, `UPDATE warnings SET color = ?, status = ?, switches = ?, org_id = ?, proposed_to = ?, lifted_at = ?,
		measures = ?, updated_at = ? WHERE id = ?`, string(w.Color), w.Status, jsonText(w.Switches), w.OrgID, w.ProposedTo,
		ms(w.LiftedAt), jsonText(w.Measures), ms(tx.now), w.ID)
	if err != nil {
		return fmt.Errorf("store: update warning %d: %w", w.ID, err)
	}
	return nil
}

// Warning returns one warning.
func (db *DB) Warning(ctx context.Context, id int64) (*fenghuo.Warning, error) {
	return view(ctx, db, func(tx *Tx) (*fenghuo.Warning, error) { return tx.Warning(ctx, id) })
}

// Warning is DB.Warning inside tx.
func (tx *Tx) Warning(ctx context.Context, id int64) (*fenghuo.Warning, error) {
	w, err := scanWarning(tx.c.queryRow(ctx, "SELECT "+warningColumns+" FROM warnings WHERE id = ?", id))
	if err != nil {
		return nil, notFoundOr(err, "Warning", id)
	}
	return w, nil
}

// WarningsVisible lists, newest first, the warnings an org subtree may
// see: issued by an org in it, proposed to one, or reaching a target in it.
func (db *DB) WarningsVisible(ctx context.Context, orgPath string, p Page) (ListResult[fenghuo.Warning], error) {
	return view(ctx, db, func(tx *Tx) (ListResult[fenghuo.Warning], error) {
		p = p.norm()
		like := likeEscape(orgPath) + "%"
		where := `FROM warnings w WHERE EXISTS (SELECT 1 FROM orgs o WHERE (o.id = w.org_id OR o.id = w.proposed_to) AND o.path LIKE ? ESCAPE '\')
			OR EXISTS (SELECT 1 FROM warning_targets t JOIN orgs o ON o.id = t.org_id WHERE t.warning_id = w.id AND o.path LIKE ? ESCAPE '\')`
		var res ListResult[fenghuo.Warning]
		if err := tx.c.queryRow(ctx, "SELECT COUNT(*) "+where, like, like).Scan(&res.Total); err != nil {
			return res, err
		}
		rows, err := tx.c.query(ctx, "SELECT "+warningColumns+" "+where+" ORDER BY w.created_at DESC, w.id DESC LIMIT ? OFFSET ?",
			like, like, p.Limit, p.Offset)
		if err != nil {
			return res, err
		}
		defer rows.Close()
		res.Items = []fenghuo.Warning{}
		for rows.Next() {
			w, err := scanWarning(rows)
			if err != nil {
				return res, err
			}
			res.Items = append(res.Items, *w)
		}
		return res, rows.Err()
	})
}

// AddWarningTarget records that a warning reaches an org.
func (tx *Tx) AddWarningTarget(ctx context.Context, t *fenghuo.WarningTarget) error {
	return tx.c.queryRow(ctx, "INSERT INTO warning_targets (warning_id, org_id, reason) VALUES (?, ?, ?) RETURNING id",
		t.WarningID, t.OrgID, t.Reason).Scan(&t.ID)
}

// WarningTargets lists a warning's targets with their org names.
func (db *DB) WarningTargets(ctx context.Context, warningID int64) ([]fenghuo.WarningTarget, error) {
	return view(ctx, db, func(tx *Tx) ([]fenghuo.WarningTarget, error) { return tx.WarningTargets(ctx, warningID) })
}

// WarningTargets is DB.WarningTargets inside tx.
func (tx *Tx) WarningTargets(ctx context.Context, warningID int64) ([]fenghuo.WarningTarget, error) {
	rows, err := tx.c.query(ctx, `SELECT t.id, t.warning_id, t.org_id, o.name, t.reason, t.acked_at, t.acked_by, t.done_at, t.done_note
		FROM warning_targets t JOIN orgs o ON o.id = t.org_id WHERE t.warning_id = ? ORDER BY o.name, t.id`, warningID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []fenghuo.WarningTarget{}
	for rows.Next() {
		var t fenghuo.WarningTarget
		var acked, done int64
		if err := rows.Scan(&t.ID, &t.WarningID, &t.OrgID, &t.OrgName, &t.Reason, &acked, &t.AckedBy, &done, &t.DoneNote); err != nil {
			return nil, err
		}
		t.AckedAt, t.DoneAt = fromMS(acked), fromMS(done)
		out = append(out, t)
	}
	return out, rows.Err()
}

// UpdateWarningTarget writes a target's acknowledgement and completion.
func (tx *Tx) UpdateWarningTarget(ctx context.Context, t *fenghuo.WarningTarget) error {
	_, err := tx.c.exec(ctx, "UPDATE warning_targets SET acked_at = ?, acked_by = ?, done_at = ?, done_note = ? WHERE id = ?",
		ms(t.AckedAt), t.AckedBy, ms(t.DoneAt), t.DoneNote, t.ID)
	return err
}

// AddWarningChange appends to a warning's history.
func (tx *Tx) AddWarningChange(ctx context.Context, c *fenghuo.WarningChange) error {
	c.At = tx.now
	return tx.c.queryRow(ctx, `INSERT INTO warning_changes (warning_id, at, actor, action, from_color, to_color, reason)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.WarningID, ms(c.At), c.Actor, c.Action, string(c.FromColor),
		string(c.ToColor), c.Reason).Scan(&c.ID)
}

// WarningChanges returns a warning's history, oldest first.
func (db *DB) WarningChanges(ctx context.Context, warningID int64) ([]fenghuo.WarningChange, error) {
	return view(ctx, db, func(tx *Tx) ([]fenghuo.WarningChange, error) {
		rows, err := tx.c.query(ctx, `SELECT id, warning_id, at, actor, action, from_color, to_color, reason
			FROM warning_changes WHERE warning_id = ? ORDER BY at, id`, warningID)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		out := []fenghuo.WarningChange{}
		for rows.Next() {
			var c fenghuo.WarningChange
			var at int64
			var from, to string
			if err := rows.Scan(&c.ID, &c.WarningID, &at, &c.Actor, &c.Action, &from, &to, &c.Reason); err != nil {
				return nil, err
			}
			c.At, c.FromColor, c.ToColor = fromMS(at), fenghuo.Color(from), fenghuo.Color(to)
			out = append(out, c)
		}
		return out, rows.Err()
	})
}

// ActiveWarningsOf lists the active warnings an org issued or received.
func (tx *Tx) ActiveWarningsOf(ctx context.Context, orgID int64) ([]fenghuo.Warning, error) {
	rows, err := tx.c.query(ctx, "SELECT "+warningColumns+` FROM warnings w WHERE w.status = 'active' AND (w.org_id = ?
		OR EXISTS (SELECT 1 FROM warning_targets t WHERE t.warning_id = w.id AND t.org_id = ?)) ORDER BY w.id`, orgID, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []fenghuo.Warning{}
	for rows.Next() {
		w, err := scanWarning(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *w)
	}
	return out, rows.Err()
}

// ObligationsBySubject returns the open obligations of a kind about a
// subject (a warning target, a period day …).
func (tx *Tx) ObligationsBySubject(ctx context.Context, kind string, subjectID int64) ([]fenghuo.Obligation, error) {
	return tx.queryObligations(ctx, "SELECT "+obligationColumns+" FROM obligations WHERE kind = ? AND subject_id = ? ORDER BY id", kind, subjectID)
}

// WarningTargetByID returns one warning target with its org name.
func (tx *Tx) WarningTargetByID(ctx context.Context, id int64) (*fenghuo.WarningTarget, error) {
	var t fenghuo.WarningTarget
	var acked, done int64
	err := tx.c.queryRow(ctx, `SELECT t.id, t.warning_id, t.org_id, o.name, t.reason, t.acked_at, t.acked_by, t.done_at, t.done_note
		FROM warning_targets t JOIN orgs o ON o.id = t.org_id WHERE t.id = ?`, id).
		Scan(&t.ID, &t.WarningID, &t.OrgID, &t.OrgName, &t.Reason, &acked, &t.AckedBy, &done, &t.DoneNote)
	if err != nil {
		return nil, notFoundOr(err, "Warning target", id)
	}
	t.AckedAt, t.DoneAt = fromMS(acked), fromMS(done)
	return &t, nil
}
