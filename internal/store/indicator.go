package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/ingest/ioc"
)

// Indicator is a row of the IOC library (0033_indicators.sql): an
// indicator (ioc.Indicator, OwnerOrg its org) with who recorded it and
// whether it was revoked.
type Indicator struct {
	ioc.Indicator
	OwnerName string // the owning org's name (read only)
	CreatedBy int64
	CreatedAt time.Time
	UpdatedAt time.Time
	RevokedAt time.Time // zero while in force
	RevokedBy int64
}

// Revoked reports whether the indicator was revoked.
func (in *Indicator) Revoked() bool { return !in.RevokedAt.IsZero() }

// IndicatorScope is what an org may see of the library under TLP, worked
// out by internal/app/intel from the org's path: CLEAR from anyone, GREEN
// from orgs whose path starts with RootPath (its province tree), AMBER from
// AncestorIDs (its ancestors and itself), AMBER+STRICT and RED from OrgID.
type IndicatorScope struct {
	OrgID       int64
	AncestorIDs []int64
	RootPath    string
}

// IndicatorFilter narrows a library list; zero values do not filter.
type IndicatorFilter struct {
	Type    ioc.Type
	TLP     ioc.TLP
	OwnerID int64
}

const indicatorColumns = `i.id, i.org_id, i.type, i.value, i.stix_id, i.name, i.description, i.source, i.confidence, i.tlp,
	i.valid_from, i.valid_until, i.created_by, i.created_at, i.updated_at, i.revoked_at, i.revoked_by, o.name`

func scanIndicator(sc scanner) (*Indicator, error) {
	var in Indicator
	var typ, tlp string
	var from, until, created, updated, revoked int64
	if err := sc.Scan(&in.ID, &in.OwnerOrg, &typ, &in.Value, &in.STIXID, &in.Name, &in.Description, &in.Source,
		&in.Confidence, &tlp, &from, &until, &in.CreatedBy, &created, &updated, &revoked, &in.RevokedBy, &in.OwnerName); err != nil {
		return nil, err
	}
	in.Type, in.TLP = ioc.Type(typ), ioc.TLP(tlp)
	in.ValidFrom, in.ValidUntil, in.CreatedAt, in.UpdatedAt, in.RevokedAt = fromMS(from), fromMS(until), fromMS(created), fromMS(updated), fromMS(revoked)
	return &in, nil
}

