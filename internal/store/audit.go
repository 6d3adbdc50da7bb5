package store

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"iter"
	"strings"
	"time"

	"fenghuo/internal/audit"
	"fenghuo/internal/fenghuo"
)

// The audit log is append-only: entries are inserted, never updated or
// deleted here. audit_head holds the last entry's seq and hash; appenders
// lock that one row, so two writers can never extend the same head. On
// PostgreSQL the appender is the sealer, which chains entries committed
// unsealed in batches (auditseal.go).
// Entry times are stored as unix microseconds (not milliseconds like every
// other time) because audit.Seal hashes microseconds.

const auditColumns = `seq, at_us, actor_id, actor_name, org_id, action, object_type, object_id, outcome, ip, detail,
	prev_hash, hash`

func scanAudit(s scanner) (audit.Entry, error) {
	var e audit.Entry
	var at int64
	var prev, hash string
	err := s.Scan(&e.Seq, &at, &e.ActorID, &e.ActorName, &e.OrgID, &e.Action, &e.ObjectType, &e.ObjectID,
		&e.Outcome, &e.IP, &e.Detail, &prev, &hash)
	if err != nil {
		return e, err
	}
	e.Time = time.UnixMicro(at).UTC()
	// A hash that is not hex was tampered with; hand Verify the bytes that
	// do decode so that it reports the entry as altered rather than failing.
	e.PrevHash, _ = hex.DecodeString(prev)
	e.Hash, _ = hex.DecodeString(hash)
	return e, nil
}

// LockAudit locks the head of the audit chain until tx ends and returns it:
// the last entry's Seq and Hash, or Seq 0 and audit.Genesis() for an empty
// log. The UPDATE that takes the lock is the same SQL on both engines: on
// PostgreSQL it holds the row lock (like SELECT … FOR UPDATE, which SQLite
// does not parse), and SQLite's write transaction is exclusive anyway.
func (tx *Tx) LockAudit(ctx context.Context) (audit.Anchor, error) {
	if _, err := tx.c.exec(ctx, "UPDATE audit_head SET seq = seq WHERE id = 1"); err != nil {
		return audit.Anchor{}, fmt.Errorf("store: lock audit head: %w", err)
	}
	return tx.auditHead(ctx)
}

func (tx *Tx) auditHead(ctx context.Context) (audit.Anchor, error) {
	var a audit.Anchor
	var hash string
	if err := tx.c.queryRow(ctx, "SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&a.Seq, &hash); err != nil {
		return a, fmt.Errorf("store: audit head: %w", err)
	}
	if a.Seq == 0 {
		a.Hash = audit.Genesis()
		return a, nil
	}
	var err error
	if a.Hash, err = hex.DecodeString(hash); err != nil {
		return a, fmt.Errorf("store: audit head hash: %w", err)
	}
	return a, nil
}

// AuditHead returns the head of the chain as LockAudit does, without the lock.
func (db *DB) AuditHead(ctx context.Context) (audit.Anchor, error) {
	if err := db.flushAudit(ctx); err != nil {
		return audit.Anchor{}, err
	}
	return view(ctx, db, func(tx *Tx) (audit.Anchor, error) { return tx.auditHead(ctx) })
}

// AppendAudit adds e to the log in its own transaction; see Tx.AppendAudit.
func (db *DB) AppendAudit(ctx context.Context, chain *audit.Chain, e *audit.Entry) error {
	return db.WithTx(ctx, func(tx *Tx) error { return tx.AppendAudit(ctx, chain, e) })
}

// AppendAudit locks the head, numbers e as the next entry, seals it with
// chain against the head's hash, and stores it. Called in the transaction of
// the change it records, the entry exists exactly when the change does.
// e.Time defaults to the transaction's time.
//
// On PostgreSQL the entry is stored unsealed instead, for the sealer
// (auditseal.go): e keeps Seq 0 and no hash.
func (tx *Tx) AppendAudit(ctx context.Context, chain *audit.Chain, e *audit.Entry) error {
	if e.Time.IsZero() {
		e.Time = tx.now
	}
	if tx.db.deferredAudit() {
		tx.db.UseAuditChain(chain)
		return tx.appendPending(ctx, chain, e)
	}
	head, err := tx.LockAudit(ctx)
	if err != nil {
		return err
	}
	e.Seq = head.Seq + 1
	if err := chain.Seal(head.Hash, e); err != nil {
		return err
	}
	return tx.InsertAudit(ctx, e)
}

