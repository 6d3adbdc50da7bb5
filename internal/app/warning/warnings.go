package warning

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/calendar"
	"fenghuo/internal/export"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
	"fenghuo/internal/version"
)

// Warnings (预警, seed 001 §3): an office issues a colour to targets in its
// subtree under the issuer rules of its governing plan; each target
// acknowledges within a deadline and reports its measures done; the issuer
// raises, lowers and lifts with history; the colour switches on the
// plan's response actions.

// WarningInput is what an office gives to issue (or propose) a warning.
type WarningInput struct {
	// OrgID is the issuing office; 0 means the actor's org.
	OrgID    int64
	Color    fenghuo.Color
	Category string
	Title    string
	StartAt  time.Time // zero: now
	Scope    string
	Items    string
	Measures []fenghuo.Measure
	// AckMinutes is how long targets have to acknowledge (default 120).
	AckMinutes int
	Targeting  fenghuo.Targeting
	// MultiRegion: the warning spans several regions, departments or
	// sectors (a higher office's call under most plans).
	MultiRegion bool
}

func (in *WarningInput) validate(now time.Time) error {
	in.Targeting.MultiRegion = in.MultiRegion
	in.Title, in.Scope, in.Items = strings.TrimSpace(in.Title), strings.TrimSpace(in.Scope), strings.TrimSpace(in.Items)
	if !in.Color.Valid() {
		return fenghuo.FieldErrorf("color", "Choose red, orange, yellow or blue. / 请选择红、橙、黄、蓝色预警。")
	}
	if in.Title == "" || len([]rune(in.Title)) > 200 {
		return fenghuo.FieldErrorf("title", "Give the warning a title of up to 200 characters. / 请填写预警标题（不超过200字）。")
	}
	if len([]rune(in.Items)) > 5000 || len([]rune(in.Scope)) > 2000 {
		return fenghuo.FieldErrorf("items", "The warning items and scope are too long. / 警示事项或影响范围过长。")
	}
	if in.AckMinutes == 0 {
		in.AckMinutes = 120
	}
	if in.AckMinutes < 5 || in.AckMinutes > 7*24*60 {
		return fenghuo.FieldErrorf("ack_minutes", "Acknowledgement must be due between 5 minutes and 7 days. / 确认时限应在5分钟至7天之间。")
	}
	if len(in.Measures) > 30 {
		return fenghuo.FieldErrorf("measures", "At most 30 measures. / 措施最多30条。")
	}
	for i, m := range in.Measures {
		in.Measures[i].Text = strings.TrimSpace(m.Text)
		if in.Measures[i].Text == "" || m.Hours < 0 || m.Hours > 24*30 {
			return fenghuo.FieldErrorf("measures", "Measure %d needs a text and a time limit of 0–720 hours. / 第%d条措施需填写内容，时限0至720小时。", i+1, i+1)
		}
	}
	if !in.StartAt.IsZero() && (in.StartAt.Before(now.Add(-30*24*time.Hour)) || in.StartAt.After(now.Add(30*24*time.Hour))) {
		return fenghuo.FieldErrorf("start_at", "The start time is within 30 days of today. / 发布时间应在前后30天内。")
	}
	if in.Targeting.Empty() {
		return fenghuo.FieldErrorf("targets", "Choose who receives the warning: orgs, a subtree, a sector or type, or a component. / 请选择预警对象。")
	}
	return nil
}

// IssuerRefusal is why an org may not issue a colour, and who may instead.
type IssuerRefusal struct {
	PlanID string
	// PlanName is the plan's title, which people read (never the id).
	PlanName plan.Text
	Clause   string
	Rule     string
	// ProposeTo is the nearest higher office that may issue it; nil when
	// none on the platform may.
	ProposeTo *fenghuo.Org
}

// issuerCheck finds whether org may issue colour c under its governing
// plans. It returns the plan that allows it, or the refusal.
func (a *Service) issuerCheck(ctx context.Context, tx *store.Tx, org *fenghuo.Org, c fenghuo.Color, multi bool) (string, *IssuerRefusal, error) {
	plans, err := a.core.GoverningPlans(ctx, tx, org.ID)
	if err != nil {
		return "", nil, err
	}
	var refusal *IssuerRefusal
	var ruled *plan.Plan
	for _, p := range plans {
		if p.Warnings == nil {
			continue
		}
		ok, rules := mayIssue(p, org, c, multi)
		if ok {
			return p.ID, nil, nil
		}
		if refusal == nil {
			refusal, ruled = &IssuerRefusal{PlanID: p.ID, PlanName: p.Name}, p
			if len(rules) > 0 {
				refusal.Clause, refusal.Rule = rules[0].Clause, rules[0].Text
			}
		}
	}
	if refusal == nil {
		// No governing plan says who issues warnings: offices may.
		if org.Type == fenghuo.OrgRegulator || org.Type == fenghuo.OrgMonitoring {
			return "", nil, nil
		}
		return "", &IssuerRefusal{Rule: "only offices issue warnings / 仅网信等主管部门可发布预警"}, nil
	}
	ancestors, err := tx.OrgAncestors(ctx, org.ID)
	if err != nil {
		return "", nil, err
	}
	for i := len(ancestors) - 1; i >= 0; i-- {
		if ok, _ := mayIssue(ruled, &ancestors[i], c, multi); ok {
			refusal.ProposeTo = &ancestors[i]
			break
		}
	}
	return "", refusal, nil
}

