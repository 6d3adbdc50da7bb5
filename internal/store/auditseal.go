package store

import (
	"context"
	"encoding/hex"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"fenghuo/internal/audit"
)

// Sealing in batches (issue 16 item 2). On PostgreSQL, Tx.AppendAudit does
// not lock audit_head: it stores the entry unsealed in audit_pending, in the
// transaction of the change it records, so the entry exists exactly when the
// change does and writers do not queue on one row until they commit. Each
// process that holds the chain's key runs a sealer: after a commit that
// left entries pending (and at least every SealTick), it takes audit_head's
// row lock, numbers up to auditSealBatch committed pending entries in id order,
// seals each onto the head, moves them into audit_entries and moves the
// head, all in one transaction. The lock makes one sealer act at a time
// across replicas; one that waited re-reads audit_pending after the lock
// and finds what the other sealed gone. The chain in audit_entries is the
// same chain as before, so audit verify, anchors and archives are
// unchanged. Reads of the log (AuditEntries, AuditIter…, AuditHead) seal
// what is pending first, so a reader sees every committed entry.
//
// What the batch costs: an entry is unsealed (in audit_pending, where a
// database writer could change or drop it unnoticed) from its commit until
// the next sealer round, normally milliseconds, at most SealTick plus one
// round while any process with the key runs. AuditUnsealed reports how many
// wait and since when (metric fenghuo_audit_unsealed_entries).
//
// SQLite keeps sealing in the change's transaction: its writer is single,
// so the head lock serialises nothing more.

const (
	// auditSealBatch is how many pending entries one sealing transaction takes.
	auditSealBatch = 500
	// SealTick is how often a sealer looks for pending entries without a
	// kick: those another process committed and could not seal (it
	// stopped between commit and seal).
	SealTick = time.Second
)

type auditSealer struct {
	chain   atomic.Pointer[audit.Chain]
	start   sync.Once
	stopped sync.Once
	kick    chan struct{}
	stop    chan struct{}
	done    chan struct{}
	running atomic.Bool
}

