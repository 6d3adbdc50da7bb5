package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"fenghuo/internal/audit"
	"fenghuo/internal/fenghuo"
)

// The audit log's archived part (migration 0036): entries older than the
// retention leave audit_entries only once they are in a signed archive file
// outside the database (internal/app/auditlog writes it), and each removal
// records its archive in audit_archives in the same transaction. The newest
// row is the checkpoint: the anchor the database's chain continues from.

// AuditArchive is one archive file recorded in the database.
type AuditArchive struct {
	FirstSeq, LastSeq int64
	// LastHash is the hash of entry LastSeq: with LastSeq, the checkpoint.
	LastHash []byte
	// File is the archive's file name in the archive directory.
	File    string
	Entries int64
	Created time.Time
}

// Checkpoint is the anchor the database's chain continues from after this
// archive.
func (a AuditArchive) Checkpoint() audit.Anchor {
	return audit.Anchor{Seq: a.LastSeq, Hash: a.LastHash}
}

// AuditArchiveState is what the console shows of the archives.
type AuditArchiveState struct {
	// Last is the newest archive; nil when nothing was archived.
	Last *AuditArchive
	// Archives counts the archive files recorded, ArchivedEntries the
	// entries they hold.
	Archives        int64
	ArchivedEntries int64
}

// LastAuditArchive returns the newest archive recorded, and false when
// nothing was archived yet.
func (db *DB) LastAuditArchive(ctx context.Context) (AuditArchive, bool, error) {
	var a AuditArchive
	var ok bool
	err := db.View(ctx, func(tx *Tx) error {
		var err error
		a, ok, err = tx.lastAuditArchive(ctx)
		return err
	})
	return a, ok, err
}

func (tx *Tx) lastAuditArchive(ctx context.Context) (AuditArchive, bool, error) {
	var a AuditArchive
	var hash string
	var created int64
	err := tx.c.queryRow(ctx, `SELECT first_seq, last_seq, last_hash, file, entries, created_at FROM audit_archives
		ORDER BY last_seq DESC LIMIT 1`).Scan(&a.FirstSeq, &a.LastSeq, &hash, &a.File, &a.Entries, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return a, false, nil
	}
	if err != nil {
		return a, false, fmt.Errorf("store: last audit archive: %w", err)
	}
	a.Created = fromMS(created)
	if a.LastHash, err = hex.DecodeString(hash); err != nil {
		return a, false, fmt.Errorf("store: audit archive %s: hash: %w", a.File, err)
	}
	return a, true, nil
}

// AuditCheckpoint returns the anchor the database's chain continues from:
// the newest archive's last entry, or Seq 0 and audit.Genesis() when nothing
// was archived.
func (tx *Tx) AuditCheckpoint(ctx context.Context) (audit.Anchor, error) {
	last, ok, err := tx.lastAuditArchive(ctx)
	if err != nil || !ok {
		return audit.Anchor{Hash: audit.Genesis()}, err
	}
	return last.Checkpoint(), nil
}

// AuditArchiveState returns the newest archive and the totals.
func (db *DB) AuditArchiveState(ctx context.Context) (AuditArchiveState, error) {
	var s AuditArchiveState
	err := db.View(ctx, func(tx *Tx) error {
		last, ok, err := tx.lastAuditArchive(ctx)
		if err != nil {
			return err
		}
		if ok {
			s.Last = &last
		}
		return tx.c.queryRow(ctx, "SELECT COUNT(*), COALESCE(SUM(entries), 0) FROM audit_archives").Scan(&s.Archives, &s.ArchivedEntries)
	})
	return s, err
}

// AuditEntriesToArchive returns up to limit entries after seq afterSeq, in
// seq order, stopping before the first one at or after before: the oldest
// entries past the retention, a contiguous run of the chain.
func (db *DB) AuditEntriesToArchive(ctx context.Context, afterSeq int64, before time.Time, limit int) ([]audit.Entry, error) {
	if err := db.flushAudit(ctx); err != nil {
		return nil, err
	}
	return view(ctx, db, func(tx *Tx) ([]audit.Entry, error) {
		rows, err := tx.c.query(ctx, "SELECT "+auditColumns+" FROM audit_entries WHERE seq > ? ORDER BY seq LIMIT ?", afterSeq, limit)
		if err != nil {
			return nil, fmt.Errorf("store: audit entries to archive: %w", err)
		}
		defer rows.Close()
		var list []audit.Entry
		for rows.Next() {
			e, err := scanAudit(rows)
			if err != nil {
				return nil, err
			}
			if !e.Time.Before(before) {
				break
			}
			list = append(list, e)
		}
		return list, rows.Err()
	})
}

