package response

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/incident"
	"fenghuo/internal/app/task"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/phrase"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// setUp does what an activated level asks for, in the activation's
// transaction: the incident becomes responding at the level, the approval
// and the command structure are recorded, the switches are applied and the
// parties the plan names are told (and kept for the end notice, with the
// carried recipients of a level it replaced).
func (c *act) setUp(ctx context.Context, p *plan.Plan, lvl plan.ResponseLevel, a *fenghuo.ResponseActivation, carried []fenghuo.EndNoticeRecipient) error {
	if err := c.s.incidents.StartResponseTx(ctx, c.tx, c.ac, c.inc, a.Level); err != nil {
		return err
	}
	if lvl.Approval != nil {
		if err := c.tx.AddResponseApproval(ctx, &store.ResponseApproval{ActivationID: a.ID, Body: lvl.Approval.Label().ZH,
			Reference: c.in.Approval, RecordedBy: c.ac.User.ID}); err != nil {
			return err
		}
	}
	if lvl.Command != nil {
		if err := c.command(ctx, lvl.Command, a); err != nil {
			return err
		}
	}
	for _, key := range lvl.Switches {
		detail, err := c.applySwitch(ctx, p, lvl, a, key)
		if err != nil {
			return err
		}
		if err := c.tx.ApplySwitch(ctx, &fenghuo.ResponseSwitch{ActivationID: a.ID, Key: key, Detail: jsonDetail(detail)}); err != nil {
			return err
		}
	}
	if _, err := c.playbooks(ctx, a); err != nil {
		return err
	}
	return c.notify(ctx, lvl, a, carried)
}

// command records the command structure: the commander the activating
// office names, the plan's office and member organisations, the liaison
// and the on-site team.
func (c *act) command(ctx context.Context, cmd *plan.Command, a *fenghuo.ResponseActivation) error {
	add := func(role, name string, org *fenghuo.Org, phone string) error {
		m := &fenghuo.CommandMember{ActivationID: a.ID, Role: role, Name: name, Phone: phone}
		if org != nil {
			m.OrgID = org.ID
		}
		return c.tx.AddCommandMember(ctx, m)
	}
	position := func(m *plan.Member) (string, *fenghuo.Org, error) {
		if m.Role == "" {
			return m.Title.ZH, nil, nil
		}
		o, err := incident.ResolveParty(ctx, c.tx, c.unit, plan.Party{Role: m.Role, Level: m.Level})
		if err != nil || o == nil {
			return m.Title.ZH, nil, err
		}
		return o.Name, o, nil
	}
	if c.in.Commander != "" {
		if err := add(fenghuo.CommandCommander, c.in.Commander, nil, c.in.Phone); err != nil {
			return err
		}
	}
	if cmd.Office != nil {
		name, org, err := position(cmd.Office)
		if err != nil {
			return err
		}
		if err := add(fenghuo.CommandRegular, name+"（办事机构）", org, ""); err != nil {
			return err
		}
	}
	for i := range cmd.Members {
		name, org, err := position(&cmd.Members[i])
		if err != nil {
			return err
		}
		if err := add(fenghuo.CommandRegular, name, org, ""); err != nil {
			return err
		}
	}
	if c.in.Liaison = strings.TrimSpace(c.in.Liaison); c.in.Liaison != "" {
		if err := add(fenghuo.CommandLiaison, c.in.Liaison, nil, ""); err != nil {
			return err
		}
	}
	if cmd.OnSite != nil {
		name, org, err := position(cmd.OnSite)
		if err != nil {
			return err
		}
		if c.in.OnSite != "" {
			name = c.in.OnSite + "(" + name + ")"
		}
		if err := add(fenghuo.CommandOnsiteTeam, name, org, ""); err != nil {
			return err
		}
	}
	return nil
}

// partyRef is a party as a switch detail records it.
type partyRef struct {
	OrgID int64  `json:"org_id,omitempty"`
	Name  string `json:"name"`
}

func (c *act) resolve(ctx context.Context, p plan.Party) (*fenghuo.Org, partyRef, error) {
	o, err := incident.ResolveParty(ctx, c.tx, c.unit, p)
	if err != nil {
		return nil, partyRef{}, err
	}
	if o == nil {
		return nil, partyRef{Name: p.Label().ZH}, nil
	}
	return o, partyRef{OrgID: o.ID, Name: o.Name}, nil
}

