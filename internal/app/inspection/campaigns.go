package inspection

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/calendar"
	"fenghuo/internal/checklist"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

func shanghai() *time.Location { return calendar.Shanghai }

// CampaignInput is a campaign as the issuer gives it. OrgID is the issuing
// office (0: the actor's own); ChecklistVersion 0 takes the newest upload.
type CampaignInput struct {
	OrgID            int64
	Kind             fenghuo.CampaignKind
	Title            string
	ChecklistID      string
	ChecklistVersion int
	Scope            fenghuo.Targeting
	StartsAt         time.Time
	DueAt            time.Time
}

// Issue sends a checklist to the units the scope chooses, each of which
// must answer by the due time: one obligation per unit, and a notice.
func (s *Service) Issue(ctx context.Context, ac *app.Actor, in CampaignInput) (*fenghuo.Campaign, []fenghuo.CampaignTarget, error) {
	now := s.core.Now()
	if in.StartsAt.IsZero() {
		in.StartsAt = now
	}
	if !in.DueAt.IsZero() && !in.DueAt.After(now) {
		return nil, nil, fenghuo.FieldErrorf("due_at", "The due date has already passed. / 截止时间已过。")
	}
	var c *fenghuo.Campaign
	var targets []fenghuo.CampaignTarget
	err := s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		orgID := in.OrgID
		if orgID == 0 {
			orgID = ac.Org.ID
		}
		issuer, err := tx.Org(ctx, orgID)
		if err != nil {
			return err
		}
		if err := app.RequireAt(ac, fenghuo.PermWarningIssue, issuer.Path, "Org", orgID); err != nil {
			return err
		}
		cl, _, err := loadChecklist(ctx, tx, in.ChecklistID, in.ChecklistVersion)
		if err != nil {
			if fenghuo.ErrorCode(err) == fenghuo.ENOTFOUND {
				return fenghuo.FieldErrorf("checklist", "Checklist %q not found. / 未找到该检查表。", in.ChecklistID)
			}
			return err
		}
		c = &fenghuo.Campaign{OrgID: issuer.ID, Kind: in.Kind, Title: strings.TrimSpace(in.Title), ChecklistID: cl.ID,
			ChecklistVersion: cl.FullVersion(), ChecklistYAML: string(cl.Raw()), Scope: in.Scope, StartsAt: in.StartsAt,
			DueAt: in.DueAt, CreatedBy: ac.User.ID}
		if err := c.Validate(); err != nil {
			return err
		}
		if targets, err = s.resolveTargets(ctx, tx, issuer, in.Scope); err != nil {
			return err
		}
		if len(targets) == 0 {
			return fenghuo.FieldErrorf("scope", "No unit matches this scope. / 没有符合范围的单位。")
		}
		if err := tx.CreateCampaign(ctx, c); err != nil {
			return err
		}
		kindZH := map[fenghuo.CampaignKind]string{fenghuo.CampaignSelf: "自查", fenghuo.CampaignOffice: "检查"}[c.Kind]
		for i := range targets {
			t := &targets[i]
			t.CampaignID = c.ID
			if err := tx.AddCampaignTarget(ctx, t); err != nil {
				return err
			}
			// The duty to answer; the reminder comes a day before the end
			// (or at three quarters of a shorter window).
			remind := c.DueAt.Add(-24 * time.Hour)
			if window := c.DueAt.Sub(now); window < 4*24*time.Hour {
				remind = now.Add(window * 3 / 4)
			}
			o := &fenghuo.Obligation{Kind: fenghuo.ObligationKindInspection, SubjectID: c.ID, OwnerOrgID: t.OrgID,
				RecipientOrgID: issuer.ID, RecipientName: issuer.Name, RuleID: strconv.FormatInt(t.ID, 10), Clause: "000 §3",
				Title: fmt.Sprintf("网络安全%s：%s", kindZH, c.Title), DueAt: c.DueAt, RemindAt: remind}
			if c.Kind == fenghuo.CampaignOffice {
				// The office answers for the unit: the duty is the office's.
				o.OwnerOrgID = issuer.ID
				o.Title = fmt.Sprintf("网络安全检查：%s（%s）", c.Title, t.OrgName)
			}
			if err := tx.CreateObligation(ctx, o); err != nil {
				return err
			}
			t.ObligationID = o.ID
			if err := tx.SetCampaignTargetObligation(ctx, t.ID, o.ID); err != nil {
				return err
			}
			if c.Kind == fenghuo.CampaignSelf {
				if err := s.core.NotifyOrg(ctx, tx, app.Notice{OrgID: t.OrgID, Kind: "inspection.issued",
					Title: fmt.Sprintf("%s通知开展网络安全自查：%s", issuer.Name, c.Title),
					Body: fmt.Sprintf("检查表：%s，共%d项；请于%s（北京时间）前逐项填报并提交。", cl.Title.ZH, len(cl.Items),
						c.DueAt.In(shanghai()).Format("2006-01-02 15:04")),
					Link: fmt.Sprintf("/inspections/%d/units/%d", c.ID, t.OrgID)}); err != nil {
					return err
				}
			}
		}
		return s.core.Record(ctx, tx, ac, "inspection.issue", "inspection", strconv.FormatInt(c.ID, 10), "success",
			map[string]any{"kind": c.Kind, "checklist": c.ChecklistID, "version": c.ChecklistVersion, "targets": len(targets),
				"due_at": c.DueAt, "issuer": issuer.ID})
	})
	if err != nil {
		return nil, nil, err
	}
	return c, targets, nil
}

