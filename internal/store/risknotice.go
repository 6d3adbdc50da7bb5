package store

import (
	"context"
	"fmt"

	"fenghuo/internal/fenghuo"
)

// Risk notices (0018_risk_notices.sql). A target's answer is an obligation
// of kind ObligationKindRiskNotice (subject_id = the notice, rule_id = the
// target, owner = the unit, recipient = the issuing office), created with
// the target and closed by its answer in the same transaction.
const ObligationKindRiskNotice = "risk_notice"

const riskNoticeColumns = `id, org_id, title, vendor, product, product_key, ranges, ref_ids, description, measures, severity,
	rectify_days, due_at, status, created_by, created_at, updated_at`

func scanRiskNotice(sc scanner) (*fenghuo.RiskNotice, error) {
	var n fenghuo.RiskNotice
	var refs string
	var due, created, updated int64
	if err := sc.Scan(&n.ID, &n.OrgID, &n.Title, &n.Vendor, &n.Product, &n.ProductKey, &n.Ranges, &refs, &n.Description,
		&n.Measures, &n.Severity, &n.RectifyDays, &due, &n.Status, &n.CreatedBy, &created, &updated); err != nil {
		return nil, err
	}
	n.DueAt, n.CreatedAt, n.UpdatedAt = fromMS(due), fromMS(created), fromMS(updated)
	return &n, unmarshalList(refs, &n.RefIDs)
}

