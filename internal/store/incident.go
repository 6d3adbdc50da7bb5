package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"fenghuo/internal/fenghuo"
)

const incidentColumns = `i.id, i.org_id, i.title, i.category, i.taxonomy, i.status, i.occurred_at, i.discovered_at,
	i.reported_at, i.facts, i.description, i.impact, i.measures, i.grade, i.computed_grade, i.grade_override,
	i.override_reason, i.grading, i.channel, i.caller, i.entered_by, i.source, i.response_level,
	i.response_started_at, i.response_ended_at, i.handling_ended_at, i.close_reason, i.created_at, i.updated_at, i.version`

func scanIncident(sc scanner) (*fenghuo.Incident, error) {
	var i fenghuo.Incident
	var occurred, discovered, reported, rStart, rEnd, hEnd, created, updated int64
	var facts string
	err := sc.Scan(&i.ID, &i.OrgID, &i.Title, &i.Category, &i.Taxonomy, &i.Status, &occurred, &discovered,
		&reported, &facts, &i.Description, &i.Impact, &i.Measures, &i.Grade, &i.ComputedGrade, &i.GradeOverride,
		&i.OverrideReason, &i.Grading, &i.Channel, &i.Caller, &i.EnteredBy, &i.Source, &i.ResponseLevel,
		&rStart, &rEnd, &hEnd, &i.CloseReason, &created, &updated, &i.Version)
	if err != nil {
		return nil, err
	}
	i.OccurredAt, i.DiscoveredAt, i.ReportedAt = fromMS(occurred), fromMS(discovered), fromMS(reported)
	i.ResponseStartedAt, i.ResponseEndedAt, i.HandlingEndedAt = fromMS(rStart), fromMS(rEnd), fromMS(hEnd)
	i.CreatedAt, i.UpdatedAt = fromMS(created), fromMS(updated)
	if err := json.Unmarshal([]byte(facts), &i.Facts); err != nil {
		return nil, fmt.Errorf("store: incident %d facts: %w", i.ID, err)
	}
	return &i, nil
}

func factsText(f map[string]any) string {
	if len(f) == 0 {
		return "{}"
	}
	b, err := json.Marshal(f)
	if err != nil {
		return "{}"
	}
	return string(b)
}

// CreateIncident validates inc and inserts it with its systems.
func (tx *Tx) CreateIncident(ctx context.Context, inc *fenghuo.Incident) error {
	if err := inc.Validate(); err != nil {
		return err
	}
	if inc.Status == "" {
		inc.Status = fenghuo.StatusDraft
	}
	err := tx.c.queryRow(ctx, `INSERT INTO incidents (org_id, title, category, taxonomy, status, occurred_at, discovered_at,
		reported_at, facts, description, impact, measures, grade, computed_grade, grade_override, override_reason, grading,
		channel, caller, entered_by, source, response_level, response_started_at, response_ended_at, handling_ended_at,
		close_reason, created_at, updated_at, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id`,
		inc.OrgID, inc.Title, inc.Category, inc.Taxonomy, inc.Status, ms(inc.OccurredAt), ms(inc.DiscoveredAt),
		ms(inc.ReportedAt), factsText(inc.Facts), inc.Description, inc.Impact, inc.Measures, string(inc.Grade),
		string(inc.ComputedGrade), string(inc.GradeOverride), inc.OverrideReason, inc.Grading, inc.Channel, inc.Caller,
		inc.EnteredBy, inc.Source, string(inc.ResponseLevel), ms(inc.ResponseStartedAt), ms(inc.ResponseEndedAt),
		ms(inc.HandlingEndedAt), inc.CloseReason, ms(tx.now), ms(tx.now)).Scan(&inc.ID)
	if err != nil {
		return fmt.Errorf("store: create incident: %w", err)
	}
	inc.CreatedAt, inc.UpdatedAt, inc.Version = tx.now, tx.now, 1
	if err := tx.addScope(ctx, inc.ID, inc.OrgID); err != nil {
		return err
	}
	return tx.writeIncidentSystems(ctx, inc)
}

func (tx *Tx) writeIncidentSystems(ctx context.Context, inc *fenghuo.Incident) error {
	if _, err := tx.c.exec(ctx, "DELETE FROM incident_systems WHERE incident_id = ?", inc.ID); err != nil {
		return fmt.Errorf("store: incident %d systems: %w", inc.ID, err)
	}
	seen := map[int64]bool{}
	for _, id := range inc.SystemIDs {
		if seen[id] {
			continue
		}
		seen[id] = true
		if _, err := tx.c.exec(ctx, "INSERT INTO incident_systems (incident_id, system_id) VALUES (?, ?)", inc.ID, id); err != nil {
			return fmt.Errorf("store: incident %d system %d: %w", inc.ID, id, err)
		}
	}
	return nil
}