func mayIssue(p *plan.Plan, org *fenghuo.Org, c fenghuo.Color, multi bool) (bool, []plan.Issuer) {
	var rules []plan.Issuer
	for _, role := range append([]string{""}, org.PlanRoles...) {
		ok, r := p.MayIssue(role, org.Level, c, multi)
		if ok {
			return true, r
		}
		rules = r
	}
	return false, rules
}

// planZH names the refusing plan by its title (《title》); planEN by its
// English title. The id only when the plan has no title.
func (r *IssuerRefusal) planZH() string {
	if r.PlanName.ZH == "" {
		return "预案" + r.PlanID
	}
	return "《" + r.PlanName.ZH + "》"
}

func (r *IssuerRefusal) planEN() string {
	switch {
	case r.PlanName.EN != "":
		return "“" + r.PlanName.EN + "”"
	case r.PlanName.ZH != "":
		return "《" + r.PlanName.ZH + "》"
	}
	return "plan " + r.PlanID
}

// planTitle names a plan by its title for documents people read; the id
// when the plan is no longer known.
func (a *Service) planTitle(id string) string {
	if p, err := a.core.Plans().Get(id); err == nil && p.Name.ZH != "" {
		return "《" + p.Name.ZH + "》"
	}
	return id
}

func (r *IssuerRefusal) error(org *fenghuo.Org, c fenghuo.Color) error {
	msg := fmt.Sprintf("%s may not issue a %s warning", org.Name, c)
	zh := fmt.Sprintf("%s无权发布%s预警", org.Name, c.NameZH())
	if r.PlanID != "" {
		msg += fmt.Sprintf(" under %s §%s: %s", r.planEN(), r.Clause, r.Rule)
		zh += fmt.Sprintf("（%s第%s条：%s）", r.planZH(), r.Clause, r.Rule)
	}
	if r.ProposeTo != nil {
		msg += fmt.Sprintf(". Propose it to %s instead.", r.ProposeTo.Name)
		zh += fmt.Sprintf("，可建议%s发布。", r.ProposeTo.Name)
	} else {
		msg += "."
		zh += "。"
	}
	e := fenghuo.Errorf(fenghuo.EFORBIDDEN, "%s / %s", msg, zh)
	e.Field = "color"
	return e
}

// WarningIssuerCheck tells the console, before the form is sent, whether
// the actor's org may issue colour c, and whom to propose it to if not.
func (a *Service) WarningIssuerCheck(ctx context.Context, ac *app.Actor, c fenghuo.Color, multi bool) (*IssuerRefusal, error) {
	if err := app.Require(ac, fenghuo.PermWarningIssue); err != nil {
		return nil, err
	}
	var refusal *IssuerRefusal
	err := a.core.DB().View(ctx, func(tx *store.Tx) error {
		var err error
		_, refusal, err = a.issuerCheck(ctx, tx, &ac.Org, c, multi)
		return err
	})
	return refusal, err
}

// IssueWarning issues a warning from the actor's org (or an org of its
// subtree) to the targets it names, each of which must acknowledge.
func (a *Service) IssueWarning(ctx context.Context, ac *app.Actor, in WarningInput) (*fenghuo.Warning, error) {
	if err := in.validate(a.core.Now()); err != nil {
		return nil, err
	}
	var w *fenghuo.Warning
	var denied *IssuerRefusal
	err := a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		issuer, err := a.IssuerOrg(ctx, tx, ac, in.OrgID)
		if err != nil {
			return err
		}
		planID, refusal, err := a.issuerCheck(ctx, tx, issuer, in.Color, in.MultiRegion)
		if err != nil {
			return err
		}
		if refusal != nil {
			denied = refusal
			return refusal.error(issuer, in.Color)
		}
		w = &fenghuo.Warning{OrgID: issuer.ID, PlanID: planID, Color: in.Color, Category: in.Category, Title: in.Title,
			StartAt: in.StartAt, Scope: in.Scope, Items: in.Items, Measures: in.Measures, AckMinutes: in.AckMinutes,
			Targeting: in.Targeting, Status: fenghuo.WarningActive, CreatedBy: ac.User.ID}
		return a.activate(ctx, tx, ac, w, issuer, "issue", "")
	})
	if denied != nil {
		a.core.RecordAlone(ctx, ac, "warning.issue", "warning", "", "denied", map[string]any{"color": in.Color, "plan": denied.PlanID, "clause": denied.Clause})
	}
	if err != nil {
		return nil, err
	}
	return w, nil
}

// IssuerOrg is the office a warning or a protection period is issued for:
// the actor's own org unless another is named, with the right to issue there.
func (a *Service) IssuerOrg(ctx context.Context, tx *store.Tx, ac *app.Actor, orgID int64) (*fenghuo.Org, error) {
	if orgID == 0 {
		orgID = ac.Org.ID
	}
	org, err := tx.Org(ctx, orgID)
	if err != nil {
		return nil, err
	}
	if err := app.RequireAt(ac, fenghuo.PermWarningIssue, org.Path, "Org", orgID); err != nil {
		return nil, err
	}
	return org, nil
}

