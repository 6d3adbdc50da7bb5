package aftermath

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/phrase"
	"fenghuo/internal/store"
)

// Primary actions a page offers for a document, one at a time.
const (
	ActionDraft   = "draft"   // no version yet: write the first
	ActionEdit    = "edit"    // a draft with empty sections: keep writing
	ActionSubmit  = "submit"  // a complete draft: submit it for approval
	ActionApprove = "approve" // the actor's org decides the next step (approve or return)
	ActionRevise  = "revise"  // returned: write the next version
	ActionExport  = "export"  // approved: download it
)

// DocumentView is one kind of document of an incident as an actor sees
// it: every version (newest first), the current version's chain, its
// deadline and the one thing the actor should do next.
type DocumentView struct {
	Kind     string
	Current  *fenghuo.AftermathDocument // nil: not written yet
	Versions []fenghuo.AftermathDocument
	Chain    Chain
	// Next is the index in Chain.Stages of the step waiting for a decision
	// (-1 when none is).
	Next int
	// Deadlines are the plan's deadline obligations this document meets
	// (investigation: 30 days, summary: 20 working days after the
	// response ends); none before the response has ended.
	Deadlines []fenghuo.Obligation
	// Rule says when it is due when no obligation exists yet.
	Rule     string
	Action   string
	MayWrite bool
}

// Due is the earliest due time of the document's open deadlines (zero if
// none is open).
func (v DocumentView) Due() time.Time {
	var due time.Time
	for _, o := range v.Deadlines {
		if o.State == fenghuo.ObligationOpen && !o.DueAt.IsZero() && (due.IsZero() || o.DueAt.Before(due)) {
			due = o.DueAt
		}
	}
	return due
}

// Sections are the document's sections in order.
func (v DocumentView) Sections() []string { return fenghuo.AftermathSections(v.Kind) }

// dueRule is the plan's rule for a kind, in words.
func dueRule(kind string) string {
	switch kind {
	case fenghuo.DocInvestigation:
		return "应急响应结束后30日内完成（001 §5.2）"
	case fenghuo.DocSummary:
		return "应急终止后20个工作日内完成（001 §5.3）"
	}
	return "由事发单位制定，报主管部门审核后实施（001 §5.1）"
}

// meetsDeadline reports whether a deadline obligation (the plans' rule ids
// investigation-…, summary-report, handling-summary) is met by a document
// of kind.
func meetsDeadline(kind string, o *fenghuo.Obligation) bool {
	if o.Kind != "deadline" {
		return false
	}
	switch kind {
	case fenghuo.DocInvestigation:
		return strings.Contains(o.RuleID, "investigation")
	case fenghuo.DocSummary:
		return strings.Contains(o.RuleID, "summary")
	}
	return false
}

// Overview is the documents page of an incident.
type Overview struct {
	Incident     *fenghuo.Incident
	Unit         *fenghuo.Org
	Documents    []DocumentView
	Improvements []fenghuo.Improvement
	Records      []fenghuo.AccountabilityRecord
	// Names of the orgs and users the page mentions, by id.
	OrgNames  map[int64]string
	UserNames map[int64]string
	// Owners are the orgs a measure may be given to (the actor's subtree
	// containing the unit), for the form.
	Owners []fenghuo.Org
	// MayImprove, MayRecord: the actor may add measures / records.
	MayImprove, MayRecord bool
	Checks                []Check
}

// Check is one of the 三不放过 of seed 000 and whether it is met.
type Check struct {
	Key  string // cause, risks, people
	Name string
	Met  bool
	Note string
}

// Documents returns the incident's aftermath as the actor sees it.
func (s *Service) Documents(ctx context.Context, ac *app.Actor, incidentID int64) (*Overview, error) {
	ov := &Overview{OrgNames: map[int64]string{}, UserNames: map[int64]string{}}
	db := s.core.DB()
	err := db.View(ctx, func(tx *store.Tx) error {
		var err error
		ov.Incident, ov.Unit, err = access(ctx, tx, ac, incidentID, fenghuo.PermIncidentRead)
		return err
	})
	if err != nil {
		return nil, err
	}
	all, err := db.IncidentDocuments(ctx, incidentID)
	if err != nil {
		return nil, err
	}
	if ov.Improvements, err = db.IncidentImprovements(ctx, incidentID); err != nil {
		return nil, err
	}
	if ov.Records, err = db.AccountabilityRecords(ctx, incidentID); err != nil {
		return nil, err
	}
	err = db.View(ctx, func(tx *store.Tx) error {
		unit := ov.Unit
		obs, err := tx.Obligations(ctx, store.ObligationFilter{IncidentID: incidentID, Kind: "deadline"}, store.Page{Limit: store.MaxLimit})
		if err != nil {
			return err
		}
		for _, kind := range Kinds {
			v, err := s.view(ctx, tx, ac, unit, kind, all, obs.Items)
			if err != nil {
				return err
			}
			ov.Documents = append(ov.Documents, v)
		}
		ov.MayImprove = mayAuthor(ac, unit)
		ov.MayRecord = ac.Can(fenghuo.PermIncidentReceive) && ac.Org.ID != unit.ID
		if ov.MayImprove {
			if ov.Owners, err = ownersFor(ctx, tx, ac, unit); err != nil {
				return err
			}
		}
		ov.Checks = checks(ov, s.core.Now())
		return s.names(ctx, tx, ov)
	})
	if err != nil {
		return nil, err
	}
	return ov, nil
}

