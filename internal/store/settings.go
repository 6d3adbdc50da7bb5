package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"fenghuo/internal/fenghuo"
)

// Setting returns the value stored under key, or ENOTFOUND.
func (db *DB) Setting(ctx context.Context, key string) (string, error) {
	return view(ctx, db, func(tx *Tx) (string, error) { return tx.Setting(ctx, key) })
}

// Setting is DB.Setting inside tx.
func (tx *Tx) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := tx.c.queryRow(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("Setting", key)
	} else if err != nil {
		return "", fmt.Errorf("store: setting %s: %w", key, err)
	}
	return v, nil
}

// SetSetting stores value under key, replacing any earlier value.
func (db *DB) SetSetting(ctx context.Context, key, value string) error {
	return db.WithTx(ctx, func(tx *Tx) error { return tx.SetSetting(ctx, key, value) })
}

// SetSetting is DB.SetSetting inside tx.
func (tx *Tx) SetSetting(ctx context.Context, key, value string) error {
	if key == "" || len(key) > 200 {
		return fenghuo.FieldErrorf("key", "A setting key has 1 to 200 bytes.")
	}
	_, err := tx.c.exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, key, value, ms(tx.now))
	if err != nil {
		return fmt.Errorf("store: set setting %s: %w", key, err)
	}
	return nil
}

// DeleteSetting removes key; removing a missing key is not an error.
func (db *DB) DeleteSetting(ctx context.Context, key string) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		_, err := tx.c.exec(ctx, "DELETE FROM settings WHERE key = ?", key)
		return err
	})
}

// Settings returns every setting.
func (db *DB) Settings(ctx context.Context) (map[string]string, error) {
	return view(ctx, db, func(tx *Tx) (map[string]string, error) {
		rows, err := tx.c.query(ctx, "SELECT key, value FROM settings")
		if err != nil {
			return nil, fmt.Errorf("store: settings: %w", err)
		}
		defer rows.Close()
		m := map[string]string{}
		for rows.Next() {
			var k, v string
			if err := rows.Scan(&k, &v); err != nil {
				return nil, err
			}
			m[k] = v
		}
		return m, rows.Err()
	})
}
