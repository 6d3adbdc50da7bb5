package web

import (
	"fenghuo/internal/app"
	"net/http"
	"strconv"
	"strings"
	"time"

	"fenghuo/internal/app/aftermath"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
)

// The documents page of an incident (/incidents/{id}/documents): the
// recovery plan, the investigation and the summary report with their
// versions, approval chains and deadlines; improvement measures; rewards
// and accountability records (seed 001 §5).

func init() {
	for k, v := range documentMessages {
		messages[k] = v
	}
	pages = append(pages, "documents")
}

var documentMessages = map[string][2]string{
	"documents.title":              {"后续文书", "Aftermath documents"},
	"documents.back":               {"返回事件", "Back to the incident"},
	"documents.version":            {"第%d版", "version %d"},
	"documents.none":               {"尚未起草", "Not written yet"},
	"documents.due":                {"完成时限", "Due"},
	"documents.rule":               {"依据", "Rule"},
	"documents.chain":              {"审批链", "Approval chain"},
	"documents.chain.missing":      {"平台中未登记与本单位行业对应的主管部门，此步骤暂缺（请在组织机构中登记主管部门，不按其他行业的部门审批）。", "No competent department of this unit's sector is on the platform: this step is left out (register the department; another sector's is never asked)."},
	"documents.chain.waiting":      {"待审批", "waiting"},
	"documents.versions":           {"历史版本", "Versions"},
	"documents.author":             {"起草", "Author"},
	"documents.saved":              {"保存时间", "Saved"},
	"documents.submitted":          {"提交时间", "Submitted"},
	"documents.decided":            {"审批完成", "Decided"},
	"documents.save":               {"保存草稿", "Save draft"},
	"documents.draft":              {"起草", "Write"},
	"documents.revise":             {"修改后形成新版本", "Write the next version"},
	"documents.submit":             {"提交审批", "Submit for approval"},
	"documents.approve":            {"同意", "Approve"},
	"documents.return":             {"退回修改", "Return for changes"},
	"documents.opinion":            {"审批意见（退回时必填）", "Opinion (required to return)"},
	"documents.export":             {"导出", "Export"},
	"documents.waiting":            {"等待%s审批", "Waiting for %s"},
	"documents.edit.more":          {"继续修改", "Keep editing"},
	"documents.deadline.done":      {"时限已关闭", "Deadline closed"},
	"documents.deadline.pending":   {"应急响应结束后开始计时", "Starts when the response ends"},
	"documents.improvements":       {"整改措施", "Improvement measures"},
	"documents.improvement.text":   {"措施", "Measure"},
	"documents.improvement.owner":  {"责任单位", "Responsible org"},
	"documents.improvement.person": {"责任人", "Person"},
	"documents.improvement.add":    {"添加整改措施", "Add a measure"},
	"documents.improvement.done":   {"确认完成", "Mark done"},
	"documents.improvement.note":   {"整改情况", "What was done"},
	"documents.records":            {"奖惩与责任追究", "Rewards and accountability"},
	"documents.record.kind":        {"类型", "Kind"},
	"documents.record.subject":     {"对象（单位或个人）", "Unit or person"},
	"documents.record.org":         {"对象单位（可选）", "Org (optional)"},
	"documents.record.basis":       {"依据", "Basis"},
	"documents.record.decision":    {"处理决定", "Decision"},
	"documents.record.by":          {"作出单位", "Decided by"},
	"documents.record.add":         {"登记", "Record"},
	"documents.checks":             {"三不放过", "The three 'not let pass'"},
	"documents.check.cause":        {"事件原因未查清不放过", "The cause is found"},
	"documents.check.risks":        {"风险隐患未排查整改不放过", "The hidden risks are rectified"},
	"documents.check.people":       {"相关责任人未受批评教育不放过", "Those responsible are dealt with"},
	"documents.rule.recovery_plan": {"由事发单位制定，报主管部门审核后实施（001 §5.1）", "Drawn up by the unit, reviewed by its competent department (001 §5.1)"},
	"documents.rule.investigation": {"应急响应结束后30日内完成（001 §5.2）", "Within 30 days of the end of the response (001 §5.2)"},
	"documents.rule.summary":       {"应急终止后20个工作日内完成（001 §5.3）", "Within 20 working days of the end of the response (001 §5.3)"},
	"documents.check.met":          {"已落实", "met"},
	"documents.check.open":         {"未落实", "open"},
	"doc.kind.recovery_plan":       {"恢复重建方案", "Recovery plan"},
	"doc.kind.investigation":       {"调查评估报告", "Investigation and evaluation report"},
	"doc.kind.summary":             {"应急总结报告", "Response summary report"},
	"doc.state.none":               {"未起草", "not written"},
	"doc.state.draft":              {"草稿", "draft"},
	"doc.state.submitted":          {"审批中", "in approval"},
	"doc.state.approved":           {"已审批通过", "approved"},
	"doc.state.returned":           {"已退回", "returned"},
	"doc.state.withdrawn":          {"已撤回（作者已修改）", "withdrawn (the author revised it)"},
	"documents.withdraw":           {"修改（形成新版本，撤回本次审批）", "Revise (a new version; this one leaves approval)"},
	"doc.stage.unit":               {"事发单位", "Unit"},
	"doc.stage.competent":          {"主管部门", "Competent department"},
	"doc.stage.cac":                {"网信办", "Cyberspace office"},
	"doc.decision.approve":         {"同意", "approved"},
	"doc.decision.return":          {"退回", "returned"},
	"doc.section.situation":        {"事件及损失情况", "Incident and losses"},
	"doc.section.goals":            {"恢复目标", "Recovery goals"},
	"doc.section.measures":         {"恢复、整改和重建措施（每行一项）", "Recovery, rectification and rebuilding measures (one a line)"},
	"doc.section.safeguards":       {"保障措施", "Safeguards"},
	"doc.section.cause":            {"事件起因", "Cause"},
	"doc.section.nature":           {"事件性质", "Nature"},
	"doc.section.impact":           {"影响评估", "Impact"},
	"doc.section.responsibility":   {"责任认定", "Responsibility"},
	"doc.section.handling_opinion": {"处理意见", "Handling opinion"},
	"doc.section.improvements":     {"改进措施", "Improvement measures"},
	"doc.section.overview":         {"应急处置工作概况", "Overview of the response"},
	"doc.section.experience":       {"经验做法", "What worked"},
	"doc.section.lessons":          {"存在的问题和教训", "Problems and lessons"},
	"doc.section.suggestions":      {"改进应急处置工作的建议", "Proposals to improve the response"},
	"improvement.state.open":       {"整改中", "open"},
	"improvement.state.done":       {"已完成", "done"},
	"improvement.state.cancelled":  {"已撤销", "cancelled"},
	"record.kind.reward":           {"奖励", "Reward"},
	"record.kind.accountability":   {"责任追究", "Accountability"},
	"obligation.kind.improvement":  {"整改措施", "improvement measure"},
}

