package response

import (
	"context"
	"strings"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/export"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// View is an incident's response as the response page and the API show it.
type View struct {
	Incident *fenghuo.Incident
	Unit     *fenghuo.Org
	// Current is the open activation (requested or active), else the last
	// one; nil when the incident never had a response.
	Current *fenghuo.ResponseActivation
	// History is every activation, oldest first (level changes kept).
	History    []fenghuo.ResponseActivation
	Members    []fenghuo.CommandMember
	Switches   []fenghuo.ResponseSwitch
	Recipients []fenghuo.EndNoticeRecipient
	// EndSignature says who signed the end notice of an ended Current and
	// whether it is as sent (issue 15 item 1).
	EndSignature app.RecordCheck
	Approvals    []store.ResponseApproval
	Duties       []DutyCover
	// Level is the plan's definition of Current's level (or of the level
	// the actor would act on), PlanID its plan.
	Level  plan.ResponseLevel
	PlanID string
	// Levels are the levels the incident's plans define, most severe first.
	Levels []fenghuo.Grade
	// DefaultLevel is the level the forms offer first: the current level,
	// or the incident's grade.
	DefaultLevel fenghuo.Grade
	// Primary is the one action this actor has (request, activate, change,
	// end or ""), CanChange whether it may also change the level in force.
	Primary   string
	CanChange bool
	// Blocked, when the actor has no action, says why: the plan's refusal
	// quoting the clause and naming who may.
	Blocked plan.Text
	// OrgNames names the orgs the activations mention.
	OrgNames map[int64]string
	// OpenAfterEnd lists the playbook tasks still open once the response
	// has ended (recovery continues after it; the standby tasks closed
	// with the level); empty while a level holds.
	OpenAfterEnd []fenghuo.Task
}

// DutyCover is one office's 24-hour duty during the response and the
// stretches of it no roster covered.
type DutyCover struct {
	Duty    store.ResponseDuty
	OrgName string
	Gaps    []Gap
	// UncoveredNow is set while the level holds and nobody is on duty.
	UncoveredNow bool
}

// Gap is a stretch of a response window without a rostered shift.
type Gap struct{ From, To time.Time }

// View returns the incident's response for the actor.
func (s *Service) View(ctx context.Context, ac *app.Actor, incidentID int64) (*View, error) {
	v := &View{OrgNames: map[int64]string{}}
	err := s.core.DB().View(ctx, func(tx *store.Tx) error {
		var err error
		v.Incident, v.Unit, err = s.incidents.AccessTx(ctx, tx, ac, incidentID, fenghuo.PermIncidentRead)
		if err != nil {
			return err
		}
		v.History, err = tx.Activations(ctx, incidentID)
		return err
	})
	if err != nil {
		return nil, err
	}
	db := s.core.DB()
	for i := range v.History {
		a := &v.History[i]
		if fenghuo.ResponseOpen(a.State) || v.Current == nil || a.ID > v.Current.ID && !fenghuo.ResponseOpen(v.Current.State) {
			v.Current = a
		}
		for _, id := range []int64{a.RequestedOrgID, a.DecidedOrgID, a.HandUpOrgID} {
			if id != 0 && v.OrgNames[id] == "" {
				if o, err := db.Org(ctx, id); err == nil {
					v.OrgNames[id] = o.Name
				}
			}
		}
	}
	v.Levels = s.levels(v.Incident)
	v.DefaultLevel = v.Incident.Grade
	if v.Current != nil {
		v.DefaultLevel = v.Current.Level
		if v.Members, err = db.CommandMembers(ctx, v.Current.ID); err != nil {
			return nil, err
		}
		if v.Switches, err = db.Switches(ctx, v.Current.ID); err != nil {
			return nil, err
		}
		if v.Recipients, err = db.EndNoticeRecipients(ctx, v.Current.ID); err != nil {
			return nil, err
		}
		if v.Approvals, err = db.ResponseApprovals(ctx, v.Current.ID); err != nil {
			return nil, err
		}
		if v.Duties, err = s.covers(ctx, v.Current); err != nil {
			return nil, err
		}
	}
	if v.Current != nil && v.Current.State == fenghuo.ResponseEnded {
		if v.EndSignature, err = s.EndNoticeSignature(ctx, v.Current); err != nil {
			return nil, err
		}
		tasks, err := db.IncidentTasks(ctx, incidentID)
		if err != nil {
			return nil, err
		}
		for _, t := range tasks {
			if t.PlaybookID != "" && !fenghuo.TaskClosed(t.State) {
				v.OpenAfterEnd = append(v.OpenAfterEnd, t)
			}
		}
	}
	if !v.DefaultLevel.Valid() && len(v.Levels) > 0 {
		v.DefaultLevel = v.Levels[len(v.Levels)-1]
	}
	if p, lvl, err := s.LevelPlan(v.Incident, v.DefaultLevel); err == nil {
		v.Level, v.PlanID = lvl, p.ID
	}
	s.primary(ac, v)
	return v, nil
}

// levels lists the response levels the incident's plans define.
func (s *Service) levels(inc *fenghuo.Incident) []fenghuo.Grade {
	var out []fenghuo.Grade
	for _, g := range fenghuo.Grades {
		if _, _, err := s.LevelPlan(inc, g); err == nil {
			out = append(out, g)
		}
	}
	return out
}

// primary works out the actor's one action on the response.
func (s *Service) primary(ac *app.Actor, v *View) {
	if !ac.Can(fenghuo.PermIncidentWrite) || v.Incident.Status == fenghuo.StatusClosed || v.Incident.Status == fenghuo.StatusDraft || v.PlanID == "" {
		return
	}
	p, err := s.core.Plans().Get(v.PlanID)
	if err != nil {
		return
	}
	cur := v.Current
	switch {
	case cur != nil && cur.State == fenghuo.ResponseActive:
		end, _ := authority(p, cur.Level, &ac.Org, true)
		for _, g := range v.Levels {
			if g == cur.Level {
				continue
			}
			if lp, _, err := s.LevelPlan(v.Incident, g); err == nil {
				if a, _ := authority(lp, g, &ac.Org, false); a.Allowed {
					v.CanChange = true
				}
			}
		}
		if end.Allowed {
			v.Primary = ActionEnd
		} else if v.CanChange {
			v.Primary = ActionChange
		} else {
			v.Blocked = end.Refusal(plan.ActEnd)
		}
	default:
		level := v.DefaultLevel
		if cur != nil && cur.State == fenghuo.ResponseRequested {
			level = cur.Level
		}
		a, err := authority(p, level, &ac.Org, false)
		if err != nil {
			return
		}
		requested := cur != nil && cur.State == fenghuo.ResponseRequested
		switch {
		case a.Allowed:
			v.Primary = ActionActivate
		case requested:
			// Waiting for the office the plan names.
			v.Blocked = a.Refusal(plan.ActActivate)
		case a.MayRequest && mayHandUp(p, &ac.Org):
			v.Primary = ActionActivate
		case a.MayRequest:
			v.Primary = ActionRequest
		default:
			v.Blocked = a.Refusal(plan.ActActivate)
		}
	}
}

// covers lists the 24-hour duties of an activation with their gaps: the
// stretches between its start and its end (or now) no shift covered.
func (s *Service) covers(ctx context.Context, a *fenghuo.ResponseActivation) ([]DutyCover, error) {
	duties, err := s.core.DB().ResponseDuties(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	now := s.core.Now()
	out := make([]DutyCover, 0, len(duties))
	for _, d := range duties {
		c := DutyCover{Duty: d}
		if o, err := s.core.DB().Org(ctx, d.OrgID); err == nil {
			c.OrgName = o.Name
		}
		to := d.EndsAt
		if to.IsZero() {
			to = now
		}
		if to.After(d.StartsAt) {
			shifts, err := s.core.DB().DutyShifts(ctx, d.OrgID, d.StartsAt, to)
			if err != nil {
				return nil, err
			}
			c.Gaps = gaps(d.StartsAt, to, shifts)
		}
		if d.EndsAt.IsZero() {
			c.UncoveredNow = len(c.Gaps) > 0 && !c.Gaps[len(c.Gaps)-1].To.Before(to)
			if !to.After(d.StartsAt) {
				c.UncoveredNow = true
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// gaps returns the stretches of [from, to) no shift covers; shifts are
// sorted by start.
func gaps(from, to time.Time, shifts []fenghuo.DutyShift) []Gap {
	var out []Gap
	at := from
	for _, sh := range shifts {
		if sh.StartAt.After(at) {
			out = append(out, Gap{From: at, To: minTime(sh.StartAt, to)})
		}
		if sh.EndAt.After(at) {
			at = sh.EndAt
		}
		if !at.Before(to) {
			return out
		}
	}
	if at.Before(to) {
		out = append(out, Gap{From: at, To: to})
	}
	return out
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// HandedUp lists the activations waiting for the actor's office to decide,
// newest first: requests from units and offices below, and levels handed
// up because they exceed a lower office's authority.
func (s *Service) HandedUp(ctx context.Context, ac *app.Actor, p store.Page) ([]fenghuo.ResponseActivation, error) {
	if err := app.Require(ac, fenghuo.PermIncidentRead); err != nil {
		return nil, err
	}
	return s.core.DB().ActivationsHandedUpTo(ctx, ac.Org.ID, fenghuo.ResponseRequested, p)
}

// EndNotice returns the end notice (结束通知) of an ended activation, for
// the DOCX/PDF export; the export is audited.
func (s *Service) EndNotice(ctx context.Context, ac *app.Actor, incidentID, activationID int64) (export.EndNotice, error) {
	v, err := s.View(ctx, ac, incidentID)
	if err != nil {
		return export.EndNotice{}, err
	}
	var a *fenghuo.ResponseActivation
	for i := range v.History {
		if v.History[i].ID == activationID || (activationID == 0 && v.History[i].State == fenghuo.ResponseEnded) {
			a = &v.History[i]
		}
	}
	if a == nil || a.State != fenghuo.ResponseEnded {
		return export.EndNotice{}, fenghuo.Errorf(fenghuo.ENOTFOUND, "This response has not ended: there is no end notice yet. / 该应急响应尚未结束，暂无结束通知。")
	}
	db := s.core.DB()
	recipients, err := db.EndNoticeRecipients(ctx, a.ID)
	if err != nil {
		return export.EndNotice{}, err
	}
	approvals, err := db.ResponseApprovals(ctx, a.ID)
	if err != nil {
		return export.EndNotice{}, err
	}
	n := export.EndNotice{IncidentTitle: v.Incident.Title, Unit: v.Unit.Name, ResponseLevel: levelZH(a.Level),
		ActivatedAt: a.ActivatedAt, EndedAt: a.EndedAt}
	n.Date = a.EndedAt
	if u, err := db.User(ctx, a.EndedBy); err == nil {
		if o, err := db.Org(ctx, u.OrgID); err == nil {
			n.IssuerOffice, n.ProposedBy = o.Name, o.Name
		}
	}
	for _, r := range recipients {
		n.Recipients = append(n.Recipients, r.Name)
	}
	for _, ap := range approvals {
		if body, ok := strings.CutSuffix(ap.Body, "（结束）"); ok {
			n.ApprovedBy = body + "(" + ap.Reference + ")"
		}
	}
	n.Situation, n.Requirements = splitNotice(a.EndNotice)
	obs, err := s.incidents.IncidentObligations(ctx, ac, incidentID)
	if err != nil {
		return export.EndNotice{}, err
	}
	for _, o := range obs {
		switch {
		case o.Kind != "deadline":
		case strings.HasPrefix(o.RuleID, "investigation"):
			n.InvestigationDue = o.DueAt
		case o.RuleID == "summary-report":
			n.SummaryDue = o.DueAt
			if est, note := s.incidents.CalendarEstimate(o); est {
				n.SummaryDueEstimate = note.ZH
			}
		}
	}
	if err := s.core.RecordExport(ctx, ac, "end_notice", 1); err != nil {
		return export.EndNotice{}, err
	}
	return n, nil
}

func levelZH(g fenghuo.Grade) string {
	return map[fenghuo.Grade]string{fenghuo.GradeI: "Ⅰ级", fenghuo.GradeII: "Ⅱ级", fenghuo.GradeIII: "Ⅲ级", fenghuo.GradeIV: "Ⅳ级"}[g]
}
