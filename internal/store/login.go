package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"fenghuo/internal/fenghuo"
)

// LoginState is the failed-log-in record of one user name as typed
// (lower-cased by fenghuo.UsernameKey), kept whether or not such a user
// exists, so that answers and throttling are the same for real and unknown
// names. Its fields are those of auth.LoginState, so each converts to the
// other: store.LoginState(s), auth.LoginState(s). The policy is auth's.
type LoginState struct {
	Failures    int
	LastFailure time.Time
	// LockedUntil is zero when not locked.
	LockedUntil time.Time
}

// LoginState returns the state for username; a name never seen has the zero
// state, not an error.
func (db *DB) LoginState(ctx context.Context, username string) (LoginState, error) {
	return view(ctx, db, func(tx *Tx) (LoginState, error) { return tx.LoginState(ctx, username) })
}

// LoginState is DB.LoginState inside tx. In a write transaction that will
// store a new state computed from this one, use LockLoginState instead.
func (tx *Tx) LoginState(ctx context.Context, username string) (LoginState, error) {
	var s LoginState
	var last, locked int64
	err := tx.c.queryRow(ctx, "SELECT failures, last_failure, locked_until FROM login_attempts WHERE username_key = ?",
		fenghuo.UsernameKey(username)).Scan(&s.Failures, &last, &locked)
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil
	} else if err != nil {
		return s, fmt.Errorf("store: login state: %w", err)
	}
	s.LastFailure, s.LockedUntil = fromMS(last), fromMS(locked)
	return s, nil
}

// LockLoginState returns the state for username and holds it locked until
// tx ends, so that parallel guesses against one name on several replicas
// are each counted (read, decide, SetLoginState). The no-op upsert is the
// same SQL on both engines and creates the row for a name never seen, which
// a plain SELECT … FOR UPDATE could not lock.
func (tx *Tx) LockLoginState(ctx context.Context, username string) (LoginState, error) {
	var s LoginState
	var last, locked int64
	err := tx.c.queryRow(ctx, `INSERT INTO login_attempts (username_key, failures, last_failure, locked_until)
		VALUES (?, 0, 0, 0)
		ON CONFLICT (username_key) DO UPDATE SET failures = login_attempts.failures
		RETURNING failures, last_failure, locked_until`, fenghuo.UsernameKey(username)).Scan(&s.Failures, &last, &locked)
	if err != nil {
		return s, fmt.Errorf("store: lock login state: %w", err)
	}
	s.LastFailure, s.LockedUntil = fromMS(last), fromMS(locked)
	return s, nil
}

// SetLoginState stores the state for username; the zero state deletes it.
func (db *DB) SetLoginState(ctx context.Context, username string, s LoginState) error {
	return db.WithTx(ctx, func(tx *Tx) error { return tx.SetLoginState(ctx, username, s) })
}

// SetLoginState is DB.SetLoginState inside tx.
func (tx *Tx) SetLoginState(ctx context.Context, username string, s LoginState) error {
	key := fenghuo.UsernameKey(username)
	var err error
	if s == (LoginState{}) {
		_, err = tx.c.exec(ctx, "DELETE FROM login_attempts WHERE username_key = ?", key)
	} else {
		_, err = tx.c.exec(ctx, `INSERT INTO login_attempts (username_key, failures, last_failure, locked_until)
			VALUES (?, ?, ?, ?)
			ON CONFLICT (username_key) DO UPDATE SET failures = excluded.failures,
				last_failure = excluded.last_failure, locked_until = excluded.locked_until`,
			key, s.Failures, ms(s.LastFailure), ms(s.LockedUntil))
	}
	if err != nil {
		return fmt.Errorf("store: set login state: %w", err)
	}
	return nil
}

// DeleteStaleLoginStates removes the states whose last failure is before
// before and that are not locked at now (the daily clean-up of names that
// were mistyped once), and the per-address states whose bucket is full again
// at now, and returns how many.
func (db *DB) DeleteStaleLoginStates(ctx context.Context, before, now time.Time) (int64, error) {
	return update(ctx, db, func(tx *Tx) (int64, error) {
		res, err := tx.c.exec(ctx, "DELETE FROM login_attempts WHERE last_failure < ? AND locked_until <= ?", ms(before), ms(now))
		if err != nil {
			return 0, fmt.Errorf("store: delete stale login states: %w", err)
		}
		n, _ := res.RowsAffected()
		res, err = tx.c.exec(ctx, "DELETE FROM login_sources WHERE tat <= ?", ms(now))
		if err != nil {
			return 0, fmt.Errorf("store: delete stale login sources: %w", err)
		}
		m, _ := res.RowsAffected()
		return n + m, nil
	})
}

// LoginSource returns the throttle state of a client address (the key from
// auth.SourceKey): the time its bucket is full again, zero for an address
// never seen.
func (db *DB) LoginSource(ctx context.Context, source string) (time.Time, error) {
	return view(ctx, db, func(tx *Tx) (time.Time, error) {
		var tat int64
		err := tx.c.queryRow(ctx, "SELECT tat FROM login_sources WHERE source = ?", source).Scan(&tat)
		if errors.Is(err, sql.ErrNoRows) {
			return time.Time{}, nil
		} else if err != nil {
			return time.Time{}, fmt.Errorf("store: login source: %w", err)
		}
		return fromMS(tat), nil
	})
}

// LockLoginSource is LoginSource inside a write transaction, holding the
// row locked until tx ends (the same no-op upsert as LockLoginState), so
// that parallel failures from one address are each counted. Lock the name
// (LockLoginState) first and the address second in every transaction, so
// two log-ins never wait for each other in opposite orders.
func (tx *Tx) LockLoginSource(ctx context.Context, source string) (time.Time, error) {
	var tat int64
	err := tx.c.queryRow(ctx, `INSERT INTO login_sources (source, tat) VALUES (?, 0)
		ON CONFLICT (source) DO UPDATE SET tat = login_sources.tat
		RETURNING tat`, source).Scan(&tat)
	if err != nil {
		return time.Time{}, fmt.Errorf("store: lock login source: %w", err)
	}
	return fromMS(tat), nil
}

// SetLoginSource stores the throttle state of a client address.
func (tx *Tx) SetLoginSource(ctx context.Context, source string, tat time.Time) error {
	_, err := tx.c.exec(ctx, `INSERT INTO login_sources (source, tat) VALUES (?, ?)
		ON CONFLICT (source) DO UPDATE SET tat = excluded.tat`, source, ms(tat))
	if err != nil {
		return fmt.Errorf("store: set login source: %w", err)
	}
	return nil
}
