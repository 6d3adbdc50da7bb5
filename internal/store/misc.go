package store

import (
	"context"
	"fmt"
	"time"
)

// Evidence is a file attached to an incident. The bytes live outside any
// served path under StorageKey; the SM3 digest proves they are unchanged.
type Evidence struct {
	ID          int64
	IncidentID  int64
	Filename    string
	ContentType string
	Size        int64
	SM3         string
	StorageKey  string
	Note        string
	UploadedBy  int64
	UploadedAt  time.Time
}

// CreateEvidence records an uploaded file.
func (tx *Tx) CreateEvidence(ctx context.Context, e *Evidence) error {
	e.UploadedAt = tx.now
	return tx.c.queryRow(ctx, `INSERT INTO evidence (incident_id, filename, content_type, size, sm3, storage_key, note,
		uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, e.IncidentID, e.Filename, e.ContentType,
		e.Size, e.SM3, e.StorageKey, e.Note, e.UploadedBy, ms(e.UploadedAt)).Scan(&e.ID)
}

const evidenceColumns = "id, incident_id, filename, content_type, size, sm3, storage_key, note, uploaded_by, uploaded_at"

func scanEvidence(sc scanner) (*Evidence, error) {
	var e Evidence
	var at int64
	if err := sc.Scan(&e.ID, &e.IncidentID, &e.Filename, &e.ContentType, &e.Size, &e.SM3, &e.StorageKey, &e.Note, &e.UploadedBy, &at); err != nil {
		return nil, err
	}
	e.UploadedAt = fromMS(at)
	return &e, nil
}

// Evidence returns one evidence record.
func (db *DB) Evidence(ctx context.Context, id int64) (*Evidence, error) {
	return view(ctx, db, func(tx *Tx) (*Evidence, error) {
		e, err := scanEvidence(tx.c.queryRow(ctx, "SELECT "+evidenceColumns+" FROM evidence WHERE id = ?", id))
		if err != nil {
			return nil, notFoundOr(err, "Evidence", id)
		}
		return e, nil
	})
}

// EvidenceOf lists an incident's evidence.
func (db *DB) EvidenceOf(ctx context.Context, incidentID int64) ([]Evidence, error) {
	return view(ctx, db, func(tx *Tx) ([]Evidence, error) {
		rows, err := tx.c.query(ctx, "SELECT "+evidenceColumns+" FROM evidence WHERE incident_id = ? ORDER BY id", incidentID)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		out := []Evidence{}
		for rows.Next() {
			e, err := scanEvidence(rows)
			if err != nil {
				return nil, err
			}
			out = append(out, *e)
		}
		return out, rows.Err()
	})
}

// Notification is an in-app message to an organisation or one user.
type Notification struct {
	ID        int64
	OrgID     int64
	UserID    int64
	Kind      string
	Title     string
	Body      string
	Link      string
	CreatedAt time.Time
	ReadAt    time.Time
}

// CreateNotification stores an in-app notification.
func (tx *Tx) CreateNotification(ctx context.Context, n *Notification) error {
	n.CreatedAt = tx.now
	return tx.c.queryRow(ctx, `INSERT INTO notifications (org_id, user_id, kind, title, body, link, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, n.OrgID, n.UserID, n.Kind, n.Title, n.Body, n.Link, ms(n.CreatedAt)).Scan(&n.ID)
}

// Notifications lists the notifications for a user of an org, newest first.
func (db *DB) Notifications(ctx context.Context, orgID, userID int64, limit int) ([]Notification, error) {
	return view(ctx, db, func(tx *Tx) ([]Notification, error) {
		rows, err := tx.c.query(ctx, `SELECT id, org_id, user_id, kind, title, body, link, created_at, read_at
			FROM notifications WHERE (org_id = ? AND user_id = 0) OR (user_id = ? AND user_id <> 0) ORDER BY created_at DESC, id DESC LIMIT ?`,
			orgID, userID, limit)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		out := []Notification{}
		for rows.Next() {
			var n Notification
			var created, read int64
			if err := rows.Scan(&n.ID, &n.OrgID, &n.UserID, &n.Kind, &n.Title, &n.Body, &n.Link, &created, &read); err != nil {
				return nil, err
			}
			n.CreatedAt, n.ReadAt = fromMS(created), fromMS(read)
			out = append(out, n)
		}
		return out, rows.Err()
	})
}

// Job is a durable background task.
type Job struct {
	ID          int64
	Kind        string
	Payload     string
	RunAt       time.Time
	Attempts    int
	MaxAttempts int
	State       string // pending, done, failed
	LastError   string
}

// EnqueueJob stores a job to run at RunAt (now when zero).
func (tx *Tx) EnqueueJob(ctx context.Context, j *Job) error {
	if j.RunAt.IsZero() {
		j.RunAt = tx.now
	}
	if j.MaxAttempts == 0 {
		j.MaxAttempts = 8
	}
	j.State = "pending"
	return tx.c.queryRow(ctx, `INSERT INTO jobs (kind, payload, run_at, max_attempts, state, created_at, updated_at)
		VALUES (?, ?, ?, ?, 'pending', ?, ?) RETURNING id`, j.Kind, j.Payload, ms(j.RunAt), j.MaxAttempts, ms(tx.now), ms(tx.now)).Scan(&j.ID)
}

// ClaimJobs takes up to limit due jobs for holder (a replica's name) and
// leases them until now+lease, so that a crashed worker's jobs run again
// after the lease (RenewJobs extends it while a replica works through a
// batch). On PostgreSQL the rows are read FOR UPDATE SKIP LOCKED, so
// replicas claiming at once take disjoint jobs without waiting for each
// other, and the UPDATE re-checks the lease.
func (db *DB) ClaimJobs(ctx context.Context, holder string, now time.Time, lease time.Duration, limit int) ([]Job, error) {
	return update(ctx, db, func(tx *Tx) ([]Job, error) {
		rows, err := tx.c.query(ctx, `SELECT id, kind, payload, run_at, attempts, max_attempts, state, last_error FROM jobs
			WHERE state = 'pending' AND run_at <= ? AND locked_until <= ? ORDER BY run_at, id LIMIT ?`+tx.c.d.skipLocked(), ms(now), ms(now), limit)
		if err != nil {
			return nil, err
		}
		var jobs []Job
		for rows.Next() {
			var j Job
			var run int64
			if err := rows.Scan(&j.ID, &j.Kind, &j.Payload, &run, &j.Attempts, &j.MaxAttempts, &j.State, &j.LastError); err != nil {
				rows.Close()
				return nil, err
			}
			j.RunAt = fromMS(run)
			jobs = append(jobs, j)
		}
		rows.Close()
		var claimed []Job
		for _, j := range jobs {
			res, err := tx.c.exec(ctx, "UPDATE jobs SET locked_until = ?, locked_by = ?, attempts = attempts + 1, updated_at = ? WHERE id = ? AND locked_until <= ?",
				ms(now.Add(lease)), holder, ms(now), j.ID, ms(now))
			if err != nil {
				return nil, err
			}
			if n, _ := res.RowsAffected(); n == 1 {
				j.Attempts++
				claimed = append(claimed, j)
			}
		}
		return claimed, nil
	})
}

// FinishJob marks a job done, or schedules a retry at retryAt with the
// error, or fails it for good after its last attempt.
func (db *DB) FinishJob(ctx context.Context, j Job, runErr error, retryAt time.Time) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		if runErr == nil {
			_, err := tx.c.exec(ctx, "UPDATE jobs SET state = 'done', locked_until = 0, last_error = '', updated_at = ? WHERE id = ?", ms(tx.now), j.ID)
			return err
		}
		state := "pending"
		if j.Attempts >= j.MaxAttempts {
			state = "failed"
		}
		msg := runErr.Error()
		if len(msg) > 1000 {
			msg = msg[:1000]
		}
		_, err := tx.c.exec(ctx, "UPDATE jobs SET state = ?, run_at = ?, locked_until = 0, last_error = ?, updated_at = ? WHERE id = ?",
			state, ms(retryAt), msg, ms(tx.now), j.ID)
		if err != nil {
			return fmt.Errorf("store: finish job %d: %w", j.ID, err)
		}
		return nil
	})
}
