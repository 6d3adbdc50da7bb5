package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/pii"
)

// SeedBatch is historical data written in bulk (the demo's N incidents): rows
// whose IDs the caller assigned from NextIDs, written with multi-row INSERTs
// through prepared statements instead of one use-case call per incident. The
// caller is responsible for their consistency (grades, deadlines, states);
// the store chains each incident's timeline entries, which must be the
// incident's first and be given in order.
type SeedBatch struct {
	Incidents   []fenghuo.Incident
	Grades      []GradeRecord
	Reports     []fenghuo.Report
	Deliveries  []Delivery
	Obligations []fenghuo.Obligation
	Timeline    []TimelineEntry
}

// SeedIDs are the next free IDs of the tables a SeedBatch writes.
type SeedIDs struct {
	Incident, Grade, Report, Delivery, Obligation int64
}

// NextIDs returns the first unused ID of every table a SeedBatch writes.
func (tx *Tx) NextIDs(ctx context.Context) (SeedIDs, error) {
	var ids SeedIDs
	for _, t := range []struct {
		table string
		into  *int64
	}{{"incidents", &ids.Incident}, {"incident_grades", &ids.Grade}, {"reports", &ids.Report},
		{"report_deliveries", &ids.Delivery}, {"obligations", &ids.Obligation}} {
		// table comes from the fixed list above, never from input.
		if err := tx.c.queryRow(ctx, "SELECT COALESCE(MAX(id), 0) + 1 FROM "+t.table).Scan(t.into); err != nil {
			return ids, fmt.Errorf("store: next id of %s: %w", t.table, err)
		}
	}
	return ids, nil
}

// SeedOrgs returns every org in ID order, for the demo seeder, which grades
// each kind of incident at every unit (a province's 10,000 units are more
// than a list page holds).
func (tx *Tx) SeedOrgs(ctx context.Context) ([]fenghuo.Org, error) {
	return tx.queryOrgs(ctx, "SELECT "+orgColumns+" FROM orgs ORDER BY id")
}

// FinishSeed moves PostgreSQL's identity sequences past the IDs a seed wrote.
func (tx *Tx) FinishSeed(ctx context.Context) error {
	for _, t := range []string{"incidents", "incident_grades", "reports", "report_deliveries", "obligations"} {
		if err := tx.db.d.resetIdentity(ctx, tx.c, t); err != nil {
			return err
		}
	}
	return nil
}