// CreateIndicator validates and stores an indicator (ECONFLICT when its
// owner already holds the same type and value).
func (tx *Tx) CreateIndicator(ctx context.Context, in *Indicator) error {
	if err := in.Validate(); err != nil {
		return err
	}
	in.CreatedAt, in.UpdatedAt = tx.now, tx.now
	err := tx.c.queryRow(ctx, `INSERT INTO indicators (org_id, type, value, stix_id, name, description, source, confidence,
		tlp, valid_from, valid_until, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		in.OwnerOrg, string(in.Type), in.Value, in.STIXID, in.Name, in.Description, in.Source, in.Confidence, string(in.TLP),
		ms(in.ValidFrom), ms(in.ValidUntil), in.CreatedBy, ms(tx.now), ms(tx.now)).Scan(&in.ID)
	if err != nil {
		if fenghuo.ErrorCode(err) == fenghuo.ECONFLICT {
			return fenghuo.Errorf(fenghuo.ECONFLICT, "The library already holds %s %s for this unit. / 本单位情报库中已有该指标。", in.Type, in.Value)
		}
		return fmt.Errorf("store: create indicator: %w", err)
	}
	return nil
}

// UpdateIndicator writes an indicator's editable fields (not its owner,
// type or creation).
func (tx *Tx) UpdateIndicator(ctx context.Context, in *Indicator) error {
	if err := in.Validate(); err != nil {
		return err
	}
	in.UpdatedAt = tx.now
	res, err := tx.c.exec(ctx, `UPDATE indicators SET value = ?, stix_id = ?, name = ?, description = ?, source = ?, confidence = ?,
		tlp = ?, valid_from = ?, valid_until = ?, updated_at = ? WHERE id = ?`,
		in.Value, in.STIXID, in.Name, in.Description, in.Source, in.Confidence, string(in.TLP), ms(in.ValidFrom), ms(in.ValidUntil),
		ms(tx.now), in.ID)
	if err != nil {
		if fenghuo.ErrorCode(err) == fenghuo.ECONFLICT {
			return fenghuo.Errorf(fenghuo.ECONFLICT, "The library already holds %s %s for this unit. / 本单位情报库中已有该指标。", in.Type, in.Value)
		}
		return fmt.Errorf("store: update indicator %d: %w", in.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("Indicator", in.ID)
	}
	return nil
}

// RevokeIndicator marks an indicator revoked by user.
func (tx *Tx) RevokeIndicator(ctx context.Context, id, by int64) error {
	res, err := tx.c.exec(ctx, "UPDATE indicators SET revoked_at = ?, revoked_by = ?, updated_at = ? WHERE id = ? AND revoked_at = 0",
		ms(tx.now), by, ms(tx.now), id)
	if err != nil {
		return fmt.Errorf("store: revoke indicator %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("Indicator", id)
	}
	return nil
}

// Indicator returns one row, revoked or not.
func (tx *Tx) Indicator(ctx context.Context, id int64) (*Indicator, error) {
	in, err := scanIndicator(tx.c.queryRow(ctx, "SELECT "+indicatorColumns+
		" FROM indicators i JOIN orgs o ON o.id = i.org_id WHERE i.id = ?", id))
	if err != nil {
		return nil, notFoundOr(err, "Indicator", id)
	}
	return in, nil
}

// IndicatorByValue returns the owner's row for a type and value (ENOTFOUND
// when there is none): imports update it instead of adding another.
func (tx *Tx) IndicatorByValue(ctx context.Context, orgID int64, typ ioc.Type, value string) (*Indicator, error) {
	in, err := scanIndicator(tx.c.queryRow(ctx, "SELECT "+indicatorColumns+
		" FROM indicators i JOIN orgs o ON o.id = i.org_id WHERE i.org_id = ? AND i.type = ? AND i.value = ?", orgID, string(typ), value))
	if err != nil {
		return nil, notFoundOr(err, "Indicator", value)
	}
	return in, nil
}

// visibleIndicatorIDs is the subquery of the ids of indicators in force a
// scope may see, one indexed branch per TLP rule.
func visibleIndicatorIDs(s IndicatorScope) (string, []any) {
	ancestors := s.AncestorIDs
	if len(ancestors) == 0 {
		ancestors = []int64{s.OrgID}
	}
	args := []any{likeEscape(s.RootPath) + "%"}
	for _, id := range ancestors {
		args = append(args, id)
	}
	args = append(args, s.OrgID)
	return `SELECT c.id FROM indicators c WHERE c.tlp = 'CLEAR' AND c.revoked_at = 0
		UNION SELECT g.id FROM orgs gr JOIN indicators g ON g.org_id = gr.id WHERE gr.path LIKE ? ESCAPE '\' AND g.tlp = 'GREEN' AND g.revoked_at = 0
		UNION SELECT a.id FROM indicators a WHERE a.org_id IN (` + placeholders(len(ancestors)) + `) AND a.tlp = 'AMBER' AND a.revoked_at = 0
		UNION SELECT s.id FROM indicators s WHERE s.org_id = ? AND s.revoked_at = 0`, args
}

func indicatorWhere(s IndicatorScope, f IndicatorFilter) (string, []any) {
	sub, args := visibleIndicatorIDs(s)
	// The visible ids drive the join: each branch reads its index, and
	// only the indicators a scope may see are read, by id. With "i.id IN
	// (…)" or a plain join SQLite walks the whole table in id order and
	// tests each row against the set; CROSS JOIN keeps its loops in the
	// order written (PostgreSQL plans it as any inner join).
	where := " FROM (" + sub + ") v CROSS JOIN indicators i JOIN orgs o ON o.id = i.org_id WHERE i.id = v.id"
	if f.Type != "" {
		where += " AND i.type = ?"
		args = append(args, string(f.Type))
	}
	if f.TLP != "" {
		where += " AND i.tlp = ?"
		args = append(args, string(f.TLP))
	}
	if f.OwnerID != 0 {
		where += " AND i.org_id = ?"
		args = append(args, f.OwnerID)
	}
	return where, args
}

// IndicatorsVisible lists, newest first, the indicators in force (not
// revoked; expired ones included) a scope may see.
func (db *DB) IndicatorsVisible(ctx context.Context, s IndicatorScope, f IndicatorFilter, p Page) (ListResult[Indicator], error) {
	return view(ctx, db, func(tx *Tx) (ListResult[Indicator], error) {
		var res ListResult[Indicator]
		p = p.norm()
		where, args := indicatorWhere(s, f)
		if err := tx.c.queryRow(ctx, "SELECT COUNT(*)"+where, args...).Scan(&res.Total); err != nil {
			return res, fmt.Errorf("store: count indicators: %w", err)
		}
		items, err := tx.indicators(ctx, "SELECT "+indicatorColumns+where+" ORDER BY i.id DESC LIMIT ? OFFSET ?",
			append(args, p.Limit, p.Offset)...)
		res.Items = items
		return res, err
	})
}

// IndicatorsForExport returns up to limit indicators a scope may see,
// oldest first, for an export.
func (db *DB) IndicatorsForExport(ctx context.Context, s IndicatorScope, f IndicatorFilter, limit int) ([]Indicator, error) {
	return view(ctx, db, func(tx *Tx) ([]Indicator, error) {
		where, args := indicatorWhere(s, f)
		return tx.indicators(ctx, "SELECT "+indicatorColumns+where+" ORDER BY i.id LIMIT ?", append(args, limit)...)
	})
}

// ActiveIndicators returns every indicator not revoked and not expired at
// t, for the matcher (it reads the table by design: the matcher holds all
// of it).
func (db *DB) ActiveIndicators(ctx context.Context, t time.Time) ([]Indicator, error) {
	return view(ctx, db, func(tx *Tx) ([]Indicator, error) {
		return tx.indicators(ctx, "SELECT "+indicatorColumns+` FROM indicators i JOIN orgs o ON o.id = i.org_id
			WHERE i.revoked_at = 0 AND (i.valid_until = 0 OR i.valid_until > ?) ORDER BY i.id`, ms(t))
	})
}

// IndicatorOwners lists the orgs owning indicators a scope may see (the
// console's owner filter).
func (db *DB) IndicatorOwners(ctx context.Context, s IndicatorScope) ([]fenghuo.Org, error) {
	return view(ctx, db, func(tx *Tx) ([]fenghuo.Org, error) {
		sub, args := visibleIndicatorIDs(s)
		rows, err := tx.c.query(ctx, `SELECT o.id, o.name FROM orgs o WHERE o.id IN (SELECT i.org_id FROM indicators i WHERE i.id IN (`+
			sub+`)) ORDER BY o.path`, args...)
		if err != nil {
			return nil, fmt.Errorf("store: indicator owners: %w", err)
		}
		defer rows.Close()
		var out []fenghuo.Org
		for rows.Next() {
			var o fenghuo.Org
			if err := rows.Scan(&o.ID, &o.Name); err != nil {
				return nil, err
			}
			out = append(out, o)
		}
		return out, rows.Err()
	})
}

func (tx *Tx) indicators(ctx context.Context, query string, args ...any) ([]Indicator, error) {
	rows, err := tx.c.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list indicators: %w", err)
	}
	defer rows.Close()
	var out []Indicator
	for rows.Next() {
		in, err := scanIndicator(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *in)
	}
	return out, rows.Err()
}

// ScopeOfPath returns the TLP scope of the org with the given path.
func ScopeOfPath(orgID int64, path string) IndicatorScope {
	ids := fenghuo.ParseOrgPath(path)
	s := IndicatorScope{OrgID: orgID, AncestorIDs: ids, RootPath: path}
	if len(ids) > 0 {
		s.RootPath = "/" + strconv.FormatInt(ids[0], 10) + "/"
	}
	if !strings.HasSuffix(s.RootPath, "/") {
		s.RootPath += "/"
	}
	return s
}

// OrgPaths returns every org's materialised path, for the matcher's TLP
// check on incoming events (the org tree is small and read whole).
func (db *DB) OrgPaths(ctx context.Context) (map[int64]string, error) {
	return view(ctx, db, func(tx *Tx) (map[int64]string, error) {
		rows, err := tx.c.query(ctx, "SELECT id, path FROM orgs")
		if err != nil {
			return nil, fmt.Errorf("store: org paths: %w", err)
		}
		defer rows.Close()
		out := map[int64]string{}
		for rows.Next() {
			var id int64
			var path string
			if err := rows.Scan(&id, &path); err != nil {
				return nil, err
			}
			out[id] = path
		}
		return out, rows.Err()
	})
}