// Incident returns an incident with its system IDs.
func (db *DB) Incident(ctx context.Context, id int64) (*fenghuo.Incident, error) {
	return view(ctx, db, func(tx *Tx) (*fenghuo.Incident, error) { return tx.Incident(ctx, id) })
}

// Incident is DB.Incident inside tx.
func (tx *Tx) Incident(ctx context.Context, id int64) (*fenghuo.Incident, error) {
	inc, err := scanIncident(tx.c.queryRow(ctx, "SELECT "+incidentColumns+" FROM incidents i WHERE i.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Incident", id)
	} else if err != nil {
		return nil, fmt.Errorf("store: incident %d: %w", id, err)
	}
	rows, err := tx.c.query(ctx, "SELECT system_id FROM incident_systems WHERE incident_id = ? ORDER BY system_id", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var sid int64
		if err := rows.Scan(&sid); err != nil {
			return nil, err
		}
		inc.SystemIDs = append(inc.SystemIDs, sid)
	}
	return inc, rows.Err()
}

// UpdateIncident writes every field of inc if its Version is current.
func (tx *Tx) UpdateIncident(ctx context.Context, inc *fenghuo.Incident) error {
	if err := inc.Validate(); err != nil {
		return err
	}
	res, err := tx.c.exec(ctx, `UPDATE incidents SET title = ?, category = ?, taxonomy = ?, status = ?, occurred_at = ?,
		discovered_at = ?, reported_at = ?, facts = ?, description = ?, impact = ?, measures = ?, grade = ?, computed_grade = ?,
		grade_override = ?, override_reason = ?, grading = ?, channel = ?, caller = ?, source = ?, response_level = ?,
		response_started_at = ?, response_ended_at = ?, handling_ended_at = ?, close_reason = ?, updated_at = ?,
		version = version + 1 WHERE id = ? AND version = ?`,
		inc.Title, inc.Category, inc.Taxonomy, inc.Status, ms(inc.OccurredAt), ms(inc.DiscoveredAt), ms(inc.ReportedAt),
		factsText(inc.Facts), inc.Description, inc.Impact, inc.Measures, string(inc.Grade), string(inc.ComputedGrade),
		string(inc.GradeOverride), inc.OverrideReason, inc.Grading, inc.Channel, inc.Caller, inc.Source,
		string(inc.ResponseLevel), ms(inc.ResponseStartedAt), ms(inc.ResponseEndedAt), ms(inc.HandlingEndedAt),
		inc.CloseReason, ms(tx.now), inc.ID, inc.Version)
	if err != nil {
		return fmt.Errorf("store: update incident %d: %w", inc.ID, err)
	}
	if err := tx.checkVersioned(ctx, res, "incidents", "Incident", inc.ID); err != nil {
		return err
	}
	inc.Version++
	inc.UpdatedAt = tx.now
	if _, err := tx.c.exec(ctx, `UPDATE incident_scope SET discovered_at = ?, status = ?, grade = ?, category = ?, title = ?
		WHERE incident_id = ?`, ms(inc.DiscoveredAt), string(inc.Status), string(inc.Grade), inc.Category, inc.Title, inc.ID); err != nil {
		return fmt.Errorf("store: update incident %d: %w", inc.ID, err)
	}
	return tx.writeIncidentSystems(ctx, inc)
}

// IncidentFilter narrows Incidents. Visibility: ScopeOrgID sees the
// incidents of units in its subtree and those whose reports were delivered
// to an org in its subtree (shared upward along the reporting chain), as
// incident_scope records; 0 lists every incident.
type IncidentFilter struct {
	ScopeOrgID int64
	UnitID     int64
	Grade      fenghuo.Grade
	Category   string
	Status     fenghuo.IncidentStatus
	Open       bool // not closed
	Overdue    bool // with an open obligation past due at Now
	Query      string
	Now        time.Time
	// Sort is the order: SortNew (the default) newest discovered first,
	// or SortDue the nearest open deadline first (overdue the longest at
	// the top), then the incidents without one, newest first.
	Sort string
}

// Incident list orders.
const (
	SortNew = "new"
	SortDue = "due"
)

