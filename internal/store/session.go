package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"fenghuo/internal/fenghuo"
)

// Session is a console log-in. The store keeps only a hash of the session
// token, so a copy of the database does not let anyone in. The timeouts are
// the caller's policy: Expired says whether a session is over.
type Session struct {
	IDHash string
	UserID int64
	// Stage is how far the log-in got (the auth layer's values, e.g. waiting
	// for the second factor, or complete).
	Stage      string
	CreatedAt  time.Time
	LastSeenAt time.Time
	// ExpiresAt is the absolute end, whatever the activity.
	ExpiresAt time.Time
	IP        string
	UserAgent string
	// IdleExempt sessions (a wall display's) end only at ExpiresAt.
	IdleExempt bool
}

// Expired reports whether at now s is past its absolute end or has been
// idle for idle or longer (idle 0: no idle limit; an IdleExempt session
// has none either).
func (s *Session) Expired(now time.Time, idle time.Duration) bool {
	return !now.Before(s.ExpiresAt) || (idle > 0 && !s.IdleExempt && now.Sub(s.LastSeenAt) >= idle)
}

const sessionColumns = "id_hash, user_id, stage, created_at, last_seen_at, expires_at, ip, user_agent, idle_exempt"

func scanSession(s scanner) (*Session, error) {
	var v Session
	var created, seen, expires, exempt int64
	if err := s.Scan(&v.IDHash, &v.UserID, &v.Stage, &created, &seen, &expires, &v.IP, &v.UserAgent, &exempt); err != nil {
		return nil, err
	}
	v.CreatedAt, v.LastSeenAt, v.ExpiresAt = fromMS(created), fromMS(seen), fromMS(expires)
	v.IdleExempt = exempt != 0
	return &v, nil
}

// CreateSession stores s; CreatedAt and LastSeenAt default to now.
func (db *DB) CreateSession(ctx context.Context, s *Session) error {
	return db.WithTx(ctx, func(tx *Tx) error { return tx.CreateSession(ctx, s) })
}

// CreateSession is DB.CreateSession inside tx.
func (tx *Tx) CreateSession(ctx context.Context, s *Session) error {
	if s.IDHash == "" || s.UserID == 0 || s.ExpiresAt.IsZero() {
		return fenghuo.Errorf(fenghuo.EINVALID, "A session needs an ID hash, a user and an expiry.")
	}
	if s.CreatedAt.IsZero() {
		s.CreatedAt = tx.now
	}
	if s.LastSeenAt.IsZero() {
		s.LastSeenAt = s.CreatedAt
	}
	_, err := tx.c.exec(ctx, "INSERT INTO sessions ("+sessionColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		s.IDHash, s.UserID, s.Stage, ms(s.CreatedAt), ms(s.LastSeenAt), ms(s.ExpiresAt), s.IP, s.UserAgent, b2i(s.IdleExempt))
	if err != nil {
		return fmt.Errorf("store: create session: %w", err)
	}
	return nil
}

// Session returns the session with the given token hash, or ENOTFOUND.
// It does not judge expiry: see Session.Expired.
func (db *DB) Session(ctx context.Context, idHash string) (*Session, error) {
	return view(ctx, db, func(tx *Tx) (*Session, error) { return tx.Session(ctx, idHash) })
}

// Session is DB.Session inside tx.
func (tx *Tx) Session(ctx context.Context, idHash string) (*Session, error) {
	s, err := scanSession(tx.c.queryRow(ctx, "SELECT "+sessionColumns+" FROM sessions WHERE id_hash = ?", idHash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fenghuo.Errorf(fenghuo.ENOTFOUND, "Session not found. / 会话不存在。")
	} else if err != nil {
		return nil, fmt.Errorf("store: session: %w", err)
	}
	return s, nil
}

// TouchSession records that the session was seen at now (ENOTFOUND if it
// is gone).
func (db *DB) TouchSession(ctx context.Context, idHash string, now time.Time) error {
	return db.WithTx(ctx, func(tx *Tx) error { return tx.TouchSession(ctx, idHash, now) })
}

// TouchSession is DB.TouchSession inside tx.
func (tx *Tx) TouchSession(ctx context.Context, idHash string, now time.Time) error {
	res, err := tx.c.exec(ctx, "UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?", ms(now), idHash)
	if err != nil {
		return fmt.Errorf("store: touch session: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fenghuo.Errorf(fenghuo.ENOTFOUND, "Session not found. / 会话不存在。")
	}
	return nil
}

// SetSessionStage moves a session to the next stage of its log-in.
func (tx *Tx) SetSessionStage(ctx context.Context, idHash, stage string) error {
	res, err := tx.c.exec(ctx, "UPDATE sessions SET stage = ? WHERE id_hash = ?", stage, idHash)
	if err != nil {
		return fmt.Errorf("store: session stage: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fenghuo.Errorf(fenghuo.ENOTFOUND, "Session not found. / 会话不存在。")
	}
	return nil
}

// UserSessions lists a user's sessions, newest first.
func (db *DB) UserSessions(ctx context.Context, userID int64) ([]Session, error) {
	return view(ctx, db, func(tx *Tx) ([]Session, error) {
		rows, err := tx.c.query(ctx, "SELECT "+sessionColumns+" FROM sessions WHERE user_id = ? ORDER BY created_at DESC, id_hash", userID)
		if err != nil {
			return nil, fmt.Errorf("store: list sessions: %w", err)
		}
		defer rows.Close()
		list := []Session{}
		for rows.Next() {
			s, err := scanSession(rows)
			if err != nil {
				return nil, err
			}
			list = append(list, *s)
		}
		return list, rows.Err()
	})
}

// DeleteSession ends one session; ending one that is gone is not an error.
func (db *DB) DeleteSession(ctx context.Context, idHash string) error {
	return db.WithTx(ctx, func(tx *Tx) error { return tx.DeleteSession(ctx, idHash) })
}

// DeleteSession is DB.DeleteSession inside tx.
func (tx *Tx) DeleteSession(ctx context.Context, idHash string) error {
	if _, err := tx.c.exec(ctx, "DELETE FROM sessions WHERE id_hash = ?", idHash); err != nil {
		return fmt.Errorf("store: end session: %w", err)
	}
	return nil
}

// DeleteUserSessions ends every session of a user: after a password change,
// a change of roles, or when the user is disabled.
func (db *DB) DeleteUserSessions(ctx context.Context, userID int64) error {
	return db.WithTx(ctx, func(tx *Tx) error { return tx.DeleteUserSessions(ctx, userID) })
}

// DeleteUserSessions is DB.DeleteUserSessions inside tx.
func (tx *Tx) DeleteUserSessions(ctx context.Context, userID int64) error {
	if _, err := tx.c.exec(ctx, "DELETE FROM sessions WHERE user_id = ?", userID); err != nil {
		return fmt.Errorf("store: end sessions of user %d: %w", userID, err)
	}
	return nil
}

// DeleteExpiredSessions removes the sessions that are Expired at now, and
// returns how many.
func (db *DB) DeleteExpiredSessions(ctx context.Context, now time.Time, idle time.Duration) (int64, error) {
	return update(ctx, db, func(tx *Tx) (int64, error) {
		q, args := "DELETE FROM sessions WHERE expires_at <= ?", []any{ms(now)}
		if idle > 0 {
			q, args = q+" OR (last_seen_at <= ? AND idle_exempt = 0)", append(args, ms(now.Add(-idle)))
		}
		res, err := tx.c.exec(ctx, q, args...)
		if err != nil {
			return 0, fmt.Errorf("store: delete expired sessions: %w", err)
		}
		return res.RowsAffected()
	})
}