// applySwitch applies one switch and returns what it did.
func (c *act) applySwitch(ctx context.Context, p *plan.Plan, lvl plan.ResponseLevel, a *fenghuo.ResponseActivation, key string) (map[string]any, error) {
	detail := map[string]any{"clause": lvl.Clause}
	switch key {
	case plan.SwitchDuty24h:
		if lvl.Duty == nil {
			detail["offices"] = []partyRef{{OrgID: a.DecidedOrgID, Name: c.ac.Org.Name}}
			return detail, c.tx.AddResponseDuty(ctx, &store.ResponseDuty{ActivationID: a.ID, IncidentID: a.IncidentID, OrgID: a.DecidedOrgID, Clause: lvl.Clause})
		}
		hours := lvl.Duty.HoursPerDay
		if hours == 0 {
			hours = 24
		}
		var offices []partyRef
		seen := map[int64]bool{}
		for _, by := range lvl.Duty.By {
			o, r, err := c.resolve(ctx, by)
			if err != nil {
				return nil, err
			}
			offices = append(offices, r)
			if o == nil || seen[o.ID] {
				continue
			}
			seen[o.ID] = true
			if err := c.tx.AddResponseDuty(ctx, &store.ResponseDuty{ActivationID: a.ID, IncidentID: a.IncidentID, OrgID: o.ID,
				HoursPerDay: hours, Clause: lvl.Duty.Clause}); err != nil {
				return nil, err
			}
			if err := c.s.core.NotifyOrg(ctx, c.tx, app.Notice{OrgID: o.ID, Kind: "duty.changed",
				Title: fmt.Sprintf("%s级应急响应启动，须每日%d小时值班（%s）：%s", a.Level.Numeral(), hours, lvl.Duty.Clause, c.inc.Title), Link: "/duty"}); err != nil {
				return nil, err
			}
		}
		detail["offices"], detail["hours_per_day"], detail["clause"] = offices, hours, lvl.Duty.Clause
	case plan.SwitchSupportStandby, plan.SwitchExpertConsultation:
		var standby []map[string]any
		for _, sb := range lvl.Standby {
			if (key == plan.SwitchExpertConsultation) != (sb.Role == plan.RoleExpertGroup) {
				continue // support teams go with support_standby, experts with expert_consultation
			}
			o, r, err := c.resolve(ctx, plan.Party{Role: sb.Role, Level: sb.Level})
			if err != nil {
				return nil, err
			}
			item := map[string]any{"org": r, "clause": sb.Clause}
			t, err := c.standbyTask(ctx, a, o, r.Name, sb)
			if err != nil {
				return nil, err
			}
			item["task"] = t.ID
			if o == nil {
				item["notified_by"] = t.OwnerOrgID
			}
			standby = append(standby, item)
		}
		detail["standby"] = standby
	case plan.SwitchSituationReports:
		sr := lvl.SituationReports
		if sr == nil {
			sr = &plan.SituationReports{From: plan.Party{Role: plan.RoleOperator}, To: []plan.Party{lvl.ActivatedBy}, Clause: lvl.Clause}
		}
		owner := c.unit
		if sr.From.Role != plan.RoleOperator {
			if o, _, err := c.resolve(ctx, sr.From); err != nil {
				return nil, err
			} else if o != nil {
				owner = o
			}
		}
		first, err := c.s.incidents.SituationReportAfter(nil, a, c.s.core.Now())
		if err != nil {
			return nil, err
		}
		first.OwnerOrgID = owner.ID
		to, r, err := c.resolve(ctx, sr.To[0])
		if err != nil {
			return nil, err
		}
		first.RecipientName = r.Name
		if to != nil {
			first.RecipientOrgID = to.ID
		}
		if err := c.tx.CreateObligation(ctx, first); err != nil {
			return nil, err
		}
		detail["every"], detail["from"], detail["to"], detail["first_due"] = lvl.SituationInterval(), partyRef{OrgID: owner.ID, Name: owner.Name}, r, first.DueAt
		detail["obligation"] = first.ID
	case plan.SwitchCommandPost:
		if lvl.Command != nil {
			detail["body"] = lvl.Command.Body.ZH
		}
	}
	return detail, nil
}

