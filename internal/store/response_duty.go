package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Response duties and approvals (0014_response_duty.sql): the offices that
// keep the 24-hour duty an activated level switches on, and the approval an
// activation records when the plan names an approving body.

// ResponseDuty is one office's duty for one activation: from StartsAt until
// EndsAt (zero while the level holds).
type ResponseDuty struct {
	ID           int64
	ActivationID int64
	IncidentID   int64
	OrgID        int64
	HoursPerDay  int
	Clause       string
	StartsAt     time.Time
	EndsAt       time.Time
}

// AddResponseDuty records that an office keeps duty for an activation;
// StartsAt defaults to the transaction's time.
func (tx *Tx) AddResponseDuty(ctx context.Context, d *ResponseDuty) error {
	if d.OrgID == 0 || d.ActivationID == 0 {
		return fmt.Errorf("store: a response duty needs its activation and office")
	}
	if d.StartsAt.IsZero() {
		d.StartsAt = tx.now
	}
	if d.HoursPerDay <= 0 {
		d.HoursPerDay = 24
	}
	return tx.c.queryRow(ctx, `INSERT INTO response_duties (activation_id, incident_id, org_id, hours_per_day, clause,
		starts_at, ends_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, d.ActivationID, d.IncidentID, d.OrgID, d.HoursPerDay,
		d.Clause, ms(d.StartsAt), ms(d.EndsAt)).Scan(&d.ID)
}

// EndResponseDuties ends the duties of an activation still running (now).
func (tx *Tx) EndResponseDuties(ctx context.Context, activationID int64) error {
	_, err := tx.c.exec(ctx, "UPDATE response_duties SET ends_at = ? WHERE activation_id = ? AND ends_at = 0", ms(tx.now), activationID)
	return err
}

const responseDutyColumns = "id, activation_id, incident_id, org_id, hours_per_day, clause, starts_at, ends_at"

func (tx *Tx) queryResponseDuties(ctx context.Context, q string, args ...any) ([]ResponseDuty, error) {
	rows, err := tx.c.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: response duties: %w", err)
	}
	defer rows.Close()
	out := []ResponseDuty{}
	for rows.Next() {
		var d ResponseDuty
		var start, end int64
		if err := rows.Scan(&d.ID, &d.ActivationID, &d.IncidentID, &d.OrgID, &d.HoursPerDay, &d.Clause, &start, &end); err != nil {
			return nil, err
		}
		d.StartsAt, d.EndsAt = fromMS(start), fromMS(end)
		out = append(out, d)
	}
	return out, rows.Err()
}

// ResponseDuties lists the duty offices of an activation.
func (db *DB) ResponseDuties(ctx context.Context, activationID int64) ([]ResponseDuty, error) {
	return view(ctx, db, func(tx *Tx) ([]ResponseDuty, error) {
		return tx.queryResponseDuties(ctx, "SELECT "+responseDutyColumns+" FROM response_duties WHERE activation_id = ? ORDER BY id", activationID)
	})
}

// RunningResponseDuties lists the response duties an office keeps now (the
// level has not ended), oldest first.
func (db *DB) RunningResponseDuties(ctx context.Context, orgID int64) ([]ResponseDuty, error) {
	return view(ctx, db, func(tx *Tx) ([]ResponseDuty, error) {
		return tx.queryResponseDuties(ctx, "SELECT "+responseDutyColumns+` FROM response_duties WHERE org_id = ? AND ends_at = 0
			ORDER BY id LIMIT ?`, orgID, MaxLimit)
	})
}

// ResponseApproval is the approval recorded with an activation: the body
// that approved it and the reference (document number, meeting, time).
type ResponseApproval struct {
	ID           int64
	ActivationID int64
	Body         string
	Reference    string
	ApprovedAt   time.Time
	RecordedBy   int64
	CreatedAt    time.Time
}

// AddResponseApproval records an activation's approval.
func (tx *Tx) AddResponseApproval(ctx context.Context, a *ResponseApproval) error {
	a.Body, a.Reference = strings.TrimSpace(a.Body), strings.TrimSpace(a.Reference)
	if a.Body == "" || a.Reference == "" {
		return fmt.Errorf("store: an approval needs its body and reference")
	}
	if a.ApprovedAt.IsZero() {
		a.ApprovedAt = tx.now
	}
	a.CreatedAt = tx.now
	return tx.c.queryRow(ctx, `INSERT INTO response_approvals (activation_id, body, reference, approved_at, recorded_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, a.ActivationID, a.Body, a.Reference, ms(a.ApprovedAt), a.RecordedBy, ms(tx.now)).Scan(&a.ID)
}

// ResponseApprovals lists the approvals recorded with an activation.
func (db *DB) ResponseApprovals(ctx context.Context, activationID int64) ([]ResponseApproval, error) {
	return view(ctx, db, func(tx *Tx) ([]ResponseApproval, error) {
		rows, err := tx.c.query(ctx, `SELECT id, activation_id, body, reference, approved_at, recorded_by, created_at
			FROM response_approvals WHERE activation_id = ? ORDER BY id`, activationID)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		out := []ResponseApproval{}
		for rows.Next() {
			var a ResponseApproval
			var at, created int64
			if err := rows.Scan(&a.ID, &a.ActivationID, &a.Body, &a.Reference, &at, &a.RecordedBy, &created); err != nil {
				return nil, err
			}
			a.ApprovedAt, a.CreatedAt = fromMS(at), fromMS(created)
			out = append(out, a)
		}
		return out, rows.Err()
	})
}
