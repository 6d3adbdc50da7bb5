package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"fenghuo/internal/audit"
	"fenghuo/internal/pii"
)

// KeyUse says what in the database depends on the server's key files: audit
// entries need the audit key, sealed secrets the sealer key. A database with
// neither is new, and only a new database may be given new keys.
type KeyUse struct {
	AuditEntries  int64
	SealedSecrets int64
	// AuditArchives counts the archive files of old audit entries
	// recorded: they need the audit-signing key, and the audit key still
	// when every entry left the database.
	AuditArchives int64
}

// New reports whether nothing in the database depends on a key yet.
func (u KeyUse) New() bool {
	return u.AuditEntries == 0 && u.SealedSecrets == 0 && u.AuditArchives == 0
}

// sealedColumns are the columns that hold values sealed with the sealer key.
var sealedColumns = []struct{ table, column string }{
	{"users", "totp_secret_sealed"},
	{"channels", "secret"},
	{"signing_keys", "private_sealed"},
}

// KeyUse counts the audit entries and sealed secrets in the database.
func (db *DB) KeyUse(ctx context.Context) (KeyUse, error) {
	var u KeyUse
	// Entries still pending (PostgreSQL, auditseal.go) will be sealed with the key.
	if err := db.read.QueryRowContext(ctx, "SELECT (SELECT COUNT(*) FROM audit_entries) + (SELECT COUNT(*) FROM audit_pending)").Scan(&u.AuditEntries); err != nil {
		return u, fmt.Errorf("store: key use: %w", err)
	}
	if err := db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_archives").Scan(&u.AuditArchives); err != nil {
		return u, fmt.Errorf("store: key use: %w", err)
	}
	for _, c := range sealedColumns {
		var n int64
		// Names come from sealedColumns, never from input.
		if err := db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+c.table+" WHERE "+c.column+" <> ''").Scan(&n); err != nil {
			return u, fmt.Errorf("store: key use: %w", err)
		}
		u.SealedSecrets += n
	}
	// Personal data is sealed under keys derived from the sealer key.
	for _, c := range personalColumns {
		var n int64
		if err := db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+c.table+" WHERE "+c.column+" LIKE '"+pii.SealedPrefix+"%'").Scan(&n); err != nil {
			return u, fmt.Errorf("store: key use: %w", err)
		}
		u.SealedSecrets += n
	}
	return u, nil
}

// FirstAuditEntry returns the first entry of the audit log, and false when
// the log is empty: enough to tell whether an audit key is the one the log
// was made with before anything is committed.
func (tx *Tx) FirstAuditEntry(ctx context.Context) (audit.Entry, bool, error) {
	e, err := scanAudit(tx.c.queryRow(ctx, "SELECT "+auditColumns+" FROM audit_entries ORDER BY seq LIMIT 1"))
	if errors.Is(err, sql.ErrNoRows) {
		return e, false, nil
	}
	if err != nil {
		return e, false, fmt.Errorf("store: first audit entry: %w", err)
	}
	return e, true, nil
}
