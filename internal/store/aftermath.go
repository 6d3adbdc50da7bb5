package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"fenghuo/internal/fenghuo"
)

// Aftermath (0010_aftermath.sql): documents with versions and approval
// chains, improvement measures tracked as obligations of kind
// "improvement" (subject_id = the measure, title "整改：" + its text), and
// reward and accountability records.

const documentColumns = `id, incident_id, kind, version, state, body, author_id, author_org_id, created_at, updated_at,
	submitted_at, decided_at`

func scanDocument(sc scanner) (*fenghuo.AftermathDocument, error) {
	var d fenghuo.AftermathDocument
	var body string
	var created, updated, submitted, decided int64
	if err := sc.Scan(&d.ID, &d.IncidentID, &d.Kind, &d.Version, &d.State, &body, &d.AuthorID, &d.AuthorOrgID, &created,
		&updated, &submitted, &decided); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(body), &d.Body); err != nil {
		return nil, fmt.Errorf("store: document %d body: %w", d.ID, err)
	}
	d.CreatedAt, d.UpdatedAt, d.SubmittedAt, d.DecidedAt = fromMS(created), fromMS(updated), fromMS(submitted), fromMS(decided)
	return &d, nil
}

func bodyText(body map[string]string) string {
	if body == nil {
		return "{}"
	}
	b, _ := json.Marshal(body)
	return string(b)
}