// activate stores (or updates, for a proposal) an active warning, resolves
// its targets, creates their obligations and tells them.
func (a *Service) activate(ctx context.Context, tx *store.Tx, ac *app.Actor, w *fenghuo.Warning, issuer *fenghuo.Org, action, reason string) error {
	now := a.core.Now()
	if w.StartAt.IsZero() {
		w.StartAt = now
	}
	if p, err := a.core.Plans().Get(w.PlanID); err == nil {
		w.Switches = p.SwitchesForColor(w.Color)
	}
	targets, err := a.resolveTargets(ctx, tx, issuer, w.Targeting)
	if err != nil {
		return err
	}
	if len(targets) == 0 {
		return fenghuo.FieldErrorf("targets", "No org matches these targets. / 没有符合条件的预警对象。")
	}
	if w.ID == 0 {
		if err := tx.CreateWarning(ctx, w); err != nil {
			return err
		}
	} else if err := tx.UpdateWarning(ctx, w); err != nil {
		return err
	}
	if err := a.sign(ctx, tx, ac, w); err != nil {
		return err
	}
	ackDue := now.Add(time.Duration(w.AckMinutes) * time.Minute)
	doneHours := 0
	for _, m := range w.Measures {
		doneHours = max(doneHours, m.Hours)
	}
	for _, t := range targets {
		t.WarningID = w.ID
		if err := tx.AddWarningTarget(ctx, &t); err != nil {
			return err
		}
		ack := &fenghuo.Obligation{Kind: "warning_ack", SubjectID: w.ID, OwnerOrgID: t.OrgID, RecipientOrgID: w.OrgID,
			RecipientName: issuer.Name, PlanID: w.PlanID, RuleID: strconv.FormatInt(t.ID, 10), Clause: "3.3",
			Title: fmt.Sprintf("确认%s预警：%s", w.Color.NameZH(), w.Title), DueAt: ackDue,
			RemindAt: now.Add(time.Duration(w.AckMinutes) * time.Minute * 3 / 4)}
		if err := tx.CreateObligation(ctx, ack); err != nil {
			return err
		}
		if doneHours > 0 {
			due := now.Add(time.Duration(doneHours) * time.Hour)
			if err := tx.CreateObligation(ctx, &fenghuo.Obligation{Kind: "warning_done", SubjectID: w.ID, OwnerOrgID: t.OrgID,
				RecipientOrgID: w.OrgID, RecipientName: issuer.Name, PlanID: w.PlanID, RuleID: strconv.FormatInt(t.ID, 10),
				Clause: "3.4", Title: fmt.Sprintf("落实%s预警措施：%s", w.Color.NameZH(), w.Title), DueAt: due,
				RemindAt: now.Add(time.Duration(doneHours) * time.Hour * 3 / 4)}); err != nil {
				return err
			}
		}
		token, err := a.core.AckToken(t.ID, now)
		if err != nil {
			return err
		}
		if err := a.core.NotifyOrg(ctx, tx, app.Notice{OrgID: t.OrgID, Kind: "warning.issued",
			Title: fmt.Sprintf("【%s预警】%s", w.Color.NameZH(), w.Title), Body: warningBody(w, issuer, ackDue),
			Link: "/ack/" + url.PathEscape(token)}); err != nil {
			return err
		}
	}
	if len(w.Switches) > 0 {
		if err := a.core.NotifyOrg(ctx, tx, app.Notice{OrgID: issuer.ID, Kind: "warning.response",
			Title: fmt.Sprintf("%s预警已启动：%s", w.Color.NameZH(), strings.Join(switchNamesZH(w.Switches), "、")),
			Link:  fmt.Sprintf("/warnings/%d", w.ID)}); err != nil {
			return err
		}
	}
	if err := tx.AddWarningChange(ctx, &fenghuo.WarningChange{WarningID: w.ID, Actor: ac.User.DisplayName, Action: action,
		ToColor: w.Color, Reason: reason}); err != nil {
		return err
	}
	return a.core.Record(ctx, tx, ac, "warning."+action, "warning", strconv.FormatInt(w.ID, 10), "success",
		map[string]any{"color": w.Color, "targets": len(targets), "plan": w.PlanID})
}

func warningBody(w *fenghuo.Warning, issuer *fenghuo.Org, ackDue time.Time) string {
	var b strings.Builder
	fmt.Fprintf(&b, "发布单位：%s\n发布时间：%s\n", issuer.Name, w.StartAt.In(calendar.Shanghai).Format("2006-01-02 15:04"))
	if w.Scope != "" {
		fmt.Fprintf(&b, "可能影响范围：%s\n", w.Scope)
	}
	if w.Items != "" {
		fmt.Fprintf(&b, "警示事项：%s\n", w.Items)
	}
	for i, m := range w.Measures {
		if m.Hours > 0 {
			fmt.Fprintf(&b, "措施%d：%s（%d小时内完成）\n", i+1, m.Text, m.Hours)
		} else {
			fmt.Fprintf(&b, "措施%d：%s\n", i+1, m.Text)
		}
	}
	fmt.Fprintf(&b, "请于%s前确认收到。", ackDue.In(calendar.Shanghai).Format("01-02 15:04"))
	return b.String()
}

// switchNamesZH names the plan's response switches in Chinese.
func switchNamesZH(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		if out[i] = plan.SwitchName(s).ZH; out[i] == "" {
			out[i] = s
		}
	}
	return out
}