// NextDue is an incident's nearest open duty with a due time.
type NextDue struct {
	Kind  string
	Title string
	DueAt time.Time
}

// IncidentRow is an incident as lists show it: no facts, texts or grading
// record, which only the incident's own page reads.
type IncidentRow struct {
	ID            int64
	OrgID         int64
	Title         string
	Category      string
	Taxonomy      string
	Status        fenghuo.IncidentStatus
	Grade         fenghuo.Grade
	ComputedGrade fenghuo.Grade
	GradeOverride fenghuo.Grade
	Channel       string
	Caller        string
	OccurredAt    time.Time
	DiscoveredAt  time.Time
	ReportedAt    time.Time
	Version       int
	// Next is the nearest open duty (zero DueAt: none); filled by
	// Incidents for the page it returns.
	Next NextDue
}

const incidentRowColumns = `i.id, i.org_id, i.title, i.category, i.taxonomy, i.status, i.grade, i.computed_grade,
	i.grade_override, i.channel, i.caller, i.occurred_at, i.discovered_at, i.reported_at, i.version`

func scanIncidentRow(sc scanner) (IncidentRow, error) {
	var r IncidentRow
	var occurred, discovered, reported int64
	err := sc.Scan(&r.ID, &r.OrgID, &r.Title, &r.Category, &r.Taxonomy, &r.Status, &r.Grade, &r.ComputedGrade,
		&r.GradeOverride, &r.Channel, &r.Caller, &occurred, &discovered, &reported, &r.Version)
	r.OccurredAt, r.DiscoveredAt, r.ReportedAt = fromMS(occurred), fromMS(discovered), fromMS(reported)
	return r, err
}

// openStatuses are the statuses of an incident not closed, spelled out so
// that the status index can serve "open".
var openStatuses = []any{string(fenghuo.StatusDraft), string(fenghuo.StatusReported), string(fenghuo.StatusAssessing),
	string(fenghuo.StatusResponding), string(fenghuo.StatusRecovering)}

// SearchWindow bounds the filters no index can serve (a word of the title,
// a category prefix): they look through the newest SearchWindow incidents in
// the viewer's scope, so that a search costs the same at 100,000 incidents
// as at 20,000. Older incidents are found by status, grade or unit.
const SearchWindow = 20000

// incidentList builds the incident list as two statements: which
// incidents (keys), from incident_scope alone, in (org, discovered) index
// order, with the status, grade and unit filters on that table's own
// indexes; and the list columns of just those (page), by primary key.
// Without a scope (ScopeOrgID 0: every incident) it reads incidents.
func incidentList(f IncidentFilter) (keys, order string, args []any) {
	src, col := "incident_scope s", "s.incident_id"
	where := " WHERE s.org_id = ?"
	args = append(args, f.ScopeOrgID)
	if f.ScopeOrgID == 0 {
		src, col, where, args = "incidents s", "s.id", " WHERE 1 = 1", nil
	}
	if f.Query != "" || f.Category != "" {
		// No index finds a word in a title: search the newest window.
		src = "(SELECT * FROM " + src + where + " ORDER BY s.discovered_at DESC, " + col + " DESC LIMIT " + fmt.Sprint(SearchWindow) + ") s"
		where = " WHERE 1 = 1"
	}
	if f.Grade != "" {
		where += " AND s.grade = ?"
		args = append(args, string(f.Grade))
	}
	if f.Status != "" {
		where += " AND s.status = ?"
		args = append(args, string(f.Status))
	}
	if f.Open {
		where += " AND s.status IN (" + placeholders(len(openStatuses)) + ")"
		args = append(args, openStatuses...)
	}
	if f.UnitID != 0 {
		if f.ScopeOrgID == 0 {
			where += " AND s.org_id = ?"
		} else {
			where += " AND s.unit_id = ?"
		}
		args = append(args, f.UnitID)
	}
	if f.Category != "" {
		where += " AND (s.category = ? OR s.category LIKE ? ESCAPE '\\')"
		args = append(args, f.Category, likeEscape(f.Category)+"%")
	}
	if f.Query != "" {
		where += " AND LOWER(s.title) LIKE ? ESCAPE '\\'"
		args = append(args, "%"+likeEscape(lower(f.Query))+"%")
	}
	if f.Overdue && f.ScopeOrgID != 0 {
		where += " AND s.open_due > 0 AND s.open_due <= ?"
		args = append(args, ms(f.Now))
	} else if f.Overdue {
		// One uncorrelated set: the incidents with an open duty past due.
		where += " AND " + col + " IN (SELECT b.incident_id FROM obligations b WHERE b.state = 'open' AND b.due_at > 0 AND b.due_at <= ?)"
		args = append(args, ms(f.Now))
	}
	order = " ORDER BY s.discovered_at DESC, " + col + " DESC"
	return "SELECT " + col + " AS incident_id, s.discovered_at FROM " + src + where, order, args
}

