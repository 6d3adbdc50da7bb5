package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// StoredEvent is a normalised event as stored (0031_intake.sql): the
// ingest.Event's fields as JSON, with the fields searched most often copied
// into indexed columns.
type StoredEvent struct {
	ID            int64
	OrgID         int64
	SourceID      int64
	At            time.Time
	Received      time.Time
	Kind          string
	SourceIP      string
	DestinationIP string
	UserName      string
	HostName      string
	Category      string // the first value of event.category
	RuleID        string
	Fields        string // JSON object of ECS-style dotted names
	Raw           string
	RawTruncated  bool
}

// IndexedEventFields are the event fields with a column (and an index) of
// their own, by field name.
var IndexedEventFields = map[string]string{
	"source.ip": "source_ip", "destination.ip": "destination_ip", "user.name": "user_name",
	"host.name": "host_name", "event.category": "category", "rule.id": "rule_id",
}

// eventRows is how many events one INSERT writes (15 columns).
const eventRows = 250

// InsertEvents stores events in tx and sets their IDs. Received is kept as
// given (the time the receiver read the record).
func (tx *Tx) InsertEvents(ctx context.Context, evs []*StoredEvent) error {
	for start := 0; start < len(evs); start += eventRows {
		chunk := evs[start:min(start+eventRows, len(evs))]
		args := make([]any, 0, 15*len(chunk))
		for _, e := range chunk {
			if e.Fields == "" {
				e.Fields = "{}"
			}
			args = append(args, e.OrgID, e.SourceID, ms(e.At), ms(e.Received), e.Kind, e.SourceIP, e.DestinationIP, e.UserName,
				e.HostName, e.Category, e.RuleID, e.Fields, cleanText(e.Raw), b2i(e.RawTruncated))
		}
		rows, err := tx.c.queryReused(ctx, `INSERT INTO intake_events (org_id, source_id, at, received_at, kind, source_ip, destination_ip,
			user_name, host_name, category, rule_id, fields, raw, raw_truncated) VALUES `+values(len(chunk), 14)+` RETURNING id`, args...)
		if err != nil {
			return fmt.Errorf("store: insert events: %w", err)
		}
		// Both engines number the rows of one multi-row VALUES in order
		// (SQLite allocates each rowid as it inserts the row; PostgreSQL
		// evaluates the identity default row by row), but RETURNING need
		// not list them in that order: sorted, the IDs follow the rows.
		ids := make([]int64, 0, len(chunk))
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store: insert events: %w", err)
		}
		if len(ids) != len(chunk) {
			return fmt.Errorf("store: insert events: %d rows stored, %d returned", len(chunk), len(ids))
		}
		slices.Sort(ids)
		for i, e := range chunk {
			e.ID = ids[i]
		}
	}
	return nil
}

// cleanText makes s storable as TEXT on both engines: valid UTF-8 without
// NUL (PostgreSQL refuses both); a raw record is kept for reading, not
// byte for byte.
func cleanText(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return strings.ReplaceAll(s, "\x00", "\uFFFD")
}

const eventColumns = `e.id, e.org_id, e.source_id, e.at, e.received_at, e.kind, e.source_ip, e.destination_ip, e.user_name,
	e.host_name, e.category, e.rule_id, e.fields, e.raw, e.raw_truncated`

func scanEvent(sc scanner) (*StoredEvent, error) {
	var e StoredEvent
	var at, rec int64
	var trunc int
	if err := sc.Scan(&e.ID, &e.OrgID, &e.SourceID, &at, &rec, &e.Kind, &e.SourceIP, &e.DestinationIP, &e.UserName,
		&e.HostName, &e.Category, &e.RuleID, &e.Fields, &e.Raw, &trunc); err != nil {
		return nil, err
	}
	e.At, e.Received, e.RawTruncated = fromMS(at), fromMS(rec), trunc != 0
	return &e, nil
}

// Event returns one event.
func (tx *Tx) Event(ctx context.Context, id int64) (*StoredEvent, error) {
	e, err := scanEvent(tx.c.queryRow(ctx, "SELECT "+eventColumns+" FROM intake_events e WHERE e.id = ?", id))
	if err != nil {
		return nil, notFoundOr(err, "Event", id)
	}
	return e, nil
}

// EventFilter selects events of the units under OrgPath in [From, To).
type EventFilter struct {
	OrgPath  string
	From, To time.Time
	// Match are field = value conditions, all of which must hold: an
	// indexed field (IndexedEventFields) compares its column, any other
	// field its value in the JSON (an element of a list matches).
	Match map[string]string
	// After continues a list after the event (AfterAt, AfterID), newest
	// first (keyset pagination).
	AfterAt time.Time
	AfterID int64
	Limit   int
}