// resolveTargets expands a targeting into orgs of the issuer's subtree
// (the issuer itself excluded), each with why it was chosen.
func (a *Service) resolveTargets(ctx context.Context, tx *store.Tx, issuer *fenghuo.Org, t fenghuo.Targeting) ([]fenghuo.WarningTarget, error) {
	subtree, err := app.AllSubtree(ctx, tx, issuer.ID)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*fenghuo.Org{}
	for i := range subtree {
		byID[subtree[i].ID] = &subtree[i]
	}
	reasons := map[int64][]string{}
	explicit := len(t.OrgIDs) > 0 || len(t.Subtrees) > 0 || t.Component != ""
	for _, id := range t.OrgIDs {
		if byID[id] == nil {
			return nil, fenghuo.FieldErrorf("targets", "Org %d is not under %s. / 预警对象不在本单位管辖范围内。", id, issuer.Name)
		}
		reasons[id] = append(reasons[id], "指定单位")
	}
	for _, root := range t.Subtrees {
		r := byID[root]
		if r == nil {
			return nil, fenghuo.FieldErrorf("targets", "Org %d is not under %s. / 预警对象不在本单位管辖范围内。", root, issuer.Name)
		}
		for _, o := range subtree {
			if fenghuo.InSubtree(r.Path, o.Path) {
				reasons[o.ID] = append(reasons[o.ID], "属于"+r.Name)
			}
		}
	}
	if c := strings.TrimSpace(t.Component); c != "" {
		// Matched by normalised product (internal/version), not substring:
		// "weblogic" reaches "Oracle WebLogic Server" but "ssl" no longer
		// reaches OpenSSL.
		want := version.Normalize("", c)
		matches, err := tx.ActiveComponents(ctx, issuer.Path)
		if err != nil {
			return nil, err
		}
		for _, m := range matches {
			if version.Normalize(m.Component.Vendor, m.Component.Name).Same(want) {
				reasons[m.OrgID] = append(reasons[m.OrgID], fmt.Sprintf("%s运行%s %s", m.SystemName, m.Component.Name, m.Component.Version))
			}
		}
	}
	if !explicit {
		for _, o := range subtree {
			reasons[o.ID] = append(reasons[o.ID], "")
		}
	}
	var out []fenghuo.WarningTarget
	for id, why := range reasons {
		o := byID[id]
		if o == nil || id == issuer.ID {
			continue
		}
		if t.Sector != "" && o.Sector != t.Sector {
			continue
		}
		if t.OrgType != "" && string(o.Type) != t.OrgType {
			continue
		}
		if t.Sector != "" {
			why = append(why, "行业："+t.Sector)
		}
		if t.OrgType != "" {
			why = append(why, "类型："+t.OrgType)
		}
		out = append(out, fenghuo.WarningTarget{OrgID: id, OrgName: o.Name, Reason: strings.Trim(strings.Join(uniqueStrings(why), "；"), "；")})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].OrgID < out[j].OrgID })
	return out, nil
}

func uniqueStrings(ss []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range ss {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// ProposeWarning asks the higher office the plan names to issue a warning
// the actor's org may not (seed 001 §3.3: a county office reports a red
// warning to the city for it to decide).
func (a *Service) ProposeWarning(ctx context.Context, ac *app.Actor, in WarningInput) (*fenghuo.Warning, error) {
	if err := in.validate(a.core.Now()); err != nil {
		return nil, err
	}
	var w *fenghuo.Warning
	err := a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		from, err := a.IssuerOrg(ctx, tx, ac, in.OrgID)
		if err != nil {
			return err
		}
		_, refusal, err := a.issuerCheck(ctx, tx, from, in.Color, in.MultiRegion)
		if err != nil {
			return err
		}
		if refusal == nil {
			return fenghuo.FieldErrorf("color", "%s may issue this warning itself. / 本单位可直接发布该预警。", from.Name)
		}
		if refusal.ProposeTo == nil {
			return refusal.error(from, in.Color)
		}
		w = &fenghuo.Warning{OrgID: from.ID, PlanID: refusal.PlanID, Color: in.Color, Category: in.Category, Title: in.Title,
			StartAt: in.StartAt, Scope: in.Scope, Items: in.Items, Measures: in.Measures, AckMinutes: in.AckMinutes,
			Targeting: in.Targeting, Status: fenghuo.WarningProposed, ProposedTo: refusal.ProposeTo.ID, CreatedBy: ac.User.ID}
		if err := tx.CreateWarning(ctx, w); err != nil {
			return err
		}
		if err := tx.AddWarningChange(ctx, &fenghuo.WarningChange{WarningID: w.ID, Actor: ac.User.DisplayName, Action: "propose",
			ToColor: w.Color, Reason: fmt.Sprintf("%s建议%s发布（%s第%s条）", from.Name, refusal.ProposeTo.Name, refusal.planZH(), refusal.Clause)}); err != nil {
			return err
		}
		if err := a.core.NotifyOrg(ctx, tx, app.Notice{OrgID: refusal.ProposeTo.ID, Kind: "warning.proposed",
			Title: fmt.Sprintf("%s建议发布%s预警：%s", from.Name, w.Color.NameZH(), w.Title), Link: fmt.Sprintf("/warnings/%d", w.ID)}); err != nil {
			return err
		}
		return a.core.Record(ctx, tx, ac, "warning.propose", "warning", strconv.FormatInt(w.ID, 10), "success",
			map[string]any{"color": w.Color, "to": refusal.ProposeTo.ID})
	})
	return w, err
}

