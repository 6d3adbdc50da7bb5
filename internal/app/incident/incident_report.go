package incident

import (
	"context"
	"fmt"
	"strings"

	"fenghuo/internal/app"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/phrase"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// ReportInput is a report a unit files.
type ReportInput struct {
	Kind          string
	Content       map[string]string
	Signer        string
	ReporterName  string
	ReporterPhone string
	// CompetentDepartmentID is the reporter's choice of the unit's
	// competent department when the platform cannot tell (CompetentChoices).
	CompetentDepartmentID int64
}

// ReportForm is the union of the form fields the governing plans ask for,
// in plan order without repeats: the eight items of the 2025 measures, a
// sector form such as seed 003 附件2, a county plan's content list.
func (a *Service) ReportForm(ctx context.Context, ac *app.Actor, incidentID int64) ([]plan.FormField, error) {
	var fields []plan.FormField
	err := a.core.DB().View(ctx, func(tx *store.Tx) error {
		_, unit, err := a.incidentAccess(ctx, tx, ac, incidentID, fenghuo.PermIncidentRead)
		if err != nil {
			return err
		}
		plans, err := a.core.GoverningPlans(ctx, tx, unit.ID)
		if err != nil {
			return err
		}
		fields = formFields(plans)
		return nil
	})
	return fields, err
}

// formFields is the union of the plans' report form fields, in plan order
// without repeats.
func formFields(plans []*plan.Plan) []plan.FormField {
	var fields []plan.FormField
	seen := map[string]bool{}
	for _, p := range plans {
		if p.ReportForm == nil {
			continue
		}
		for _, f := range p.ReportForm.Fields {
			if !seen[f.ID] {
				seen[f.ID] = true
				fields = append(fields, f)
			}
		}
	}
	return fields
}

var stageRank = map[string]int{"initial": 1, "follow_up": 2, "final": 3}

// SubmitReport files an initial, follow-up or final report. It checks the
// items the report must carry at its stage (an initial report needs only
// the first items of the 2025 measures), delivers it to every office the
// unit's obligations name, completes those obligations on time or late,
// and notifies the recipients.
func (a *Service) SubmitReport(ctx context.Context, ac *app.Actor, incidentID int64, in ReportInput) (*fenghuo.Report, error) {
	stage, ok := stageRank[in.Kind]
	if !ok {
		return nil, fenghuo.FieldErrorf("kind", "Choose initial, follow_up or final. / 报告类型应为初报、续报或终报。")
	}
	if strings.TrimSpace(in.ReporterName) == "" || !fenghuo.IsPhone(in.ReporterPhone) {
		return nil, fenghuo.FieldErrorf("reporter_phone", "Give the reporter's name and a phone number the office can call. / 请填写报告人姓名和联系电话。")
	}
	if strings.TrimSpace(in.Signer) == "" {
		return nil, fenghuo.FieldErrorf("signer", "Name the official who signs the report (签发人). / 请填写签发人。")
	}
	fields, err := a.ReportForm(ctx, ac, incidentID)
	if err != nil {
		return nil, err
	}
	for _, f := range fields {
		if stageRank[f.Stage] <= stage && strings.TrimSpace(in.Content[f.ID]) == "" {
			return nil, fenghuo.FieldErrorf("content."+f.ID, "%s is required in a%s report. / %s为必填项。", f.Label.EN, map[int]string{1: "n initial", 2: " follow-up", 3: " final"}[stage], f.Label.ZH)
		}
	}
	var rep *fenghuo.Report
	err = a.write(ctx, func(tx *store.Tx) error {
		inc, unit, err := a.incidentAccess(ctx, tx, ac, incidentID, fenghuo.PermIncidentWrite)
		if err != nil {
			return err
		}
		if !fenghuo.InSubtree(ac.Org.Path, unit.Path) {
			return fenghuo.Errorf(fenghuo.EFORBIDDEN, "Only the unit, or a duty officer on its behalf, files its reports. / 报告由事发单位或代其录入的值班人员提交。")
		}
		if inc.Status == fenghuo.StatusClosed {
			return fenghuo.Errorf(fenghuo.EINVALID, "The incident is closed. / 事件已结束。")
		}
		chosen, err := a.settleCompetent(ctx, tx, inc, unit, in.CompetentDepartmentID)
		if err != nil {
			return err
		}
		reports, err := tx.Reports(ctx, inc.ID)
		if err != nil {
			return err
		}
		rep = nextReport(reports, inc.ID, in)
		if in.Kind != fenghuo.ReportInitial && inc.ReportedAt.IsZero() {
			return fenghuo.FieldErrorf("kind", "File the initial report first. / 请先提交初报。")
		}
		now := a.core.Now()
		rep.SubmittedAt, rep.SubmittedBy = now, ac.User.ID
		if err := tx.CreateReport(ctx, rep); err != nil {
			return err
		}
		if inc.ReportedAt.IsZero() {
			inc.ReportedAt = now
		}
		if inc.Status == fenghuo.StatusDraft {
			inc.Status = fenghuo.StatusReported
		}
		if err := tx.UpdateIncident(ctx, inc); err != nil {
			return err
		}
		recipients, err := a.deliverReport(ctx, tx, ac, inc, unit, rep)
		if err != nil {
			return err
		}
		if rep.Kind == fenghuo.ReportFollowUp {
			// A follow-up report answers the response's situation-report duty.
			if err := a.nextSituationReports(ctx, tx, inc, reportName(rep)); err != nil {
				return err
			}
		}
		body := phrase.New("report.filed", "report", phrase.Report(rep.Kind, rep.Number, rep.Revision), "to", strings.Join(recipients, "、"))
		if err := a.timeline(ctx, tx, ac, inc.ID, "report", body, map[string]any{"report": rep.ID, "kind": rep.Kind, "number": rep.Number, "revision": rep.Revision}); err != nil {
			return err
		}
		detail := map[string]any{"report": rep.ID, "kind": rep.Kind, "recipients": recipients}
		if chosen != nil {
			detail["competent_department"] = chosen.ID
		}
		return a.core.Record(ctx, tx, ac, "incident.report.submit", "incident", incidentRef(inc.ID), "success", detail)
	})
	return rep, err
}

// nextReport numbers a new report: a second initial or final report is a
// correction (revision + 1); follow-ups count up.
func nextReport(existing []fenghuo.Report, incidentID int64, in ReportInput) *fenghuo.Report {
	r := &fenghuo.Report{IncidentID: incidentID, Kind: in.Kind, Number: 1, Revision: 1, Content: in.Content,
		Signer: in.Signer, ReporterName: in.ReporterName, ReporterPhone: in.ReporterPhone}
	for _, e := range existing {
		if e.Kind != in.Kind {
			continue
		}
		if in.Kind == fenghuo.ReportFollowUp {
			r.Number = max(r.Number, e.Number+1)
		} else if e.Revision >= r.Revision {
			r.Revision = e.Revision + 1
		}
	}
	return r
}

func reportName(r *fenghuo.Report) string {
	name := map[string]string{fenghuo.ReportInitial: "初报", fenghuo.ReportFollowUp: "续报", fenghuo.ReportFinal: "终报"}[r.Kind]
	if r.Kind == fenghuo.ReportFollowUp {
		name += fmt.Sprintf("（第%d次）", r.Number)
	}
	if r.Revision > 1 {
		name += fmt.Sprintf("（更正%d）", r.Revision-1)
	}
	return name
}

// deliverReport sends a unit's report to every office named by its report
// obligations (open or done) and completes the open ones.
func (a *Service) deliverReport(ctx context.Context, tx *store.Tx, ac *app.Actor, inc *fenghuo.Incident, unit *fenghuo.Org, rep *fenghuo.Report) ([]string, error) {
	obs, err := tx.Obligations(ctx, store.ObligationFilter{IncidentID: inc.ID, Kind: KindReport}, store.Page{Limit: store.MaxLimit})
	if err != nil {
		return nil, err
	}
	sent := map[int64]bool{}
	var names []string
	now := a.core.Now()
	for i := range obs.Items {
		o := &obs.Items[i]
		if o.State == fenghuo.ObligationCancelled || o.OwnerOrgID != unit.ID {
			continue
		}
		if o.RecipientOrgID != 0 && !sent[o.RecipientOrgID] {
			sent[o.RecipientOrgID] = true
			d := &store.Delivery{ReportID: rep.ID, IncidentID: inc.ID, FromOrgID: unit.ID, ToOrgID: o.RecipientOrgID,
				PlanID: o.PlanID, RouteID: routeOf(o.RuleID), SentBy: ac.User.ID}
			if err := tx.CreateDelivery(ctx, d); err != nil {
				return nil, err
			}
			if err := a.signDelivery(ctx, tx, ac, d, rep); err != nil {
				return nil, err
			}
			names = append(names, o.RecipientName)
			if err := a.core.NotifyOrg(ctx, tx, app.Notice{OrgID: o.RecipientOrgID, Kind: "report.received",
				Title: fmt.Sprintf("收到%s%s：%s（%s级）", unit.Name, reportName(rep), inc.Title, inc.Grade.Numeral()),
				Link:  fmt.Sprintf("/incidents/%d", inc.ID), Live: "report." + rep.Kind}); err != nil {
				return nil, err
			}
		}
		if o.State == fenghuo.ObligationOpen && rep.Kind == fenghuo.ReportInitial && o.RecipientOrgID != 0 {
			o.Complete(now, reportName(rep))
			if err := tx.UpdateObligation(ctx, o); err != nil {
				return nil, err
			}
		}
	}
	if len(names) == 0 {
		names = append(names, "（平台内无接收机构）")
	}
	return names, nil
}

// routeOf returns the route id of an obligation's rule key.
func routeOf(ruleID string) string {
	id, _, _ := strings.Cut(ruleID, "→")
	return id
}

// Inbox lists the reports delivered to the actor's own org.
func (a *Service) Inbox(ctx context.Context, ac *app.Actor, p store.Page) (store.ListResult[store.Delivery], error) {
	if err := app.Require(ac, fenghuo.PermIncidentRead); err != nil {
		return store.ListResult[store.Delivery]{}, err
	}
	return a.core.DB().Inbox(ctx, ac.Org.ID, p)
}

// ReceiveReport acknowledges receipt of a delivered report (签收). The
// office's own onward duties start now: for a grade II incident under the
// county plan, the county office must report to the city at once.
func (a *Service) ReceiveReport(ctx context.Context, ac *app.Actor, deliveryID int64) error {
	return a.write(ctx, func(tx *store.Tx) error {
		d, err := tx.Delivery(ctx, deliveryID)
		if err != nil {
			return err
		}
		if d.ToOrgID != ac.Org.ID {
			return fenghuo.Errorf(fenghuo.ENOTFOUND, "Report delivery %d not found in your inbox. / 收件箱中没有该报告。", deliveryID)
		}
		if err := app.Require(ac, fenghuo.PermIncidentReceive); err != nil {
			return err
		}
		if err := tx.ReceiveDelivery(ctx, deliveryID, ac.User.ID); err != nil {
			return err
		}
		inc, err := tx.Incident(ctx, d.IncidentID)
		if err != nil {
			return err
		}
		unit, err := tx.Org(ctx, inc.OrgID)
		if err != nil {
			return err
		}
		if d.ForwardedFrom == 0 || d.RouteID != "" {
			if err := a.forwardDuties(ctx, tx, inc, unit, &ac.Org, d.PlanID, d.RouteID, a.core.Now()); err != nil {
				return err
			}
		}
		from, _ := tx.Org(ctx, d.FromOrgID)
		fromName := ""
		if from != nil {
			fromName = from.Name
		}
		if err := a.timeline(ctx, tx, ac, inc.ID, "receipt", phrase.New("report.receipt", "org", ac.Org.Name, "from", fromName), map[string]any{"delivery": d.ID}); err != nil {
			return err
		}
		return a.core.Record(ctx, tx, ac, "incident.report.receive", "incident", incidentRef(inc.ID), "success", map[string]any{"delivery": d.ID})
	})
}

// ForwardReport passes a received report on up, carrying the original: to
// the offices the actor's open forward obligations name, or, when there are
// none, to the given ancestor org. Those obligations are completed.
func (a *Service) ForwardReport(ctx context.Context, ac *app.Actor, deliveryID int64, toOrgID int64, note string) ([]string, error) {
	var names []string
	err := a.write(ctx, func(tx *store.Tx) error {
		d, err := tx.Delivery(ctx, deliveryID)
		if err != nil {
			return err
		}
		if d.ToOrgID != ac.Org.ID {
			return fenghuo.Errorf(fenghuo.ENOTFOUND, "Report delivery %d not found in your inbox. / 收件箱中没有该报告。", deliveryID)
		}
		if err := app.Require(ac, fenghuo.PermIncidentReceive); err != nil {
			return err
		}
		if d.ReceivedAt.IsZero() {
			return fenghuo.Errorf(fenghuo.EINVALID, "Acknowledge the report before forwarding it. / 请先签收再上报。")
		}
		inc, err := tx.Incident(ctx, d.IncidentID)
		if err != nil {
			return err
		}
		// One forward per received report: a second would deliver the
		// report twice to the offices above.
		sent, err := tx.DeliveriesOf(ctx, inc.ID)
		if err != nil {
			return err
		}
		for _, s := range sent {
			if s.ForwardedFrom == d.ID {
				return fenghuo.Errorf(fenghuo.ECONFLICT, "This report was already forwarded. / 该报告已上报，不能重复上报。")
			}
		}
		obs, err := tx.Obligations(ctx, store.ObligationFilter{IncidentID: inc.ID, Kind: KindForward}, store.Page{Limit: store.MaxLimit})
		if err != nil {
			return err
		}
		targets := map[int64]string{}
		now := a.core.Now()
		for i := range obs.Items {
			o := &obs.Items[i]
			if o.OwnerOrgID != ac.Org.ID || o.State != fenghuo.ObligationOpen {
				continue
			}
			if o.RecipientOrgID != 0 {
				targets[o.RecipientOrgID] = o.RecipientName
				o.Complete(now, "forwarded")
				if err := tx.UpdateObligation(ctx, o); err != nil {
					return err
				}
			}
		}
		if toOrgID != 0 {
			to, err := tx.Org(ctx, toOrgID)
			if err != nil || !fenghuo.InSubtree(to.Path, ac.Org.Path) || to.ID == ac.Org.ID {
				return fenghuo.FieldErrorf("to_org_id", "Forward only to an office above yours. / 只能向上级机构报送。")
			}
			targets[to.ID] = to.Name
		}
		if len(targets) == 0 {
			up, err := a.relayTarget(ctx, tx, inc.ID, &ac.Org)
			if err != nil {
				return err
			}
			targets[up.ID] = up.Name
		}
		// The live event names the forwarded report's kind, so that the
		// office above is alerted to an initial report too (docs/live.md).
		rep, err := reportOf(ctx, tx, d)
		if err != nil {
			return err
		}
		live := "report." + rep.Kind
		for id, name := range targets {
			nd := &store.Delivery{ReportID: d.ReportID, IncidentID: d.IncidentID, FromOrgID: ac.Org.ID, ToOrgID: id,
				PlanID: d.PlanID, ForwardedFrom: d.ID, Note: note, SentBy: ac.User.ID}
			for _, o := range obs.Items {
				if o.OwnerOrgID == ac.Org.ID && o.RecipientOrgID == id {
					nd.PlanID, nd.RouteID = o.PlanID, routeOf(o.RuleID)
				}
			}
			if err := tx.CreateDelivery(ctx, nd); err != nil {
				return err
			}
			if err := a.signDelivery(ctx, tx, ac, nd, rep); err != nil {
				return err
			}
			if err := a.core.NotifyOrg(ctx, tx, app.Notice{OrgID: id, Kind: "report.received",
				Title: fmt.Sprintf("%s上报：%s（%s级）", ac.Org.Name, inc.Title, inc.Grade.Numeral()), Link: fmt.Sprintf("/incidents/%d", inc.ID), Live: live}); err != nil {
				return err
			}
			names = append(names, name)
		}
		if err := a.timeline(ctx, tx, ac, inc.ID, "forward", phrase.New("report.forwarded", "org", ac.Org.Name, "to", strings.Join(names, "、")), map[string]any{"delivery": d.ID, "note": note}); err != nil {
			return err
		}
		return a.core.Record(ctx, tx, ac, "incident.report.forward", "incident", incidentRef(inc.ID), "success", map[string]any{"to": names})
	})
	return names, err
}