// SearchEvents lists matching events, newest first; the caller pages with
// After from the last item.
func (db *DB) SearchEvents(ctx context.Context, f EventFilter) ([]StoredEvent, error) {
	return view(ctx, db, func(tx *Tx) ([]StoredEvent, error) {
		where := []string{`e.org_id IN (SELECT o.id FROM orgs o WHERE o.path LIKE ? ESCAPE '\')`}
		args := []any{likeEscape(f.OrgPath) + "%"}
		if !f.From.IsZero() {
			where, args = append(where, "e.at >= ?"), append(args, ms(f.From))
		}
		if !f.To.IsZero() {
			where, args = append(where, "e.at < ?"), append(args, ms(f.To))
		}
		keys := make([]string, 0, len(f.Match))
		for k := range f.Match {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			v := f.Match[k]
			if col, ok := IndexedEventFields[k]; ok {
				where, args = append(where, "e."+col+" = ?"), append(args, v)
				continue
			}
			cond, a := tx.db.d.jsonFieldEquals("e.fields", k, v)
			where, args = append(where, cond), append(args, a...)
		}
		if f.AfterID != 0 {
			where = append(where, "(e.at < ? OR (e.at = ? AND e.id < ?))")
			args = append(args, ms(f.AfterAt), ms(f.AfterAt), f.AfterID)
		}
		limit := f.Limit
		if limit <= 0 {
			limit = DefaultLimit
		}
		limit = min(limit, MaxLimit)
		rows, err := tx.c.query(ctx, "SELECT "+eventColumns+" FROM intake_events e WHERE "+strings.Join(where, " AND ")+
			" ORDER BY e.at DESC, e.id DESC LIMIT ?", append(args, limit)...)
		if err != nil {
			return nil, fmt.Errorf("store: search events: %w", err)
		}
		defer rows.Close()
		out := []StoredEvent{}
		for rows.Next() {
			e, err := scanEvent(rows)
			if err != nil {
				return nil, err
			}
			out = append(out, *e)
		}
		return out, rows.Err()
	})
}

// jsonFieldEquals is the condition "the JSON object in column col has
// field key equal to value, or a list holding value" (numbers and
// booleans compare as their JSON text).
func (d dialect) jsonFieldEquals(col, key, value string) (string, []any) {
	if d.engine == Postgres {
		f := col + "::jsonb -> CAST(? AS TEXT)"
		return `EXISTS (SELECT 1 FROM jsonb_array_elements_text(CASE jsonb_typeof(` + f + `) WHEN 'array' THEN ` + f +
			` ELSE jsonb_build_array(` + f + `) END) j WHERE j = CAST(? AS TEXT))`, []any{key, key, key, value}
	}
	path, _ := json.Marshal(key) // "$.\"user.name\"": dots are part of the flat key
	return `EXISTS (SELECT 1 FROM json_each(` + col + `, ?) j WHERE CAST(j.value AS TEXT) = ?)`, []any{"$." + string(path), value}
}

// EventsByIDs returns the given events (those still kept), newest first.
func (tx *Tx) EventsByIDs(ctx context.Context, ids []int64) ([]StoredEvent, error) {
	out := []StoredEvent{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := tx.c.query(ctx, "SELECT "+eventColumns+" FROM intake_events e WHERE e.id IN ("+placeholders(len(ids))+") ORDER BY e.at DESC, e.id DESC", args...)
	if err != nil {
		return nil, fmt.Errorf("store: events: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *e)
	}
	return out, rows.Err()
}

// PruneEvents deletes up to limit events received before cutoff, oldest
// first, and returns how many it deleted (the caller repeats while a batch
// comes back full, so that no transaction holds the writer for long).
func (db *DB) PruneEvents(ctx context.Context, cutoff time.Time, limit int) (int, error) {
	return update(ctx, db, func(tx *Tx) (int, error) {
		res, err := tx.c.exec(ctx, `DELETE FROM intake_events WHERE id IN (SELECT id FROM intake_events WHERE received_at < ?
			ORDER BY received_at, id LIMIT ?)`, ms(cutoff), limit)
		if err != nil {
			return 0, fmt.Errorf("store: prune events: %w", err)
		}
		n, err := res.RowsAffected()
		return int(n), err
	})
}
