package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"fenghuo/internal/fenghuo"
)

// Response levels (0008_response.sql). The app layer decides who may
// request, activate, refuse, change and end a level; the store keeps the
// rows and makes every read-then-write one transaction, with the row locked
// on PostgreSQL (a no-op UPDATE … RETURNING, the same SQL on both engines;
// SQLite's single writer already excludes the others).

const activationColumns = `id, incident_id, plan_id, level, state, requested_by, requested_org_id, requested_at,
	decided_by, decided_org_id, decided_at, clause, reason, hand_up_org_id, previous_id, activated_at, ended_at, ended_by,
	end_clause, end_notice, created_at, updated_at`

func scanActivation(sc scanner) (*fenghuo.ResponseActivation, error) {
	var a fenghuo.ResponseActivation
	var level string
	var requested, decided, activated, ended, created, updated int64
	if err := sc.Scan(&a.ID, &a.IncidentID, &a.PlanID, &level, &a.State, &a.RequestedBy, &a.RequestedOrgID, &requested,
		&a.DecidedBy, &a.DecidedOrgID, &decided, &a.Clause, &a.Reason, &a.HandUpOrgID, &a.PreviousID, &activated, &ended,
		&a.EndedBy, &a.EndClause, &a.EndNotice, &created, &updated); err != nil {
		return nil, err
	}
	a.Level = fenghuo.Grade(level)
	a.RequestedAt, a.DecidedAt, a.ActivatedAt, a.EndedAt = fromMS(requested), fromMS(decided), fromMS(activated), fromMS(ended)
	a.CreatedAt, a.UpdatedAt = fromMS(created), fromMS(updated)
	return &a, nil
}

