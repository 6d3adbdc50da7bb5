package store

import (
	"context"
	"fmt"
	"time"
)

// Chase is one reminder (催报) an office sent a unit that had not filed a
// protection period's daily report for a day.
type Chase struct {
	ID       int64
	PeriodID int64
	OrgID    int64
	Day      string
	SentAt   time.Time
	SentBy   int64
	// Reached says whom the reminder reached, in words, as the office was told.
	Reached string
}

// AddChase records a chase.
func (tx *Tx) AddChase(ctx context.Context, c *Chase) error {
	c.SentAt = tx.now
	if err := tx.c.queryRow(ctx, `INSERT INTO period_chases (period_id, org_id, day, sent_at, sent_by, reached)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, c.PeriodID, c.OrgID, c.Day, ms(c.SentAt), c.SentBy, c.Reached).Scan(&c.ID); err != nil {
		return fmt.Errorf("store: add chase: %w", err)
	}
	return nil
}

// CountChases counts the chases of a unit for a period's day.
func (tx *Tx) CountChases(ctx context.Context, periodID, orgID int64, day string) (int, error) {
	var n int
	err := tx.c.queryRow(ctx, "SELECT COUNT(*) FROM period_chases WHERE period_id = ? AND day = ? AND org_id = ?", periodID, day, orgID).Scan(&n)
	return n, err
}

// Chases lists a period's chases of one day, oldest first.
func (db *DB) Chases(ctx context.Context, periodID int64, day string) ([]Chase, error) {
	return view(ctx, db, func(tx *Tx) ([]Chase, error) {
		rows, err := tx.c.query(ctx, `SELECT id, period_id, org_id, day, sent_at, sent_by, reached FROM period_chases
			WHERE period_id = ? AND day = ? ORDER BY org_id, sent_at, id`, periodID, day)
		if err != nil {
			return nil, fmt.Errorf("store: chases: %w", err)
		}
		defer rows.Close()
		var out []Chase
		for rows.Next() {
			var c Chase
			var at int64
			if err := rows.Scan(&c.ID, &c.PeriodID, &c.OrgID, &c.Day, &at, &c.SentBy, &c.Reached); err != nil {
				return nil, err
			}
			c.SentAt = fromMS(at)
			out = append(out, c)
		}
		return out, rows.Err()
	})
}