// ownersFor lists the orgs a measure may be given to: the unit and the
// orgs under it, and the actor's own org.
func ownersFor(ctx context.Context, tx *store.Tx, ac *app.Actor, unit *fenghuo.Org) ([]fenghuo.Org, error) {
	out, err := app.AllSubtree(ctx, tx, unit.ID)
	if err != nil {
		return nil, err
	}
	if ac.Org.ID != unit.ID {
		out = append(out, ac.Org)
	}
	return out, nil
}

func (s *Service) view(ctx context.Context, tx *store.Tx, ac *app.Actor, unit *fenghuo.Org, kind string, all []fenghuo.AftermathDocument, obs []fenghuo.Obligation) (DocumentView, error) {
	v := DocumentView{Kind: kind, Next: -1, Rule: dueRule(kind), MayWrite: mayAuthor(ac, unit)}
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].Kind == kind {
			v.Versions = append(v.Versions, all[i])
		}
	}
	for i := range obs {
		if meetsDeadline(kind, &obs[i]) {
			v.Deadlines = append(v.Deadlines, obs[i])
		}
	}
	var err error
	if v.Chain, err = chainFor(ctx, tx, unit, kind); err != nil {
		return v, err
	}
	if len(v.Versions) == 0 {
		if v.MayWrite {
			v.Action = ActionDraft
		}
		return v, nil
	}
	v.Current = &v.Versions[0]
	approvals, err := tx.DocumentApprovals(ctx, v.Current.ID)
	if err != nil {
		return v, err
	}
	applyDecisions(&v.Chain, approvals)
	switch v.Current.State {
	case fenghuo.DocDraft:
		if v.MayWrite {
			v.Action = ActionEdit
			if v.Current.Validate(true) == nil {
				v.Action = ActionSubmit
			}
		}
	case fenghuo.DocSubmitted:
		if len(approvals) < len(v.Chain.Stages) {
			v.Next = len(approvals)
			if mayDecide(ac, v.Chain.Stages[v.Next]) {
				v.Action = ActionApprove
			}
		}
	case fenghuo.DocReturned:
		if v.MayWrite {
			v.Action = ActionRevise
		}
	case fenghuo.DocApproved:
		v.Action = ActionExport
	}
	return v, nil
}

// applyDecisions puts a version's recorded decisions on the chain's
// stages, in order.
func applyDecisions(c *Chain, approvals []fenghuo.Approval) {
	for i := range approvals {
		if i < len(c.Stages) {
			a := approvals[i]
			c.Stages[i].Decision = &a
		}
	}
}

// checks are the 三不放过 of seed 000 for the incident.
func checks(ov *Overview, now time.Time) []Check {
	var out []Check
	cause := Check{Key: "cause", Name: "事件原因未查清不放过", Note: "调查评估报告尚未审批通过"}
	for _, d := range ov.Documents {
		if d.Kind == fenghuo.DocInvestigation {
			for _, v := range d.Versions {
				if v.State == fenghuo.DocApproved {
					cause.Met, cause.Note = true, fmt.Sprintf("调查评估报告第%d版已审批通过", v.Version)
				}
			}
		}
	}
	risks := Check{Key: "risks", Name: "风险隐患未排查整改不放过", Note: "尚无整改措施"}
	open, overdue := 0, 0
	for _, m := range ov.Improvements {
		if m.State == fenghuo.ImprovementOpen {
			open++
			if !m.DueAt.IsZero() && now.After(m.DueAt) {
				overdue++
			}
		}
	}
	switch {
	case len(ov.Improvements) == 0:
	case open == 0:
		risks.Met, risks.Note = true, fmt.Sprintf("%d项整改措施全部完成", len(ov.Improvements))
	default:
		risks.Note = fmt.Sprintf("%d项整改措施未完成，其中%d项逾期", open, overdue)
	}
	people := Check{Key: "people", Name: "相关责任人未受批评教育不放过", Note: "尚无责任追究记录"}
	for _, r := range ov.Records {
		if r.Kind == fenghuo.RecordAccountability {
			people.Met, people.Note = true, "已有责任追究记录"
		}
	}
	return append(out, cause, risks, people)
}