// CreateActivation stores a new activation row: a request (state
// requested) or a level activated at once by an office with the authority
// (state active; ActivatedAt defaults to the transaction's time). It refuses
// (ECONFLICT) a second open row (requested or active) for the incident
// unless a.PreviousID names the open row it replaces, which it then marks
// superseded in the same transaction: a level change is one call.
func (tx *Tx) CreateActivation(ctx context.Context, a *fenghuo.ResponseActivation) error {
	if !a.Level.Valid() {
		return fenghuo.FieldErrorf("level", "Response level %q is unknown: use I, II, III or IV. / 未知响应级别。", a.Level)
	}
	if a.State != fenghuo.ResponseRequested && a.State != fenghuo.ResponseActive {
		return fenghuo.FieldErrorf("state", "A new activation is requested or active. / 新的响应须为申请或已启动。")
	}
	// Lock the incident row so that two activations of one incident
	// serialise on PostgreSQL.
	if _, err := tx.c.exec(ctx, "UPDATE incidents SET version = version WHERE id = ?", a.IncidentID); err != nil {
		return fmt.Errorf("store: lock incident %d: %w", a.IncidentID, err)
	}
	open, err := tx.OpenActivation(ctx, a.IncidentID)
	if err != nil && fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		return err
	}
	if open != nil {
		if open.ID != a.PreviousID {
			return fenghuo.Errorf(fenghuo.ECONFLICT, "The incident already has a response level %s (%s); change or end it instead. / 该事件已有响应，请调整或结束现有响应。", open.Level, open.State)
		}
		wasActive := open.State == fenghuo.ResponseActive
		if _, err := tx.SetActivationState(ctx, open.ID, fenghuo.ResponseSuperseded, func(p *fenghuo.ResponseActivation) {
			if wasActive {
				p.EndedBy = a.DecidedBy
			}
		}); err != nil {
			return err
		}
	} else if a.PreviousID != 0 {
		return fenghuo.Errorf(fenghuo.ECONFLICT, "The response level to replace is no longer in force. / 要调整的响应已不在进行中。")
	}
	if a.RequestedAt.IsZero() {
		a.RequestedAt = tx.now
	}
	if a.State == fenghuo.ResponseActive {
		if a.ActivatedAt.IsZero() {
			a.ActivatedAt = tx.now
		}
		if a.DecidedAt.IsZero() {
			a.DecidedAt = tx.now
		}
	}
	a.CreatedAt, a.UpdatedAt = tx.now, tx.now
	return tx.c.queryRow(ctx, `INSERT INTO response_activations (incident_id, plan_id, level, state, requested_by,
		requested_org_id, requested_at, decided_by, decided_org_id, decided_at, clause, reason, hand_up_org_id, previous_id,
		activated_at, ended_at, ended_by, end_clause, end_notice, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		a.IncidentID, a.PlanID, string(a.Level), a.State, a.RequestedBy, a.RequestedOrgID, ms(a.RequestedAt), a.DecidedBy,
		a.DecidedOrgID, ms(a.DecidedAt), a.Clause, a.Reason, a.HandUpOrgID, a.PreviousID, ms(a.ActivatedAt), ms(a.EndedAt),
		a.EndedBy, a.EndClause, a.EndNotice, ms(tx.now), ms(tx.now)).Scan(&a.ID)
}

// Activation returns one activation.
func (db *DB) Activation(ctx context.Context, id int64) (*fenghuo.ResponseActivation, error) {
	return view(ctx, db, func(tx *Tx) (*fenghuo.ResponseActivation, error) { return tx.Activation(ctx, id) })
}

// Activation is DB.Activation inside tx.
func (tx *Tx) Activation(ctx context.Context, id int64) (*fenghuo.ResponseActivation, error) {
	a, err := scanActivation(tx.c.queryRow(ctx, "SELECT "+activationColumns+" FROM response_activations WHERE id = ?", id))
	if err != nil {
		return nil, notFoundOr(err, "Response activation", id)
	}
	return a, nil
}

// Activations returns an incident's level history, oldest first.
func (db *DB) Activations(ctx context.Context, incidentID int64) ([]fenghuo.ResponseActivation, error) {
	return view(ctx, db, func(tx *Tx) ([]fenghuo.ResponseActivation, error) { return tx.Activations(ctx, incidentID) })
}

// Activations is DB.Activations inside tx.
func (tx *Tx) Activations(ctx context.Context, incidentID int64) ([]fenghuo.ResponseActivation, error) {
	return tx.queryActivations(ctx, "SELECT "+activationColumns+" FROM response_activations WHERE incident_id = ? ORDER BY id", incidentID)
}

// OpenActivation returns the incident's activation that is requested or
// active (at most one is), or ENOTFOUND.
func (tx *Tx) OpenActivation(ctx context.Context, incidentID int64) (*fenghuo.ResponseActivation, error) {
	as, err := tx.queryActivations(ctx, "SELECT "+activationColumns+` FROM response_activations WHERE incident_id = ?
		AND state IN ('requested', 'active') ORDER BY id DESC LIMIT 1`, incidentID)
	if err != nil {
		return nil, err
	}
	if len(as) == 0 {
		return nil, notFound("Open response of incident", incidentID)
	}
	return &as[0], nil
}

// ActivationsHandedUpTo lists, newest first, the activations in state
// (requested by default) handed up to an office for its decision.
func (db *DB) ActivationsHandedUpTo(ctx context.Context, orgID int64, state string, p Page) ([]fenghuo.ResponseActivation, error) {
	if state == "" {
		state = fenghuo.ResponseRequested
	}
	p = p.norm()
	return view(ctx, db, func(tx *Tx) ([]fenghuo.ResponseActivation, error) {
		return tx.queryActivations(ctx, "SELECT "+activationColumns+` FROM response_activations WHERE hand_up_org_id = ?
			AND state = ? ORDER BY id DESC LIMIT ? OFFSET ?`, orgID, state, p.Limit, p.Offset)
	})
}

func (tx *Tx) queryActivations(ctx context.Context, q string, args ...any) ([]fenghuo.ResponseActivation, error) {
	rows, err := tx.c.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: response activations: %w", err)
	}
	defer rows.Close()
	out := []fenghuo.ResponseActivation{}
	for rows.Next() {
		a, err := scanActivation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *a)
	}
	return out, rows.Err()
}

// LockActivation returns an activation and holds its row locked until tx
// ends (PostgreSQL), for a read-decide-write in one transaction.
func (tx *Tx) LockActivation(ctx context.Context, id int64) (*fenghuo.ResponseActivation, error) {
	a, err := scanActivation(tx.c.queryRow(ctx, "UPDATE response_activations SET updated_at = updated_at WHERE id = ? RETURNING "+activationColumns, id))
	if err != nil {
		return nil, notFoundOr(err, "Response activation", id)
	}
	return a, nil
}

// SetActivationState moves an activation to state under the row lock,
// refusing (ECONFLICT) a move fenghuo.ResponseTransitionAllowed forbids (for
// instance a second decision on a request another officer just decided).
// edit, when not nil, fills the fields that go with the move (DecidedBy,
// DecidedOrgID, Clause, Reason, HandUpOrgID, EndedBy, EndClause, EndNotice);
// DecidedAt, ActivatedAt and EndedAt default to the transaction's time for
// the states they belong to. It returns the activation as stored.
func (tx *Tx) SetActivationState(ctx context.Context, id int64, state string, edit func(*fenghuo.ResponseActivation)) (*fenghuo.ResponseActivation, error) {
	a, err := tx.LockActivation(ctx, id)
	if err != nil {
		return nil, err
	}
	if !fenghuo.ResponseTransitionAllowed(a.State, state) {
		return nil, fenghuo.Errorf(fenghuo.ECONFLICT, "The response is %s and cannot become %s. / 响应状态已变化，无法执行此操作。", a.State, state)
	}
	from := a.State
	a.State = state
	if edit != nil {
		edit(a)
	}
	switch state {
	case fenghuo.ResponseActive:
		a.ActivatedAt = orNow(a.ActivatedAt, tx)
		a.DecidedAt = orNow(a.DecidedAt, tx)
	case fenghuo.ResponseRefused:
		a.DecidedAt = orNow(a.DecidedAt, tx)
	case fenghuo.ResponseEnded:
		a.EndedAt = orNow(a.EndedAt, tx)
	case fenghuo.ResponseSuperseded:
		if from == fenghuo.ResponseActive {
			a.EndedAt = orNow(a.EndedAt, tx)
		}
	}
	a.UpdatedAt = tx.now
	_, err = tx.c.exec(ctx, `UPDATE response_activations SET state = ?, decided_by = ?, decided_org_id = ?, decided_at = ?,
		clause = ?, reason = ?, hand_up_org_id = ?, activated_at = ?, ended_at = ?, ended_by = ?, end_clause = ?, end_notice = ?,
		updated_at = ? WHERE id = ?`, a.State, a.DecidedBy, a.DecidedOrgID, ms(a.DecidedAt), a.Clause, a.Reason, a.HandUpOrgID,
		ms(a.ActivatedAt), ms(a.EndedAt), a.EndedBy, a.EndClause, a.EndNotice, ms(tx.now), id)
	if err != nil {
		return nil, fmt.Errorf("store: update response activation %d: %w", id, err)
	}
	return a, nil
}

func orNow(t time.Time, tx *Tx) time.Time {
	if t.IsZero() {
		return tx.now
	}
	return t
}

// AddCommandMember adds a member to an activation's command structure.
func (tx *Tx) AddCommandMember(ctx context.Context, m *fenghuo.CommandMember) error {
	if err := m.Validate(); err != nil {
		return err
	}
	m.CreatedAt = tx.now
	err := tx.c.queryRow(ctx, `INSERT INTO command_members (activation_id, role, name, org_id, user_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, m.ActivationID, m.Role, m.Name, m.OrgID, m.UserID, ms(tx.now)).Scan(&m.ID)
	if err != nil {
		return err
	}
	// Sealed once the row exists: the seal is bound to its id.
	return tx.setPersonal(ctx, "command_members", m.ID, personal{"phone", &m.Phone})
}