// DecideProposal issues a proposed warning from the office it was proposed
// to (its targets resolved in that office's subtree), or declines it.
func (a *Service) DecideProposal(ctx context.Context, ac *app.Actor, id int64, issue bool, reason string) (*fenghuo.Warning, error) {
	var w *fenghuo.Warning
	err := a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		var err error
		if w, err = tx.Warning(ctx, id); err != nil {
			return err
		}
		if w.Status != fenghuo.WarningProposed {
			return fenghuo.Errorf(fenghuo.ECONFLICT, "This warning is not a proposal waiting for a decision. / 该预警不是待决定的建议。")
		}
		office, err := a.IssuerOrg(ctx, tx, ac, w.ProposedTo)
		if err != nil {
			return err
		}
		proposer := w.OrgID
		if !issue {
			w.Status = fenghuo.WarningDeclined
			if err := tx.UpdateWarning(ctx, w); err != nil {
				return err
			}
			if err := tx.AddWarningChange(ctx, &fenghuo.WarningChange{WarningID: w.ID, Actor: ac.User.DisplayName, Action: "decline",
				FromColor: w.Color, Reason: reason}); err != nil {
				return err
			}
			if err := a.core.NotifyOrg(ctx, tx, app.Notice{OrgID: proposer, Kind: "warning.declined",
				Title: fmt.Sprintf("%s未采纳预警建议：%s", office.Name, w.Title), Body: reason, Link: fmt.Sprintf("/warnings/%d", w.ID)}); err != nil {
				return err
			}
			return a.core.Record(ctx, tx, ac, "warning.decline", "warning", strconv.FormatInt(w.ID, 10), "success", nil)
		}
		planID, refusal, err := a.issuerCheck(ctx, tx, office, w.Color, w.Targeting.MultiRegion)
		if err != nil {
			return err
		}
		if refusal != nil {
			return refusal.error(office, w.Color)
		}
		w.OrgID, w.PlanID, w.Status, w.StartAt = office.ID, planID, fenghuo.WarningActive, time.Time{}
		return a.activate(ctx, tx, ac, w, office, "issue", "采纳建议 / on proposal")
	})
	return w, err
}

// ChangeWarningColor raises or lowers an active warning (seed 001 §3.5);
// the new colour must be one the issuer may issue.
func (a *Service) ChangeWarningColor(ctx context.Context, ac *app.Actor, id int64, c fenghuo.Color, reason string) (*fenghuo.Warning, error) {
	if !c.Valid() {
		return nil, fenghuo.FieldErrorf("color", "Choose red, orange, yellow or blue. / 请选择预警颜色。")
	}
	if strings.TrimSpace(reason) == "" {
		return nil, fenghuo.FieldErrorf("reason", "Say why the level changes. / 请说明调整理由。")
	}
	var w *fenghuo.Warning
	err := a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		var err error
		if w, err = a.activeWarning(ctx, tx, ac, id); err != nil {
			return err
		}
		if c == w.Color {
			return fenghuo.FieldErrorf("color", "The warning is already %s. / 预警已是该级别。", c)
		}
		issuer, err := tx.Org(ctx, w.OrgID)
		if err != nil {
			return err
		}
		if _, refusal, err := a.issuerCheck(ctx, tx, issuer, c, w.Targeting.MultiRegion); err != nil {
			return err
		} else if refusal != nil {
			return refusal.error(issuer, c)
		}
		from := w.Color
		action := "lower"
		if c.Severity() > from.Severity() {
			action = "raise"
		}
		w.Color = c
		if p, err := a.core.Plans().Get(w.PlanID); err == nil {
			w.Switches = p.SwitchesForColor(c)
		}
		if err := tx.UpdateWarning(ctx, w); err != nil {
			return err
		}
		if err := a.sign(ctx, tx, ac, w); err != nil {
			return err
		}
		if err := tx.AddWarningChange(ctx, &fenghuo.WarningChange{WarningID: w.ID, Actor: ac.User.DisplayName, Action: action,
			FromColor: from, ToColor: c, Reason: reason}); err != nil {
			return err
		}
		if err := a.tellTargets(ctx, tx, w, "warning.changed", fmt.Sprintf("【预警调整】%s由%s调整为%s", w.Title, from.NameZH(), c.NameZH()), reason); err != nil {
			return err
		}
		return a.core.Record(ctx, tx, ac, "warning."+action, "warning", strconv.FormatInt(w.ID, 10), "success", map[string]any{"from": from, "to": c})
	})
	return w, err
}

// LiftWarning ends an active warning; open acknowledgements are cancelled.
func (a *Service) LiftWarning(ctx context.Context, ac *app.Actor, id int64, reason string) (*fenghuo.Warning, error) {
	var w *fenghuo.Warning
	err := a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		var err error
		if w, err = a.activeWarning(ctx, tx, ac, id); err != nil {
			return err
		}
		w.Status, w.LiftedAt, w.Switches = fenghuo.WarningLifted, a.core.Now(), nil
		if err := tx.UpdateWarning(ctx, w); err != nil {
			return err
		}
		if err := a.sign(ctx, tx, ac, w); err != nil {
			return err
		}
		for _, kind := range []string{"warning_ack", "warning_done"} {
			obs, err := tx.ObligationsBySubject(ctx, kind, w.ID)
			if err != nil {
				return err
			}
			for _, o := range obs {
				if o.State == fenghuo.ObligationOpen {
					o.State, o.DoneAt, o.DoneNote = fenghuo.ObligationCancelled, a.core.Now(), "预警已解除"
					if err := tx.UpdateObligation(ctx, &o); err != nil {
						return err
					}
				}
			}
		}
		if err := tx.AddWarningChange(ctx, &fenghuo.WarningChange{WarningID: w.ID, Actor: ac.User.DisplayName, Action: "lift",
			FromColor: w.Color, Reason: reason}); err != nil {
			return err
		}
		if err := a.tellTargets(ctx, tx, w, "warning.lifted", "【预警解除】"+w.Title, reason); err != nil {
			return err
		}
		return a.core.Record(ctx, tx, ac, "warning.lift", "warning", strconv.FormatInt(w.ID, 10), "success", nil)
	})
	return w, err
}