// CreateDocumentVersion stores a new draft version of an incident's
// document of d.Kind: version 1, or the next after the latest, which must be
// returned or withdrawn (a draft is edited with UpdateDocumentDraft, a
// submitted version waits for its decision or is withdrawn with
// WithdrawDocument, an approved one is final): ECONFLICT otherwise.
func (tx *Tx) CreateDocumentVersion(ctx context.Context, d *fenghuo.AftermathDocument) error {
	if err := d.Validate(false); err != nil {
		return err
	}
	// Lock the incident row so that two authors serialise on PostgreSQL.
	if _, err := tx.c.exec(ctx, "UPDATE incidents SET version = version WHERE id = ?", d.IncidentID); err != nil {
		return fmt.Errorf("store: lock incident %d: %w", d.IncidentID, err)
	}
	latest, err := tx.LatestDocument(ctx, d.IncidentID, d.Kind)
	switch {
	case fenghuo.ErrorCode(err) == fenghuo.ENOTFOUND:
		d.Version = 1
	case err != nil:
		return err
	case latest.State != fenghuo.DocReturned && latest.State != fenghuo.DocWithdrawn:
		return fenghuo.Errorf(fenghuo.ECONFLICT, "Version %d of this document is %s: a new version follows a returned one. / 当前版本尚未退回，不能新建版本。", latest.Version, latest.State)
	default:
		d.Version = latest.Version + 1
	}
	d.State, d.CreatedAt, d.UpdatedAt = fenghuo.DocDraft, tx.now, tx.now
	d.SubmittedAt, d.DecidedAt = time.Time{}, time.Time{}
	return tx.c.queryRow(ctx, `INSERT INTO aftermath_documents (incident_id, kind, version, state, body, author_id,
		author_org_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, d.IncidentID, d.Kind,
		d.Version, d.State, bodyText(d.Body), d.AuthorID, d.AuthorOrgID, ms(tx.now), ms(tx.now)).Scan(&d.ID)
}

// Document returns one document version.
func (db *DB) Document(ctx context.Context, id int64) (*fenghuo.AftermathDocument, error) {
	return view(ctx, db, func(tx *Tx) (*fenghuo.AftermathDocument, error) { return tx.Document(ctx, id) })
}

// Document is DB.Document inside tx.
func (tx *Tx) Document(ctx context.Context, id int64) (*fenghuo.AftermathDocument, error) {
	d, err := scanDocument(tx.c.queryRow(ctx, "SELECT "+documentColumns+" FROM aftermath_documents WHERE id = ?", id))
	if err != nil {
		return nil, notFoundOr(err, "Document", id)
	}
	return d, nil
}

// LatestDocument returns the latest version of an incident's document of
// kind, or ENOTFOUND.
func (tx *Tx) LatestDocument(ctx context.Context, incidentID int64, kind string) (*fenghuo.AftermathDocument, error) {
	d, err := scanDocument(tx.c.queryRow(ctx, "SELECT "+documentColumns+` FROM aftermath_documents WHERE incident_id = ?
		AND kind = ? ORDER BY version DESC LIMIT 1`, incidentID, kind))
	if err != nil {
		return nil, notFoundOr(err, "Document "+kind+" of incident", incidentID)
	}
	return d, nil
}

// IncidentDocuments lists every version of every aftermath document of an
// incident, by kind then version.
func (db *DB) IncidentDocuments(ctx context.Context, incidentID int64) ([]fenghuo.AftermathDocument, error) {
	return view(ctx, db, func(tx *Tx) ([]fenghuo.AftermathDocument, error) {
		rows, err := tx.c.query(ctx, "SELECT "+documentColumns+` FROM aftermath_documents WHERE incident_id = ?
			ORDER BY kind, version`, incidentID)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		out := []fenghuo.AftermathDocument{}
		for rows.Next() {
			d, err := scanDocument(rows)
			if err != nil {
				return nil, err
			}
			out = append(out, *d)
		}
		return out, rows.Err()
	})
}

// lockDocument returns a document version with its row locked until tx
// ends (PostgreSQL).
func (tx *Tx) lockDocument(ctx context.Context, id int64) (*fenghuo.AftermathDocument, error) {
	d, err := scanDocument(tx.c.queryRow(ctx, "UPDATE aftermath_documents SET updated_at = updated_at WHERE id = ? RETURNING "+documentColumns, id))
	if err != nil {
		return nil, notFoundOr(err, "Document", id)
	}
	return d, nil
}

// UpdateDocumentDraft replaces the body of a draft version (ECONFLICT once
// it is submitted).
func (tx *Tx) UpdateDocumentDraft(ctx context.Context, id int64, body map[string]string) (*fenghuo.AftermathDocument, error) {
	d, err := tx.lockDocument(ctx, id)
	if err != nil {
		return nil, err
	}
	if d.State != fenghuo.DocDraft {
		return nil, fenghuo.Errorf(fenghuo.ECONFLICT, "Version %d is %s and can no longer be edited. / 该版本已提交，不能修改。", d.Version, d.State)
	}
	d.Body = body
	if err := d.Validate(false); err != nil {
		return nil, err
	}
	d.UpdatedAt = tx.now
	_, err = tx.c.exec(ctx, "UPDATE aftermath_documents SET body = ?, updated_at = ? WHERE id = ?", bodyText(body), ms(tx.now), id)
	return d, err
}

// SubmitDocument submits a draft for approval: every section must be
// filled (EINVALID naming the first empty one).
func (tx *Tx) SubmitDocument(ctx context.Context, id int64) (*fenghuo.AftermathDocument, error) {
	d, err := tx.lockDocument(ctx, id)
	if err != nil {
		return nil, err
	}
	if !fenghuo.AftermathTransitionAllowed(d.State, fenghuo.DocSubmitted) {
		return nil, fenghuo.Errorf(fenghuo.ECONFLICT, "Version %d is %s and cannot be submitted. / 该版本不能提交。", d.Version, d.State)
	}
	if err := d.Validate(true); err != nil {
		return nil, err
	}
	d.State, d.SubmittedAt, d.UpdatedAt = fenghuo.DocSubmitted, tx.now, tx.now
	_, err = tx.c.exec(ctx, "UPDATE aftermath_documents SET state = ?, submitted_at = ?, updated_at = ? WHERE id = ?",
		d.State, ms(tx.now), ms(tx.now), id)
	return d, err
}

// WithdrawDocument takes a submitted version out of its approval chain
// (the author is writing the next version); its decisions so far are kept.
func (tx *Tx) WithdrawDocument(ctx context.Context, id int64) (*fenghuo.AftermathDocument, error) {
	d, err := tx.lockDocument(ctx, id)
	if err != nil {
		return nil, err
	}
	if !fenghuo.AftermathTransitionAllowed(d.State, fenghuo.DocWithdrawn) {
		return nil, fenghuo.Errorf(fenghuo.ECONFLICT, "Version %d is %s and cannot be withdrawn. / 该版本不能撤回。", d.Version, d.State)
	}
	d.State, d.DecidedAt, d.UpdatedAt = fenghuo.DocWithdrawn, tx.now, tx.now
	_, err = tx.c.exec(ctx, "UPDATE aftermath_documents SET state = ?, decided_at = ?, updated_at = ? WHERE id = ?",
		d.State, ms(tx.now), ms(tx.now), id)
	return d, err
}

// DecideDocument records one approval step of a submitted version, under
// its row lock: a.StepOrder is set to the next step (1 + the steps so far).
// A return ends the chain (the version becomes returned); an approval with
// final set (the last office of the chain: unit → competent department →
// 网信办, decided by the app from the plan) makes it approved; any other
// approval leaves it submitted for the next step. It returns the document as
// stored.
func (tx *Tx) DecideDocument(ctx context.Context, a *fenghuo.Approval, final bool) (*fenghuo.AftermathDocument, error) {
	if a.Decision != fenghuo.DecisionApprove && a.Decision != fenghuo.DecisionReturn {
		return nil, fenghuo.FieldErrorf("decision", "Decision %q is unknown: approve or return. / 未知审核意见。", a.Decision)
	}
	if a.Decision == fenghuo.DecisionReturn && a.Note == "" {
		return nil, fenghuo.FieldErrorf("note", "Say why it is returned. / 请说明退回理由。")
	}
	d, err := tx.lockDocument(ctx, a.DocumentID)
	if err != nil {
		return nil, err
	}
	if d.State != fenghuo.DocSubmitted {
		return nil, fenghuo.Errorf(fenghuo.ECONFLICT, "Version %d is %s, not waiting for a decision. / 该版本不在审核中。", d.Version, d.State)
	}
	var steps int
	if err := tx.c.queryRow(ctx, "SELECT COUNT(*) FROM aftermath_approvals WHERE document_id = ?", d.ID).Scan(&steps); err != nil {
		return nil, err
	}
	a.StepOrder, a.At = steps+1, tx.now
	if err := tx.c.queryRow(ctx, `INSERT INTO aftermath_approvals (document_id, step_order, approver_org_id, decision, note,
		user_id, at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, a.DocumentID, a.StepOrder, a.ApproverOrgID, a.Decision, a.Note,
		a.UserID, ms(tx.now)).Scan(&a.ID); err != nil {
		return nil, fmt.Errorf("store: approval: %w", err)
	}
	next := ""
	switch {
	case a.Decision == fenghuo.DecisionReturn:
		next = fenghuo.DocReturned
	case final:
		next = fenghuo.DocApproved
	default:
		return d, nil
	}
	d.State, d.DecidedAt, d.UpdatedAt = next, tx.now, tx.now
	_, err = tx.c.exec(ctx, "UPDATE aftermath_documents SET state = ?, decided_at = ?, updated_at = ? WHERE id = ?",
		d.State, ms(tx.now), ms(tx.now), d.ID)
	return d, err
}

// Approvals lists a document version's approval steps in order.
func (db *DB) Approvals(ctx context.Context, documentID int64) ([]fenghuo.Approval, error) {
	return view(ctx, db, func(tx *Tx) ([]fenghuo.Approval, error) { return tx.DocumentApprovals(ctx, documentID) })
}

// DocumentApprovals is DB.Approvals inside tx.
func (tx *Tx) DocumentApprovals(ctx context.Context, documentID int64) ([]fenghuo.Approval, error) {
	rows, err := tx.c.query(ctx, `SELECT id, document_id, step_order, approver_org_id, decision, note, user_id, at
		FROM aftermath_approvals WHERE document_id = ? ORDER BY step_order`, documentID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []fenghuo.Approval{}
	for rows.Next() {
		var a fenghuo.Approval
		var at int64
		if err := rows.Scan(&a.ID, &a.DocumentID, &a.StepOrder, &a.ApproverOrgID, &a.Decision, &a.Note, &a.UserID, &at); err != nil {
			return nil, err
		}
		a.At = fromMS(at)
		out = append(out, a)
	}
	return out, rows.Err()
}

// ImprovementObligationTitle is the title of an improvement measure's
// obligation.
func ImprovementObligationTitle(text string) string { return "整改：" + text }

const improvementColumns = `id, incident_id, document_id, body, owner_org_id, owner_user_id, due_at, state, obligation_id,
	created_by, created_at, updated_at, done_by, done_at, done_note`

func scanImprovement(sc scanner) (*fenghuo.Improvement, error) {
	var m fenghuo.Improvement
	var due, created, updated, done int64
	if err := sc.Scan(&m.ID, &m.IncidentID, &m.DocumentID, &m.Text, &m.OwnerOrgID, &m.OwnerUserID, &due, &m.State,
		&m.ObligationID, &m.CreatedBy, &created, &updated, &m.DoneBy, &done, &m.DoneNote); err != nil {
		return nil, err
	}
	m.DueAt, m.CreatedAt, m.UpdatedAt, m.DoneAt = fromMS(due), fromMS(created), fromMS(updated), fromMS(done)
	return &m, nil
}

// CreateImprovement stores an open improvement measure and its obligation
// (kind "improvement", owner = the measure's owner org), linked both ways.
func (tx *Tx) CreateImprovement(ctx context.Context, m *fenghuo.Improvement, duty Duty) error {
	if m.Text == "" {
		return fenghuo.FieldErrorf("text", "Describe the measure. / 请填写整改措施。")
	}
	if m.OwnerOrgID == 0 {
		return fenghuo.FieldErrorf("owner_org_id", "Choose the organisation responsible. / 请选择责任单位。")
	}
	m.State, m.CreatedAt, m.UpdatedAt = fenghuo.ImprovementOpen, tx.now, tx.now
	if err := tx.c.queryRow(ctx, `INSERT INTO improvements (incident_id, document_id, body, owner_org_id, owner_user_id,
		due_at, state, obligation_id, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?) RETURNING id`,
		m.IncidentID, m.DocumentID, m.Text, m.OwnerOrgID, m.OwnerUserID, ms(m.DueAt), m.State, m.CreatedBy, ms(tx.now),
		ms(tx.now)).Scan(&m.ID); err != nil {
		return fmt.Errorf("store: create improvement: %w", err)
	}
	o := &fenghuo.Obligation{Kind: ObligationKindImprovement, IncidentID: m.IncidentID, SubjectID: m.ID,
		OwnerOrgID: m.OwnerOrgID, RecipientOrgID: duty.RecipientOrgID, Clause: duty.Clause,
		Title: ImprovementObligationTitle(m.Text), DueAt: m.DueAt, RemindAt: duty.RemindAt}
	if err := tx.CreateObligation(ctx, o); err != nil {
		return fmt.Errorf("store: improvement obligation: %w", err)
	}
	m.ObligationID = o.ID
	_, err := tx.c.exec(ctx, "UPDATE improvements SET obligation_id = ? WHERE id = ?", o.ID, m.ID)
	return err
}

// Improvement returns one improvement measure.
func (db *DB) Improvement(ctx context.Context, id int64) (*fenghuo.Improvement, error) {
	return view(ctx, db, func(tx *Tx) (*fenghuo.Improvement, error) { return tx.Improvement(ctx, id) })
}

// Improvement is DB.Improvement inside tx.
func (tx *Tx) Improvement(ctx context.Context, id int64) (*fenghuo.Improvement, error) {
	m, err := scanImprovement(tx.c.queryRow(ctx, "SELECT "+improvementColumns+" FROM improvements WHERE id = ?", id))
	if err != nil {
		return nil, notFoundOr(err, "Improvement", id)
	}
	return m, nil
}

// IncidentImprovements lists an incident's improvement measures in the
// order recorded.
func (db *DB) IncidentImprovements(ctx context.Context, incidentID int64) ([]fenghuo.Improvement, error) {
	return view(ctx, db, func(tx *Tx) ([]fenghuo.Improvement, error) { return tx.IncidentImprovementsTx(ctx, incidentID) })
}

// IncidentImprovementsTx is DB.IncidentImprovements inside tx.
func (tx *Tx) IncidentImprovementsTx(ctx context.Context, incidentID int64) ([]fenghuo.Improvement, error) {
	return tx.queryImprovements(ctx, "SELECT "+improvementColumns+" FROM improvements WHERE incident_id = ? ORDER BY id", incidentID)
}

// OpenImprovementsOf lists the open measures an org owns, soonest due
// first.
func (db *DB) OpenImprovementsOf(ctx context.Context, orgID int64, p Page) ([]fenghuo.Improvement, error) {
	p = p.norm()
	return view(ctx, db, func(tx *Tx) ([]fenghuo.Improvement, error) {
		return tx.queryImprovements(ctx, "SELECT "+improvementColumns+` FROM improvements WHERE owner_org_id = ? AND state = 'open'
			ORDER BY due_at, id LIMIT ? OFFSET ?`, orgID, p.Limit, p.Offset)
	})
}

func (tx *Tx) queryImprovements(ctx context.Context, q string, args ...any) ([]fenghuo.Improvement, error) {
	rows, err := tx.c.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []fenghuo.Improvement{}
	for rows.Next() {
		m, err := scanImprovement(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *m)
	}
	return out, rows.Err()
}

// SetImprovementState finishes an open measure (done or cancelled) under
// its row lock and closes its obligation in the same transaction (done: on
// time or late; cancelled: cancelled). It returns the measure as stored.
func (tx *Tx) SetImprovementState(ctx context.Context, id int64, state string, userID int64, note string) (*fenghuo.Improvement, error) {
	m, err := scanImprovement(tx.c.queryRow(ctx, "UPDATE improvements SET updated_at = updated_at WHERE id = ? RETURNING "+improvementColumns, id))
	if err != nil {
		return nil, notFoundOr(err, "Improvement", id)
	}
	if !fenghuo.ImprovementTransitionAllowed(m.State, state) {
		return nil, fenghuo.Errorf(fenghuo.ECONFLICT, "The measure is %s and cannot become %s. / 整改事项状态已变化。", m.State, state)
	}
	m.State, m.DoneBy, m.DoneAt, m.DoneNote, m.UpdatedAt = state, userID, tx.now, note, tx.now
	if _, err := tx.c.exec(ctx, "UPDATE improvements SET state = ?, done_by = ?, done_at = ?, done_note = ?, updated_at = ? WHERE id = ?",
		m.State, userID, ms(tx.now), note, ms(tx.now), id); err != nil {
		return nil, err
	}
	return m, tx.closeDuty(ctx, m.ObligationID, state == fenghuo.ImprovementDone, note)
}

// CreateAccountabilityRecord validates and stores a reward or
// accountability record (At is the transaction's time).
func (tx *Tx) CreateAccountabilityRecord(ctx context.Context, r *fenghuo.AccountabilityRecord) error {
	if err := r.Validate(); err != nil {
		return err
	}
	r.At = tx.now
	return tx.c.queryRow(ctx, `INSERT INTO accountability_records (incident_id, kind, subject, subject_org_id, basis,
		decision, decided_org_id, decided_by, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, r.IncidentID, r.Kind,
		r.Subject, r.SubjectOrgID, r.Basis, r.Decision, r.DecidedOrgID, r.DecidedBy, ms(tx.now)).Scan(&r.ID)
}

// AccountabilityRecords lists an incident's records in the order made.
func (db *DB) AccountabilityRecords(ctx context.Context, incidentID int64) ([]fenghuo.AccountabilityRecord, error) {
	return view(ctx, db, func(tx *Tx) ([]fenghuo.AccountabilityRecord, error) {
		rows, err := tx.c.query(ctx, `SELECT id, incident_id, kind, subject, subject_org_id, basis, decision, decided_org_id,
			decided_by, at FROM accountability_records WHERE incident_id = ? ORDER BY id`, incidentID)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		out := []fenghuo.AccountabilityRecord{}
		for rows.Next() {
			var r fenghuo.AccountabilityRecord
			var at int64
			if err := rows.Scan(&r.ID, &r.IncidentID, &r.Kind, &r.Subject, &r.SubjectOrgID, &r.Basis, &r.Decision,
				&r.DecidedOrgID, &r.DecidedBy, &at); err != nil {
				return nil, err
			}
			r.At = fromMS(at)
			out = append(out, r)
		}
		return out, rows.Err()
	})
}
