package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Alert group states.
const (
	AlertOpen      = "open"
	AlertAssigned  = "assigned"
	AlertDismissed = "dismissed"
	AlertPromoted  = "promoted"
)

// AlertGroup gathers the detections of one rule about one entity in one
// unit over a window (0031_intake.sql).
type AlertGroup struct {
	ID            int64
	OrgID         int64
	RuleID        string
	Entity        string
	Kind          string // sigma, threshold, ioc
	RuleSet       string
	Title         string
	Level         string // the highest level seen
	Tags          []string
	IndicatorID   int64
	SourceID      int64 // the intake source of the first event
	Count         int64
	FirstSeen     time.Time
	LastSeen      time.Time
	State         string
	AssigneeID    int64
	DismissReason string
	IncidentID    int64
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

const alertGroupColumns = `g.id, g.org_id, g.rule_id, g.entity, g.kind, g.rule_set, g.title, g.level, g.tags, g.indicator_id,
	g.source_id, g.event_count, g.first_seen, g.last_seen, g.state, g.assignee_id, g.dismiss_reason, g.incident_id,
	g.created_at, g.updated_at`

// alertGroupReturning is alertGroupColumns unqualified, for RETURNING.
var alertGroupReturning = strings.ReplaceAll(alertGroupColumns, "g.", "")

func scanAlertGroup(sc scanner) (*AlertGroup, error) {
	var g AlertGroup
	var tags string
	var first, last, created, updated int64
	if err := sc.Scan(&g.ID, &g.OrgID, &g.RuleID, &g.Entity, &g.Kind, &g.RuleSet, &g.Title, &g.Level, &tags, &g.IndicatorID,
		&g.SourceID, &g.Count, &first, &last, &g.State, &g.AssigneeID, &g.DismissReason, &g.IncidentID, &created, &updated); err != nil {
		return nil, err
	}
	g.FirstSeen, g.LastSeen, g.CreatedAt, g.UpdatedAt = fromMS(first), fromMS(last), fromMS(created), fromMS(updated)
	if err := unmarshalList(tags, &g.Tags); err != nil {
		return nil, fmt.Errorf("store: alert group %d tags: %w", g.ID, err)
	}
	return &g, nil
}

// LatestAlertGroup returns, locked until tx ends, the group of a unit,
// rule and entity seen last, or ENOTFOUND.
func (tx *Tx) LatestAlertGroup(ctx context.Context, orgID int64, ruleID, entity string) (*AlertGroup, error) {
	g, err := scanAlertGroup(tx.c.queryRow(ctx, `UPDATE alert_groups SET updated_at = updated_at WHERE id = (SELECT x.id
		FROM alert_groups x WHERE x.org_id = ? AND x.rule_id = ? AND x.entity = ? ORDER BY x.last_seen DESC LIMIT 1)
		RETURNING `+alertGroupReturning, orgID, ruleID, entity))
	if err != nil {
		return nil, notFoundOr(err, "Alert group", ruleID+" "+entity)
	}
	return g, nil
}

// LockAlertKey serialises, until tx ends, the transactions that may open a
// group for the same unit, rule and entity, so that two batches at once
// (PostgreSQL, several sources or replicas) cannot both open one. SQLite's
// single writer already serialises them. Callers lock keys in a fixed order.
func (tx *Tx) LockAlertKey(ctx context.Context, orgID int64, ruleID, entity string) error {
	if tx.db.d.engine != Postgres {
		return nil
	}
	_, err := tx.c.exec(ctx, "SELECT pg_advisory_xact_lock(740628, hashtext(CAST(? AS TEXT)))", fmt.Sprintf("%d|%s|%s", orgID, ruleID, entity))
	return err
}

// CreateAlertGroup stores a new group and sets its ID.
func (tx *Tx) CreateAlertGroup(ctx context.Context, g *AlertGroup) error {
	g.CreatedAt, g.UpdatedAt = tx.now, tx.now
	if g.State == "" {
		g.State = AlertOpen
	}
	err := tx.c.queryRow(ctx, `INSERT INTO alert_groups (org_id, rule_id, entity, kind, rule_set, title, level, tags, indicator_id,
		source_id, event_count, first_seen, last_seen, state, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		g.OrgID, g.RuleID, g.Entity, g.Kind, g.RuleSet, g.Title, g.Level, jsonText(g.Tags), g.IndicatorID, g.SourceID, g.Count,
		ms(g.FirstSeen), ms(g.LastSeen), g.State, ms(tx.now), ms(tx.now)).Scan(&g.ID)
	if err != nil {
		return fmt.Errorf("store: create alert group: %w", err)
	}
	if _, err := tx.c.exec(ctx, alertScopeClosure("g.id = ?"), g.ID); err != nil {
		return fmt.Errorf("store: alert group scope: %w", err)
	}
	return nil
}

// alertScopeClosure is the rule alert_group_scope follows: a row for every
// ancestor (itself included) of the group's unit, for the groups the
// condition on g selects.
func alertScopeClosure(cond string) string {
	return `INSERT INTO alert_group_scope (org_id, group_id, unit_id, state, level, kind, rule_id, last_seen)
		SELECT a.id, g.id, g.org_id, g.state, g.level, g.kind, g.rule_id, g.last_seen
		FROM alert_groups g JOIN orgs m ON m.id = g.org_id JOIN orgs a ON a.path = substr(m.path, 1, length(a.path))
		WHERE ` + cond
}

// rescopeAlertGroupsUnder recomputes alert_group_scope for the groups of
// org id's subtree after the org moved (its ancestors changed).
func (tx *Tx) rescopeAlertGroupsUnder(ctx context.Context, id int64) error {
	o, err := tx.Org(ctx, id)
	if err != nil {
		return err
	}
	like := likeEscape(o.Path) + "%"
	if _, err := tx.c.exec(ctx, `DELETE FROM alert_group_scope WHERE unit_id IN (SELECT x.id FROM orgs x WHERE x.path LIKE ? ESCAPE '\')`, like); err != nil {
		return fmt.Errorf("store: alert group scope: %w", err)
	}
	if _, err := tx.c.exec(ctx, alertScopeClosure(`g.org_id IN (SELECT x.id FROM orgs x WHERE x.path LIKE ? ESCAPE '\')`), like); err != nil {
		return fmt.Errorf("store: alert group scope: %w", err)
	}
	return nil
}

// rebuildAlertGroupScope recomputes the whole of alert_group_scope (restore).
func (tx *Tx) rebuildAlertGroupScope(ctx context.Context) error {
	if _, err := tx.c.exec(ctx, "DELETE FROM alert_group_scope"); err != nil {
		return err
	}
	_, err := tx.c.exec(ctx, alertScopeClosure("1 = 1"))
	return err
}

// UpdateAlertGroup writes a group's counts, times, level, title, tags and
// triage fields.
func (tx *Tx) UpdateAlertGroup(ctx context.Context, g *AlertGroup) error {
	g.UpdatedAt = tx.now
	_, err := tx.c.exec(ctx, `UPDATE alert_groups SET title = ?, level = ?, tags = ?, event_count = ?, first_seen = ?, last_seen = ?,
		state = ?, assignee_id = ?, dismiss_reason = ?, incident_id = ?, updated_at = ? WHERE id = ?`,
		g.Title, g.Level, jsonText(g.Tags), g.Count, ms(g.FirstSeen), ms(g.LastSeen), g.State, g.AssigneeID, g.DismissReason,
		g.IncidentID, ms(tx.now), g.ID)
	if err != nil {
		return fmt.Errorf("store: update alert group %d: %w", g.ID, err)
	}
	_, err = tx.c.exec(ctx, "UPDATE alert_group_scope SET state = ?, level = ?, last_seen = ? WHERE group_id = ?",
		g.State, g.Level, ms(g.LastSeen), g.ID)
	if err != nil {
		return fmt.Errorf("store: update alert group scope %d: %w", g.ID, err)
	}
	return nil
}

// AddAlertSamples links events to a group and keeps only its keep newest.
func (tx *Tx) AddAlertSamples(ctx context.Context, groupID int64, eventIDs []int64, keep int) error {
	if len(eventIDs) > keep {
		eventIDs = eventIDs[len(eventIDs)-keep:]
	}
	if len(eventIDs) == 0 {
		return nil
	}
	args := make([]any, 0, 2*len(eventIDs))
	for _, id := range eventIDs {
		args = append(args, groupID, id)
	}
	if _, err := tx.c.exec(ctx, "INSERT INTO alert_group_samples (group_id, event_id) VALUES "+values(len(eventIDs), 2)+
		" ON CONFLICT (group_id, event_id) DO NOTHING", args...); err != nil {
		return fmt.Errorf("store: alert samples: %w", err)
	}
	_, err := tx.c.exec(ctx, `DELETE FROM alert_group_samples WHERE group_id = ? AND event_id < (SELECT MIN(k.event_id) FROM
		(SELECT s.event_id FROM alert_group_samples s WHERE s.group_id = ? ORDER BY s.event_id DESC LIMIT ?) k)`, groupID, groupID, keep)
	if err != nil {
		return fmt.Errorf("store: trim alert samples: %w", err)
	}
	return nil
}

// AlertSampleIDs returns the IDs of a group's sample events, newest first.
func (tx *Tx) AlertSampleIDs(ctx context.Context, groupID int64) ([]int64, error) {
	rows, err := tx.c.query(ctx, "SELECT s.event_id FROM alert_group_samples s WHERE s.group_id = ? ORDER BY s.event_id DESC LIMIT ?", groupID, MaxLimit)
	if err != nil {
		return nil, fmt.Errorf("store: alert samples: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// AlertGroup returns one group.
func (tx *Tx) AlertGroup(ctx context.Context, id int64) (*AlertGroup, error) {
	g, err := scanAlertGroup(tx.c.queryRow(ctx, "SELECT "+alertGroupColumns+" FROM alert_groups g WHERE g.id = ?", id))
	if err != nil {
		return nil, notFoundOr(err, "Alert group", id)
	}
	return g, nil
}

// LockAlertGroup returns a group and holds its row until tx ends.
func (tx *Tx) LockAlertGroup(ctx context.Context, id int64) (*AlertGroup, error) {
	g, err := scanAlertGroup(tx.c.queryRow(ctx, "UPDATE alert_groups SET updated_at = updated_at WHERE id = ? RETURNING "+alertGroupReturning, id))
	if err != nil {
		return nil, notFoundOr(err, "Alert group", id)
	}
	return g, nil
}

// AlertGroupFilter selects the groups OrgID sees (its own and its
// subtree's units; the caller checked the org is the actor's or below it).
type AlertGroupFilter struct {
	OrgID    int64
	State    string
	Level    string
	Kind     string
	RuleID   string
	From, To time.Time // last_seen in [From, To)
}

func (f AlertGroupFilter) where(withFacets bool) (string, []any) {
	where := []string{"s.org_id = ?"}
	args := []any{f.OrgID}
	if !withFacets {
		for _, c := range []struct{ col, v string }{{"state", f.State}, {"level", f.Level}, {"kind", f.Kind}, {"rule_id", f.RuleID}} {
			if c.v != "" {
				where, args = append(where, "s."+c.col+" = ?"), append(args, c.v)
			}
		}
	}
	if !f.From.IsZero() {
		where, args = append(where, "s.last_seen >= ?"), append(args, ms(f.From))
	}
	if !f.To.IsZero() {
		where, args = append(where, "s.last_seen < ?"), append(args, ms(f.To))
	}
	return " FROM alert_group_scope s WHERE " + strings.Join(where, " AND "), args
}

// AlertGroups lists groups, latest activity first.
func (db *DB) AlertGroups(ctx context.Context, f AlertGroupFilter, p Page) (ListResult[AlertGroup], error) {
	return view(ctx, db, func(tx *Tx) (ListResult[AlertGroup], error) {
		p = p.norm()
		from, args := f.where(false)
		var res ListResult[AlertGroup]
		var err error
		order := " ORDER BY s.last_seen DESC, s.group_id DESC"
		if res.Total, res.Capped, err = tx.countCapped(ctx, "SELECT s.group_id"+from+order, args); err != nil {
			return res, fmt.Errorf("store: count alert groups: %w", err)
		}
		rows, err := tx.c.query(ctx, "SELECT "+alertGroupColumns+" FROM alert_groups g JOIN (SELECT s.group_id, s.last_seen"+from+order+
			" LIMIT ? OFFSET ?) k ON k.group_id = g.id ORDER BY k.last_seen DESC, k.group_id DESC", append(args, p.Limit, p.Offset)...)
		if err != nil {
			return res, fmt.Errorf("store: alert groups: %w", err)
		}
		defer rows.Close()
		res.Items = []AlertGroup{}
		for rows.Next() {
			g, err := scanAlertGroup(rows)
			if err != nil {
				return res, err
			}
			res.Items = append(res.Items, *g)
		}
		return res, rows.Err()
	})
}

// AlertFacets are the counts of the groups a filter's scope and time range
// select, by state, level and kind (the other filters left out, so that a
// page shows what choosing each value would give).
type AlertFacets struct {
	State map[string]int
	Level map[string]int
	Kind  map[string]int
}

// AlertGroupFacets counts groups by state, level and kind.
func (db *DB) AlertGroupFacets(ctx context.Context, f AlertGroupFilter) (AlertFacets, error) {
	return view(ctx, db, func(tx *Tx) (AlertFacets, error) {
		out := AlertFacets{State: map[string]int{}, Level: map[string]int{}, Kind: map[string]int{}}
		from, args := f.where(true)
		for _, c := range []struct {
			col string
			m   map[string]int
		}{{"state", out.State}, {"level", out.Level}, {"kind", out.Kind}} {
			rows, err := tx.c.query(ctx, "SELECT s."+c.col+", COUNT(*)"+from+" GROUP BY s."+c.col, args...)
			if err != nil {
				return out, fmt.Errorf("store: alert facets: %w", err)
			}
			for rows.Next() {
				var k string
				var n int
				if err := rows.Scan(&k, &n); err != nil {
					rows.Close()
					return out, err
				}
				c.m[k] = n
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return out, err
			}
		}
		return out, nil
	})
}

// OpenAlertGroupCounts counts the open and assigned groups org orgID sees
// by level (the awareness screens).
func (db *DB) OpenAlertGroupCounts(ctx context.Context, orgID int64) (map[string]int, error) {
	return view(ctx, db, func(tx *Tx) (map[string]int, error) {
		rows, err := tx.c.query(ctx, `SELECT s.level, COUNT(*) FROM alert_group_scope s WHERE s.org_id = ? AND s.state IN ('open', 'assigned')
			GROUP BY s.level`, orgID)
		if err != nil {
			return nil, fmt.Errorf("store: count open alert groups: %w", err)
		}
		defer rows.Close()
		out := map[string]int{}
		for rows.Next() {
			var level string
			var n int
			if err := rows.Scan(&level, &n); err != nil {
				return nil, err
			}
			out[level] = n
		}
		return out, rows.Err()
	})
}