// CreateRiskNotice validates and stores a notice (its targets are added
// separately).
func (tx *Tx) CreateRiskNotice(ctx context.Context, n *fenghuo.RiskNotice) error {
	if err := n.Validate(); err != nil {
		return err
	}
	n.CreatedAt, n.UpdatedAt = tx.now, tx.now
	err := tx.c.queryRow(ctx, `INSERT INTO risk_notices (org_id, title, vendor, product, product_key, ranges, ref_ids,
		description, measures, severity, rectify_days, due_at, status, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		n.OrgID, n.Title, n.Vendor, n.Product, n.ProductKey, n.Ranges, jsonText(n.RefIDs), n.Description, n.Measures,
		n.Severity, n.RectifyDays, ms(n.DueAt), n.Status, n.CreatedBy, ms(tx.now), ms(tx.now)).Scan(&n.ID)
	if err != nil {
		return fmt.Errorf("store: create risk notice: %w", err)
	}
	return nil
}

// SetRiskNoticeStatus changes a notice's status.
func (tx *Tx) SetRiskNoticeStatus(ctx context.Context, id int64, status string) error {
	res, err := tx.c.exec(ctx, "UPDATE risk_notices SET status = ?, updated_at = ? WHERE id = ?", status, ms(tx.now), id)
	if err != nil {
		return fmt.Errorf("store: risk notice %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("Risk notice", id)
	}
	return nil
}

// RiskNotice returns one notice.
func (tx *Tx) RiskNotice(ctx context.Context, id int64) (*fenghuo.RiskNotice, error) {
	n, err := scanRiskNotice(tx.c.queryRow(ctx, "SELECT "+riskNoticeColumns+" FROM risk_notices WHERE id = ?", id))
	if err != nil {
		return nil, notFoundOr(err, "Risk notice", id)
	}
	return n, nil
}

// RiskNoticesVisible lists, newest first, the notices an org subtree may
// see: issued by an org in it, or reaching a target in it.
func (db *DB) RiskNoticesVisible(ctx context.Context, orgPath string, p Page) (ListResult[fenghuo.RiskNotice], error) {
	return view(ctx, db, func(tx *Tx) (ListResult[fenghuo.RiskNotice], error) {
		var res ListResult[fenghuo.RiskNotice]
		p = p.norm()
		like := likeEscape(orgPath) + "%"
		// The subtree's orgs first (by path), then their notices and
		// targets by index: neither table is read whole.
		where := ` FROM risk_notices n WHERE n.id IN (SELECT i.id FROM orgs o JOIN risk_notices i ON i.org_id = o.id
			WHERE o.path LIKE ? ESCAPE '\' UNION SELECT t.notice_id FROM orgs o JOIN risk_notice_targets t ON t.org_id = o.id
			WHERE o.path LIKE ? ESCAPE '\')`
		if err := tx.c.queryRow(ctx, "SELECT COUNT(*)"+where, like, like).Scan(&res.Total); err != nil {
			return res, fmt.Errorf("store: count risk notices: %w", err)
		}
		rows, err := tx.c.query(ctx, "SELECT "+riskNoticeColumns+where+" ORDER BY n.created_at DESC, n.id DESC LIMIT ? OFFSET ?",
			like, like, p.Limit, p.Offset)
		if err != nil {
			return res, fmt.Errorf("store: list risk notices: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			n, err := scanRiskNotice(rows)
			if err != nil {
				return res, err
			}
			res.Items = append(res.Items, *n)
		}
		return res, rows.Err()
	})
}

const riskTargetColumns = `id, notice_id, org_id, org_name, matches, answer, answer_note, answered_by, answered_at, finding_ids,
	obligation_id`

func scanRiskTarget(sc scanner) (*fenghuo.RiskNoticeTarget, error) {
	var t fenghuo.RiskNoticeTarget
	var matches, findings string
	var answered int64
	if err := sc.Scan(&t.ID, &t.NoticeID, &t.OrgID, &t.OrgName, &matches, &t.Answer, &t.AnswerNote, &t.AnsweredBy, &answered,
		&findings, &t.ObligationID); err != nil {
		return nil, err
	}
	t.AnsweredAt = fromMS(answered)
	if err := unmarshalList(matches, &t.Matches); err != nil {
		return nil, err
	}
	return &t, unmarshalList(findings, &t.FindingIDs)
}

// AddRiskNoticeTarget stores a target with the obligation to answer (due
// the notice's deadline, escalated to the issuer) and links them.
func (tx *Tx) AddRiskNoticeTarget(ctx context.Context, n *fenghuo.RiskNotice, t *fenghuo.RiskNoticeTarget, duty Duty) error {
	t.NoticeID = n.ID
	err := tx.c.queryRow(ctx, `INSERT INTO risk_notice_targets (notice_id, org_id, org_name, matches, answer, answer_note,
		answered_by, answered_at, finding_ids, obligation_id) VALUES (?, ?, ?, ?, '', '', '', 0, '[]', 0) RETURNING id`,
		t.NoticeID, t.OrgID, t.OrgName, jsonText(t.Matches)).Scan(&t.ID)
	if err != nil {
		return fmt.Errorf("store: risk notice target: %w", err)
	}
	o := &fenghuo.Obligation{Kind: ObligationKindRiskNotice, SubjectID: n.ID, OwnerOrgID: t.OrgID, RecipientOrgID: duty.RecipientOrgID,
		RuleID: fmt.Sprint(t.ID), Clause: duty.Clause, Title: "答复风险通报：" + n.Title, DueAt: n.DueAt, RemindAt: duty.RemindAt}
	if err := tx.CreateObligation(ctx, o); err != nil {
		return fmt.Errorf("store: risk notice obligation: %w", err)
	}
	t.ObligationID = o.ID
	_, err = tx.c.exec(ctx, "UPDATE risk_notice_targets SET obligation_id = ? WHERE id = ?", o.ID, t.ID)
	return err
}

// UpdateRiskNoticeTarget writes a target's answer and findings.
func (tx *Tx) UpdateRiskNoticeTarget(ctx context.Context, t *fenghuo.RiskNoticeTarget) error {
	_, err := tx.c.exec(ctx, `UPDATE risk_notice_targets SET answer = ?, answer_note = ?, answered_by = ?, answered_at = ?,
		finding_ids = ? WHERE id = ?`, t.Answer, t.AnswerNote, t.AnsweredBy, ms(t.AnsweredAt), jsonText(t.FindingIDs), t.ID)
	if err != nil {
		return fmt.Errorf("store: update risk notice target %d: %w", t.ID, err)
	}
	return nil
}

// LockRiskNoticeTarget returns a target and holds its row locked until tx
// ends (PostgreSQL), so that two answers at once do not both count.
func (tx *Tx) LockRiskNoticeTarget(ctx context.Context, id int64) (*fenghuo.RiskNoticeTarget, error) {
	t, err := scanRiskTarget(tx.c.queryRow(ctx, "UPDATE risk_notice_targets SET answer = answer WHERE id = ? RETURNING "+riskTargetColumns, id))
	if err != nil {
		return nil, notFoundOr(err, "Risk notice target", id)
	}
	return t, nil
}

// RiskNoticeTargets lists a notice's targets by unit name.
func (tx *Tx) RiskNoticeTargets(ctx context.Context, noticeID int64) ([]fenghuo.RiskNoticeTarget, error) {
	rows, err := tx.c.query(ctx, "SELECT "+riskTargetColumns+" FROM risk_notice_targets WHERE notice_id = ? ORDER BY org_name, id", noticeID)
	if err != nil {
		return nil, fmt.Errorf("store: risk notice targets: %w", err)
	}
	defer rows.Close()
	out := []fenghuo.RiskNoticeTarget{}
	for rows.Next() {
		t, err := scanRiskTarget(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *t)
	}
	return out, rows.Err()
}

// ActiveComponents lists every component of the active systems in the
// subtree of orgPath, for a notice to match by normalised product and
// version (which SQL cannot compare).
func (tx *Tx) ActiveComponents(ctx context.Context, orgPath string) ([]ComponentMatch, error) {
	rows, err := tx.c.query(ctx, `SELECT s.id, s.name, s.org_id, c.name, c.version, c.vendor
		FROM systems s JOIN orgs o ON o.id = s.org_id JOIN system_components c ON c.system_id = s.id
		WHERE o.path LIKE ? ESCAPE '\' AND s.status = ? ORDER BY s.org_id, s.id, c.position`, likeEscape(orgPath)+"%", fenghuo.SystemActive)
	if err != nil {
		return nil, fmt.Errorf("store: active components: %w", err)
	}
	defer rows.Close()
	list := []ComponentMatch{}
	for rows.Next() {
		var m ComponentMatch
		if err := rows.Scan(&m.SystemID, &m.SystemName, &m.OrgID, &m.Component.Name, &m.Component.Version, &m.Component.Vendor); err != nil {
			return nil, err
		}
		list = append(list, m)
	}
	return list, rows.Err()
}
