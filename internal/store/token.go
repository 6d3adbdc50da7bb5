package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"fenghuo/internal/fenghuo"
)

// APIToken lets an integration call the API as its user, limited to Scopes.
// Only the token's hash is stored.
type APIToken struct {
	ID        int64
	UserID    int64
	Name      string
	TokenHash string
	Scopes    []string
	CreatedAt time.Time
	// ExpiresAt is zero for a token that does not expire.
	ExpiresAt  time.Time
	LastUsedAt time.Time
}

const tokenColumns = "id, user_id, name, token_hash, scopes, created_at, expires_at, last_used_at"

func scanToken(s scanner) (*APIToken, error) {
	var t APIToken
	var scopes string
	var created, expires, used int64
	if err := s.Scan(&t.ID, &t.UserID, &t.Name, &t.TokenHash, &scopes, &created, &expires, &used); err != nil {
		return nil, err
	}
	t.CreatedAt, t.ExpiresAt, t.LastUsedAt = fromMS(created), fromMS(expires), fromMS(used)
	if err := unmarshalList(scopes, &t.Scopes); err != nil {
		return nil, fmt.Errorf("store: token %d scopes: %w", t.ID, err)
	}
	return &t, nil
}

// CreateAPIToken stores t and sets its ID and CreatedAt.
func (db *DB) CreateAPIToken(ctx context.Context, t *APIToken) error {
	return db.WithTx(ctx, func(tx *Tx) error { return tx.CreateAPIToken(ctx, t) })
}

// CreateAPIToken is DB.CreateAPIToken inside tx.
func (tx *Tx) CreateAPIToken(ctx context.Context, t *APIToken) error {
	if t.UserID == 0 || t.TokenHash == "" {
		return fenghuo.Errorf(fenghuo.EINVALID, "An API token needs a user and a hash.")
	}
	if err := checkName(t.Name); err != nil {
		return err
	}
	t.CreatedAt = tx.now
	err := tx.c.queryRow(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, scopes, created_at, expires_at, last_used_at)
		VALUES (?, ?, ?, ?, ?, ?, 0) RETURNING id`,
		t.UserID, t.Name, t.TokenHash, jsonText(t.Scopes), ms(t.CreatedAt), ms(t.ExpiresAt)).Scan(&t.ID)
	if err != nil {
		return fmt.Errorf("store: create API token: %w", err)
	}
	return nil
}

func checkName(name string) error {
	if name == "" || len(name) > 100 {
		return fenghuo.FieldErrorf("name", "Give the token a name of at most 100 bytes. / 请填写令牌名称。")
	}
	return nil
}

// Expired reports whether t is past its expiry at now.
func (t *APIToken) Expired(now time.Time) bool {
	return !t.ExpiresAt.IsZero() && !now.Before(t.ExpiresAt)
}

// APITokenByHash returns the token with the given hash, or ENOTFOUND. It
// does not judge expiry: see APIToken.Expired.
func (db *DB) APITokenByHash(ctx context.Context, hash string) (*APIToken, error) {
	return view(ctx, db, func(tx *Tx) (*APIToken, error) { return tx.APITokenByHash(ctx, hash) })
}

// APITokenByHash is DB.APITokenByHash inside tx.
func (tx *Tx) APITokenByHash(ctx context.Context, hash string) (*APIToken, error) {
	t, err := scanToken(tx.c.queryRow(ctx, "SELECT "+tokenColumns+" FROM api_tokens WHERE token_hash = ?", hash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fenghuo.Errorf(fenghuo.ENOTFOUND, "API token not found. / API令牌不存在。")
	} else if err != nil {
		return nil, fmt.Errorf("store: API token: %w", err)
	}
	return t, nil
}

// TouchAPIToken records that token id was used at now.
func (db *DB) TouchAPIToken(ctx context.Context, id int64, now time.Time) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		_, err := tx.c.exec(ctx, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", ms(now), id)
		return err
	})
}

// UserAPITokens lists a user's tokens, newest first.
func (db *DB) UserAPITokens(ctx context.Context, userID int64) ([]APIToken, error) {
	return view(ctx, db, func(tx *Tx) ([]APIToken, error) {
		rows, err := tx.c.query(ctx, "SELECT "+tokenColumns+" FROM api_tokens WHERE user_id = ? ORDER BY id DESC", userID)
		if err != nil {
			return nil, fmt.Errorf("store: list API tokens: %w", err)
		}
		defer rows.Close()
		list := []APIToken{}
		for rows.Next() {
			t, err := scanToken(rows)
			if err != nil {
				return nil, err
			}
			list = append(list, *t)
		}
		return list, rows.Err()
	})
}

// DeleteUserAPITokens revokes every token of a user (when disabled).
func (db *DB) DeleteUserAPITokens(ctx context.Context, userID int64) error {
	return db.WithTx(ctx, func(tx *Tx) error { return tx.DeleteUserAPITokens(ctx, userID) })
}

// DeleteUserAPITokens is DB.DeleteUserAPITokens inside tx.
func (tx *Tx) DeleteUserAPITokens(ctx context.Context, userID int64) error {
	if _, err := tx.c.exec(ctx, "DELETE FROM api_tokens WHERE user_id = ?", userID); err != nil {
		return fmt.Errorf("store: revoke API tokens of user %d: %w", userID, err)
	}
	return nil
}

// DeleteAPIToken revokes token id of user userID (ENOTFOUND if that user has
// no such token).
func (db *DB) DeleteAPIToken(ctx context.Context, userID, id int64) error {
	return db.WithTx(ctx, func(tx *Tx) error { return tx.DeleteAPIToken(ctx, userID, id) })
}

// DeleteAPIToken is DB.DeleteAPIToken inside tx.
func (tx *Tx) DeleteAPIToken(ctx context.Context, userID, id int64) error {
	res, err := tx.c.exec(ctx, "DELETE FROM api_tokens WHERE id = ? AND user_id = ?", id, userID)
	if err != nil {
		return fmt.Errorf("store: delete API token: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("API token", id)
	}
	return nil
}