// AuditEntryAt returns the entry with seq, or ENOTFOUND.
func (db *DB) AuditEntryAt(ctx context.Context, seq int64) (audit.Entry, error) {
	return view(ctx, db, func(tx *Tx) (audit.Entry, error) {
		e, err := scanAudit(tx.c.queryRow(ctx, "SELECT "+auditColumns+" FROM audit_entries WHERE seq = ?", seq))
		if errors.Is(err, sql.ErrNoRows) {
			return e, notFound("Audit entry", fmt.Sprint(seq))
		}
		return e, err
	})
}

// RecordAuditArchive removes entries a.FirstSeq to a.LastSeq from the
// database and records a, in one transaction: call it only after the archive
// file is durably written. It refuses (ECONFLICT, nothing changed) unless a
// continues the newest archive recorded, the database still holds exactly
// those entries, all older than olderThan (the retention's start), and entry
// a.LastSeq has hash a.LastHash, so that no entry
// leaves the database that is not in the archive as written, and an archive
// recorded twice (a retry, another replica) changes nothing.
func (db *DB) RecordAuditArchive(ctx context.Context, a AuditArchive, olderThan time.Time) error {
	if a.FirstSeq < 1 || a.LastSeq < a.FirstSeq || a.Entries != a.LastSeq-a.FirstSeq+1 || len(a.LastHash) != audit.HashSize || a.File == "" {
		return fenghuo.Errorf(fenghuo.EINVALID, "Audit archive %q does not describe entries %d to %d.", a.File, a.FirstSeq, a.LastSeq)
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		last, ok, err := tx.lastAuditArchive(ctx)
		if err != nil {
			return err
		}
		if ok && last.LastSeq+1 != a.FirstSeq || !ok && a.FirstSeq != 1 {
			return fenghuo.Errorf(fenghuo.ECONFLICT, "Audit archive %s starts at entry %d, but the archives recorded end at entry %d.", a.File, a.FirstSeq, last.LastSeq)
		}
		var n, newest int64
		var lastHash string
		err = tx.c.queryRow(ctx, `SELECT COUNT(*), COALESCE(MAX(CASE WHEN seq = ? THEN hash END), ''), COALESCE(MAX(at_us), 0)
			FROM audit_entries WHERE seq >= ? AND seq <= ?`, a.LastSeq, a.FirstSeq, a.LastSeq).Scan(&n, &lastHash, &newest)
		if err != nil {
			return fmt.Errorf("store: audit entries of archive %s: %w", a.File, err)
		}
		if n != a.Entries || lastHash != hex.EncodeToString(a.LastHash) {
			return fenghuo.Errorf(fenghuo.ECONFLICT, "The database does not hold entries %d to %d as archive %s has them (%d of %d found); nothing removed.",
				a.FirstSeq, a.LastSeq, a.File, n, a.Entries)
		}
		if newest >= olderThan.UnixMicro() {
			return fenghuo.Errorf(fenghuo.ECONFLICT, "Archive %s holds entries from %s, within the retention (entries from %s on stay in the database); nothing removed.",
				a.File, time.UnixMicro(newest).UTC().Format(time.RFC3339), olderThan.UTC().Format(time.RFC3339))
		}
		if _, err := tx.c.exec(ctx, "DELETE FROM audit_entries WHERE seq >= ? AND seq <= ?", a.FirstSeq, a.LastSeq); err != nil {
			return fmt.Errorf("store: remove archived audit entries: %w", err)
		}
		_, err = tx.c.exec(ctx, "INSERT INTO audit_archives (first_seq, last_seq, last_hash, file, entries, created_at) VALUES (?, ?, ?, ?, ?, ?)",
			a.FirstSeq, a.LastSeq, hex.EncodeToString(a.LastHash), a.File, a.Entries, ms(a.Created))
		if err != nil {
			return fmt.Errorf("store: record audit archive %s: %w", a.File, err)
		}
		return nil
	})
}
