package store

import (
	"context"
	"fmt"
	"time"
)

// LiveEvent is one row of the change feed (migration 0026, docs/live.md):
// a change that concerns the org OrgID, written in the change's own
// transaction. OrgPath is filled by the readers from the org's row.
type LiveEvent struct {
	ID        int64
	OrgID     int64
	OrgPath   string
	Kind      string // report.initial, warning.issued, incident.status …
	Subject   string // what the change is about, as stored (a title)
	Link      string // console path of the object
	CreatedAt time.Time
}

// AddLiveEvents stores events in tx, stamped with the transaction's time.
// Events of org 0 (the platform acting for nobody) are dropped: no reader
// could be shown them.
func (tx *Tx) AddLiveEvents(ctx context.Context, evs ...LiveEvent) error {
	args := make([]any, 0, 5*len(evs))
	n := 0
	for _, e := range evs {
		if e.OrgID == 0 {
			continue
		}
		args = append(args, e.OrgID, e.Kind, e.Subject, e.Link, ms(tx.now))
		n++
		if n == batchRows {
			if err := tx.insertLiveEvents(ctx, n, args); err != nil {
				return err
			}
			args, n = args[:0], 0
		}
	}
	if n == 0 {
		return nil
	}
	return tx.insertLiveEvents(ctx, n, args)
}

func (tx *Tx) insertLiveEvents(ctx context.Context, n int, args []any) error {
	if _, err := tx.c.exec(ctx, "INSERT INTO live_events (org_id, kind, subject, link, created_at) VALUES "+values(n, 5), args...); err != nil {
		return fmt.Errorf("store: live events: %w", err)
	}
	return nil
}

// LiveEventsAfter returns up to limit events with an ID above after, in ID
// order, each with its org's path (the primary key range; the join is by
// the orgs' primary key).
func (db *DB) LiveEventsAfter(ctx context.Context, after int64, limit int) ([]LiveEvent, error) {
	return view(ctx, db, func(tx *Tx) ([]LiveEvent, error) {
		rows, err := tx.c.query(ctx, `SELECT e.id, e.org_id, o.path, e.kind, e.subject, e.link, e.created_at
			FROM live_events e JOIN orgs o ON o.id = e.org_id WHERE e.id > ? ORDER BY e.id LIMIT ?`, after, limit)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		out := []LiveEvent{}
		for rows.Next() {
			var e LiveEvent
			var at int64
			if err := rows.Scan(&e.ID, &e.OrgID, &e.OrgPath, &e.Kind, &e.Subject, &e.Link, &at); err != nil {
				return nil, err
			}
			e.CreatedAt = fromMS(at)
			out = append(out, e)
		}
		return out, rows.Err()
	})
}

// LastLiveEventID is the highest event ID, 0 for an empty feed: where a
// hub starts reading.
func (db *DB) LastLiveEventID(ctx context.Context) (int64, error) {
	return view(ctx, db, func(tx *Tx) (int64, error) {
		var id int64
		err := tx.c.queryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM live_events").Scan(&id)
		return id, err
	})
}

// PruneLiveEvents deletes events created before cutoff and returns how
// many. The newest row always stays, so that SQLite (whose rowids restart
// from the highest one left) never hands out an ID a reader has seen.
func (db *DB) PruneLiveEvents(ctx context.Context, cutoff time.Time) (int64, error) {
	var n int64
	err := db.WithTx(ctx, func(tx *Tx) error {
		res, err := tx.c.exec(ctx, `DELETE FROM live_events WHERE created_at < ?
			AND id < (SELECT MAX(id) FROM live_events)`, ms(cutoff))
		if err != nil {
			return fmt.Errorf("store: prune live events: %w", err)
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return n, err
}

// InboxUnread counts the reports delivered to the org that it has not yet
// signed for (签收), up to limit: the inbox's "unreceived" part, which
// the navigation shows as a badge (one range of report_deliveries_to).
func (db *DB) InboxUnread(ctx context.Context, orgID int64, limit int) (int, error) {
	return view(ctx, db, func(tx *Tx) (int, error) {
		n, _, err := tx.countUpTo(ctx, "SELECT 1 FROM report_deliveries WHERE to_org_id = ? AND received_at = 0", []any{orgID}, limit)
		return n, err
	})
}
