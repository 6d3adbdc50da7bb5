package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"fenghuo/internal/fenghuo"
)

// Findings (0016_findings.sql). An open or rectifying finding has an
// obligation of kind "finding" (incident 0, subject = the finding, owner =
// the unit, recipient = the office above, due = the rectification
// deadline), created and closed with the state in the same transaction, so
// the scheduler reminds the unit and escalates an overdue finding upward.
const ObligationKindFinding = "finding"

// FindingObligationTitle is the title of a finding's obligation.
func FindingObligationTitle(title string) string { return "隐患整改：" + title }

const findingColumns = `id, org_id, system_id, source, source_ref, finding_key, title, detail, severity, state, due_at,
	owner_user_id, occurrences, first_seen_at, last_seen_at, obligation_id, accepted_until, accept_reason, created_by,
	created_at, updated_at, closed_at, closed_by`

func scanFinding(sc scanner) (*fenghuo.Finding, error) {
	var f fenghuo.Finding
	var due, first, last, accepted, created, updated, closed int64
	if err := sc.Scan(&f.ID, &f.OrgID, &f.SystemID, &f.Source, &f.SourceRef, &f.Key, &f.Title, &f.Detail, &f.Severity,
		&f.State, &due, &f.OwnerUserID, &f.Occurrences, &first, &last, &f.ObligationID, &accepted, &f.AcceptReason,
		&f.CreatedBy, &created, &updated, &closed, &f.ClosedBy); err != nil {
		return nil, err
	}
	f.DueAt, f.FirstSeenAt, f.LastSeenAt, f.AcceptedUntil = fromMS(due), fromMS(first), fromMS(last), fromMS(accepted)
	f.CreatedAt, f.UpdatedAt, f.ClosedAt = fromMS(created), fromMS(updated), fromMS(closed)
	return &f, nil
}

// CreateFinding validates and stores a new open finding and its
// obligation (duty says who is told when it is overdue and when to remind).
// An active finding with the same unit, system and key is refused
// (ECONFLICT): use ActiveFindingByKey and MergeFinding first.
func (tx *Tx) CreateFinding(ctx context.Context, f *fenghuo.Finding, duty Duty) error {
	if err := f.Validate(); err != nil {
		return err
	}
	f.State, f.Occurrences = fenghuo.FindingOpen, 1
	f.FirstSeenAt, f.LastSeenAt, f.CreatedAt, f.UpdatedAt = tx.now, tx.now, tx.now, tx.now
	err := tx.c.queryRow(ctx, `INSERT INTO findings (org_id, system_id, source, source_ref, finding_key, title, detail,
		severity, state, due_at, owner_user_id, occurrences, first_seen_at, last_seen_at, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?) RETURNING id`,
		f.OrgID, f.SystemID, f.Source, f.SourceRef, f.Key, f.Title, f.Detail, f.Severity, f.State, ms(f.DueAt),
		f.OwnerUserID, ms(tx.now), ms(tx.now), f.CreatedBy, ms(tx.now), ms(tx.now)).Scan(&f.ID)
	if err != nil {
		return fmt.Errorf("store: create finding: %w", err)
	}
	if _, err := tx.c.exec(ctx, findingScopeClosure("f.id = ?"), f.ID); err != nil {
		return fmt.Errorf("store: finding scope: %w", err)
	}
	return tx.openFindingDuty(ctx, f, duty)
}

// findingScopeClosure is the rule finding_scope follows: a row for every
// ancestor (itself included) of the finding's unit, for the findings the
// condition on f selects.
func findingScopeClosure(cond string) string {
	return `INSERT INTO finding_scope (org_id, finding_id, unit_id, state, severity, source, due_at, first_seen_at, created_at, closed_at)
		SELECT a.id, f.id, f.org_id, f.state, f.severity, f.source, f.due_at, f.first_seen_at, f.created_at, f.closed_at
		FROM findings f JOIN orgs m ON m.id = f.org_id JOIN orgs a ON a.path = substr(m.path, 1, length(a.path))
		WHERE ` + cond
}

