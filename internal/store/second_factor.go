package store

import (
	"context"
	"fmt"
)

// OrgRequiresTOTP reports whether org id itself has the policy "TOTP for
// every account" on (not whether it inherits it: see TOTPRequiredFrom).
func (db *DB) OrgRequiresTOTP(ctx context.Context, id int64) (bool, error) {
	return view(ctx, db, func(tx *Tx) (bool, error) { return tx.OrgRequiresTOTP(ctx, id) })
}

// OrgRequiresTOTP is DB.OrgRequiresTOTP inside tx.
func (tx *Tx) OrgRequiresTOTP(ctx context.Context, id int64) (bool, error) {
	var n int
	if err := tx.c.queryRow(ctx, "SELECT COUNT(*) FROM org_totp_policy WHERE org_id = ?", id).Scan(&n); err != nil {
		return false, fmt.Errorf("store: totp policy of org %d: %w", id, err)
	}
	return n > 0, nil
}

// SetOrgRequiresTOTP turns the policy on or off for org id (which must
// exist); byUser is who did it.
func (db *DB) SetOrgRequiresTOTP(ctx context.Context, id int64, on bool, byUser int64) error {
	return db.WithTx(ctx, func(tx *Tx) error { return tx.SetOrgRequiresTOTP(ctx, id, on, byUser) })
}

// SetOrgRequiresTOTP is DB.SetOrgRequiresTOTP inside tx.
func (tx *Tx) SetOrgRequiresTOTP(ctx context.Context, id int64, on bool, byUser int64) error {
	if _, err := tx.Org(ctx, id); err != nil {
		return err
	}
	var err error
	if on {
		_, err = tx.c.exec(ctx, `INSERT INTO org_totp_policy (org_id, set_by, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (org_id) DO UPDATE SET set_by = excluded.set_by, updated_at = excluded.updated_at`, id, byUser, ms(tx.now))
	} else {
		_, err = tx.c.exec(ctx, "DELETE FROM org_totp_policy WHERE org_id = ?", id)
	}
	if err != nil {
		return fmt.Errorf("store: set totp policy of org %d: %w", id, err)
	}
	return nil
}

// TOTPRequiredFrom returns the nearest org, id itself or an ancestor, whose
// policy requires TOTP of every account below it, or 0 when none does.
func (db *DB) TOTPRequiredFrom(ctx context.Context, id int64) (int64, error) {
	return view(ctx, db, func(tx *Tx) (int64, error) { return tx.TOTPRequiredFrom(ctx, id) })
}

// TOTPRequiredFrom is DB.TOTPRequiredFrom inside tx.
func (tx *Tx) TOTPRequiredFrom(ctx context.Context, id int64) (int64, error) {
	o, err := tx.Org(ctx, id)
	if err != nil {
		return 0, err
	}
	ids := o.PathIDs()
	args := make([]any, len(ids))
	for i, v := range ids {
		args[i] = v
	}
	rows, err := tx.c.query(ctx, "SELECT org_id FROM org_totp_policy WHERE org_id IN ("+placeholders(len(ids))+")", args...)
	if err != nil {
		return 0, fmt.Errorf("store: totp policy above org %d: %w", id, err)
	}
	defer rows.Close()
	on := map[int64]bool{}
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return 0, err
		}
		on[v] = true
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for i := len(ids) - 1; i >= 0; i-- {
		if on[ids[i]] {
			return ids[i], nil
		}
	}
	return 0, nil
}

// ReplaceRecoveryCodes stores hashes as the user's recovery codes, dropping
// any earlier ones.
func (tx *Tx) ReplaceRecoveryCodes(ctx context.Context, userID int64, hashes []string) error {
	if _, err := tx.c.exec(ctx, "DELETE FROM recovery_codes WHERE user_id = ?", userID); err != nil {
		return fmt.Errorf("store: recovery codes of user %d: %w", userID, err)
	}
	for _, h := range hashes {
		if _, err := tx.c.exec(ctx, "INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES (?, ?, ?)", userID, h, ms(tx.now)); err != nil {
			return fmt.Errorf("store: recovery codes of user %d: %w", userID, err)
		}
	}
	return nil
}

// RecoveryCodeHashes returns the hashes of the user's unused recovery codes.
func (db *DB) RecoveryCodeHashes(ctx context.Context, userID int64) ([]string, error) {
	return view(ctx, db, func(tx *Tx) ([]string, error) { return tx.RecoveryCodeHashes(ctx, userID) })
}

// RecoveryCodeHashes is DB.RecoveryCodeHashes inside tx.
func (tx *Tx) RecoveryCodeHashes(ctx context.Context, userID int64) ([]string, error) {
	rows, err := tx.c.query(ctx, "SELECT code_hash FROM recovery_codes WHERE user_id = ? ORDER BY code_hash", userID)
	if err != nil {
		return nil, fmt.Errorf("store: recovery codes of user %d: %w", userID, err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// UseRecoveryCode deletes one recovery code hash of the user. It answers
// false when the hash is not there (any more): a concurrent log-in on
// another replica used it first.
func (tx *Tx) UseRecoveryCode(ctx context.Context, userID int64, hash string) (bool, error) {
	res, err := tx.c.exec(ctx, "DELETE FROM recovery_codes WHERE user_id = ? AND code_hash = ?", userID, hash)
	if err != nil {
		return false, fmt.Errorf("store: use recovery code of user %d: %w", userID, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ClearSecondFactor forgets user id's second factor (a security
// administrator's reset after a lost phone): the sealed TOTP secret, the
// last accepted step and every recovery code go, and the must-enrol flag is
// set, so the next log-in goes through enrolment whatever the policy says.
// It returns how many unused recovery codes were deleted. Ending the user's
// sessions is the caller's step (DeleteUserSessions), in the same
// transaction.
func (tx *Tx) ClearSecondFactor(ctx context.Context, id int64) (int, error) {
	if err := tx.touchUser(ctx, id, "totp_secret_sealed = ?, totp_enabled = 0, totp_last_step = 0, must_enroll_totp = 1", ""); err != nil {
		return 0, err
	}
	res, err := tx.c.exec(ctx, "DELETE FROM recovery_codes WHERE user_id = ?", id)
	if err != nil {
		return 0, fmt.Errorf("store: recovery codes of user %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}