// InsertAudit stores an entry already numbered and sealed against the
// current head, and moves the head to it. It fails with ECONFLICT when e
// does not follow the head (its Seq or PrevHash is not the head's): the
// caller did not hold LockAudit while sealing.
func (tx *Tx) InsertAudit(ctx context.Context, e *audit.Entry) error {
	if e.Seq < 1 || len(e.Hash) != audit.HashSize {
		return fenghuo.Errorf(fenghuo.EINVALID, "Audit entry is not sealed.")
	}
	prevStored := hex.EncodeToString(e.PrevHash)
	if e.Seq == 1 {
		if !bytes.Equal(e.PrevHash, audit.Genesis()) {
			return fenghuo.Errorf(fenghuo.ECONFLICT, "The first audit entry must follow the genesis hash.")
		}
		prevStored = ""
	}
	res, err := tx.c.exec(ctx, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1 AND seq = ? AND hash = ?",
		e.Seq, hex.EncodeToString(e.Hash), e.Seq-1, prevStored)
	if err != nil {
		return fmt.Errorf("store: move audit head: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fenghuo.Errorf(fenghuo.ECONFLICT, "Audit entry %d does not follow the head of the log: seal it while holding LockAudit.", e.Seq)
	}
	_, err = tx.c.exec(ctx, "INSERT INTO audit_entries ("+auditColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		e.Seq, e.Time.UnixMicro(), e.ActorID, e.ActorName, e.OrgID, e.Action, e.ObjectType, e.ObjectID, e.Outcome,
		e.IP, e.Detail, hex.EncodeToString(e.PrevHash), hex.EncodeToString(e.Hash))
	if err != nil {
		return fmt.Errorf("store: append audit entry %d: %w", e.Seq, err)
	}
	return nil
}

// AuditFilter narrows ListAudit. Zero fields do not filter.
type AuditFilter struct {
	ActorID int64
	// ActionPrefix matches "auth." or "org.create"; a whole dotted part.
	ActionPrefix string
	ObjectType   string
	ObjectID     string
	Outcome      string
	// OrgID keeps the entries of exactly that org.
	OrgID int64
	// OrgRootID keeps the entries of that org's subtree; with IncludeNoOrg
	// also those of no org (failed log-ins for unknown names).
	OrgRootID    int64
	IncludeNoOrg bool
	// Kind keeps reads (audit.KindRead: ".read" actions and exports) or
	// changes (audit.KindChange: everything else); empty keeps both.
	Kind string
	// From is inclusive, To exclusive.
	From, To time.Time
}

// AuditEntries lists entries matching f, newest first.
func (db *DB) AuditEntries(ctx context.Context, f AuditFilter, p Page) (ListResult[audit.Entry], error) {
	if err := db.flushAudit(ctx); err != nil {
		return ListResult[audit.Entry]{}, err
	}
	return view(ctx, db, func(tx *Tx) (ListResult[audit.Entry], error) { return tx.AuditEntries(ctx, f, p) })
}

// AuditEntries is DB.AuditEntries inside tx.
func (tx *Tx) AuditEntries(ctx context.Context, f AuditFilter, p Page) (ListResult[audit.Entry], error) {
	var res ListResult[audit.Entry]
	where := []string{"1 = 1"}
	var args []any
	add := func(cond string, v any) { where, args = append(where, cond), append(args, v) }
	if f.ActorID != 0 {
		add("actor_id = ?", f.ActorID)
	}
	if f.OrgID != 0 {
		add("org_id = ?", f.OrgID)
	}
	if f.OrgRootID != 0 {
		root, err := tx.Org(ctx, f.OrgRootID)
		if err != nil {
			return res, err
		}
		cond := "org_id IN (SELECT id FROM orgs WHERE path LIKE ?)"
		if f.IncludeNoOrg {
			cond = "(" + cond + " OR org_id = 0)"
		}
		add(cond, root.Path+"%")
	}
	if f.ActionPrefix != "" {
		// "auth" and "auth." both mean the auth.* family; "auth.login" also
		// matches itself exactly.
		prefix := strings.TrimSuffix(f.ActionPrefix, ".")
		where = append(where, `(action = ? OR action LIKE ? ESCAPE '\')`)
		args = append(args, prefix, likeEscape(prefix)+".%")
	}
	switch f.Kind {
	case audit.KindRead:
		where = append(where, `(action LIKE ? ESCAPE '\' OR action LIKE ? ESCAPE '\')`)
		args = append(args, "%."+audit.KindRead, likeEscape(audit.ExportPrefix)+"%")
	case audit.KindChange:
		where = append(where, `NOT (action LIKE ? ESCAPE '\' OR action LIKE ? ESCAPE '\')`)
		args = append(args, "%."+audit.KindRead, likeEscape(audit.ExportPrefix)+"%")
	}
	if f.ObjectType != "" {
		add("object_type = ?", f.ObjectType)
	}
	if f.ObjectID != "" {
		add("object_id = ?", f.ObjectID)
	}
	if f.Outcome != "" {
		add("outcome = ?", f.Outcome)
	}
	if !f.From.IsZero() {
		add("at_us >= ?", f.From.UnixMicro())
	}
	if !f.To.IsZero() {
		add("at_us < ?", f.To.UnixMicro())
	}
	cond := " FROM audit_entries WHERE " + strings.Join(where, " AND ")
	var err error
	if res.Total, res.Capped, err = tx.countCapped(ctx, "SELECT 1"+cond+" ORDER BY seq DESC", args); err != nil {
		return res, fmt.Errorf("store: count audit entries: %w", err)
	}
	p = p.norm()
	rows, err := tx.c.query(ctx, "SELECT "+auditColumns+cond+" ORDER BY seq DESC LIMIT ? OFFSET ?", append(args, p.Limit, p.Offset)...)
	if err != nil {
		return res, fmt.Errorf("store: list audit entries: %w", err)
	}
	defer rows.Close()
	res.Items = []audit.Entry{}
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return res, err
		}
		res.Items = append(res.Items, e)
	}
	return res, rows.Err()
}

