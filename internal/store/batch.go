package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Multi-row writes for the scheduler, which handles hundreds of obligations
// in one transaction: one statement per few hundred rows instead of one per
// row (on PostgreSQL each statement is a round trip). Placeholders only.

// batchRows is how many rows one multi-row statement writes (at most 10
// columns: 5,000 parameters, under both engines' limits).
const batchRows = 500

// values returns "(?, ?, …), (?, ?, …)": rows rows of cols placeholders.
func values(rows, cols int) string {
	return valuesOf(rows, "("+strings.TrimSuffix(strings.Repeat("?, ", cols), ", ")+")")
}

// valuesOf repeats one row's text rows times.
func valuesOf(rows int, one string) string {
	return strings.TrimSuffix(strings.Repeat(one+", ", rows), ", ")
}

// CreateNotifications stores in-app notifications and sets their IDs.
func (tx *Tx) CreateNotifications(ctx context.Context, ns []*Notification) error {
	for start := 0; start < len(ns); start += batchRows {
		chunk := ns[start:min(start+batchRows, len(ns))]
		args := make([]any, 0, 7*len(chunk))
		// RETURNING gives no order on SQLite: rows are matched back by
		// their content (identical notifications are interchangeable).
		waiting := map[string][]*Notification{}
		for _, n := range chunk {
			n.CreatedAt = tx.now
			args = append(args, n.OrgID, n.UserID, n.Kind, n.Title, n.Body, n.Link, ms(tx.now))
			k := notificationKey(n.OrgID, n.UserID, n.Kind, n.Title, n.Body, n.Link)
			waiting[k] = append(waiting[k], n)
		}
		rows, err := tx.c.query(ctx, `INSERT INTO notifications (org_id, user_id, kind, title, body, link, created_at) VALUES `+
			values(len(chunk), 7)+` RETURNING id, org_id, user_id, kind, title, body, link`, args...)
		if err != nil {
			return fmt.Errorf("store: notifications: %w", err)
		}
		for rows.Next() {
			var id, org, user int64
			var kind, title, body, link string
			if err := rows.Scan(&id, &org, &user, &kind, &title, &body, &link); err != nil {
				rows.Close()
				return err
			}
			k := notificationKey(org, user, kind, title, body, link)
			if w := waiting[k]; len(w) > 0 {
				w[0].ID, waiting[k] = id, w[1:]
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, n := range chunk {
			if n.ID == 0 {
				return fmt.Errorf("store: notifications: a stored row was not returned")
			}
		}
	}
	return nil
}

func notificationKey(org, user int64, parts ...string) string {
	return fmt.Sprint(org, "\x00", user, "\x00", strings.Join(parts, "\x00"))
}

// EnqueueJobs adds jobs (their IDs are not read back).
func (tx *Tx) EnqueueJobs(ctx context.Context, js []*Job) error {
	for start := 0; start < len(js); start += batchRows {
		chunk := js[start:min(start+batchRows, len(js))]
		args := make([]any, 0, 6*len(chunk))
		for _, j := range chunk {
			if j.RunAt.IsZero() {
				j.RunAt = tx.now
			}
			if j.MaxAttempts == 0 {
				j.MaxAttempts = 8
			}
			j.State = "pending"
			args = append(args, j.Kind, j.Payload, ms(j.RunAt), j.MaxAttempts, ms(tx.now), ms(tx.now))
		}
		q := `INSERT INTO jobs (kind, payload, run_at, max_attempts, state, created_at, updated_at) VALUES ` +
			valuesOf(len(chunk), "(?, ?, ?, ?, 'pending', ?, ?)")
		if _, err := tx.c.exec(ctx, q, args...); err != nil {
			return fmt.Errorf("store: jobs: %w", err)
		}
	}
	return nil
}

// LockIncidents locks the rows of the incidents ids until tx ends, in
// ascending id order (0 and repeats are skipped). Every transaction locks
// incident rows before the audit chain's head (LockAudit), which it takes
// when it records its entry; a transaction that may record part-way through
// work on several incidents locks them all first with this, so that no two
// transactions wait for each other's locks.
func (tx *Tx) LockIncidents(ctx context.Context, ids []int64) error {
	set := make([]int64, 0, len(ids))
	for _, id := range ids {
		if id != 0 {
			set = append(set, id)
		}
	}
	slices.Sort(set)
	set = slices.Compact(set)
	for start := 0; start < len(set); start += batchRows {
		chunk := set[start:min(start+batchRows, len(set))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ")
		if _, err := tx.c.exec(ctx, "UPDATE incidents SET updated_at = updated_at WHERE id IN ("+marks+")", args...); err != nil {
			return fmt.Errorf("store: lock incidents: %w", err)
		}
	}
	return nil
}

// AppendTimelines adds entries at the ends of their incidents' timelines,
// in the order given, chained as AppendTimeline chains them. The incidents'
// rows are touched first, so concurrent appends to one incident serialise.
func (tx *Tx) AppendTimelines(ctx context.Context, es []*TimelineEntry) error {
	if len(es) == 0 {
		return nil
	}
	var ids []int64
	last := map[int64]*TimelineEntry{}
	for _, e := range es {
		if _, ok := last[e.IncidentID]; !ok {
			last[e.IncidentID] = &TimelineEntry{}
			ids = append(ids, e.IncidentID)
		}
	}
	if err := tx.LockIncidents(ctx, ids); err != nil {
		return err
	}
	slices.Sort(ids)
	for start := 0; start < len(ids); start += batchRows {
		chunk := ids[start:min(start+batchRows, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ")
		rows, err := tx.c.query(ctx, `SELECT t.incident_id, t.seq, t.hash FROM timeline t WHERE t.incident_id IN (`+marks+`)
			AND t.seq = (SELECT MAX(seq) FROM timeline u WHERE u.incident_id = t.incident_id)`, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var seq int
			var hash string
			if err := rows.Scan(&id, &seq, &hash); err != nil {
				rows.Close()
				return err
			}
			last[id].Seq, last[id].Hash = seq, hash
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	for _, e := range es {
		prev := last[e.IncidentID]
		e.Seq, e.PrevHash, e.At = prev.Seq+1, prev.Hash, tx.now
		if e.Data == "" {
			e.Data = "{}"
		}
		e.Hash = timelineHash(e)
		last[e.IncidentID] = e
	}
	for start := 0; start < len(es); start += batchRows {
		chunk := es[start:min(start+batchRows, len(es))]
		args := make([]any, 0, 10*len(chunk))
		for _, e := range chunk {
			args = append(args, e.IncidentID, e.Seq, ms(e.At), e.ActorID, e.ActorName, e.Kind, e.Body, e.Data, e.PrevHash, e.Hash)
		}
		if _, err := tx.c.exec(ctx, `INSERT INTO timeline (incident_id, seq, at, actor_id, actor_name, kind, body, data, prev_hash, hash) VALUES `+
			values(len(chunk), 10), args...); err != nil {
			return fmt.Errorf("store: timeline: %w", err)
		}
	}
	return nil
}