// DocKindLabel, DocStateLabel, DocStageLabel, DocSectionLabel,
// DecisionLabel, ImprovementStateLabel and RecordKindLabel put the
// aftermath vocabularies in words.
func (v *view) DocKindLabel(k string) string    { return v.vocab("doc.kind", k) }
func (v *view) DocStateLabel(s string) string   { return v.vocab("doc.state", s) }
func (v *view) DocStageLabel(s string) string   { return v.vocab("doc.stage", s) }
func (v *view) DocSectionLabel(s string) string { return v.vocab("doc.section", s) }
func (v *view) DecisionLabel(s string) string   { return v.vocab("doc.decision", s) }

// DecisionNote is an approval's comment when it says more than the
// decision itself: "同意" with the comment "同意" reads once, not "同意：同意".
func (v *view) DecisionNote(decision, note string) string {
	note = strings.TrimSpace(note)
	for _, l := range []string{langZH, langEN} {
		if word := translate(l, "doc.decision."+decision); strings.EqualFold(strings.TrimRight(note, "。.!！"), word) {
			return ""
		}
	}
	return note
}
func (v *view) ImprovementStateLabel(s string) string { return v.vocab("improvement.state", s) }
func (v *view) RecordKindLabel(s string) string       { return v.vocab("record.kind", s) }

// documentsForm is what the user typed, kept when an action fails.
type documentsForm struct {
	Kind        string
	Body        map[string]string
	Improvement map[string]string
	Record      map[string]string
	Opinion     string
}

func (h *Handler) documentsPage(w http.ResponseWriter, r *http.Request) {
	h.renderDocuments(w, r, http.StatusOK, documentsForm{}, nil)
}