// RemoveCommandMember deletes a member of an activation.
func (tx *Tx) RemoveCommandMember(ctx context.Context, activationID, id int64) error {
	res, err := tx.c.exec(ctx, "DELETE FROM command_members WHERE id = ? AND activation_id = ?", id, activationID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("Command member", id)
	}
	return nil
}

// CommandMembers lists an activation's command structure in the order the
// members were added.
func (db *DB) CommandMembers(ctx context.Context, activationID int64) ([]fenghuo.CommandMember, error) {
	return view(ctx, db, func(tx *Tx) ([]fenghuo.CommandMember, error) {
		rows, err := tx.c.query(ctx, `SELECT id, activation_id, role, name, org_id, user_id, phone, created_at
			FROM command_members WHERE activation_id = ? ORDER BY id`, activationID)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		out := []fenghuo.CommandMember{}
		for rows.Next() {
			var m fenghuo.CommandMember
			var created int64
			if err := rows.Scan(&m.ID, &m.ActivationID, &m.Role, &m.Name, &m.OrgID, &m.UserID, &m.Phone, &created); err != nil {
				return nil, err
			}
			m.CreatedAt = fromMS(created)
			if err := tx.openPersonal("command_members", m.ID, personal{"phone", &m.Phone}); err != nil {
				return nil, err
			}
			out = append(out, m)
		}
		return out, rows.Err()
	})
}