// resolveTargets expands a scope into units of the issuer's subtree (the
// issuer excluded), each with why it was chosen. Without a unit type only
// operators (运营单位) are chosen: offices are not inspected by default.
func (s *Service) resolveTargets(ctx context.Context, tx *store.Tx, issuer *fenghuo.Org, t fenghuo.Targeting) ([]fenghuo.CampaignTarget, error) {
	subtree, err := app.AllSubtree(ctx, tx, issuer.ID)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*fenghuo.Org{}
	for i := range subtree {
		byID[subtree[i].ID] = &subtree[i]
	}
	reasons := map[int64][]string{}
	explicit := len(t.OrgIDs) > 0 || len(t.Subtrees) > 0 || strings.TrimSpace(t.Component) != ""
	for _, id := range t.OrgIDs {
		if byID[id] == nil {
			return nil, fenghuo.FieldErrorf("scope", "Org %d is not under %s. / 所选单位不在%s管辖范围内。", id, issuer.Name, issuer.Name)
		}
		reasons[id] = append(reasons[id], "指定单位")
	}
	for _, root := range t.Subtrees {
		r := byID[root]
		if r == nil {
			return nil, fenghuo.FieldErrorf("scope", "Org %d is not under %s. / 所选范围不在%s管辖范围内。", root, issuer.Name, issuer.Name)
		}
		for _, o := range subtree {
			if fenghuo.InSubtree(r.Path, o.Path) {
				reasons[o.ID] = append(reasons[o.ID], "属于"+r.Name)
			}
		}
	}
	if c := strings.TrimSpace(t.Component); c != "" {
		matches, err := tx.SystemsByComponent(ctx, issuer.ID, c, "")
		if err != nil {
			return nil, err
		}
		for _, m := range matches {
			reasons[m.OrgID] = append(reasons[m.OrgID], fmt.Sprintf("%s运行%s %s", m.SystemName, m.Component.Name, m.Component.Version))
		}
	}
	if !explicit {
		for _, o := range subtree {
			reasons[o.ID] = append(reasons[o.ID], "")
		}
	}
	orgType := t.OrgType
	if orgType == "" {
		orgType = string(fenghuo.OrgOperator)
	}
	var out []fenghuo.CampaignTarget
	for id, why := range reasons {
		o := byID[id]
		if o == nil || id == issuer.ID {
			continue
		}
		if t.Sector != "" && o.Sector != t.Sector {
			continue
		}
		if string(o.Type) != orgType {
			continue
		}
		if t.Sector != "" {
			why = append(why, "行业："+t.Sector)
		}
		if t.OrgType != "" {
			why = append(why, "类型："+t.OrgType)
		}
		out = append(out, fenghuo.CampaignTarget{OrgID: id, OrgName: o.Name, Reason: joinReasons(why)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].OrgID < out[j].OrgID })
	return out, nil
}