// WriteSeed writes a batch.
func (tx *Tx) WriteSeed(ctx context.Context, b *SeedBatch) error {
	var rows [][]any
	for i := range b.Incidents {
		inc := &b.Incidents[i]
		if err := inc.Validate(); err != nil {
			return fmt.Errorf("store: seed incident %d: %w", inc.ID, err)
		}
		rows = append(rows, []any{inc.ID, inc.OrgID, inc.Title, inc.Category, inc.Taxonomy, string(inc.Status),
			ms(inc.OccurredAt), ms(inc.DiscoveredAt), ms(inc.ReportedAt), factsText(inc.Facts), inc.Description, inc.Impact,
			inc.Measures, string(inc.Grade), string(inc.ComputedGrade), string(inc.GradeOverride), inc.OverrideReason,
			inc.Grading, inc.Channel, inc.Caller, inc.EnteredBy, inc.Source, string(inc.ResponseLevel),
			ms(inc.ResponseStartedAt), ms(inc.ResponseEndedAt), ms(inc.HandlingEndedAt), inc.CloseReason,
			ms(inc.CreatedAt), ms(inc.UpdatedAt), inc.Version})
	}
	if err := tx.insertRows(ctx, "incidents", `id, org_id, title, category, taxonomy, status, occurred_at, discovered_at,
		reported_at, facts, description, impact, measures, grade, computed_grade, grade_override, override_reason, grading,
		channel, caller, entered_by, source, response_level, response_started_at, response_ended_at, handling_ended_at,
		close_reason, created_at, updated_at, version`, rows); err != nil {
		return err
	}
	rows = rows[:0]
	for _, inc := range b.Incidents {
		for _, s := range inc.SystemIDs {
			rows = append(rows, []any{inc.ID, s})
		}
	}
	if err := tx.insertRows(ctx, "incident_systems", "incident_id, system_id", rows); err != nil {
		return err
	}
	rows = rows[:0]
	for _, r := range b.Grades {
		rows = append(rows, []any{r.ID, r.IncidentID, ms(r.At), string(r.Grade), string(r.ComputedGrade),
			string(r.OverrideGrade), r.Reason, r.Facts, r.Grading, r.ActorID, r.ActorName})
	}
	if err := tx.insertRows(ctx, "incident_grades", `id, incident_id, at, grade, computed_grade, override_grade, reason,
		facts, grading, actor_id, actor_name`, rows); err != nil {
		return err
	}
	rows = rows[:0]
	for _, r := range b.Reports {
		// The seed's ids are its own, so the phone is sealed for its row here.
		phone, _, err := tx.db.sealPersonal(personalColumn{table: "reports", column: "reporter_phone", kind: pii.Phone}, r.ID, r.ReporterPhone)
		if err != nil {
			return err
		}
		content := []byte("{}")
		if r.Content != nil {
			var err error
			if content, err = json.Marshal(r.Content); err != nil {
				return err
			}
		}
		rows = append(rows, []any{r.ID, r.IncidentID, r.Kind, r.Number, r.Revision, string(content), r.Signer,
			r.ReporterName, phone, ms(r.SubmittedAt), r.SubmittedBy, ms(r.CreatedAt)})
	}
	if err := tx.insertRows(ctx, "reports", reportColumns, rows); err != nil {
		return err
	}
	rows = rows[:0]
	for _, d := range b.Deliveries {
		rows = append(rows, []any{d.ID, d.ReportID, d.IncidentID, d.FromOrgID, d.ToOrgID, d.PlanID, d.RouteID,
			d.ForwardedFrom, d.Note, ms(d.SentAt), d.SentBy, ms(d.ReceivedAt), d.ReceivedBy})
	}
	if err := tx.insertRows(ctx, "report_deliveries", deliveryColumns, rows); err != nil {
		return err
	}
	rows = rows[:0]
	for _, o := range b.Obligations {
		rows = append(rows, []any{o.ID, o.Kind, o.IncidentID, o.SubjectID, o.OwnerOrgID, o.RecipientOrgID,
			o.RecipientName, o.PlanID, o.RuleID, o.Clause, o.Title, ms(o.DueAt), o.Urgency, o.State, ms(o.DoneAt),
			o.DoneNote, ms(o.RemindAt), ms(o.RemindedAt), ms(o.EscalatedAt), ms(o.CreatedAt), ms(o.CreatedAt)})
	}
	if err := tx.insertRows(ctx, "obligations", obligationColumns+", updated_at", rows); err != nil {
		return err
	}
	type key struct {
		org   int64
		state string
	}
	counts := map[key]int{}
	for _, o := range b.Obligations {
		if countedKind(o.Kind) {
			counts[key{o.OwnerOrgID, o.State}]++
		}
	}
	for k, n := range counts {
		if err := tx.countObligation(ctx, "report", k.org, k.state, n); err != nil {
			return err
		}
	}
	rows = rows[:0]
	seq, prev := map[int64]int{}, map[int64]string{}
	for i := range b.Timeline {
		e := &b.Timeline[i]
		seq[e.IncidentID]++
		e.Seq, e.PrevHash = seq[e.IncidentID], prev[e.IncidentID]
		if e.Data == "" {
			e.Data = "{}"
		}
		e.Hash = timelineHash(e)
		prev[e.IncidentID] = e.Hash
		rows = append(rows, []any{e.IncidentID, e.Seq, ms(e.At), e.ActorID, e.ActorName, e.Kind, e.Body, e.Data, e.PrevHash, e.Hash})
	}
	if err := tx.insertRows(ctx, "timeline", "incident_id, seq, at, actor_id, actor_name, kind, body, data, prev_hash, hash", rows); err != nil {
		return err
	}
	if len(b.Incidents) == 0 {
		return nil
	}
	return tx.seedScope(ctx, b)
}