// ApplySwitch records that an activation applied a switch; a switch is
// applied once per activation (ECONFLICT the second time). AppliedAt
// defaults to the transaction's time; Detail to {}.
func (tx *Tx) ApplySwitch(ctx context.Context, s *fenghuo.ResponseSwitch) error {
	if s.Key == "" {
		return fenghuo.FieldErrorf("switch_key", "Name the switch. / 请指明响应措施。")
	}
	if s.AppliedAt.IsZero() {
		s.AppliedAt = tx.now
	}
	detail := "{}"
	if len(s.Detail) > 0 {
		if !json.Valid(s.Detail) {
			return fenghuo.FieldErrorf("detail", "The switch detail is not JSON. / 措施详情格式错误。")
		}
		detail = string(s.Detail)
	}
	return tx.c.queryRow(ctx, `INSERT INTO response_switches (activation_id, switch_key, applied_at, detail)
		VALUES (?, ?, ?, ?) RETURNING id`, s.ActivationID, s.Key, ms(s.AppliedAt), detail).Scan(&s.ID)
}

// Switches lists the switches an activation applied, by key.
func (db *DB) Switches(ctx context.Context, activationID int64) ([]fenghuo.ResponseSwitch, error) {
	return view(ctx, db, func(tx *Tx) ([]fenghuo.ResponseSwitch, error) {
		rows, err := tx.c.query(ctx, `SELECT id, activation_id, switch_key, applied_at, detail FROM response_switches
			WHERE activation_id = ? ORDER BY switch_key`, activationID)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		out := []fenghuo.ResponseSwitch{}
		for rows.Next() {
			var s fenghuo.ResponseSwitch
			var at int64
			var detail string
			if err := rows.Scan(&s.ID, &s.ActivationID, &s.Key, &at, &detail); err != nil {
				return nil, err
			}
			s.AppliedAt, s.Detail = fromMS(at), json.RawMessage(detail)
			out = append(out, s)
		}
		return out, rows.Err()
	})
}

