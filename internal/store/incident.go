package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
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
	return tx.writeIncidentSystems(ctx, inc)
}

// IncidentFilter narrows Incidents. Visibility: incidents of units in the
// subtree of OrgPath, and incidents whose reports were delivered to an org
// in that subtree (shared upward along the reporting chain).
type IncidentFilter struct {
	OrgPath  string
	UnitID   int64
	Grade    fenghuo.Grade
	Category string
	Status   fenghuo.IncidentStatus
	Open     bool // not closed
	Overdue  bool // with an open obligation past due at Now
	Query    string
	Now      time.Time
}

// Incidents lists incidents, newest discovered first.
func (db *DB) Incidents(ctx context.Context, f IncidentFilter, p Page) (ListResult[fenghuo.Incident], error) {
	return view(ctx, db, func(tx *Tx) (ListResult[fenghuo.Incident], error) { return tx.Incidents(ctx, f, p) })
}

// Incidents is DB.Incidents inside tx.
func (tx *Tx) Incidents(ctx context.Context, f IncidentFilter, p Page) (ListResult[fenghuo.Incident], error) {
	p = p.norm()
	where := `FROM incidents i JOIN orgs o ON o.id = i.org_id WHERE (o.path LIKE ? ESCAPE '\' OR EXISTS (
		SELECT 1 FROM report_deliveries d JOIN orgs t ON t.id = d.to_org_id
		WHERE d.incident_id = i.id AND t.path LIKE ? ESCAPE '\'))`
	like := likeEscape(f.OrgPath) + "%"
	args := []any{like, like}
	if f.UnitID != 0 {
		where += " AND i.org_id = ?"
		args = append(args, f.UnitID)
	}
	if f.Grade != "" {
		where += " AND i.grade = ?"
		args = append(args, string(f.Grade))
	}
	if f.Category != "" {
		where += " AND (i.category = ? OR i.category LIKE ? ESCAPE '\\')"
		args = append(args, f.Category, likeEscape(f.Category)+"%")
	}
	if f.Status != "" {
		where += " AND i.status = ?"
		args = append(args, string(f.Status))
	}
	if f.Open {
		where += " AND i.status <> 'closed'"
	}
	if f.Query != "" {
		where += " AND LOWER(i.title) LIKE ? ESCAPE '\\'"
		args = append(args, "%"+likeEscape(lower(f.Query))+"%")
	}
	if f.Overdue {
		where += " AND EXISTS (SELECT 1 FROM obligations b WHERE b.incident_id = i.id AND b.state = 'open' AND b.due_at > 0 AND b.due_at <= ?)"
		args = append(args, ms(f.Now))
	}
	var res ListResult[fenghuo.Incident]
	if err := tx.c.queryRow(ctx, "SELECT COUNT(*) "+where, args...).Scan(&res.Total); err != nil {
		return res, fmt.Errorf("store: count incidents: %w", err)
	}
	rows, err := tx.c.query(ctx, "SELECT "+incidentColumns+" "+where+" ORDER BY i.discovered_at DESC, i.id DESC LIMIT ? OFFSET ?",
		append(args, p.Limit, p.Offset)...)
	if err != nil {
		return res, fmt.Errorf("store: list incidents: %w", err)
	}
	defer rows.Close()
	res.Items = []fenghuo.Incident{}
	for rows.Next() {
		inc, err := scanIncident(rows)
		if err != nil {
			return res, err
		}
		res.Items = append(res.Items, *inc)
	}
	return res, rows.Err()
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