// Incidents lists incidents, newest discovered first. Total is exact up to
// CountCap and capped above it (Capped).
func (db *DB) Incidents(ctx context.Context, f IncidentFilter, p Page) (ListResult[IncidentRow], error) {
	return view(ctx, db, func(tx *Tx) (ListResult[IncidentRow], error) { return tx.Incidents(ctx, f, p) })
}

// CountIncidents counts the incidents Incidents would list, up to CountCap
// (the dashboard's figures).
func (db *DB) CountIncidents(ctx context.Context, f IncidentFilter) (n int, capped bool, err error) {
	err = db.View(ctx, func(tx *Tx) error {
		n, capped, err = tx.countIncidents(ctx, f)
		return err
	})
	return n, capped, err
}

func (tx *Tx) countIncidents(ctx context.Context, f IncidentFilter) (int, bool, error) {
	keys, order, args := incidentList(f)
	// The count reads the list's own order, except where a status or due
	// index finds the rows at once and the order would sort them all.
	count := keys + order
	if f.Open || f.Status != "" || f.Overdue {
		count = keys
	}
	n, capped, err := tx.countCapped(ctx, count, args)
	if err != nil {
		return 0, false, fmt.Errorf("store: count incidents: %w", err)
	}
	return n, capped, nil
}

// Incidents is DB.Incidents inside tx.
func (tx *Tx) Incidents(ctx context.Context, f IncidentFilter, p Page) (ListResult[IncidentRow], error) {
	p = p.norm()
	keys, order, args := incidentList(f)
	var res ListResult[IncidentRow]
	var err error
	if res.Total, res.Capped, err = tx.countIncidents(ctx, f); err != nil {
		return res, err
	}
	page := "SELECT " + incidentRowColumns + " FROM (" + keys + order + " LIMIT ? OFFSET ?) k JOIN incidents i ON i.id = k.incident_id ORDER BY k.discovered_at DESC, k.incident_id DESC"
	pageArgs := append(args, p.Limit, p.Offset)
	if f.Sort == SortDue && f.ScopeOrgID != 0 {
		page, pageArgs = incidentsByDue(keys, args, p)
	}
	rows, err := tx.c.query(ctx, page, pageArgs...)
	if err != nil {
		return res, fmt.Errorf("store: list incidents: %w", err)
	}
	defer rows.Close()
	res.Items = []IncidentRow{}
	for rows.Next() {
		r, err := scanIncidentRow(rows)
		if err != nil {
			return res, err
		}
		res.Items = append(res.Items, r)
	}
	if err := rows.Err(); err != nil {
		return res, err
	}
	rows.Close()
	return res, tx.nextDues(ctx, res.Items)
}

// incidentsByDue is the page of the list in deadline order: the incidents
// with an open duty by its due time (one range of incident_scope_next,
// 0027), then those without, newest first (the same index at open_due 0).
// Each part reads at most offset+limit keys in index order.
func incidentsByDue(keys string, args []any, p Page) (string, []any) {
	n := p.Offset + p.Limit
	part := func(cond, order string) string {
		return "SELECT * FROM (" + strings.Replace(keys, "SELECT ", "SELECT s.open_due AS open_due, ", 1) + " AND " + cond + order + " LIMIT " + fmt.Sprint(n) + ")"
	}
	q := "SELECT " + incidentRowColumns + " FROM (SELECT * FROM (" +
		part("s.open_due > 0", " ORDER BY s.open_due, s.discovered_at DESC, incident_id DESC") + " d UNION ALL " +
		part("s.open_due = 0", " ORDER BY s.discovered_at DESC, incident_id DESC") + " w) u" +
		" ORDER BY CASE WHEN u.open_due > 0 THEN 0 ELSE 1 END, u.open_due, u.discovered_at DESC, u.incident_id DESC LIMIT ? OFFSET ?) k" +
		" JOIN incidents i ON i.id = k.incident_id" +
		" ORDER BY CASE WHEN k.open_due > 0 THEN 0 ELSE 1 END, k.open_due, k.discovered_at DESC, k.incident_id DESC"
	all := append(append(append([]any{}, args...), args...), p.Limit, p.Offset)
	return q, all
}

