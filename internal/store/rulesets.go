package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Detection rule sets per org and uploaded rules (0032_rule_sets.sql).

// RuleSetState is an org's choice for one rule set.
type RuleSetState struct {
	OrgID     int64
	RuleSet   string
	Enabled   bool
	UpdatedAt time.Time
	UpdatedBy int64
}

// CustomRule is a Sigma rule file an org uploaded for its subtree.
type CustomRule struct {
	ID        int64
	OrgID     int64
	RuleID    string // the Sigma id of its first rule
	Title     string
	Level     string
	Body      string // the YAML as uploaded
	CreatedAt time.Time
	CreatedBy int64
}

// MaxCustomRules bounds the rules one org may upload; the engine keeps
// every org's rules in memory.
const MaxCustomRules = 500

// SetRuleSetState records whether org runs a rule set.
func (tx *Tx) SetRuleSetState(ctx context.Context, s *RuleSetState) error {
	s.UpdatedAt = tx.now
	enabled := 0
	if s.Enabled {
		enabled = 1
	}
	_, err := tx.c.exec(ctx, `INSERT INTO rule_set_states (org_id, rule_set, enabled, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (org_id, rule_set) DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at,
		updated_by = excluded.updated_by`, s.OrgID, s.RuleSet, enabled, ms(tx.now), s.UpdatedBy)
	if err != nil {
		return fmt.Errorf("store: set rule set state: %w", err)
	}
	return nil
}

// RuleSetStates returns the choices an org made (by primary key).
func (tx *Tx) RuleSetStates(ctx context.Context, orgID int64) ([]RuleSetState, error) {
	rows, err := tx.c.query(ctx, `SELECT org_id, rule_set, enabled, updated_at, updated_by FROM rule_set_states
		WHERE org_id = ? ORDER BY rule_set LIMIT ?`, orgID, MaxLimit)
	if err != nil {
		return nil, fmt.Errorf("store: rule set states: %w", err)
	}
	return scanRuleSetStates(rows)
}

// DisabledRuleSets returns every (org, rule set) turned off, for the
// engine's cache: a few rows per org at most, read by the primary key's
// order without a filter.
func (db *DB) DisabledRuleSets(ctx context.Context) ([]RuleSetState, error) {
	return view(ctx, db, func(tx *Tx) ([]RuleSetState, error) {
		rows, err := tx.c.query(ctx, `SELECT org_id, rule_set, enabled, updated_at, updated_by FROM rule_set_states
			WHERE enabled = 0 ORDER BY org_id, rule_set`)
		if err != nil {
			return nil, fmt.Errorf("store: disabled rule sets: %w", err)
		}
		return scanRuleSetStates(rows)
	})
}

func scanRuleSetStates(rows *sql.Rows) ([]RuleSetState, error) {
	defer rows.Close()
	var out []RuleSetState
	for rows.Next() {
		var s RuleSetState
		var enabled int
		var at int64
		if err := rows.Scan(&s.OrgID, &s.RuleSet, &enabled, &at, &s.UpdatedBy); err != nil {
			return nil, err
		}
		s.Enabled, s.UpdatedAt = enabled != 0, fromMS(at)
		out = append(out, s)
	}
	return out, rows.Err()
}

const customRuleColumns = "id, org_id, rule_id, title, level, body, created_at, created_by"

func scanCustomRule(sc scanner) (*CustomRule, error) {
	var r CustomRule
	var at int64
	if err := sc.Scan(&r.ID, &r.OrgID, &r.RuleID, &r.Title, &r.Level, &r.Body, &at, &r.CreatedBy); err != nil {
		return nil, err
	}
	r.CreatedAt = fromMS(at)
	return &r, nil
}

// CreateCustomRule stores an uploaded rule (ECONFLICT when the org already
// has a rule with its id).
func (tx *Tx) CreateCustomRule(ctx context.Context, r *CustomRule) error {
	r.CreatedAt = tx.now
	err := tx.c.queryRow(ctx, `INSERT INTO custom_rules (org_id, rule_id, title, level, body, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, r.OrgID, r.RuleID, r.Title, r.Level, r.Body, ms(tx.now), r.CreatedBy).Scan(&r.ID)
	if err != nil {
		return fmt.Errorf("store: create custom rule: %w", err)
	}
	return nil
}

// CustomRule returns one uploaded rule.
func (tx *Tx) CustomRule(ctx context.Context, id int64) (*CustomRule, error) {
	r, err := scanCustomRule(tx.c.queryRow(ctx, "SELECT "+customRuleColumns+" FROM custom_rules WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Custom rule", id)
	} else if err != nil {
		return nil, fmt.Errorf("store: custom rule %d: %w", id, err)
	}
	return r, nil
}

// DeleteCustomRule removes an uploaded rule.
func (tx *Tx) DeleteCustomRule(ctx context.Context, id int64) error {
	res, err := tx.c.exec(ctx, "DELETE FROM custom_rules WHERE id = ?", id)
	if err != nil {
		return fmt.Errorf("store: delete custom rule %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("Custom rule", id)
	}
	return nil
}

// CustomRules returns an org's uploaded rules (at most MaxCustomRules), by
// the (org_id, rule_id) index.
func (tx *Tx) CustomRules(ctx context.Context, orgID int64) ([]CustomRule, error) {
	rows, err := tx.c.query(ctx, "SELECT "+customRuleColumns+" FROM custom_rules WHERE org_id = ? ORDER BY org_id, rule_id LIMIT ?",
		orgID, MaxCustomRules)
	if err != nil {
		return nil, fmt.Errorf("store: custom rules: %w", err)
	}
	defer rows.Close()
	var out []CustomRule
	for rows.Next() {
		r, err := scanCustomRule(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}

// CountCustomRules counts an org's uploaded rules.
func (tx *Tx) CountCustomRules(ctx context.Context, orgID int64) (int, error) {
	var n int
	if err := tx.c.queryRow(ctx, "SELECT COUNT(*) FROM custom_rules WHERE org_id = ?", orgID).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count custom rules: %w", err)
	}
	return n, nil
}

// AllCustomRules returns every org's uploaded rules, for the engine at
// start-up and after a change, page by page in id order.
func (db *DB) AllCustomRules(ctx context.Context, afterID int64, limit int) ([]CustomRule, error) {
	if limit <= 0 || limit > MaxLimit {
		limit = MaxLimit
	}
	return view(ctx, db, func(tx *Tx) ([]CustomRule, error) {
		rows, err := tx.c.query(ctx, "SELECT "+customRuleColumns+" FROM custom_rules WHERE id > ? ORDER BY id LIMIT ?", afterID, limit)
		if err != nil {
			return nil, fmt.Errorf("store: all custom rules: %w", err)
		}
		defer rows.Close()
		var out []CustomRule
		for rows.Next() {
			r, err := scanCustomRule(rows)
			if err != nil {
				return nil, err
			}
			out = append(out, *r)
		}
		return out, rows.Err()
	})
}
