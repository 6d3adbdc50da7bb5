package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"fenghuo/internal/fenghuo"
)

// IntakeSource is a unit's sensor (接入源, 0031_intake.sql): what sends
// events to Fenghuo under an intake token (only its hash is stored) or from
// bound syslog addresses.
type IntakeSource struct {
	ID        int64
	OrgID     int64
	Name      string
	Kind      string // wazuh, suricata, syslog, generic, mail: a hint for the parser
	TokenHash string
	TokenHint string // the token's first characters, to tell tokens apart
	// Addresses are IP addresses or CIDR prefixes a syslog sender may come
	// from (as text, validated by the app).
	Addresses []string
	// Mapping is the generic-JSON field mapping as a JSON object ("" for none).
	Mapping    string
	CreatedBy  int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	RevokedAt  time.Time
	RevokedBy  int64
}

// Revoked reports whether the source no longer sends.
func (s *IntakeSource) Revoked() bool { return !s.RevokedAt.IsZero() }

const intakeSourceColumns = `s.id, s.org_id, s.name, s.kind, s.token_hash, s.token_hint, s.addresses, s.mapping, s.created_by,
	s.created_at, s.last_seen_at, s.revoked_at, s.revoked_by`

func scanIntakeSource(sc scanner) (*IntakeSource, error) {
	var s IntakeSource
	var addrs string
	var created, seen, revoked int64
	if err := sc.Scan(&s.ID, &s.OrgID, &s.Name, &s.Kind, &s.TokenHash, &s.TokenHint, &addrs, &s.Mapping, &s.CreatedBy,
		&created, &seen, &revoked, &s.RevokedBy); err != nil {
		return nil, err
	}
	s.CreatedAt, s.LastSeenAt, s.RevokedAt = fromMS(created), fromMS(seen), fromMS(revoked)
	if err := unmarshalList(addrs, &s.Addresses); err != nil {
		return nil, fmt.Errorf("store: intake source %d addresses: %w", s.ID, err)
	}
	return &s, nil
}

// CreateIntakeSource stores s and sets its ID and CreatedAt.
func (tx *Tx) CreateIntakeSource(ctx context.Context, s *IntakeSource) error {
	if s.OrgID == 0 || s.TokenHash == "" || s.Name == "" || s.Kind == "" {
		return fenghuo.Errorf(fenghuo.EINVALID, "An intake source needs a unit, a name, a kind and a token hash.")
	}
	s.CreatedAt = tx.now
	err := tx.c.queryRow(ctx, `INSERT INTO intake_sources (org_id, name, kind, token_hash, token_hint, addresses, mapping,
		created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		s.OrgID, s.Name, s.Kind, s.TokenHash, s.TokenHint, jsonText(s.Addresses), s.Mapping, s.CreatedBy, ms(tx.now)).Scan(&s.ID)
	if err != nil {
		return fmt.Errorf("store: create intake source: %w", err)
	}
	return nil
}

// IntakeSource returns one source (revoked or not).
func (tx *Tx) IntakeSource(ctx context.Context, id int64) (*IntakeSource, error) {
	s, err := scanIntakeSource(tx.c.queryRow(ctx, "SELECT "+intakeSourceColumns+" FROM intake_sources s WHERE s.id = ?", id))
	if err != nil {
		return nil, notFoundOr(err, "Intake source", id)
	}
	return s, nil
}

// IntakeSourceByHash returns the source whose token has the given hash,
// or ENOTFOUND; it does not judge revocation (see Revoked).
func (db *DB) IntakeSourceByHash(ctx context.Context, hash string) (*IntakeSource, error) {
	return view(ctx, db, func(tx *Tx) (*IntakeSource, error) {
		s, err := scanIntakeSource(tx.c.queryRow(ctx, "SELECT "+intakeSourceColumns+" FROM intake_sources s WHERE s.token_hash = ?", hash))
		if errors.Is(err, sql.ErrNoRows) {
			return nil, fenghuo.Errorf(fenghuo.ENOTFOUND, "Intake token not found. / 接入令牌不存在。")
		} else if err != nil {
			return nil, fmt.Errorf("store: intake source by token: %w", err)
		}
		return s, nil
	})
}

// RevokeIntakeSource marks a source revoked at tx's time by user by.
func (tx *Tx) RevokeIntakeSource(ctx context.Context, id, by int64) error {
	res, err := tx.c.exec(ctx, "UPDATE intake_sources SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at = 0", ms(tx.now), by, id)
	if err != nil {
		return fmt.Errorf("store: revoke intake source: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("Intake source", id)
	}
	return nil
}

// TouchIntakeSource records that a source sent events at tx's time.
func (tx *Tx) TouchIntakeSource(ctx context.Context, id int64) error {
	_, err := tx.c.exec(ctx, "UPDATE intake_sources SET last_seen_at = ? WHERE id = ?", ms(tx.now), id)
	return err
}

// IntakeSources lists the sources of the units under orgPath (revoked ones
// too when withRevoked), newest first.
func (db *DB) IntakeSources(ctx context.Context, orgPath string, withRevoked bool, p Page) (ListResult[IntakeSource], error) {
	return view(ctx, db, func(tx *Tx) (ListResult[IntakeSource], error) {
		p = p.norm()
		where := `FROM intake_sources s WHERE s.org_id IN (SELECT o.id FROM orgs o WHERE o.path LIKE ? ESCAPE '\')`
		args := []any{likeEscape(orgPath) + "%"}
		if !withRevoked {
			where += " AND s.revoked_at = 0"
		}
		var res ListResult[IntakeSource]
		var err error
		if res.Total, res.Capped, err = tx.countCapped(ctx, "SELECT s.id "+where, args); err != nil {
			return res, fmt.Errorf("store: count intake sources: %w", err)
		}
		rows, err := tx.c.query(ctx, "SELECT "+intakeSourceColumns+" "+where+" ORDER BY s.id DESC LIMIT ? OFFSET ?",
			append(args, p.Limit, p.Offset)...)
		if err != nil {
			return res, fmt.Errorf("store: intake sources: %w", err)
		}
		defer rows.Close()
		res.Items = []IntakeSource{}
		for rows.Next() {
			s, err := scanIntakeSource(rows)
			if err != nil {
				return res, err
			}
			res.Items = append(res.Items, *s)
		}
		return res, rows.Err()
	})
}

// BoundIntakeSources returns every active source bound to addresses (the
// syslog resolver's table).
func (db *DB) BoundIntakeSources(ctx context.Context) ([]IntakeSource, error) {
	return view(ctx, db, func(tx *Tx) ([]IntakeSource, error) {
		rows, err := tx.c.query(ctx, "SELECT "+intakeSourceColumns+" FROM intake_sources s WHERE s.revoked_at = 0 AND s.addresses <> '[]' ORDER BY s.id")
		if err != nil {
			return nil, fmt.Errorf("store: bound intake sources: %w", err)
		}
		defer rows.Close()
		out := []IntakeSource{}
		for rows.Next() {
			s, err := scanIntakeSource(rows)
			if err != nil {
				return nil, err
			}
			out = append(out, *s)
		}
		return out, rows.Err()
	})
}