// nextDues fills each row's nearest open duty: one read of the page's
// incidents' open duties by the obligations_incident index.
// nextDuesQuery reads the open duties with a due time of n incidents.
func nextDuesQuery(n int) string {
	return "SELECT incident_id, kind, title, due_at FROM obligations WHERE incident_id IN (" + placeholders(n) + ") AND state = 'open' AND due_at > 0"
}

func (tx *Tx) nextDues(ctx context.Context, items []IncidentRow) error {
	if len(items) == 0 {
		return nil
	}
	ids := make([]any, len(items))
	at := make(map[int64]int, len(items))
	for i, r := range items {
		ids[i], at[r.ID] = r.ID, i
	}
	rows, err := tx.c.query(ctx, nextDuesQuery(len(ids)), ids...)
	if err != nil {
		return fmt.Errorf("store: incidents' next duties: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, due int64
		var d NextDue
		if err := rows.Scan(&id, &d.Kind, &d.Title, &due); err != nil {
			return err
		}
		d.DueAt = fromMS(due)
		if r := &items[at[id]]; r.Next.DueAt.IsZero() || d.DueAt.Before(r.Next.DueAt) {
			r.Next = d
		}
	}
	return rows.Err()
}

// addScope records that the org orgID and its ancestors see incident id,
// once (its unit when created, each office a report is delivered to).
func (tx *Tx) addScope(ctx context.Context, incidentID, orgID int64) error {
	var path string
	if err := tx.c.queryRow(ctx, "SELECT path FROM orgs WHERE id = ?", orgID).Scan(&path); err != nil {
		return fmt.Errorf("store: incident %d scope: %w", incidentID, err)
	}
	for _, id := range fenghuo.ParseOrgPath(path) {
		if _, err := tx.c.exec(ctx, `INSERT INTO incident_scope (org_id, incident_id, unit_id, discovered_at, status, grade, category, title, open_due)
			SELECT ?, i.id, i.org_id, i.discovered_at, i.status, i.grade, i.category, i.title,
			`+openDue+`
			FROM incidents i WHERE i.id = ?
			ON CONFLICT (incident_id, org_id) DO NOTHING`, id, incidentID); err != nil {
			return fmt.Errorf("store: incident %d scope: %w", incidentID, err)
		}
	}
	return nil
}

// scopeClosure is the rule incident_scope follows (as in migration 0005):
// every ancestor of the incident's unit and of every recipient of its
// reports. The two "?" placeholders select the incidents, by the
// condition the caller puts in.
func scopeClosure(cond string) string {
	return `INSERT INTO incident_scope (org_id, incident_id, unit_id, discovered_at, status, grade, category, title, open_due)
		SELECT DISTINCT a.id, i.id, i.org_id, i.discovered_at, i.status, i.grade, i.category, i.title,
		` + openDue + `
		FROM (SELECT id AS incident_id, org_id FROM incidents WHERE id ` + cond + `
		      UNION SELECT incident_id, to_org_id FROM report_deliveries WHERE incident_id ` + cond + `) v
		JOIN incidents i ON i.id = v.incident_id
		JOIN orgs m ON m.id = v.org_id
		JOIN orgs a ON a.path = substr(m.path, 1, length(a.path))`
}

// openDue is the earliest due time of the open duties of incident i (0
// without one), read through the index on incident_id: "+b.due_at" keeps
// SQLite from answering MIN by walking the (state, due_at) index over every
// open duty of every incident until one of this incident turns up (a full
// walk for a new incident: creating 20,000 incidents beside 100,000 open
// duties took many minutes). TestOpenDueUsesIncidentIndex checks the plan.
const openDue = "COALESCE((SELECT MIN(+b.due_at) FROM obligations b WHERE b.incident_id = i.id AND b.state = 'open' AND +b.due_at > 0), 0)"

// scopeDue sets the incident's open_due in incident_scope after a duty of
// it was written.
func (tx *Tx) scopeDue(ctx context.Context, incidentID int64) error {
	if incidentID == 0 {
		return nil
	}
	_, err := tx.c.exec(ctx, `UPDATE incident_scope SET open_due = (SELECT `+openDue+` FROM incidents i WHERE i.id = ?)
		WHERE incident_id = ?`, incidentID, incidentID)
	if err != nil {
		return fmt.Errorf("store: incident %d scope: %w", incidentID, err)
	}
	return nil
}

// rebuildScope recomputes incident_scope for the incidents ids, after org
// paths changed.
func (tx *Tx) rebuildScope(ctx context.Context, ids []int64) error {
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		in := "IN (" + placeholders(len(chunk)) + ")"
		if _, err := tx.c.exec(ctx, "DELETE FROM incident_scope WHERE incident_id "+in, args...); err != nil {
			return fmt.Errorf("store: rebuild incident scope: %w", err)
		}
		if _, err := tx.c.exec(ctx, scopeClosure(in), append(args, args...)...); err != nil {
			return fmt.Errorf("store: rebuild incident scope: %w", err)
		}
	}
	return nil
}