// rescopeFindingsUnder recomputes finding_scope for the findings of org
// id's subtree after the org moved (its ancestors changed).
func (tx *Tx) rescopeFindingsUnder(ctx context.Context, id int64) error {
	o, err := tx.Org(ctx, id)
	if err != nil {
		return err
	}
	like := likeEscape(o.Path) + "%"
	sub := `f_org IN (SELECT x.id FROM orgs x WHERE x.path LIKE ? ESCAPE '\')`
	if _, err := tx.c.exec(ctx, "DELETE FROM finding_scope WHERE "+strings.Replace(sub, "f_org", "unit_id", 1), like); err != nil {
		return fmt.Errorf("store: finding scope: %w", err)
	}
	if _, err := tx.c.exec(ctx, findingScopeClosure(strings.Replace(sub, "f_org", "f.org_id", 1)), like); err != nil {
		return fmt.Errorf("store: finding scope: %w", err)
	}
	return nil
}

// rebuildFindingScope recomputes the whole of finding_scope (restore).
func (tx *Tx) rebuildFindingScope(ctx context.Context) error {
	if _, err := tx.c.exec(ctx, "DELETE FROM finding_scope"); err != nil {
		return err
	}
	_, err := tx.c.exec(ctx, findingScopeClosure("1 = 1"))
	return err
}

// openFindingDuty creates the obligation of a finding the unit must work
// on and links it.
func (tx *Tx) openFindingDuty(ctx context.Context, f *fenghuo.Finding, duty Duty) error {
	o := &fenghuo.Obligation{Kind: ObligationKindFinding, SubjectID: f.ID, OwnerOrgID: f.OrgID,
		RecipientOrgID: duty.RecipientOrgID, RuleID: f.Severity, Clause: duty.Clause,
		Title: FindingObligationTitle(f.Title), DueAt: f.DueAt, RemindAt: duty.RemindAt}
	if err := tx.CreateObligation(ctx, o); err != nil {
		return fmt.Errorf("store: finding obligation: %w", err)
	}
	f.ObligationID = o.ID
	if _, err := tx.c.exec(ctx, "UPDATE findings SET obligation_id = ? WHERE id = ?", o.ID, f.ID); err != nil {
		return fmt.Errorf("store: link finding obligation: %w", err)
	}
	return nil
}

// Finding returns one finding.
func (db *DB) Finding(ctx context.Context, id int64) (*fenghuo.Finding, error) {
	return view(ctx, db, func(tx *Tx) (*fenghuo.Finding, error) { return tx.Finding(ctx, id) })
}

// Finding is DB.Finding inside tx.
func (tx *Tx) Finding(ctx context.Context, id int64) (*fenghuo.Finding, error) {
	f, err := scanFinding(tx.c.queryRow(ctx, "SELECT "+findingColumns+" FROM findings WHERE id = ?", id))
	if err != nil {
		return nil, notFoundOr(err, "Finding", id)
	}
	return f, nil
}

// LockFinding returns a finding and holds its row locked until tx ends
// (PostgreSQL), for a read-decide-write in one transaction.
func (tx *Tx) LockFinding(ctx context.Context, id int64) (*fenghuo.Finding, error) {
	f, err := scanFinding(tx.c.queryRow(ctx, "UPDATE findings SET updated_at = updated_at WHERE id = ? RETURNING "+findingColumns, id))
	if err != nil {
		return nil, notFoundOr(err, "Finding", id)
	}
	return f, nil
}

// ActiveFindingByKey returns, locked, the active (not closed) finding of a
// unit, system and key, or ENOTFOUND.
func (tx *Tx) ActiveFindingByKey(ctx context.Context, orgID, systemID int64, key string) (*fenghuo.Finding, error) {
	f, err := scanFinding(tx.c.queryRow(ctx, `UPDATE findings SET updated_at = updated_at
		WHERE org_id = ? AND system_id = ? AND finding_key = ? AND state <> 'closed' RETURNING `+findingColumns,
		orgID, systemID, key))
	if err != nil {
		return nil, notFoundOr(err, "Finding", key)
	}
	return f, nil
}

