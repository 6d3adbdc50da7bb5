package store

import (
	"testing"

	"fenghuo/internal/audit"
	"fenghuo/internal/fenghuo"
)

// A database is new for its keys until an audit entry or a sealed secret
// is written; a user without a sealed secret does not count.
func TestKeyUse(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		use, err := db.KeyUse(bg)
		must(t, err)
		if !use.New() {
			t.Fatalf("fresh database: %+v", use)
		}
		tr := mustTree(t, db)
		u := mustUser(t, db, tr.hospital.ID, "alice", fenghuo.RoleAnalyst)
		if use, _ = db.KeyUse(bg); !use.New() {
			t.Fatalf("users without secrets: %+v", use)
		}
		must(t, db.SetTOTPSecret(bg, u.ID, "sm4gcm1:xyz", false))
		if use, _ = db.KeyUse(bg); use.New() || use.SealedSecrets != 1 || use.AuditEntries != 0 {
			t.Fatalf("after a sealed TOTP secret: %+v", use)
		}
		chain := testChain(t)
		must(t, db.WithTx(bg, func(tx *Tx) error {
			return tx.AppendAudit(bg, chain, &audit.Entry{Action: "org.create", ObjectType: "org", ObjectID: "1", Outcome: audit.OutcomeSuccess})
		}))
		if use, _ = db.KeyUse(bg); use.AuditEntries != 1 {
			t.Fatalf("after an audit entry: %+v", use)
		}
	})
}