func (a *Service) activeWarning(ctx context.Context, tx *store.Tx, ac *app.Actor, id int64) (*fenghuo.Warning, error) {
	w, err := tx.Warning(ctx, id)
	if err != nil {
		return nil, err
	}
	if _, err := a.IssuerOrg(ctx, tx, ac, w.OrgID); err != nil {
		return nil, err
	}
	if w.Status != fenghuo.WarningActive {
		return nil, fenghuo.Errorf(fenghuo.ECONFLICT, "The warning is %s, not active. / 该预警当前不在生效状态。", w.Status)
	}
	return w, nil
}

func (a *Service) tellTargets(ctx context.Context, tx *store.Tx, w *fenghuo.Warning, kind, title, body string) error {
	targets, err := tx.WarningTargets(ctx, w.ID)
	if err != nil {
		return err
	}
	for _, t := range targets {
		if err := a.core.NotifyOrg(ctx, tx, app.Notice{OrgID: t.OrgID, Kind: kind, Title: title, Body: body, Link: fmt.Sprintf("/warnings/%d", w.ID)}); err != nil {
			return err
		}
	}
	return nil
}

// targetAccess loads a warning target the actor may act for: one of its
// own org or of an org below it.
func (a *Service) targetAccess(ctx context.Context, tx *store.Tx, ac *app.Actor, targetID int64) (*fenghuo.Warning, *fenghuo.WarningTarget, error) {
	t, err := tx.WarningTargetByID(ctx, targetID)
	if err != nil {
		return nil, nil, err
	}
	w, err := tx.Warning(ctx, t.WarningID)
	if err != nil {
		return nil, nil, err
	}
	if ac != nil {
		org, err := tx.Org(ctx, t.OrgID)
		if err != nil {
			return nil, nil, err
		}
		if err := app.RequireAt(ac, fenghuo.PermWarningAck, org.Path, "Warning target", targetID); err != nil {
			return nil, nil, err
		}
	}
	if w.Status != fenghuo.WarningActive {
		return nil, nil, fenghuo.Errorf(fenghuo.ECONFLICT, "The warning is no longer active. / 该预警已不在生效状态。")
	}
	return w, t, nil
}

// AckWarning acknowledges receipt of a warning for a target org.
func (a *Service) AckWarning(ctx context.Context, ac *app.Actor, targetID int64) (*fenghuo.WarningTarget, error) {
	return a.AckFor(ctx, ac, targetID, ac.User.DisplayName)
}

// AckFor acknowledges receipt for a target org in the name of by: for an
// acknowledgement link or the demo seeder, which act for a named person
// rather than a logged-in actor (ac is nil then).
func (a *Service) AckFor(ctx context.Context, ac *app.Actor, targetID int64, by string) (*fenghuo.WarningTarget, error) {
	var t *fenghuo.WarningTarget
	err := a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		w, target, err := a.targetAccess(ctx, tx, ac, targetID)
		if err != nil {
			return err
		}
		t = target
		if !t.AckedAt.IsZero() {
			return nil // already acknowledged: a second tap changes nothing
		}
		t.AckedAt, t.AckedBy = a.core.Now(), by
		if err := tx.UpdateWarningTarget(ctx, t); err != nil {
			return err
		}
		if err := a.completeTargetObligation(ctx, tx, "warning_ack", w.ID, t, "已确认"); err != nil {
			return err
		}
		actor := ac
		if actor == nil {
			actor = &app.Actor{User: fenghuo.User{Username: "ack-link", DisplayName: by}, Via: "link"}
		}
		return a.core.Record(ctx, tx, actor, "warning.ack", "warning", strconv.FormatInt(w.ID, 10), "success", map[string]any{"org": t.OrgID})
	})
	return t, err
}

func (a *Service) completeTargetObligation(ctx context.Context, tx *store.Tx, kind string, warningID int64, t *fenghuo.WarningTarget, note string) error {
	obs, err := tx.ObligationsBySubject(ctx, kind, warningID)
	if err != nil {
		return err
	}
	for _, o := range obs {
		if o.OwnerOrgID == t.OrgID && o.State == fenghuo.ObligationOpen {
			o.Complete(a.core.Now(), note)
			if err := tx.UpdateObligation(ctx, &o); err != nil {
				return err
			}
		}
	}
	return nil
}

