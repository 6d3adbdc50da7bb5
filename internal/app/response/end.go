package response

import (
	"context"
	"fmt"
	"strings"

	"fenghuo/internal/app"
	"fenghuo/internal/app/incident"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// requirementsMark separates the two parts of a stored end notice.
const requirementsMark = "\n\n后续工作要求："

// end ends the level in force: the plan's ender (with the approval the
// plan asks for) ends it, the end notice goes to everyone notified at
// activation and to the plan's also_to, the duties and situation reports
// stop, and the incident becomes recovering with its post-response
// deadlines running.
func (c *act) end(ctx context.Context) (*Result, error) {
	if c.open == nil || c.open.State != fenghuo.ResponseActive {
		return nil, fenghuo.Errorf(fenghuo.EINVALID, "No response level is in force to end. / 当前没有正在进行的应急响应。")
	}
	p, err := c.s.core.Plans().Get(c.open.PlanID)
	if err != nil {
		return nil, err
	}
	lvl, _ := p.ResponseLevel(c.open.Level)
	a, err := authority(p, c.open.Level, &c.ac.Org, true)
	if err != nil {
		return nil, err
	}
	if !a.Allowed {
		return nil, refusal(a, plan.ActEnd)
	}
	c.in.Situation, c.in.Requirements = strings.TrimSpace(c.in.Situation), strings.TrimSpace(c.in.Requirements)
	if c.in.Situation == "" {
		return nil, fenghuo.FieldErrorf("situation", "Say how the incident was handled: the end notice carries it. / 请填写事件处置情况，结束通知将载明。")
	}
	if err := c.needApproval(lvl.EndApproval, "approval"); err != nil {
		return nil, err
	}
	endClause := lvl.EndClause
	if endClause == "" {
		endClause = lvl.Clause
	}
	notice := c.in.Situation
	if c.in.Requirements != "" {
		notice += requirementsMark + c.in.Requirements
	}
	ended, err := c.tx.SetActivationState(ctx, c.open.ID, fenghuo.ResponseEnded, func(x *fenghuo.ResponseActivation) {
		x.EndedBy, x.EndClause, x.EndNotice = c.ac.User.ID, endClause, notice
		if c.in.Reason != "" {
			x.Reason = strings.TrimSpace(x.Reason + "\n" + c.in.Reason)
		}
	})
	if err != nil {
		return nil, err
	}
	if err := c.s.core.SignRecord(ctx, c.tx, c.ac, &c.ac.Org, store.RecordEndNotice, ended.ID, contentOfEndNotice(ended)); err != nil {
		return nil, err
	}
	if lvl.EndApproval != nil {
		if err := c.tx.AddResponseApproval(ctx, &store.ResponseApproval{ActivationID: ended.ID, Body: lvl.EndApproval.Label().ZH + "（结束）",
			Reference: c.in.Approval, RecordedBy: c.ac.User.ID}); err != nil {
			return nil, err
		}
	}
	if err := c.wind(ctx, ended.ID, windEnd); err != nil {
		return nil, err
	}
	// The plan's also_to get the notice besides those told at activation.
	if lvl.EndNotice != nil {
		have, err := c.tx.EndNoticeRecipients(ctx, ended.ID)
		if err != nil {
			return nil, err
		}
		for _, pt := range lvl.EndNotice.AlsoTo {
			_, r, err := c.resolve(ctx, pt)
			if err != nil {
				return nil, err
			}
			dup := false
			for _, h := range have {
				dup = dup || (r.OrgID != 0 && h.OrgID == r.OrgID) || (r.OrgID == 0 && h.OrgID == 0 && h.Name == r.Name)
			}
			if !dup {
				if err := c.tx.AddEndNoticeRecipient(ctx, &fenghuo.EndNoticeRecipient{ActivationID: ended.ID, OrgID: r.OrgID, Name: r.Name}); err != nil {
					return nil, err
				}
			}
		}
	}
	sent, err := c.tx.MarkEndNoticeSent(ctx, ended.ID)
	if err != nil {
		return nil, err
	}
	title := fmt.Sprintf("结束通知：%s级应急响应结束（%s）", ended.Level.Numeral(), c.inc.Title)
	body := fmt.Sprintf("%s于%s宣布结束%s级应急响应（%s第%s条）。\n事件处置情况：%s", c.ac.Org.Name,
		c.s.core.Now().In(calendar.Shanghai).Format("2006-01-02 15:04"), ended.Level.Numeral(), incident.PlanTitle(p), endClause, notice)
	var names []string
	for _, r := range sent {
		names = append(names, r.Name)
		if r.OrgID == 0 {
			if err := c.tx.SetEndNoticeDelivery(ctx, r.ID, fenghuo.DeliveryPending, "平台外机构：请将结束通知（DOCX/PDF）线下送达 / outside the platform: deliver the DOCX/PDF notice by hand"); err != nil {
				return nil, err
			}
			continue
		}
		if err := c.s.core.NotifyOrg(ctx, c.tx, app.Notice{OrgID: r.OrgID, Kind: "response.ended", Title: title, Body: body,
			Link: link(c.inc.ID), ReportEmail: true}); err != nil {
			return nil, err
		}
		if err := c.tx.SetEndNoticeDelivery(ctx, r.ID, fenghuo.DeliveryDelivered, "站内通知；外部渠道见投递记录"); err != nil {
			return nil, err
		}
	}
	if err := c.s.incidents.EndResponseTx(ctx, c.tx, c.ac, c.inc, c.unit); err != nil {
		return nil, err
	}
	if err := c.timeline("response", approvalPhrase("response.ended", lvl.EndApproval, c.in.Approval, "org", c.ac.Org.Name, "level", string(ended.Level),
		"plan", planArg(p), "clause", endClause, "to", strings.Join(names, "、")), map[string]any{"activation": ended.ID, "state": ended.State}); err != nil {
		return nil, err
	}
	if err := c.audit("response.end", ended, map[string]any{"level": ended.Level, "clause": endClause, "recipients": len(sent)}); err != nil {
		return nil, err
	}
	return &Result{Activation: ended, Message: fmt.Sprintf("%s级应急响应已结束，结束通知已发送%d个单位。 / The level %s response ended; the end notice went to %d recipients.",
		ended.Level.Numeral(), len(sent), ended.Level, len(sent))}, nil
}

// splitNotice returns the two parts of a stored end notice.
func splitNotice(s string) (situation, requirements string) {
	situation, requirements, _ = strings.Cut(s, requirementsMark)
	return situation, requirements
}