// names fills the org and user names the page shows.
func (s *Service) names(ctx context.Context, tx *store.Tx, ov *Overview) error {
	org := func(id int64) error {
		if id == 0 || ov.OrgNames[id] != "" {
			return nil
		}
		o, err := tx.Org(ctx, id)
		if err != nil {
			if fenghuo.ErrorCode(err) == fenghuo.ENOTFOUND {
				return nil
			}
			return err
		}
		ov.OrgNames[id] = o.Name
		return nil
	}
	user := func(id int64) error {
		if id == 0 || ov.UserNames[id] != "" {
			return nil
		}
		u, err := tx.User(ctx, id)
		if err != nil {
			if fenghuo.ErrorCode(err) == fenghuo.ENOTFOUND {
				return nil
			}
			return err
		}
		ov.UserNames[id] = displayName(u)
		return nil
	}
	for _, d := range ov.Documents {
		for _, v := range d.Versions {
			if err := firstErr(org(v.AuthorOrgID), user(v.AuthorID)); err != nil {
				return err
			}
		}
		for _, st := range d.Chain.Stages {
			if st.Decision != nil {
				if err := user(st.Decision.UserID); err != nil {
					return err
				}
			}
		}
	}
	for _, m := range ov.Improvements {
		if err := firstErr(org(m.OwnerOrgID), user(m.OwnerUserID), user(m.DoneBy)); err != nil {
			return err
		}
	}
	for _, r := range ov.Records {
		if err := firstErr(org(r.SubjectOrgID), org(r.DecidedOrgID), user(r.DecidedBy)); err != nil {
			return err
		}
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func displayName(u *fenghuo.User) string {
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.Username
}

// cleanBody trims every section; a section left empty is dropped.
func cleanBody(body map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range body {
		if v = strings.TrimSpace(strings.ReplaceAll(v, "\r\n", "\n")); v != "" {
			out[k] = v
		}
	}
	return out
}

// Save stores the actor's text of an incident's document of kind: the
// first version, or the draft edited in place; once a version has been
// submitted every save is a new version (a version still waiting for
// approval is withdrawn from its chain). An approved version is final.
func (s *Service) Save(ctx context.Context, ac *app.Actor, incidentID int64, kind string, body map[string]string) (*fenghuo.AftermathDocument, error) {
	if !knownKind(kind) {
		return nil, fenghuo.FieldErrorf("kind", "Choose the recovery plan, the investigation report or the summary report. / 请选择恢复重建方案、调查评估报告或总结报告。")
	}
	body = cleanBody(body)
	var out *fenghuo.AftermathDocument
	err := s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		_, unit, err := access(ctx, tx, ac, incidentID, fenghuo.PermIncidentWrite)
		if err != nil {
			return err
		}
		if !mayAuthor(ac, unit) {
			return app.ErrForbidden
		}
		latest, err := tx.LatestDocument(ctx, incidentID, kind)
		withdrawn := 0
		if err == nil && latest.State == fenghuo.DocSubmitted {
			// A save while the version waits for approval is the next
			// version: the submitted one leaves the chain.
			if latest, err = tx.WithdrawDocument(ctx, latest.ID); err != nil {
				return err
			}
			withdrawn = latest.Version
		}
		switch {
		case fenghuo.ErrorCode(err) == fenghuo.ENOTFOUND || err == nil && (latest.State == fenghuo.DocReturned || latest.State == fenghuo.DocWithdrawn):
			out = &fenghuo.AftermathDocument{IncidentID: incidentID, Kind: kind, Body: body, AuthorID: ac.User.ID, AuthorOrgID: ac.Org.ID}
			if err := tx.CreateDocumentVersion(ctx, out); err != nil {
				return err
			}
		case err != nil:
			return err
		case latest.State == fenghuo.DocDraft:
			if out, err = tx.UpdateDocumentDraft(ctx, latest.ID, body); err != nil {
				return err
			}
		default:
			return fenghuo.Errorf(fenghuo.ECONFLICT, "Version %d is approved and final. / 第%d版已审批通过，不能再修改。", latest.Version, latest.Version)
		}
		event := phrase.New("doc.saved", "doc", phrase.Document(kind), "version", out.Version)
		if withdrawn != 0 {
			event = phrase.New("doc.withdrawn", "doc", phrase.Document(kind), "withdrawn", withdrawn, "version", out.Version)
		}
		if err := s.timeline(ctx, tx, ac, incidentID, event, out); err != nil {
			return err
		}
		return s.core.Record(ctx, tx, ac, "aftermath.save", "aftermath_document", ref(out.ID), "success",
			map[string]any{"incident": incidentID, "kind": kind, "version": out.Version, "withdrew": withdrawn})
	})
	return out, err
}