// rebuildScopeRange recomputes incident_scope for the incidents with IDs
// from first to last.
func (tx *Tx) rebuildScopeRange(ctx context.Context, first, last int64) error {
	if _, err := tx.c.exec(ctx, "DELETE FROM incident_scope WHERE incident_id BETWEEN ? AND ?", first, last); err != nil {
		return fmt.Errorf("store: incident scope: %w", err)
	}
	if _, err := tx.c.exec(ctx, scopeClosure("BETWEEN ? AND ?"), first, last, first, last); err != nil {
		return fmt.Errorf("store: incident scope: %w", err)
	}
	return nil
}

// HasIncidents reports whether any incident is stored.
func (db *DB) HasIncidents(ctx context.Context) (bool, error) {
	var id int64
	err := db.read.QueryRowContext(ctx, "SELECT id FROM incidents ORDER BY id LIMIT 1").Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// GradeRecord is one grading of an incident, kept as history.
type GradeRecord struct {
	ID            int64
	IncidentID    int64
	At            time.Time
	Grade         fenghuo.Grade
	ComputedGrade fenghuo.Grade
	OverrideGrade fenghuo.Grade
	Reason        string
	Facts         string
	Grading       string
	ActorID       int64
	ActorName     string
	// ActorUsername is not stored: the incidents capability fills it (and
	// ActorName with the person's display name) from ActorID when it reads
	// the history.
	ActorUsername string
}

// AddGradeRecord appends to an incident's grading history.
func (tx *Tx) AddGradeRecord(ctx context.Context, r *GradeRecord) error {
	r.At = tx.now
	return tx.c.queryRow(ctx, `INSERT INTO incident_grades (incident_id, at, grade, computed_grade, override_grade, reason,
		facts, grading, actor_id, actor_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		r.IncidentID, ms(r.At), string(r.Grade), string(r.ComputedGrade), string(r.OverrideGrade), r.Reason, r.Facts,
		r.Grading, r.ActorID, r.ActorName).Scan(&r.ID)
}

// GradeHistory returns an incident's gradings, oldest first.
func (db *DB) GradeHistory(ctx context.Context, incidentID int64) ([]GradeRecord, error) {
	return view(ctx, db, func(tx *Tx) ([]GradeRecord, error) {
		rows, err := tx.c.query(ctx, `SELECT id, incident_id, at, grade, computed_grade, override_grade, reason, facts,
			grading, actor_id, actor_name FROM incident_grades WHERE incident_id = ? ORDER BY id`, incidentID)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		out := []GradeRecord{}
		for rows.Next() {
			var r GradeRecord
			var at int64
			if err := rows.Scan(&r.ID, &r.IncidentID, &at, &r.Grade, &r.ComputedGrade, &r.OverrideGrade, &r.Reason,
				&r.Facts, &r.Grading, &r.ActorID, &r.ActorName); err != nil {
				return nil, err
			}
			r.At = fromMS(at)
			out = append(out, r)
		}
		return out, rows.Err()
	})
}

func lower(s string) string {
	b := []rune(s)
	for i, r := range b {
		if r >= 'A' && r <= 'Z' {
			b[i] = r + 32
		}
	}
	return string(b)
}

// notFoundOr maps sql.ErrNoRows to ENOTFOUND and wraps anything else.
func notFoundOr(err error, what string, id any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return notFound(what, id)
	}
	return fmt.Errorf("store: %s %v: %w", what, id, err)
}

// OpenIncidentBySource returns the incident that is not closed and was
// opened from source, or nil.
func (tx *Tx) OpenIncidentBySource(ctx context.Context, source string) (*fenghuo.Incident, error) {
	if source == "" {
		return nil, nil
	}
	var id int64
	err := tx.c.queryRow(ctx, "SELECT id FROM incidents WHERE source = ? AND status <> 'closed' ORDER BY id DESC LIMIT 1", source).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return tx.Incident(ctx, id)
}