// UpdateFinding writes the mutable fields of f (state, severity, due,
// owner, occurrences, acceptance, closing, source reference, detail).
func (tx *Tx) UpdateFinding(ctx context.Context, f *fenghuo.Finding) error {
	f.UpdatedAt = tx.now
	_, err := tx.c.exec(ctx, `UPDATE findings SET source_ref = ?, detail = ?, severity = ?, state = ?, due_at = ?,
		owner_user_id = ?, occurrences = ?, last_seen_at = ?, obligation_id = ?, accepted_until = ?, accept_reason = ?,
		updated_at = ?, closed_at = ?, closed_by = ? WHERE id = ?`,
		f.SourceRef, f.Detail, f.Severity, f.State, ms(f.DueAt), f.OwnerUserID, f.Occurrences, ms(f.LastSeenAt),
		f.ObligationID, ms(f.AcceptedUntil), f.AcceptReason, ms(tx.now), ms(f.ClosedAt), f.ClosedBy, f.ID)
	if err != nil {
		return fmt.Errorf("store: update finding %d: %w", f.ID, err)
	}
	_, err = tx.c.exec(ctx, "UPDATE finding_scope SET state = ?, severity = ?, due_at = ?, closed_at = ? WHERE finding_id = ?",
		f.State, f.Severity, ms(f.DueAt), ms(f.ClosedAt), f.ID)
	if err != nil {
		return fmt.Errorf("store: update finding scope %d: %w", f.ID, err)
	}
	return nil
}

// OpenFindingDuty gives a finding that is the unit's to fix again (after a
// rejection or an expired acceptance) a new obligation due at f.DueAt.
func (tx *Tx) OpenFindingDuty(ctx context.Context, f *fenghuo.Finding, duty Duty) error {
	return tx.openFindingDuty(ctx, f, duty)
}

// CloseFindingDuty closes a finding's obligation if open: done completes
// it (on time or late against the deadline: the unit submitted), otherwise
// it is cancelled (the office accepted the risk). The finding is unlinked.
func (tx *Tx) CloseFindingDuty(ctx context.Context, f *fenghuo.Finding, done bool, note string) error {
	if err := tx.closeDuty(ctx, f.ObligationID, done, note); err != nil {
		return err
	}
	f.ObligationID = 0
	_, err := tx.c.exec(ctx, "UPDATE findings SET obligation_id = 0 WHERE id = ?", f.ID)
	return err
}

// MoveFindingDuty moves the due and reminder times of a finding's open
// obligation; its reminder and escalation are then to do again.
func (tx *Tx) MoveFindingDuty(ctx context.Context, f *fenghuo.Finding, remindAt time.Time) error {
	if f.ObligationID == 0 {
		return nil
	}
	o, err := tx.Obligation(ctx, f.ObligationID)
	if err != nil {
		return err
	}
	if o.State != fenghuo.ObligationOpen {
		return nil
	}
	o.DueAt, o.RemindAt, o.RemindedAt, o.EscalatedAt = f.DueAt, remindAt, time.Time{}, time.Time{}
	o.Title = FindingObligationTitle(f.Title)
	return tx.UpdateObligation(ctx, o)
}