func joinReasons(ss []string) string {
	var out []string
	seen := map[string]bool{}
	for _, s := range ss {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return strings.Join(out, "；")
}

// CampaignRow is one campaign in the list.
type CampaignRow struct {
	fenghuo.Campaign
	IssuerName string
}

// Campaigns lists, newest first, the campaigns the actor's org issued (or
// an org below it did) or that reach its subtree.
func (s *Service) Campaigns(ctx context.Context, ac *app.Actor, p store.Page) (store.ListResult[CampaignRow], error) {
	var out store.ListResult[CampaignRow]
	if err := app.Require(ac, fenghuo.PermSystemRead); err != nil {
		return out, err
	}
	res, err := s.core.DB().CampaignsVisible(ctx, ac.Org.Path, p)
	if err != nil {
		return out, err
	}
	out.Total, out.Capped, out.Items = res.Total, res.Capped, make([]CampaignRow, 0, len(res.Items))
	names := map[int64]string{}
	for _, c := range res.Items {
		if _, ok := names[c.OrgID]; !ok {
			if o, err := s.core.DB().Org(ctx, c.OrgID); err == nil {
				names[c.OrgID] = o.Name
			}
		}
		out.Items = append(out.Items, CampaignRow{Campaign: c, IssuerName: names[c.OrgID]})
	}
	return out, nil
}

// Progress is one unit's progress in a campaign, as the issuer reads it.
type Progress struct {
	fenghuo.CampaignTarget
	Items int
	// Overdue: not submitted and the window has ended.
	Overdue bool
	// Late: submitted after the window's end.
	Late bool
	// EscalatedAt is when the issuer was told the unit is overdue.
	EscalatedAt time.Time
	// CanAnswer says the actor may answer for this unit.
	CanAnswer bool
	// Unfinished: the campaign is closed and the unit never submitted
	// (未完成 in the final progress).
	Unfinished bool
}

// Board is a campaign with the progress of every unit the actor may see.
type Board struct {
	Campaign  *fenghuo.Campaign
	Issuer    *fenghuo.Org
	Checklist *checklist.Checklist
	Units     []Progress
	// IssuerView: the actor's org is the issuer or above it and sees every
	// unit; otherwise only the units of its own subtree.
	IssuerView bool
	// Totals over the units shown.
	Submitted, Overdue, Findings int
	// CanClose says the actor (the issuer's side, with the right to issue)
	// may close the campaign.
	CanClose bool
}

// Campaign returns a campaign's board for an actor who may see it.
func (s *Service) Campaign(ctx context.Context, ac *app.Actor, id int64) (*Board, error) {
	if err := app.Require(ac, fenghuo.PermSystemRead); err != nil {
		return nil, err
	}
	now := s.core.Now()
	b := &Board{}
	err := s.core.DB().View(ctx, func(tx *store.Tx) error {
		var err error
		if b.Campaign, err = tx.Campaign(ctx, id); err != nil {
			return err
		}
		if b.Issuer, err = tx.Org(ctx, b.Campaign.OrgID); err != nil {
			return err
		}
		if b.Checklist, err = checklist.Parse(b.Campaign.ChecklistID, []byte(b.Campaign.ChecklistYAML)); err != nil {
			return err
		}
		b.IssuerView = fenghuo.InSubtree(ac.Org.Path, b.Issuer.Path)
		b.CanClose = b.IssuerView && !b.Campaign.Closed() && app.RequireAt(ac, fenghuo.PermWarningIssue, b.Issuer.Path, "Org", b.Issuer.ID) == nil
		targets, err := tx.CampaignTargets(ctx, id)
		if err != nil {
			return err
		}
		// One read of the campaign's duties (kind, subject) for every unit.
		obs, err := tx.ObligationsBySubject(ctx, fenghuo.ObligationKindInspection, id)
		if err != nil {
			return err
		}
		duties := map[int64]*fenghuo.Obligation{}
		for i := range obs {
			duties[obs[i].ID] = &obs[i]
		}
		for _, t := range targets {
			org, err := tx.Org(ctx, t.OrgID)
			if err != nil {
				return err
			}
			if !b.IssuerView && !fenghuo.InSubtree(ac.Org.Path, org.Path) {
				continue
			}
			p := Progress{CampaignTarget: t, Items: len(b.Checklist.Items), CanAnswer: s.canAnswer(ac, b.Campaign, b.Issuer, org) == nil}
			p.Overdue = !t.Submitted() && !now.Before(b.Campaign.DueAt)
			p.Late = t.Submitted() && t.SubmittedAt.After(b.Campaign.DueAt)
			p.Unfinished = b.Campaign.Closed() && !t.Submitted()
			p.CanAnswer = p.CanAnswer && !b.Campaign.Closed()
			if o := duties[t.ObligationID]; o != nil {
				p.EscalatedAt = o.EscalatedAt
			}
			if t.Submitted() {
				b.Submitted++
			}
			if p.Overdue {
				b.Overdue++
			}
			b.Findings += t.Findings
			b.Units = append(b.Units, p)
		}
		if !b.IssuerView && len(b.Units) == 0 {
			return fenghuo.Errorf(fenghuo.ENOTFOUND, "Inspection campaign %d not found. / 未找到该检查。", id)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// canAnswer says whether the actor may answer for the unit: in a
// self-inspection the unit itself (with the right to acknowledge the
// office's requests); in an inspection by the office, the office or one
// above the unit within the issuer's subtree, with the right to issue.
func (s *Service) canAnswer(ac *app.Actor, c *fenghuo.Campaign, issuer, unit *fenghuo.Org) error {
	if c.Kind == fenghuo.CampaignSelf {
		if ac.Org.ID != unit.ID {
			return fenghuo.Errorf(fenghuo.EFORBIDDEN, "Only %s answers its self-inspection. / 自查由%s本单位填报。", unit.Name, unit.Name)
		}
		return app.Require(ac, fenghuo.PermWarningAck)
	}
	if ac.Org.ID == unit.ID || !fenghuo.InSubtree(issuer.Path, ac.Org.Path) {
		return fenghuo.Errorf(fenghuo.EFORBIDDEN, "%s records this inspection. / 本次检查由%s填报。", issuer.Name, issuer.Name)
	}
	return app.RequireAt(ac, fenghuo.PermWarningIssue, unit.Path, "Org", unit.ID)
}