// Submit sends a complete draft up its approval chain and tells the first
// approver.
func (s *Service) Submit(ctx context.Context, ac *app.Actor, incidentID, docID int64) (*fenghuo.AftermathDocument, error) {
	var out *fenghuo.AftermathDocument
	err := s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		d, unit, err := s.document(ctx, tx, ac, incidentID, docID, fenghuo.PermIncidentWrite)
		if err != nil {
			return err
		}
		if !mayAuthor(ac, unit) {
			return app.ErrForbidden
		}
		if out, err = tx.SubmitDocument(ctx, d.ID); err != nil {
			return err
		}
		c, err := chainFor(ctx, tx, unit, d.Kind)
		if err != nil {
			return err
		}
		if len(c.Stages) > 0 {
			if err := s.core.NotifyOrg(ctx, tx, app.Notice{OrgID: c.Stages[0].Org.ID, Kind: "aftermath.submitted",
				Title: fmt.Sprintf("待审批：%s第%d版", KindName(d.Kind), d.Version), Link: link(incidentID)}); err != nil {
				return err
			}
		}
		if err := s.timeline(ctx, tx, ac, incidentID, phrase.New("doc.submitted", "doc", phrase.Document(d.Kind), "version", d.Version), d); err != nil {
			return err
		}
		return s.core.Record(ctx, tx, ac, "aftermath.submit", "aftermath_document", ref(d.ID), "success",
			map[string]any{"incident": incidentID, "kind": d.Kind, "version": d.Version})
	})
	return out, err
}

// Decide records the actor's org's decision on the step of the chain that
// is waiting: approve, or return with a note (the author then writes a new
// version). The last approval makes the version final and closes the
// plan's deadline for the document, on time or late by when the version
// was submitted.
func (s *Service) Decide(ctx context.Context, ac *app.Actor, incidentID, docID int64, decision, note string) (*fenghuo.AftermathDocument, error) {
	note = strings.TrimSpace(note)
	var out *fenghuo.AftermathDocument
	err := s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		d, unit, err := s.document(ctx, tx, ac, incidentID, docID, fenghuo.PermIncidentRead)
		if err != nil {
			return err
		}
		if d.State != fenghuo.DocSubmitted {
			return fenghuo.Errorf(fenghuo.ECONFLICT, "Version %d is not waiting for a decision. / 第%d版不在审批中。", d.Version, d.Version)
		}
		c, err := chainFor(ctx, tx, unit, d.Kind)
		if err != nil {
			return err
		}
		approvals, err := tx.DocumentApprovals(ctx, d.ID)
		if err != nil {
			return err
		}
		if len(approvals) >= len(c.Stages) {
			return fenghuo.Errorf(fenghuo.ECONFLICT, "Every step of the chain has decided. / 审批链已完成。")
		}
		next := len(approvals)
		st := c.Stages[next]
		if !mayDecide(ac, st) {
			return fenghuo.Errorf(fenghuo.EFORBIDDEN, "This step is decided by %s. / 此步骤由%s审批。", st.Org.Name, st.Org.Name)
		}
		if st.Key == StageUnit && ac.User.ID == d.AuthorID {
			return fenghuo.Errorf(fenghuo.EFORBIDDEN, "The author cannot approve their own document: another member of the unit decides. / 起草人不能审批自己起草的文书，请由本单位其他负责人审批。")
		}
		final := next == len(c.Stages)-1
		a := &fenghuo.Approval{DocumentID: d.ID, ApproverOrgID: ac.Org.ID, Decision: decision, Note: note, UserID: ac.User.ID}
		if out, err = tx.DecideDocument(ctx, a, final); err != nil {
			return err
		}
		what := fmt.Sprintf("%s第%d版", KindName(d.Kind), d.Version)
		var event phrase.Phrase
		switch {
		case decision == fenghuo.DecisionReturn:
			event = phrase.New("doc.returned", "doc", phrase.Document(d.Kind), "version", d.Version, "org", st.Org.Name, "note", note)
			if err := s.core.NotifyOrg(ctx, tx, app.Notice{OrgID: d.AuthorOrgID, Kind: "aftermath.returned",
				Title: "退回修改：" + what, Body: note, Link: link(incidentID)}); err != nil {
				return err
			}
		case final:
			event = phrase.New("doc.approved", "doc", phrase.Document(d.Kind), "version", d.Version, "org", st.Org.Name)
			if err := s.closeDeadlines(ctx, tx, d); err != nil {
				return err
			}
			if err := s.core.NotifyOrg(ctx, tx, app.Notice{OrgID: d.AuthorOrgID, Kind: "aftermath.approved",
				Title: "已审批通过：" + what, Link: link(incidentID)}); err != nil {
				return err
			}
		default:
			event = phrase.New("doc.passed", "doc", phrase.Document(d.Kind), "version", d.Version, "org", st.Org.Name, "next", c.Stages[next+1].Org.Name)
			if err := s.core.NotifyOrg(ctx, tx, app.Notice{OrgID: c.Stages[next+1].Org.ID, Kind: "aftermath.submitted",
				Title: "待审批：" + what, Link: link(incidentID)}); err != nil {
				return err
			}
		}
		if err := s.timeline(ctx, tx, ac, incidentID, event, d); err != nil {
			return err
		}
		return s.core.Record(ctx, tx, ac, "aftermath.decide", "aftermath_document", ref(d.ID), "success",
			map[string]any{"incident": incidentID, "kind": d.Kind, "version": d.Version, "stage": st.Key, "decision": decision, "note": note, "final": final})
	})
	return out, err
}