// ReportMeasuresDone records that a target carried out the warning's
// measures.
func (a *Service) ReportMeasuresDone(ctx context.Context, ac *app.Actor, targetID int64, note string) (*fenghuo.WarningTarget, error) {
	note = strings.TrimSpace(note)
	if note == "" || len([]rune(note)) > 2000 {
		return nil, fenghuo.FieldErrorf("note", "Say what was done (up to 2000 characters). / 请填写措施落实情况（不超过2000字）。")
	}
	var t *fenghuo.WarningTarget
	err := a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		w, target, err := a.targetAccess(ctx, tx, ac, targetID)
		if err != nil {
			return err
		}
		t = target
		now := a.core.Now()
		if t.AckedAt.IsZero() {
			t.AckedAt, t.AckedBy = now, ac.User.DisplayName
			if err := a.completeTargetObligation(ctx, tx, "warning_ack", w.ID, t, "随措施报告确认"); err != nil {
				return err
			}
		}
		t.DoneAt, t.DoneNote = now, note
		if err := tx.UpdateWarningTarget(ctx, t); err != nil {
			return err
		}
		if err := a.completeTargetObligation(ctx, tx, "warning_done", w.ID, t, note); err != nil {
			return err
		}
		if err := a.core.NotifyOrg(ctx, tx, app.Notice{OrgID: w.OrgID, Kind: "warning.done",
			Title: fmt.Sprintf("%s已落实预警措施：%s", t.OrgName, w.Title), Body: note, Link: fmt.Sprintf("/warnings/%d", w.ID)}); err != nil {
			return err
		}
		return a.core.Record(ctx, tx, ac, "warning.done", "warning", strconv.FormatInt(w.ID, 10), "success", map[string]any{"org": t.OrgID})
	})
	return t, err
}

// AckLink is what an acknowledge link shows before it is used.
type AckLink struct {
	Warning *fenghuo.Warning
	Target  *fenghuo.WarningTarget
	Issuer  string
}

// OpenAckLink reads an acknowledge link (from an e-mail or a chat bot on a
// phone, without logging in).
func (a *Service) OpenAckLink(ctx context.Context, token string) (*AckLink, error) {
	id, err := a.core.OpenAckToken(token, a.core.Now())
	if err != nil {
		return nil, err
	}
	var out AckLink
	err = a.core.DB().View(ctx, func(tx *store.Tx) error {
		w, t, err := a.targetAccess(ctx, tx, nil, id)
		if err != nil {
			return err
		}
		issuer, err := tx.Org(ctx, w.OrgID)
		if err != nil {
			return err
		}
		out = AckLink{Warning: w, Target: t, Issuer: issuer.Name}
		return nil
	})
	return &out, err
}

// AckByLink acknowledges through an acknowledge link; name is who taps it.
func (a *Service) AckByLink(ctx context.Context, token, name string) (*fenghuo.WarningTarget, error) {
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 50 {
		return nil, fenghuo.FieldErrorf("name", "Give your name (up to 50 characters). / 请填写确认人姓名。")
	}
	id, err := a.core.OpenAckToken(token, a.core.Now())
	if err != nil {
		return nil, err
	}
	return a.AckFor(ctx, nil, id, name+"（链接确认）")
}

// WarningDetail is a warning as one reader sees it.
type WarningDetail struct {
	Warning *fenghuo.Warning
	Issuer  *fenghuo.Org
	// Targets are those the reader may see: all for the issuer's side, its
	// own (and its subtree's) for a target.
	Targets []fenghuo.WarningTarget
	Changes []fenghuo.WarningChange
	// Obligations of the visible targets (acknowledgement, measures).
	Obligations []fenghuo.Obligation
	// CanManage: the reader may raise, lower, lift (or decide a proposal).
	CanManage bool
	// Signature says who signed the warning as issued and whether it is
	// unchanged (issue 15 item 1); unsigned for a proposal.
	Signature app.RecordCheck
	// Acked, Done count the visible targets that acknowledged / finished.
	Acked, Done, Overdue int
}