// AddFindingEvent appends a line to a finding's history.
func (tx *Tx) AddFindingEvent(ctx context.Context, e *fenghuo.FindingEvent) error {
	e.At = tx.now
	err := tx.c.queryRow(ctx, `INSERT INTO finding_events (finding_id, user_id, user_name, kind, state, body, evidence_id, at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, e.FindingID, e.UserID, e.UserName, e.Kind, e.State, e.Body,
		e.EvidenceID, ms(tx.now)).Scan(&e.ID)
	if err != nil {
		return fmt.Errorf("store: finding event: %w", err)
	}
	return nil
}

// FindingEvents returns a finding's history, oldest first.
func (db *DB) FindingEvents(ctx context.Context, findingID int64) ([]fenghuo.FindingEvent, error) {
	return view(ctx, db, func(tx *Tx) ([]fenghuo.FindingEvent, error) {
		rows, err := tx.c.query(ctx, `SELECT id, finding_id, user_id, user_name, kind, state, body, evidence_id, at
			FROM finding_events WHERE finding_id = ? ORDER BY id LIMIT ?`, findingID, MaxLimit)
		if err != nil {
			return nil, fmt.Errorf("store: finding events: %w", err)
		}
		defer rows.Close()
		out := []fenghuo.FindingEvent{}
		for rows.Next() {
			var e fenghuo.FindingEvent
			var at int64
			if err := rows.Scan(&e.ID, &e.FindingID, &e.UserID, &e.UserName, &e.Kind, &e.State, &e.Body, &e.EvidenceID, &at); err != nil {
				return nil, err
			}
			e.At = fromMS(at)
			out = append(out, e)
		}
		return out, rows.Err()
	})
}

func (tx *Tx) queryFindings(ctx context.Context, q string, args ...any) ([]fenghuo.Finding, error) {
	rows, err := tx.c.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: findings: %w", err)
	}
	defer rows.Close()
	out := []fenghuo.Finding{}
	for rows.Next() {
		f, err := scanFinding(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *f)
	}
	return out, rows.Err()
}

// FindingFilter narrows Findings. ScopeOrgID (an organisation: its own
// findings and its subtree's) is required.
type FindingFilter struct {
	ScopeOrgID int64
	// State: one state, "active" (not closed), "work" (open or rectifying)
	// or "" (all).
	State    string
	Severity string
	Source   string
	// OverdueAt, when set, keeps the open and rectifying findings due at or
	// before it.
	OverdueAt time.Time
}

// where selects the scope rows s of the filter, in the order of one of
// finding_scope's indexes.
func (f FindingFilter) where() (string, []any, error) {
	if f.ScopeOrgID == 0 {
		return "", nil, fenghuo.Errorf(fenghuo.EINVALID, "store: findings need a scope")
	}
	where := "FROM finding_scope s WHERE s.org_id = ?"
	args := []any{f.ScopeOrgID}
	switch f.State {
	case "":
	case "active":
		where += " AND s.state IN ('open', 'rectifying', 'submitted', 'accepted')"
	case "work":
		where += " AND s.state IN ('open', 'rectifying')"
	default:
		where += " AND s.state = ?"
		args = append(args, f.State)
	}
	if f.Severity != "" {
		where += " AND s.severity = ?"
		args = append(args, f.Severity)
	}
	if f.Source != "" {
		where += " AND s.source = ?"
		args = append(args, f.Source)
	}
	if !f.OverdueAt.IsZero() {
		where += " AND s.state IN ('open', 'rectifying') AND s.due_at <= ?"
		args = append(args, ms(f.OverdueAt))
	}
	return where, args, nil
}

// Findings lists findings, soonest due first: a page of the scope rows,
// then those findings.
func (db *DB) Findings(ctx context.Context, f FindingFilter, p Page) (ListResult[fenghuo.Finding], error) {
	p = p.norm()
	return view(ctx, db, func(tx *Tx) (ListResult[fenghuo.Finding], error) {
		var res ListResult[fenghuo.Finding]
		where, args, err := f.where()
		if err != nil {
			return res, err
		}
		if res.Total, res.Capped, err = tx.countCapped(ctx, "SELECT 1 "+where, args); err != nil {
			return res, err
		}
		res.Items, err = tx.queryFindings(ctx, "SELECT "+findingColumnsF+" FROM (SELECT s.finding_id, s.due_at "+where+
			" ORDER BY s.due_at, s.finding_id LIMIT ? OFFSET ?) p JOIN findings f ON f.id = p.finding_id ORDER BY p.due_at, p.finding_id",
			append(args[:len(args):len(args)], p.Limit, p.Offset)...)
		return res, err
	})
}

// findingColumnsF is findingColumns qualified by the alias f.
var findingColumnsF = "f." + strings.Join(strings.Split(strings.Join(strings.Fields(findingColumns), " "), ", "), ", f.")

// ExpiredAcceptances returns, locked, up to limit risk-accepted findings
// whose acceptance ended at or before now.
func (tx *Tx) ExpiredAcceptances(ctx context.Context, now time.Time, limit int) ([]fenghuo.Finding, error) {
	return tx.queryFindings(ctx, "SELECT "+findingColumns+` FROM findings WHERE state = 'accepted' AND accepted_until <= ?
		ORDER BY accepted_until, id LIMIT ?`+tx.c.d.skipLocked(), ms(now), limit)
}

// FindingCount is a number of active findings of one unit, severity, state
// and age bucket (0: under 7 days since first seen, 1: 7–30, 2: 30–90,
// 3: over 90), with how many of them are overdue.
type FindingCount struct {
	OrgID    int64
	Severity string
	State    string
	Age      int
	N        int
	Overdue  int
}

// FindingCounts counts the active findings of an organisation's subtree
// by unit, severity, state and age at now.
func (db *DB) FindingCounts(ctx context.Context, scopeOrgID int64, now time.Time) ([]FindingCount, error) {
	day := int64(24 * time.Hour / time.Millisecond)
	t := now.UnixMilli()
	return view(ctx, db, func(tx *Tx) ([]FindingCount, error) {
		rows, err := tx.c.query(ctx, `SELECT s.unit_id, s.severity, s.state,
			CASE WHEN s.first_seen_at > ? THEN 0 WHEN s.first_seen_at > ? THEN 1 WHEN s.first_seen_at > ? THEN 2 ELSE 3 END AS age,
			COUNT(*), SUM(CASE WHEN s.state IN ('open', 'rectifying') AND s.due_at <= ? THEN 1 ELSE 0 END)
			FROM finding_scope s WHERE s.org_id = ? AND s.state IN ('open', 'rectifying', 'submitted', 'accepted')
			GROUP BY s.unit_id, s.severity, s.state, age`, t-7*day, t-30*day, t-90*day, t, scopeOrgID)
		if err != nil {
			return nil, fmt.Errorf("store: finding counts: %w", err)
		}
		defer rows.Close()
		out := []FindingCount{}
		for rows.Next() {
			var c FindingCount
			if err := rows.Scan(&c.OrgID, &c.Severity, &c.State, &c.Age, &c.N, &c.Overdue); err != nil {
				return nil, err
			}
			out = append(out, c)
		}
		return out, rows.Err()
	})
}

// FindingWeek is one week of a subtree's trend: at its end (End), how many
// findings were raised and not yet closed (Unclosed), and during it how many
// were raised and closed.
type FindingWeek struct {
	End      time.Time
	Unclosed int
	Raised   int
	Closed   int
}

// FindingTrend returns the weeks ending at the given times (ascending) for
// an organisation's subtree: each counts what was raised and closed since
// the time before it (the first, in the week before it), so that a last
// point at now (mid-week) loses nothing between the last Monday and now.
func (db *DB) FindingTrend(ctx context.Context, scopeOrgID int64, ends []time.Time) ([]FindingWeek, error) {
	if len(ends) == 0 {
		return nil, nil
	}
	week := int64(7 * 24 * time.Hour / time.Millisecond)
	var cols []string
	var args []any
	for i, e := range ends {
		// Raised and closed since the point before (the first: its week).
		end, from := ms(e), ms(e)-week
		if i > 0 {
			from = ms(ends[i-1])
		}
		cols = append(cols, "SUM(CASE WHEN s.created_at <= ? AND (s.closed_at = 0 OR s.closed_at > ?) THEN 1 ELSE 0 END)",
			"SUM(CASE WHEN s.created_at > ? AND s.created_at <= ? THEN 1 ELSE 0 END)",
			"SUM(CASE WHEN s.closed_at > ? AND s.closed_at <= ? THEN 1 ELSE 0 END)")
		args = append(args, end, end, from, end, from, end)
	}
	args = append(args, scopeOrgID, ms(ends[0])-week)
	q := "SELECT " + strings.Join(cols, ", ") + ` FROM finding_scope s
		WHERE s.org_id = ? AND (s.state <> 'closed' OR s.closed_at > ?)`
	return view(ctx, db, func(tx *Tx) ([]FindingWeek, error) {
		vals := make([]sql.NullInt64, 3*len(ends))
		dest := make([]any, len(vals))
		for i := range vals {
			dest[i] = &vals[i]
		}
		if err := tx.c.queryRow(ctx, q, args...).Scan(dest...); err != nil {
			return nil, fmt.Errorf("store: finding trend: %w", err)
		}
		out := make([]FindingWeek, len(ends))
		for i, e := range ends {
			out[i] = FindingWeek{End: e, Unclosed: int(vals[3*i].Int64), Raised: int(vals[3*i+1].Int64), Closed: int(vals[3*i+2].Int64)}
		}
		return out, nil
	})
}

// CreateFindingEvidence stores the record of an uploaded rectification file.
func (tx *Tx) CreateFindingEvidence(ctx context.Context, e *fenghuo.FindingEvidence) error {
	e.UploadedAt = tx.now
	err := tx.c.queryRow(ctx, `INSERT INTO finding_evidence (finding_id, filename, content_type, size, sm3, storage_key, note,
		uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, e.FindingID, e.Filename, e.ContentType,
		e.Size, e.SM3, e.StorageKey, e.Note, e.UploadedBy, ms(tx.now)).Scan(&e.ID)
	if err != nil {
		return fmt.Errorf("store: finding evidence: %w", err)
	}
	return nil
}

const findingEvidenceColumns = "id, finding_id, filename, content_type, size, sm3, storage_key, note, uploaded_by, uploaded_at"

func scanFindingEvidence(sc scanner) (*fenghuo.FindingEvidence, error) {
	var e fenghuo.FindingEvidence
	var at int64
	if err := sc.Scan(&e.ID, &e.FindingID, &e.Filename, &e.ContentType, &e.Size, &e.SM3, &e.StorageKey, &e.Note, &e.UploadedBy, &at); err != nil {
		return nil, err
	}
	e.UploadedAt = fromMS(at)
	return &e, nil
}

// FindingEvidence returns one rectification file's record.
func (db *DB) FindingEvidence(ctx context.Context, id int64) (*fenghuo.FindingEvidence, error) {
	return view(ctx, db, func(tx *Tx) (*fenghuo.FindingEvidence, error) {
		e, err := scanFindingEvidence(tx.c.queryRow(ctx, "SELECT "+findingEvidenceColumns+" FROM finding_evidence WHERE id = ?", id))
		if err != nil {
			return nil, notFoundOr(err, "Evidence", id)
		}
		return e, nil
	})
}

// FindingEvidenceOf lists a finding's rectification files, oldest first.
func (db *DB) FindingEvidenceOf(ctx context.Context, findingID int64) ([]fenghuo.FindingEvidence, error) {
	return view(ctx, db, func(tx *Tx) ([]fenghuo.FindingEvidence, error) {
		rows, err := tx.c.query(ctx, "SELECT "+findingEvidenceColumns+" FROM finding_evidence WHERE finding_id = ? ORDER BY id LIMIT ?", findingID, MaxLimit)
		if err != nil {
			return nil, fmt.Errorf("store: finding evidence: %w", err)
		}
		defer rows.Close()
		out := []fenghuo.FindingEvidence{}
		for rows.Next() {
			e, err := scanFindingEvidence(rows)
			if err != nil {
				return nil, err
			}
			out = append(out, *e)
		}
		return out, rows.Err()
	})
}