// closeDeadlines completes the open deadline obligations an approved
// document meets, at the time its version was submitted.
func (s *Service) closeDeadlines(ctx context.Context, tx *store.Tx, d *fenghuo.AftermathDocument) error {
	obs, err := tx.Obligations(ctx, store.ObligationFilter{IncidentID: d.IncidentID, Kind: "deadline", State: fenghuo.ObligationOpen}, store.Page{Limit: store.MaxLimit})
	if err != nil {
		return err
	}
	for i := range obs.Items {
		o := &obs.Items[i]
		if !meetsDeadline(d.Kind, o) {
			continue
		}
		o.Complete(d.SubmittedAt, fmt.Sprintf("%s第%d版于%s提交，审批通过", KindName(d.Kind), d.Version, d.SubmittedAt.In(calendar.Shanghai).Format("2006-01-02 15:04")))
		if err := tx.UpdateObligation(ctx, o); err != nil {
			return err
		}
	}
	return nil
}

// document loads a version of one of the incident's documents with the
// incident's access check.
func (s *Service) document(ctx context.Context, tx *store.Tx, ac *app.Actor, incidentID, docID int64, p fenghuo.Permission) (*fenghuo.AftermathDocument, *fenghuo.Org, error) {
	_, unit, err := access(ctx, tx, ac, incidentID, p)
	if err != nil {
		return nil, nil, err
	}
	d, err := tx.Document(ctx, docID)
	if err != nil {
		return nil, nil, err
	}
	if d.IncidentID != incidentID || !knownKind(d.Kind) {
		return nil, nil, fenghuo.Errorf(fenghuo.ENOTFOUND, "Document %d not found. / 未找到该文书。", docID)
	}
	return d, unit, nil
}

func (s *Service) timeline(ctx context.Context, tx *store.Tx, ac *app.Actor, incidentID int64, body phrase.Phrase, d *fenghuo.AftermathDocument) error {
	data := map[string]any{}
	if d != nil {
		data = map[string]any{"document": d.ID, "kind": d.Kind, "version": d.Version}
	}
	e, err := app.TimelineEntry(ac, incidentID, "aftermath", body, data)
	if err != nil {
		return err
	}
	return tx.AppendTimeline(ctx, e)
}

func link(incidentID int64) string { return fmt.Sprintf("/incidents/%d/documents", incidentID) }

// KindName is a document kind in Chinese.
func KindName(kind string) string {
	switch kind {
	case fenghuo.DocRecoveryPlan:
		return "恢复重建方案"
	case fenghuo.DocInvestigation:
		return "调查评估报告"
	case fenghuo.DocSummary:
		return "应急总结报告"
	case fenghuo.DocEndNotice:
		return "结束通知"
	}
	return kind
}
