package store

import (
	"context"
	"encoding/json"
	"fmt"

	"fenghuo/internal/fenghuo"
)

// Inspection checklists and campaigns (0017_inspections.sql).

const checklistVersionColumns = "id, checklist_id, version, label, title, yaml, sm3, org_id, uploaded_by, uploaded_at, note"

func scanChecklistVersion(sc scanner) (*fenghuo.ChecklistVersion, error) {
	var v fenghuo.ChecklistVersion
	var at int64
	if err := sc.Scan(&v.ID, &v.ChecklistID, &v.Version, &v.Label, &v.Title, &v.YAML, &v.SM3, &v.OrgID, &v.UploadedBy, &at, &v.Note); err != nil {
		return nil, err
	}
	v.UploadedAt = fromMS(at)
	return &v, nil
}

// CreateChecklistVersion stores v.YAML (validated by the caller) as the next
// version of v.ChecklistID; Version, SM3 and UploadedAt are set here. Two
// uploads of one checklist at once: the second fails with ECONFLICT.
func (tx *Tx) CreateChecklistVersion(ctx context.Context, v *fenghuo.ChecklistVersion) error {
	var latest int
	if err := tx.c.queryRow(ctx, "SELECT COALESCE(MAX(version), 0) FROM checklist_versions WHERE checklist_id = ?", v.ChecklistID).Scan(&latest); err != nil {
		return fmt.Errorf("store: checklist versions: %w", err)
	}
	v.Version, v.SM3, v.UploadedAt = latest+1, PlanDigest(v.YAML), tx.now
	return tx.c.queryRow(ctx, `INSERT INTO checklist_versions (checklist_id, version, label, title, yaml, sm3, org_id, uploaded_by,
		uploaded_at, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, v.ChecklistID, v.Version, v.Label, v.Title, v.YAML,
		v.SM3, v.OrgID, v.UploadedBy, ms(tx.now), v.Note).Scan(&v.ID)
}

// ChecklistVersions lists the versions of one checklist, newest first.
func (tx *Tx) ChecklistVersions(ctx context.Context, checklistID string) ([]fenghuo.ChecklistVersion, error) {
	return tx.queryChecklistVersions(ctx, "SELECT "+checklistVersionColumns+" FROM checklist_versions WHERE checklist_id = ? ORDER BY version DESC", checklistID)
}

// LatestChecklistVersions lists the newest version of every uploaded
// checklist, by id.
func (tx *Tx) LatestChecklistVersions(ctx context.Context) ([]fenghuo.ChecklistVersion, error) {
	return tx.queryChecklistVersions(ctx, "SELECT "+checklistVersionColumns+` FROM checklist_versions v
		WHERE version = (SELECT MAX(version) FROM checklist_versions l WHERE l.checklist_id = v.checklist_id) ORDER BY checklist_id`)
}

// ChecklistVersion returns one version (0: the newest), or ENOTFOUND.
func (tx *Tx) ChecklistVersion(ctx context.Context, checklistID string, version int) (*fenghuo.ChecklistVersion, error) {
	q := "SELECT " + checklistVersionColumns + " FROM checklist_versions WHERE checklist_id = ? AND version = ?"
	args := []any{checklistID, version}
	if version == 0 {
		q = "SELECT " + checklistVersionColumns + " FROM checklist_versions WHERE checklist_id = ? ORDER BY version DESC LIMIT 1"
		args = args[:1]
	}
	v, err := scanChecklistVersion(tx.c.queryRow(ctx, q, args...))
	if err != nil {
		return nil, notFoundOr(err, "Checklist", checklistID)
	}
	return v, nil
}

func (tx *Tx) queryChecklistVersions(ctx context.Context, q string, args ...any) ([]fenghuo.ChecklistVersion, error) {
	rows, err := tx.c.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []fenghuo.ChecklistVersion{}
	for rows.Next() {
		v, err := scanChecklistVersion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, rows.Err()
}

const campaignColumns = `c.id, c.org_id, c.kind, c.title, c.checklist_id, c.checklist_version, c.checklist_yaml, c.scope,
	c.starts_at, c.due_at, c.state, c.created_by, c.created_at, c.closed_at, c.closed_by, c.close_reason`

func scanCampaign(sc scanner) (*fenghuo.Campaign, error) {
	var c fenghuo.Campaign
	var scope string
	var starts, due, created, closed int64
	if err := sc.Scan(&c.ID, &c.OrgID, &c.Kind, &c.Title, &c.ChecklistID, &c.ChecklistVersion, &c.ChecklistYAML, &scope,
		&starts, &due, &c.State, &c.CreatedBy, &created, &closed, &c.ClosedBy, &c.CloseReason); err != nil {
		return nil, err
	}
	c.ClosedAt = fromMS(closed)
	if err := json.Unmarshal([]byte(scope), &c.Scope); err != nil {
		return nil, fmt.Errorf("store: campaign %d scope: %w", c.ID, err)
	}
	c.StartsAt, c.DueAt, c.CreatedAt = fromMS(starts), fromMS(due), fromMS(created)
	return &c, nil
}

// CreateCampaign validates and stores a campaign (state open).
func (tx *Tx) CreateCampaign(ctx context.Context, c *fenghuo.Campaign) error {
	if err := c.Validate(); err != nil {
		return err
	}
	scope, err := json.Marshal(c.Scope)
	if err != nil {
		return err
	}
	c.State, c.CreatedAt = fenghuo.CampaignOpen, tx.now
	return tx.c.queryRow(ctx, `INSERT INTO inspection_campaigns (org_id, kind, title, checklist_id, checklist_version,
		checklist_yaml, scope, starts_at, due_at, state, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`, c.OrgID, c.Kind, c.Title, c.ChecklistID, c.ChecklistVersion, c.ChecklistYAML, string(scope),
		ms(c.StartsAt), ms(c.DueAt), c.State, c.CreatedBy, ms(tx.now)).Scan(&c.ID)
}

// SetCampaignState closes or reopens a campaign.
func (tx *Tx) SetCampaignState(ctx context.Context, id int64, state string) error {
	_, err := tx.c.exec(ctx, "UPDATE inspection_campaigns SET state = ? WHERE id = ?", state, id)
	return err
}

// CloseCampaign closes an open campaign now, by userID, for reason;
// ECONFLICT when it is already closed.
func (tx *Tx) CloseCampaign(ctx context.Context, id, userID int64, reason string) error {
	res, err := tx.c.exec(ctx, "UPDATE inspection_campaigns SET state = ?, closed_at = ?, closed_by = ?, close_reason = ? WHERE id = ? AND state = ?",
		fenghuo.CampaignClosed, ms(tx.now), userID, reason, id, fenghuo.CampaignOpen)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fenghuo.Errorf(fenghuo.ECONFLICT, "This campaign is already closed. / 该检查已结束。")
	}
	return nil
}

// Campaign returns one campaign, or ENOTFOUND.
func (tx *Tx) Campaign(ctx context.Context, id int64) (*fenghuo.Campaign, error) {
	c, err := scanCampaign(tx.c.queryRow(ctx, "SELECT "+campaignColumns+" FROM inspection_campaigns c WHERE c.id = ?", id))
	if err != nil {
		return nil, notFoundOr(err, "Inspection campaign", id)
	}
	return c, nil
}

// CampaignsVisible lists, newest first, the campaigns issued by an org of
// the subtree at orgPath or reaching one.
func (db *DB) CampaignsVisible(ctx context.Context, orgPath string, p Page) (ListResult[fenghuo.Campaign], error) {
	return view(ctx, db, func(tx *Tx) (ListResult[fenghuo.Campaign], error) {
		p = p.norm()
		like := likeEscape(orgPath) + "%"
		where := `FROM inspection_campaigns c WHERE EXISTS (SELECT 1 FROM orgs o WHERE o.id = c.org_id AND o.path LIKE ? ESCAPE '\')
			OR EXISTS (SELECT 1 FROM inspection_targets t JOIN orgs o ON o.id = t.org_id WHERE t.campaign_id = c.id AND o.path LIKE ? ESCAPE '\')`
		var res ListResult[fenghuo.Campaign]
		if err := tx.c.queryRow(ctx, "SELECT COUNT(*) "+where, like, like).Scan(&res.Total); err != nil {
			return res, err
		}
		rows, err := tx.c.query(ctx, "SELECT "+campaignColumns+" "+where+" ORDER BY c.created_at DESC, c.id DESC LIMIT ? OFFSET ?",
			like, like, p.Limit, p.Offset)
		if err != nil {
			return res, err
		}
		defer rows.Close()
		res.Items = []fenghuo.Campaign{}
		for rows.Next() {
			c, err := scanCampaign(rows)
			if err != nil {
				return res, err
			}
			res.Items = append(res.Items, *c)
		}
		return res, rows.Err()
	})
}

// AddCampaignTarget records that a campaign reaches an org.
func (tx *Tx) AddCampaignTarget(ctx context.Context, t *fenghuo.CampaignTarget) error {
	return tx.c.queryRow(ctx, "INSERT INTO inspection_targets (campaign_id, org_id, reason, obligation_id) VALUES (?, ?, ?, ?) RETURNING id",
		t.CampaignID, t.OrgID, t.Reason, t.ObligationID).Scan(&t.ID)
}

// SetCampaignTargetObligation links a target to its obligation.
func (tx *Tx) SetCampaignTargetObligation(ctx context.Context, targetID, obligationID int64) error {
	_, err := tx.c.exec(ctx, "UPDATE inspection_targets SET obligation_id = ? WHERE id = ?", obligationID, targetID)
	return err
}

// SubmitCampaignTarget marks a unit's answers as sent; ECONFLICT when they
// already were.
func (tx *Tx) SubmitCampaignTarget(ctx context.Context, targetID, userID int64) error {
	res, err := tx.c.exec(ctx, "UPDATE inspection_targets SET submitted_at = ?, submitted_by = ? WHERE id = ? AND submitted_at = 0",
		ms(tx.now), userID, targetID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fenghuo.Errorf(fenghuo.ECONFLICT, "These answers were already submitted. / 该单位的检查结果已提交。")
	}
	return nil
}

// ReturnCampaignTarget sends a unit's submitted answers back to it to be
// filled in again (退回重填), with the issuer's note and the unit's new
// duty; ECONFLICT when they are not submitted.
func (tx *Tx) ReturnCampaignTarget(ctx context.Context, targetID, userID int64, note string, obligationID int64) error {
	res, err := tx.c.exec(ctx, `UPDATE inspection_targets SET submitted_at = 0, submitted_by = 0, returned_at = ?, returned_by = ?,
		return_note = ?, obligation_id = ? WHERE id = ? AND submitted_at <> 0`, ms(tx.now), userID, note, obligationID, targetID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fenghuo.Errorf(fenghuo.ECONFLICT, "These answers are not submitted: nothing to send back. / 该单位尚未提交，无需退回。")
	}
	return nil
}

const targetColumns = `t.id, t.campaign_id, t.org_id, o.name, t.reason, t.obligation_id, t.submitted_at, t.submitted_by,
	t.returned_at, t.returned_by, t.return_note`

func scanTarget(sc scanner) (*fenghuo.CampaignTarget, error) {
	var t fenghuo.CampaignTarget
	var submitted, returned int64
	if err := sc.Scan(&t.ID, &t.CampaignID, &t.OrgID, &t.OrgName, &t.Reason, &t.ObligationID, &submitted, &t.SubmittedBy,
		&returned, &t.ReturnedBy, &t.ReturnNote); err != nil {
		return nil, err
	}
	t.SubmittedAt, t.ReturnedAt = fromMS(submitted), fromMS(returned)
	return &t, nil
}

// CampaignTarget returns the target of one org in a campaign, or ENOTFOUND.
func (tx *Tx) CampaignTarget(ctx context.Context, campaignID, orgID int64) (*fenghuo.CampaignTarget, error) {
	t, err := scanTarget(tx.c.queryRow(ctx, "SELECT "+targetColumns+` FROM inspection_targets t JOIN orgs o ON o.id = t.org_id
		WHERE t.campaign_id = ? AND t.org_id = ?`, campaignID, orgID))
	if err != nil {
		return nil, notFoundOr(err, "Inspection target", orgID)
	}
	return t, nil
}

// CampaignTargets lists a campaign's targets by name with their answer
// counts.
func (tx *Tx) CampaignTargets(ctx context.Context, campaignID int64) ([]fenghuo.CampaignTarget, error) {
	rows, err := tx.c.query(ctx, "SELECT "+targetColumns+` FROM inspection_targets t JOIN orgs o ON o.id = t.org_id
		WHERE t.campaign_id = ? ORDER BY o.name, t.id`, campaignID)
	if err != nil {
		return nil, err
	}
	var out []fenghuo.CampaignTarget
	byOrg := map[int64]int{}
	for rows.Next() {
		t, err := scanTarget(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		byOrg[t.OrgID] = len(out)
		out = append(out, *t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	counts, err := tx.c.query(ctx, `SELECT org_id, COUNT(*), COALESCE(SUM(CASE WHEN answer = 'non_compliant' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN finding_id <> 0 THEN 1 ELSE 0 END), 0) FROM inspection_answers WHERE campaign_id = ? GROUP BY org_id`, campaignID)
	if err != nil {
		return nil, err
	}
	defer counts.Close()
	for counts.Next() {
		var org int64
		var answered, non, findings int
		if err := counts.Scan(&org, &answered, &non, &findings); err != nil {
			return nil, err
		}
		if i, ok := byOrg[org]; ok {
			out[i].Answered, out[i].NonCompliant, out[i].Findings = answered, non, findings
		}
	}
	return out, counts.Err()
}

// SaveInspectionAnswer inserts or replaces a unit's answer to one item.
func (tx *Tx) SaveInspectionAnswer(ctx context.Context, a *fenghuo.InspectionAnswer) error {
	if err := a.Validate(); err != nil {
		return err
	}
	a.AnsweredAt = tx.now
	return tx.c.queryRow(ctx, `INSERT INTO inspection_answers (campaign_id, org_id, item_id, answer, reason, evidence, system_id,
		finding_id, answered_by, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (campaign_id, org_id, item_id) DO UPDATE SET answer = excluded.answer, reason = excluded.reason,
		evidence = excluded.evidence, system_id = excluded.system_id, finding_id = excluded.finding_id,
		answered_by = excluded.answered_by, answered_at = excluded.answered_at RETURNING id`,
		a.CampaignID, a.OrgID, a.ItemID, a.Answer, a.Reason, a.Evidence, a.SystemID, a.FindingID, a.AnsweredBy,
		ms(tx.now)).Scan(&a.ID)
}

// SetInspectionAnswerFinding links an answer to the finding it raised.
func (tx *Tx) SetInspectionAnswerFinding(ctx context.Context, answerID, findingID int64) error {
	_, err := tx.c.exec(ctx, "UPDATE inspection_answers SET finding_id = ? WHERE id = ?", findingID, answerID)
	return err
}

// InspectionAnswers lists one unit's answers in a campaign.
func (tx *Tx) InspectionAnswers(ctx context.Context, campaignID, orgID int64) ([]fenghuo.InspectionAnswer, error) {
	rows, err := tx.c.query(ctx, `SELECT id, campaign_id, org_id, item_id, answer, reason, evidence, system_id, finding_id,
		answered_by, answered_at FROM inspection_answers WHERE campaign_id = ? AND org_id = ? ORDER BY id`, campaignID, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []fenghuo.InspectionAnswer{}
	for rows.Next() {
		var a fenghuo.InspectionAnswer
		var at int64
		if err := rows.Scan(&a.ID, &a.CampaignID, &a.OrgID, &a.ItemID, &a.Answer, &a.Reason, &a.Evidence, &a.SystemID,
			&a.FindingID, &a.AnsweredBy, &at); err != nil {
			return nil, err
		}
		a.AnsweredAt = fromMS(at)
		out = append(out, a)
	}
	return out, rows.Err()
}

// CreateInspectionEvidence stores the record of a file proving an answer.
func (tx *Tx) CreateInspectionEvidence(ctx context.Context, e *fenghuo.InspectionEvidence) error {
	e.UploadedAt = tx.now
	err := tx.c.queryRow(ctx, `INSERT INTO inspection_evidence (campaign_id, org_id, item_id, filename, content_type, size, sm3,
		storage_key, note, uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, e.CampaignID, e.OrgID,
		e.ItemID, e.Filename, e.ContentType, e.Size, e.SM3, e.StorageKey, e.Note, e.UploadedBy, ms(tx.now)).Scan(&e.ID)
	if err != nil {
		return fmt.Errorf("store: inspection evidence: %w", err)
	}
	return nil
}

const inspectionEvidenceColumns = "id, campaign_id, org_id, item_id, filename, content_type, size, sm3, storage_key, note, uploaded_by, uploaded_at"

func scanInspectionEvidence(sc scanner) (*fenghuo.InspectionEvidence, error) {
	var e fenghuo.InspectionEvidence
	var at int64
	if err := sc.Scan(&e.ID, &e.CampaignID, &e.OrgID, &e.ItemID, &e.Filename, &e.ContentType, &e.Size, &e.SM3, &e.StorageKey,
		&e.Note, &e.UploadedBy, &at); err != nil {
		return nil, err
	}
	e.UploadedAt = fromMS(at)
	return &e, nil
}

// InspectionEvidence returns one answer file's record, or ENOTFOUND.
func (tx *Tx) InspectionEvidence(ctx context.Context, id int64) (*fenghuo.InspectionEvidence, error) {
	e, err := scanInspectionEvidence(tx.c.queryRow(ctx, "SELECT "+inspectionEvidenceColumns+" FROM inspection_evidence WHERE id = ?", id))
	if err != nil {
		return nil, notFoundOr(err, "Evidence", id)
	}
	return e, nil
}

// InspectionEvidenceOf lists a unit's answer files in a campaign by item,
// oldest first.
func (tx *Tx) InspectionEvidenceOf(ctx context.Context, campaignID, orgID int64) ([]fenghuo.InspectionEvidence, error) {
	rows, err := tx.c.query(ctx, "SELECT "+inspectionEvidenceColumns+` FROM inspection_evidence WHERE campaign_id = ? AND org_id = ?
		ORDER BY item_id, id LIMIT ?`, campaignID, orgID, MaxLimit)
	if err != nil {
		return nil, fmt.Errorf("store: inspection evidence: %w", err)
	}
	defer rows.Close()
	out := []fenghuo.InspectionEvidence{}
	for rows.Next() {
		e, err := scanInspectionEvidence(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *e)
	}
	return out, rows.Err()
}
