package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/emmansun/gmsm/sm3"
)

// TimelineEntry is one event of an incident's record (§4.1(4)): a state
// change, a report, a fact change, a note, evidence. Entries are chained by
// SM3 so that an edited or removed entry shows.
type TimelineEntry struct {
	IncidentID int64
	Seq        int
	At         time.Time
	ActorID    int64
	ActorName  string
	Kind       string
	Body       string
	Data       string
	PrevHash   string
	Hash       string
}

// timelineHash is SM3 over the entry's fields, length-prefixed so that no
// two different entries encode alike, and the previous entry's hash.
func timelineHash(e *TimelineEntry) string {
	h := sm3.New()
	var n [8]byte
	put := func(s string) {
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	binary.BigEndian.PutUint64(n[:], uint64(e.IncidentID))
	h.Write(n[:])
	binary.BigEndian.PutUint64(n[:], uint64(e.Seq))
	h.Write(n[:])
	binary.BigEndian.PutUint64(n[:], uint64(e.At.UnixMilli()))
	h.Write(n[:])
	binary.BigEndian.PutUint64(n[:], uint64(e.ActorID))
	h.Write(n[:])
	for _, s := range []string{e.ActorName, e.Kind, e.Body, e.Data, e.PrevHash} {
		put(s)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// AppendTimeline adds an entry at the end of the incident's timeline. The
// incident's row is updated first, so concurrent appends to one incident
// serialise on it (PostgreSQL) or on the single writer (SQLite).
func (tx *Tx) AppendTimeline(ctx context.Context, e *TimelineEntry) error {
	if _, err := tx.c.exec(ctx, "UPDATE incidents SET updated_at = updated_at WHERE id = ?", e.IncidentID); err != nil {
		return err
	}
	prev := ""
	err := tx.c.queryRow(ctx, `SELECT seq, hash FROM timeline WHERE incident_id = ? ORDER BY seq DESC LIMIT 1`, e.IncidentID).Scan(&e.Seq, &prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	e.Seq++
	e.PrevHash = prev
	e.At = tx.now
	if e.Data == "" {
		e.Data = "{}"
	}
	e.Hash = timelineHash(e)
	_, err = tx.c.exec(ctx, `INSERT INTO timeline (incident_id, seq, at, actor_id, actor_name, kind, body, data, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.IncidentID, e.Seq, ms(e.At), e.ActorID, e.ActorName, e.Kind, e.Body, e.Data, e.PrevHash, e.Hash)
	if err != nil {
		return fmt.Errorf("store: timeline: %w", err)
	}
	return nil
}

// Timeline returns an incident's entries in order and whether the chain is
// intact; broken names the first entry that does not verify (0 if none).
func (db *DB) Timeline(ctx context.Context, incidentID int64) (entries []TimelineEntry, broken int, err error) {
	err = db.View(ctx, func(tx *Tx) error {
		rows, err := tx.c.query(ctx, `SELECT incident_id, seq, at, actor_id, actor_name, kind, body, data, prev_hash, hash
			FROM timeline WHERE incident_id = ? ORDER BY seq`, incidentID)
		if err != nil {
			return err
		}
		defer rows.Close()
		prev := ""
		for rows.Next() {
			var e TimelineEntry
			var at int64
			if err := rows.Scan(&e.IncidentID, &e.Seq, &at, &e.ActorID, &e.ActorName, &e.Kind, &e.Body, &e.Data, &e.PrevHash, &e.Hash); err != nil {
				return err
			}
			e.At = fromMS(at)
			if broken == 0 && (e.Seq != len(entries)+1 || e.PrevHash != prev || timelineHash(&e) != e.Hash) {
				broken = e.Seq
			}
			prev = e.Hash
			entries = append(entries, e)
		}
		return rows.Err()
	})
	return entries, broken, err
}
