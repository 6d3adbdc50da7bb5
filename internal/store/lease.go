package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// TakeLease gives holder the lease name until now+ttl when the lease is
// free, expired or already holder's (a renewal), in one statement, and
// reports whether holder has it. Replicas that try at once get one answer
// true: the row's lock orders them, and the later one sees the lease taken.
func (db *DB) TakeLease(ctx context.Context, name, holder string, now time.Time, ttl time.Duration) (bool, error) {
	var got string
	err := db.WithTx(ctx, func(tx *Tx) error {
		return tx.c.queryRow(ctx, `INSERT INTO leases (name, holder, expires_at, taken_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at,
				taken_at = CASE WHEN leases.holder = excluded.holder THEN leases.taken_at ELSE excluded.taken_at END
			WHERE leases.holder = excluded.holder OR leases.expires_at <= ?
			RETURNING holder`, name, holder, ms(now.Add(ttl)), ms(now), ms(now)).Scan(&got)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: take lease %s: %w", name, err)
	}
	return got == holder, nil
}

// ReleaseLease ends holder's lease name at once (a replica that stops), so
// that another replica takes the work without waiting for the expiry.
func (db *DB) ReleaseLease(ctx context.Context, name, holder string) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		_, err := tx.c.exec(ctx, "UPDATE leases SET expires_at = 0 WHERE name = ? AND holder = ?", name, holder)
		return err
	})
}

// LockLease locks the lease row name until the transaction ends (creating
// it when missing), without taking the lease: work that must not run twice
// at once on several replicas, and that is done inside one transaction,
// takes this first. A second replica waits for the first one's commit and
// then sees what it wrote.
func (tx *Tx) LockLease(ctx context.Context, name string) error {
	_, err := tx.c.exec(ctx, `INSERT INTO leases (name, holder, expires_at, taken_at) VALUES (?, '', 0, ?)
		ON CONFLICT (name) DO UPDATE SET taken_at = excluded.taken_at`, name, ms(tx.now))
	if err != nil {
		return fmt.Errorf("store: lock %s: %w", name, err)
	}
	return nil
}

// RenewJobs moves the lease of holder's jobs ids (claimed by ClaimJobs and
// not finished yet) to now+lease. A job whose lease has already run out is
// left alone: another replica may have claimed it. It returns how many it
// renewed.
func (db *DB) RenewJobs(ctx context.Context, holder string, ids []int64, now time.Time, lease time.Duration) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	return update(ctx, db, func(tx *Tx) (int, error) {
		args := []any{ms(now.Add(lease)), holder, ms(now)}
		for _, id := range ids {
			args = append(args, id)
		}
		res, err := tx.c.exec(ctx, "UPDATE jobs SET locked_until = ? WHERE locked_by = ? AND state = 'pending' AND locked_until > ? AND id IN ("+
			valuesOf(len(ids), "?")+")", args...)
		if err != nil {
			return 0, fmt.Errorf("store: renew jobs: %w", err)
		}
		n, _ := res.RowsAffected()
		return int(n), nil
	})
}

// ReleaseJobs hands back holder's jobs ids that it claimed and will not
// run now: they are due again at once, for any replica.
func (db *DB) ReleaseJobs(ctx context.Context, holder string, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		args := []any{holder}
		for _, id := range ids {
			args = append(args, id)
		}
		_, err := tx.c.exec(ctx, "UPDATE jobs SET locked_until = 0, attempts = attempts - 1 WHERE locked_by = ? AND state = 'pending' AND id IN ("+
			valuesOf(len(ids), "?")+")", args...)
		return err
	})
}