// AddEndNoticeRecipient records a party told of the activation (NotifiedAt
// defaults to now), who will get the end notice.
func (tx *Tx) AddEndNoticeRecipient(ctx context.Context, r *fenghuo.EndNoticeRecipient) error {
	if r.OrgID == 0 && r.UserID == 0 && r.Name == "" {
		return fenghuo.FieldErrorf("recipient", "Name the recipient. / 请指明通知对象。")
	}
	if r.NotifiedAt.IsZero() {
		r.NotifiedAt = tx.now
	}
	if r.Delivery == "" {
		r.Delivery = fenghuo.DeliveryPending
	}
	return tx.c.queryRow(ctx, `INSERT INTO end_notice_recipients (activation_id, org_id, user_id, name, notified_at,
		end_sent_at, delivery, delivery_note, acked_at, acked_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		r.ActivationID, r.OrgID, r.UserID, r.Name, ms(r.NotifiedAt), ms(r.EndSentAt), r.Delivery, r.DeliveryNote,
		ms(r.AckedAt), r.AckedBy).Scan(&r.ID)
}

const recipientColumns = "id, activation_id, org_id, user_id, name, notified_at, end_sent_at, delivery, delivery_note, acked_at, acked_by"

func scanRecipient(sc scanner) (*fenghuo.EndNoticeRecipient, error) {
	var r fenghuo.EndNoticeRecipient
	var notified, sent, acked int64
	if err := sc.Scan(&r.ID, &r.ActivationID, &r.OrgID, &r.UserID, &r.Name, &notified, &sent, &r.Delivery, &r.DeliveryNote,
		&acked, &r.AckedBy); err != nil {
		return nil, err
	}
	r.NotifiedAt, r.EndSentAt, r.AckedAt = fromMS(notified), fromMS(sent), fromMS(acked)
	return &r, nil
}

// EndNoticeRecipients lists an activation's recipients in the order added.
func (db *DB) EndNoticeRecipients(ctx context.Context, activationID int64) ([]fenghuo.EndNoticeRecipient, error) {
	return view(ctx, db, func(tx *Tx) ([]fenghuo.EndNoticeRecipient, error) { return tx.EndNoticeRecipients(ctx, activationID) })
}

// EndNoticeRecipients is DB.EndNoticeRecipients inside tx.
func (tx *Tx) EndNoticeRecipients(ctx context.Context, activationID int64) ([]fenghuo.EndNoticeRecipient, error) {
	return tx.queryRecipients(ctx, "SELECT "+recipientColumns+" FROM end_notice_recipients WHERE activation_id = ? ORDER BY id", activationID)
}

// UnackedEndNotices lists, oldest first, the end notices sent to an org
// that it has not acknowledged.
func (db *DB) UnackedEndNotices(ctx context.Context, orgID int64, p Page) ([]fenghuo.EndNoticeRecipient, error) {
	p = p.norm()
	return view(ctx, db, func(tx *Tx) ([]fenghuo.EndNoticeRecipient, error) {
		return tx.queryRecipients(ctx, "SELECT "+recipientColumns+` FROM end_notice_recipients WHERE org_id = ? AND acked_at = 0
			AND end_sent_at > 0 ORDER BY end_sent_at, id LIMIT ? OFFSET ?`, orgID, p.Limit, p.Offset)
	})
}

func (tx *Tx) queryRecipients(ctx context.Context, q string, args ...any) ([]fenghuo.EndNoticeRecipient, error) {
	rows, err := tx.c.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []fenghuo.EndNoticeRecipient{}
	for rows.Next() {
		r, err := scanRecipient(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}

// MarkEndNoticeSent stamps the end notice as sent (now) to every recipient
// of the activation not stamped yet, and returns them: the app then hands
// each to a delivery channel and records the outcome with
// SetEndNoticeDelivery.
func (tx *Tx) MarkEndNoticeSent(ctx context.Context, activationID int64) ([]fenghuo.EndNoticeRecipient, error) {
	return tx.queryRecipients(ctx, `UPDATE end_notice_recipients SET end_sent_at = ? WHERE activation_id = ? AND end_sent_at = 0
		RETURNING `+recipientColumns, ms(tx.now), activationID)
}

// SetEndNoticeDelivery records a recipient's delivery outcome (delivered,
// failed with note).
func (tx *Tx) SetEndNoticeDelivery(ctx context.Context, id int64, delivery, note string) error {
	if delivery != fenghuo.DeliveryPending && delivery != fenghuo.DeliveryDelivered && delivery != fenghuo.DeliveryFailed {
		return fenghuo.FieldErrorf("delivery", "Delivery state %q is unknown. / 未知送达状态。", delivery)
	}
	res, err := tx.c.exec(ctx, "UPDATE end_notice_recipients SET delivery = ?, delivery_note = ? WHERE id = ?", delivery, note, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("End notice recipient", id)
	}
	return nil
}

// AckEndNotice records that a recipient acknowledged the end notice; only
// the first acknowledgement counts (ECONFLICT after), and only a sent notice
// can be acknowledged.
func (tx *Tx) AckEndNotice(ctx context.Context, id, userID int64) error {
	res, err := tx.c.exec(ctx, "UPDATE end_notice_recipients SET acked_at = ?, acked_by = ? WHERE id = ? AND acked_at = 0 AND end_sent_at > 0",
		ms(tx.now), userID, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		r, err := scanRecipient(tx.c.queryRow(ctx, "SELECT "+recipientColumns+" FROM end_notice_recipients WHERE id = ?", id))
		if err != nil {
			return notFoundOr(err, "End notice recipient", id)
		}
		if r.EndSentAt.IsZero() {
			return fenghuo.Errorf(fenghuo.ECONFLICT, "The end notice has not been sent yet. / 结束通知尚未发出。")
		}
		return fenghuo.Errorf(fenghuo.ECONFLICT, "The end notice was already acknowledged. / 结束通知已确认。")
	}
	return nil
}

// CommandMember returns one member of a command structure, or ENOTFOUND.
func (tx *Tx) CommandMember(ctx context.Context, id int64) (*fenghuo.CommandMember, error) {
	var m fenghuo.CommandMember
	var created int64
	err := tx.c.queryRow(ctx, `SELECT id, activation_id, role, name, org_id, user_id, phone, created_at
		FROM command_members WHERE id = ?`, id).Scan(&m.ID, &m.ActivationID, &m.Role, &m.Name, &m.OrgID, &m.UserID, &m.Phone, &created)
	if err != nil {
		return nil, notFoundOr(err, "Command member", id)
	}
	m.CreatedAt = fromMS(created)
	if err := tx.openPersonal("command_members", m.ID, personal{"phone", &m.Phone}); err != nil {
		return nil, err
	}
	return &m, nil
}