// standbyTask is the standby task of a support team or expert group (a
// task on the incident's board, tied to the activation, with its
// obligation), closed when the level ends or changes. When the platform
// has no organisation playing the role (an expert group or a vendor
// without an account), o is nil and the task goes to the activating office
// itself, to tell name to stand by, so that the switch does not silently
// do nothing.
func (c *act) standbyTask(ctx context.Context, a *fenghuo.ResponseActivation, o *fenghuo.Org, name string, sb plan.Standby) (*fenghuo.Task, error) {
	t := &fenghuo.Task{IncidentID: a.IncidentID, ActivationID: a.ID, PlanID: a.PlanID, StepID: StandbyStep + sb.Role,
		Title: task.StandbyTitle(a.Level, sb, false, "").Render(phrase.ZH), Text: sb.Text,
		Anchor: fenghuo.AnchorActivation, CreatedBy: c.ac.User.ID}
	duty := store.Duty{Clause: sb.Clause}
	if sb.Due != "" {
		// A validated plan has a valid span.
		if sp, err := calendar.ParseSpan(sb.Due); err == nil {
			t.DueAt = c.s.core.Calendar().Deadline(a.ActivatedAt, sp)
			duty.RemindAt = t.DueAt.Add(-t.DueAt.Sub(a.ActivatedAt) / 4)
		}
	}
	if o != nil {
		t.OwnerOrgID = o.ID
		if a.DecidedOrgID != o.ID {
			duty.RecipientOrgID = a.DecidedOrgID
		}
	} else {
		t.OwnerOrgID = a.DecidedOrgID
		t.Title = task.StandbyTitle(a.Level, sb, true, name).Render(phrase.ZH)
		t.Text = strings.TrimSpace(fmt.Sprintf("平台中没有%s的账号，由启动响应的单位通知其%s，并记录通知的时间和方式。\n%s", name, sb.Task.ZH, sb.Text))
	}
	if err := c.tx.CreateTask(ctx, t, duty); err != nil {
		return nil, err
	}
	return t, c.s.core.NotifyOrg(ctx, c.tx, app.Notice{OrgID: t.OwnerOrgID, Kind: "task.assigned", Title: "新任务：" + t.Title,
		Body: fmt.Sprintf("事件：%s；交办单位：%s（%s第%s条）", c.inc.Title, c.ac.Org.Name, c.planName(a.PlanID), sb.Clause), Link: fmt.Sprintf("/incidents/%d/tasks", c.inc.ID)})
}

// StandbyStep prefixes the step of a standby task (standby:support_team).
const StandbyStep = task.StandbyStep

// playbooks instantiates the plan's activation playbooks for the level,
// counting from the activation (R2's task capability).
func (c *act) playbooks(ctx context.Context, a *fenghuo.ResponseActivation) (int, error) {
	if c.s.tasks == nil {
		return 0, nil
	}
	ts, err := c.s.tasks.InstantiateTx(ctx, c.tx, c.ac, c.inc, plan.TaskInput{Trigger: plan.TriggerActivation, Level: a.Level,
		Anchors: plan.Anchors{Occurrence: c.inc.OccurredAt, Discovery: c.inc.DiscoveredAt, ResponseStart: a.ActivatedAt}}, a.ID)
	return len(ts), err
}

// notify tells the parties the level names of its activation and keeps
// them, with the carried recipients of the level it replaced, for the end
// notice; every recipient on the platform is told of the new level.
func (c *act) notify(ctx context.Context, lvl plan.ResponseLevel, a *fenghuo.ResponseActivation, carried []fenghuo.EndNoticeRecipient) error {
	have := map[string]bool{}
	var orgs []int64
	add := func(r fenghuo.EndNoticeRecipient) error {
		k := "n:" + r.Name
		if r.OrgID != 0 {
			k = "o:" + ref(r.OrgID)
		}
		if have[k] {
			return nil
		}
		have[k] = true
		if r.OrgID != 0 {
			orgs = append(orgs, r.OrgID)
		}
		r.ID, r.ActivationID, r.EndSentAt, r.Delivery, r.DeliveryNote = 0, a.ID, time.Time{}, "", ""
		return c.tx.AddEndNoticeRecipient(ctx, &r)
	}
	for _, r := range carried {
		if err := add(r); err != nil {
			return err
		}
	}
	for _, pt := range lvl.Notify {
		_, r, err := c.resolve(ctx, pt)
		if err != nil {
			return err
		}
		if err := add(fenghuo.EndNoticeRecipient{OrgID: r.OrgID, Name: r.Name}); err != nil {
			return err
		}
	}
	title := fmt.Sprintf("%s启动%s级应急响应：%s（%s第%s条）", c.ac.Org.Name, a.Level.Numeral(), c.inc.Title, c.planName(a.PlanID), lvl.Clause)
	for _, id := range orgs {
		if err := c.s.core.NotifyOrg(ctx, c.tx, app.Notice{OrgID: id, Kind: "response.activated", Title: title,
			Body: c.inc.Title, Link: link(c.inc.ID), ReportEmail: true}); err != nil {
			return err
		}
	}
	return nil
}

// planName names a plan for people: 《title》, or its id when the plan is no
// longer known.
func (c *act) planName(id string) string { return c.s.incidents.PlanTitleByID(id) }