// auditBatch is how many entries AuditEntries reads per query.
const auditBatch = 1000

// AuditIter yields every entry in seq order, for audit.Chain.Verify.
func (db *DB) AuditIter(ctx context.Context) iter.Seq2[audit.Entry, error] {
	return db.AuditIterAfter(ctx, 0)
}

// AuditIterAfter yields the entries after seq afterSeq in seq order (to
// resume from a checkpoint). It reads in batches, each its own short query, so
// a long log holds no transaction open; entries appended meanwhile are
// yielded too. A read error is yielded once and ends the sequence.
func (db *DB) AuditIterAfter(ctx context.Context, afterSeq int64) iter.Seq2[audit.Entry, error] {
	return func(yield func(audit.Entry, error) bool) {
		if err := db.flushAudit(ctx); err != nil {
			yield(audit.Entry{}, fmt.Errorf("store: seal pending audit entries: %w", err))
			return
		}
		last := afterSeq
		for {
			batch, err := view(ctx, db, func(tx *Tx) ([]audit.Entry, error) {
				rows, err := tx.c.query(ctx, "SELECT "+auditColumns+" FROM audit_entries WHERE seq > ? ORDER BY seq LIMIT ?", last, auditBatch)
				if err != nil {
					return nil, err
				}
				defer rows.Close()
				var list []audit.Entry
				for rows.Next() {
					e, err := scanAudit(rows)
					if err != nil {
						return nil, err
					}
					list = append(list, e)
				}
				return list, rows.Err()
			})
			if err != nil {
				yield(audit.Entry{}, fmt.Errorf("store: read audit entries after %d: %w", last, err))
				return
			}
			for _, e := range batch {
				if !yield(e, nil) {
					return
				}
				last = e.Seq
			}
			if len(batch) < auditBatch {
				return
			}
		}
	}
}