// Warning returns a warning the actor may see.
func (a *Service) Warning(ctx context.Context, ac *app.Actor, id int64) (*WarningDetail, error) {
	if err := app.Require(ac, fenghuo.PermIncidentRead); err != nil {
		return nil, err
	}
	d := &WarningDetail{}
	err := a.core.DB().View(ctx, func(tx *store.Tx) error {
		w, err := tx.Warning(ctx, id)
		if err != nil {
			return err
		}
		issuer, err := tx.Org(ctx, w.OrgID)
		if err != nil {
			return err
		}
		d.Warning, d.Issuer = w, issuer
		if d.Signature, err = a.checkSignature(ctx, tx, w); err != nil {
			return err
		}
		issuerSide := fenghuo.InSubtree(ac.Org.Path, issuer.Path)
		if w.ProposedTo != 0 {
			if to, err := tx.Org(ctx, w.ProposedTo); err == nil && fenghuo.InSubtree(ac.Org.Path, to.Path) {
				issuerSide = true
				d.CanManage = w.Status == fenghuo.WarningProposed && ac.CanAt(fenghuo.PermWarningIssue, to.Path)
			}
		}
		if w.Status == fenghuo.WarningActive && ac.CanAt(fenghuo.PermWarningIssue, issuer.Path) {
			d.CanManage = true
		}
		targets, err := tx.WarningTargets(ctx, id)
		if err != nil {
			return err
		}
		ids := make([]int64, len(targets))
		for i, t := range targets {
			ids[i] = t.OrgID
		}
		orgs, err := tx.OrgsByID(ctx, ids)
		if err != nil {
			return err
		}
		visible := map[int64]bool{}
		for _, t := range targets {
			if issuerSide || fenghuo.InSubtree(ac.Org.Path, orgs[t.OrgID].Path) {
				d.Targets = append(d.Targets, t)
				visible[t.OrgID] = true
				if !t.AckedAt.IsZero() {
					d.Acked++
				}
				if !t.DoneAt.IsZero() {
					d.Done++
				}
			}
		}
		if !issuerSide && len(d.Targets) == 0 {
			return fenghuo.Errorf(fenghuo.ENOTFOUND, "Warning %d not found. / 未找到。", id)
		}
		for _, kind := range []string{"warning_ack", "warning_done"} {
			obs, err := tx.ObligationsBySubject(ctx, kind, id)
			if err != nil {
				return err
			}
			for _, o := range obs {
				if visible[o.OwnerOrgID] {
					d.Obligations = append(d.Obligations, o)
					if o.Overdue(a.core.Now()) {
						d.Overdue++
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	d.Changes, err = a.core.DB().WarningChanges(ctx, id)
	return d, err
}

// Warnings lists the warnings the actor's subtree issued, was proposed or
// received.
func (a *Service) Warnings(ctx context.Context, ac *app.Actor, p store.Page) (store.ListResult[fenghuo.Warning], error) {
	if err := app.Require(ac, fenghuo.PermIncidentRead); err != nil {
		return store.ListResult[fenghuo.Warning]{}, err
	}
	return a.core.DB().WarningsVisible(ctx, ac.Org.Path, p)
}

// WarningNotice writes a warning as the notice an office sends (预警通报),
// as "docx" or "pdf", and audits the export. The issuer's side gets the
// targets with their acknowledgement; a target gets its own line.
func (a *Service) WarningNotice(ctx context.Context, ac *app.Actor, id int64, format string, w io.Writer) (string, error) {
	if format != "docx" && format != "pdf" {
		return "", fenghuo.FieldErrorf("format", "Choose docx or pdf. / 格式应为docx或pdf。")
	}
	d, err := a.Warning(ctx, ac, id)
	if err != nil {
		return "", err
	}
	wn := d.Warning
	at := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(calendar.Shanghai).Format("2006年01月02日 15:04")
	}
	status := map[string]string{fenghuo.WarningActive: "生效", fenghuo.WarningLifted: "已解除", fenghuo.WarningProposed: "建议待决定",
		fenghuo.WarningDeclined: "未采纳"}[wn.Status]
	n := export.Notice{
		Title:    "网络安全预警通报",
		Subtitle: fmt.Sprintf("%s预警 · %s · 编号 %d · %s", wn.Color.NameZH(), d.Issuer.Name, wn.ID, status),
		Fields: [][2]string{{"预警名称", wn.Title}, {"预警级别", wn.Color.NameZH() + "预警"}, {"事件类别", wn.Category},
			{"发布单位", d.Issuer.Name}, {"发布时间", at(wn.StartAt)}, {"依据预案", a.planTitle(wn.PlanID)}, {"可能影响范围", wn.Scope},
			{"确认时限", fmt.Sprintf("收到后%d分钟内确认", wn.AckMinutes)}},
		Author:  d.Issuer.Name,
		Created: wn.CreatedAt,
	}
	if !wn.LiftedAt.IsZero() {
		n.Fields = append(n.Fields, [2]string{"解除时间", at(wn.LiftedAt)})
	}
	var measures, targets, history strings.Builder
	for i, m := range wn.Measures {
		fmt.Fprintf(&measures, "%d. %s", i+1, m.Text)
		if m.Hours > 0 {
			fmt.Fprintf(&measures, "（%d小时内完成）", m.Hours)
		}
		measures.WriteString("\n")
	}
	for _, t := range d.Targets {
		ack := "未确认"
		if !t.AckedAt.IsZero() {
			ack = "已于" + at(t.AckedAt) + "确认(" + t.AckedBy + ")"
		}
		fmt.Fprintf(&targets, "%s：%s", t.OrgName, ack)
		if !t.DoneAt.IsZero() {
			fmt.Fprintf(&targets, "；措施已于%s落实：%s", at(t.DoneAt), t.DoneNote)
		}
		targets.WriteString("\n")
	}
	actions := map[string]string{"issue": "发布", "propose": "建议发布", "decline": "不采纳", "raise": "升级", "lower": "降级", "lift": "解除"}
	for _, c := range d.Changes {
		fmt.Fprintf(&history, "%s %s %s", at(c.At), c.Actor, actions[c.Action])
		if c.FromColor != "" && c.ToColor != "" {
			fmt.Fprintf(&history, "(%s→%s)", c.FromColor.NameZH(), c.ToColor.NameZH())
		}
		if c.Reason != "" {
			history.WriteString(":" + c.Reason)
		}
		history.WriteString("\n")
	}
	n.Sections = []export.NoticeSection{{Heading: "一、警示事项", Text: wn.Items}, {Heading: "二、应采取的措施", Text: measures.String()},
		{Heading: "三、启动的响应措施", Text: strings.Join(switchNamesZH(wn.Switches), "、")},
		{Heading: "四、预警对象", Text: targets.String()}, {Heading: "五、发布与调整记录", Text: history.String()}}
	n.Footer = [][2]string{{"发布单位", d.Issuer.Name}, {"值班电话", d.Issuer.DutyPhone}, {"签发人", ""}, {"发布时间", at(wn.StartAt)}}
	if format == "docx" {
		err = export.WriteNoticeDOCX(w, n)
	} else {
		err = export.WriteNoticePDF(w, n)
	}
	if err != nil {
		return "", err
	}
	a.core.RecordAlone(ctx, ac, "export.warning."+format, "warning", strconv.FormatInt(id, 10), "success", nil)
	return fmt.Sprintf("warning-%d.%s", id, format), nil
}