// seedScope writes incident_scope for a batch: the ancestors of each
// incident's unit and of every recipient of its reports, as addScope would
// have, from the org paths read once.
func (tx *Tx) seedScope(ctx context.Context, b *SeedBatch) error {
	paths := map[int64][]int64{}
	rs, err := tx.c.query(ctx, "SELECT id, path FROM orgs")
	if err != nil {
		return err
	}
	for rs.Next() {
		var id int64
		var path string
		if err := rs.Scan(&id, &path); err != nil {
			rs.Close()
			return err
		}
		paths[id] = fenghuo.ParseOrgPath(path)
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return err
	}
	recipients := map[int64][]int64{}
	for _, d := range b.Deliveries {
		recipients[d.IncidentID] = append(recipients[d.IncidentID], d.ToOrgID)
	}
	due := map[int64]int64{}
	for _, o := range b.Obligations {
		if d := ms(o.DueAt); o.State == "open" && d > 0 && (due[o.IncidentID] == 0 || d < due[o.IncidentID]) {
			due[o.IncidentID] = d
		}
	}
	var rows [][]any
	for _, inc := range b.Incidents {
		seen := map[int64]bool{}
		for _, o := range append([]int64{inc.OrgID}, recipients[inc.ID]...) {
			for _, a := range paths[o] {
				if !seen[a] {
					seen[a] = true
					rows = append(rows, []any{a, inc.ID, inc.OrgID, ms(inc.DiscoveredAt), string(inc.Status), string(inc.Grade), inc.Category, inc.Title, due[inc.ID]})
				}
			}
		}
	}
	return tx.insertRows(ctx, "incident_scope", "org_id, incident_id, unit_id, discovered_at, status, grade, category, title, open_due", rows)
}

// maxSeedParams keeps a multi-row INSERT under both engines' limits on
// bound parameters (SQLite 32766, PostgreSQL 65535).
const maxSeedParams = 30000

// insertRows writes rows into table in multi-row INSERTs of up to 500 rows,
// the full-size statement prepared once. table and columns come from the
// constants of WriteSeed, never from input.
func (tx *Tx) insertRows(ctx context.Context, table, columns string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	ncol := len(rows[0])
	per := min(500, maxSeedParams/ncol)
	text := func(n int) string {
		one := "(" + placeholders(ncol) + ")"
		return tx.db.d.rebind("INSERT INTO " + table + " (" + columns + ") VALUES " + strings.TrimSuffix(strings.Repeat(one+", ", n), ", "))
	}
	preparer, ok := tx.c.q.(interface {
		PrepareContext(context.Context, string) (*sql.Stmt, error)
	})
	var full *sql.Stmt
	if ok && len(rows) >= per {
		var err error
		if full, err = preparer.PrepareContext(ctx, text(per)); err != nil {
			return fmt.Errorf("store: seed %s: %w", table, tx.db.d.mapError(err))
		}
		defer full.Close()
	}
	args := make([]any, 0, per*ncol)
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(start+per, len(rows))]
		args = args[:0]
		for _, r := range chunk {
			if len(r) != ncol {
				return fmt.Errorf("store: seed %s: row of %d values, want %d", table, len(r), ncol)
			}
			args = append(args, r...)
		}
		var err error
		if full != nil && len(chunk) == per {
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = tx.c.q.ExecContext(ctx, text(len(chunk)), args...)
		}
		if err != nil {
			return fmt.Errorf("store: seed %s: %w", table, tx.db.d.mapError(err))
		}
	}
	return nil
}