func newAuditSealer() *auditSealer {
	return &auditSealer{kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
}

// deferredAudit reports whether AppendAudit leaves entries for the sealer.
func (db *DB) deferredAudit() bool { return db.d.engine == Postgres }

// UseAuditChain gives the store the chain's key: on PostgreSQL it starts
// this process's sealer (once; Close stops it). Serve and every process
// that appends entries call it; AppendAudit does too.
//
// On SQLite it only seals, once, entries a restore brought from a
// PostgreSQL backup taken while some were pending.
func (db *DB) UseAuditChain(chain *audit.Chain) {
	if chain == nil {
		return
	}
	db.sealer.chain.CompareAndSwap(nil, chain)
	db.sealer.start.Do(func() {
		if !db.deferredAudit() {
			if _, err := db.SealPendingAudit(context.Background()); err != nil {
				slog.Warn("audit: sealing restored pending entries failed", "err", err)
			}
			return
		}
		db.sealer.running.Store(true)
		go db.sealLoop()
	})
}

func (db *DB) sealLoop() {
	defer close(db.sealer.done)
	tick := time.NewTicker(SealTick)
	defer tick.Stop()
	for {
		select {
		case <-db.sealer.stop:
			return
		case <-db.sealer.kick:
		case <-tick.C:
		}
		if _, err := db.SealPendingAudit(context.Background()); err != nil {
			slog.Warn("audit: sealing pending entries failed; retrying", "err", err)
		}
	}
}

// kickSealer wakes this process's sealer after a commit that left entries
// pending.
func (db *DB) kickSealer() {
	select {
	case db.sealer.kick <- struct{}{}:
	default:
	}
}

// stopSealer ends the sealer and seals what is left (best effort: another
// replica or the next start seals it otherwise).
func (db *DB) stopSealer() {
	if !db.sealer.running.Load() {
		return
	}
	db.sealer.stopped.Do(func() {
		close(db.sealer.stop)
		<-db.sealer.done
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		db.SealPendingAudit(ctx)
	})
}

// SealPendingAudit seals every committed pending entry, in batches, and
// returns how many it sealed. Without a chain (UseAuditChain) it does
// nothing.
func (db *DB) SealPendingAudit(ctx context.Context) (int, error) {
	chain := db.sealer.chain.Load()
	if chain == nil {
		return 0, nil
	}
	total := 0
	for {
		n, err := update(ctx, db, func(tx *Tx) (int, error) { return tx.sealPending(ctx, chain) })
		total += n
		if err != nil || n < auditSealBatch {
			return total, err
		}
	}
}

func (tx *Tx) sealPending(ctx context.Context, chain *audit.Chain) (int, error) {
	// Nothing pending: no lock taken.
	var one int
	if err := tx.c.queryRow(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM audit_pending LIMIT 1) p").Scan(&one); err != nil {
		return 0, fmt.Errorf("store: pending audit entries: %w", err)
	}
	if one == 0 {
		return 0, nil
	}
	head, err := tx.LockAudit(ctx)
	if err != nil {
		return 0, err
	}
	// Read after the lock: what a sealer that held it before sealed is gone.
	rows, err := tx.c.query(ctx, `SELECT id, at_us, actor_id, actor_name, org_id, action, object_type, object_id, outcome, ip, detail
		FROM audit_pending ORDER BY id LIMIT ?`, auditSealBatch)
	if err != nil {
		return 0, fmt.Errorf("store: pending audit entries: %w", err)
	}
	var ids []any
	var entries []audit.Entry
	for rows.Next() {
		var id, at int64
		var e audit.Entry
		if err := rows.Scan(&id, &at, &e.ActorID, &e.ActorName, &e.OrgID, &e.Action, &e.ObjectType, &e.ObjectID,
			&e.Outcome, &e.IP, &e.Detail); err != nil {
			rows.Close()
			return 0, err
		}
		e.Time = time.UnixMicro(at).UTC()
		ids = append(ids, id)
		entries = append(entries, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if len(entries) == 0 {
		return 0, nil
	}
	const cols = 13
	for start := 0; start < len(entries); start += batchRows {
		chunk := entries[start:min(start+batchRows, len(entries))]
		args := make([]any, 0, cols*len(chunk))
		for i := range chunk {
			e := &chunk[i]
			e.Seq = head.Seq + 1
			if err := chain.Seal(head.Hash, e); err != nil {
				return 0, fmt.Errorf("store: seal audit entry %d: %w", e.Seq, err)
			}
			prev := hex.EncodeToString(e.PrevHash)
			args = append(args, e.Seq, e.Time.UnixMicro(), e.ActorID, e.ActorName, e.OrgID, e.Action, e.ObjectType, e.ObjectID,
				e.Outcome, e.IP, e.Detail, prev, hex.EncodeToString(e.Hash))
			head = e.Anchor()
		}
		if _, err := tx.c.exec(ctx, "INSERT INTO audit_entries ("+auditColumns+") VALUES "+
			valuesOf(len(chunk), "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"), args...); err != nil {
			return 0, fmt.Errorf("store: append sealed audit entries: %w", err)
		}
	}
	for start := 0; start < len(ids); start += batchRows {
		chunk := ids[start:min(start+batchRows, len(ids))]
		if _, err := tx.c.exec(ctx, "DELETE FROM audit_pending WHERE id IN ("+valuesOf(len(chunk), "?")+")", chunk...); err != nil {
			return 0, fmt.Errorf("store: clear sealed pending entries: %w", err)
		}
	}
	if _, err := tx.c.exec(ctx, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", head.Seq, hex.EncodeToString(head.Hash)); err != nil {
		return 0, fmt.Errorf("store: move audit head: %w", err)
	}
	return len(entries), nil
}

// appendPending stores e unsealed for the sealer. e is normalised as Seal
// would (a sealing against the genesis hash that is then dropped), so an
// entry the chain would refuse fails here, in its change's transaction,
// not later in the sealer.
func (tx *Tx) appendPending(ctx context.Context, chain *audit.Chain, e *audit.Entry) error {
	e.Seq = 1 // Seal wants a number; the sealer gives the real one
	err := chain.Seal(audit.Genesis(), e)
	e.Seq, e.PrevHash, e.Hash = 0, nil, nil
	if err != nil {
		return err
	}
	_, err = tx.c.exec(ctx, `INSERT INTO audit_pending (at_us, actor_id, actor_name, org_id, action, object_type, object_id, outcome, ip, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Time.UnixMicro(), e.ActorID, e.ActorName, e.OrgID, e.Action, e.ObjectType, e.ObjectID, e.Outcome, e.IP, e.Detail)
	if err != nil {
		return fmt.Errorf("store: append audit entry: %w", err)
	}
	tx.auditPending = true
	return nil
}

// AuditUnsealed returns how many committed entries wait for the sealer and
// the time of the oldest (zero when none): the window in which an entry is
// not yet in the chain.
func (db *DB) AuditUnsealed(ctx context.Context) (int64, time.Time, error) {
	var n int64
	var oldest *int64
	err := db.View(ctx, func(tx *Tx) error {
		return tx.c.queryRow(ctx, "SELECT COUNT(*), MIN(at_us) FROM audit_pending").Scan(&n, &oldest)
	})
	if err != nil || oldest == nil {
		return n, time.Time{}, err
	}
	return n, time.UnixMicro(*oldest).UTC(), nil
}

// flushAudit seals what is pending before a read of the log, so readers see
// every committed entry. A failure is the read's failure.
func (db *DB) flushAudit(ctx context.Context) error {
	if !db.deferredAudit() {
		return nil // SQLite seals in the change's transaction
	}
	_, err := db.SealPendingAudit(ctx)
	return err
}