func (h *Handler) renderDocuments(w http.ResponseWriter, r *http.Request, status int, form documentsForm, actionErr error) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	ov, err := h.app.Aftermath.Documents(r.Context(), ac, id)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	// The text each document's form starts with: what was typed, else the
	// current version's.
	bodies := map[string]map[string]string{}
	for _, d := range ov.Documents {
		if d.Current != nil {
			bodies[d.Kind] = d.Current.Body
		}
	}
	if form.Kind != "" && form.Body != nil {
		bodies[form.Kind] = form.Body
	}
	investigation := int64(0)
	for _, d := range ov.Documents {
		if d.Kind == fenghuo.DocInvestigation && d.Current != nil {
			investigation = d.Current.ID
		}
	}
	// The incident's header and tabs; the unit's competent department,
	// which sees this page to approve, may not see the incident's other
	// tabs, and gets the page without them.
	var header *incidentHeader
	if hd, err := h.incidentHeader(r.Context(), ac, id, tabDocuments); err == nil {
		header = hd
	}
	// Which open measures the actor may close: the core's rule
	// (incident.write at the measure's owner), as the service checks it.
	mayFinish := map[int64]bool{}
	for _, m := range ov.Improvements {
		if m.State == fenghuo.ImprovementOpen {
			mayFinish[m.ID] = app.RequireAt(ac, fenghuo.PermIncidentWrite, orgPathOf(h, r, m.OwnerOrgID), "Improvement", m.ID) == nil
		}
	}
	v := &view{Actor: ac, Title: "documents.title", Nav: "incidents", Data: map[string]any{"O": ov, "Bodies": bodies, "Form": form,
		"Investigation": investigation, "Header": header, "MayFinish": mayFinish}}
	if actionErr != nil {
		v.Errors, v.Error = fieldErrors(actionErr)
	}
	h.render(w, r, status, "documents", v)
}

// documentsAction handles the page's forms.
func (h *Handler) documentsAction(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	ctx := r.Context()
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	r.ParseForm()
	form := documentsForm{}
	var err error
	switch r.PathValue("action") {
	case "save":
		form.Kind = r.FormValue("kind")
		form.Body = map[string]string{}
		for _, k := range fenghuo.AftermathSections(form.Kind) {
			form.Body[k] = r.FormValue(k)
		}
		_, err = h.app.Aftermath.Save(ctx, ac, id, form.Kind, form.Body)
	case "submit":
		_, err = h.app.Aftermath.Submit(ctx, ac, id, formInt(r, "document_id"))
	case "decide":
		form.Opinion = r.FormValue("note")
		_, err = h.app.Aftermath.Decide(ctx, ac, id, formInt(r, "document_id"), r.FormValue("decision"), form.Opinion)
	case "improvement":
		form.Improvement = map[string]string{"text": r.FormValue("text"), "owner_org_id": r.FormValue("owner_org_id"), "due_at": r.FormValue("due_at")}
		_, err = h.app.Aftermath.AddImprovement(ctx, ac, id, aftermath.ImprovementInput{DocumentID: formInt(r, "document_id"),
			Text: r.FormValue("text"), OwnerOrgID: formInt(r, "owner_org_id"), DueAt: dueDate(r.FormValue("due_at"))})
	case "finish":
		_, err = h.app.Aftermath.FinishImprovement(ctx, ac, id, formInt(r, "improvement_id"), r.FormValue("state"), r.FormValue("note"))
	case "record":
		form.Record = map[string]string{"kind": r.FormValue("kind"), "subject": r.FormValue("subject"), "subject_org_id": r.FormValue("subject_org_id"),
			"basis": r.FormValue("basis"), "decision": r.FormValue("decision")}
		_, err = h.app.Aftermath.AddRecord(ctx, ac, id, aftermath.RecordInput{Kind: r.FormValue("kind"), Subject: r.FormValue("subject"),
			SubjectOrgID: formInt(r, "subject_org_id"), Basis: r.FormValue("basis"), Decision: r.FormValue("decision")})
	default:
		http.NotFound(w, r)
		return
	}
	h.finishAction(w, r, err, "/incidents/"+strconv.FormatInt(id, 10)+"/documents", func(err error) {
		h.renderDocuments(w, r, http.StatusBadRequest, form, err)
	})
}

// dueDate reads a date field (yyyy-mm-dd) as the end of that day in China
// Standard Time (24:00, as periods in days end), or a datetime-local value.
func dueDate(s string) time.Time {
	s = strings.TrimSpace(s)
	if d, err := time.ParseInLocation("2006-01-02", s, calendar.Shanghai); err == nil {
		return d.AddDate(0, 0, 1)
	}
	return localTime(s)
}

// documentExport downloads a version as DOCX or PDF.
func (h *Handler) documentExport(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	doc, _ := strconv.ParseInt(r.PathValue("doc"), 10, 64)
	format := r.PathValue("format")
	buf := new(bytesBuffer)
	name, err := h.app.Aftermath.Export(r.Context(), ac, id, doc, format, buf)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	sendDocument(w, name, format, buf.b)
}
