package web

// Inspection campaigns (issue 12, P2): the list with the issue form, the
// issuer's progress board, and a unit's answer form.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"fenghuo/internal/app/incident"
	"fenghuo/internal/app/inspection"
	"fenghuo/internal/calendar"
	"fenghuo/internal/checklist"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

func init() { maps.Copy(messages, inspectionMessages) }

// inspectionForm is the issue form's state, kept on a validation error;
// Upload and Note are the checklist upload form's, Problems its refusal.
type inspectionForm struct {
	Kind, Title, Checklist, Due, Sector, OrgType, Component string
	OrgIDs, Subtrees                                        []int64
	Upload, Note                                            string
	Problems                                                []checklist.Problem
}

func (h *Handler) inspections(w http.ResponseWriter, r *http.Request) {
	due := h.app.Core.Now().Add(14 * 24 * time.Hour).In(calendar.Shanghai).Format("2006-01-02T15:04")
	h.renderInspections(w, r, http.StatusOK, inspectionForm{Kind: "self", Checklist: "seed000-self-inspection", Due: due}, nil)
}

func (h *Handler) renderInspections(w http.ResponseWriter, r *http.Request, status int, form inspectionForm, formErr error) {
	ac := actor(r)
	page, n := readPage(r)
	list, err := h.app.Inspections.Campaigns(r.Context(), ac, page)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	lists, err := h.app.Inspections.Checklists(r.Context(), ac)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	var units, offices []fenghuo.Org
	var sectors []string
	if ac.Can(fenghuo.PermWarningIssue) {
		res, _ := h.app.Directory.Orgs(r.Context(), ac, store.OrgFilter{}, store.Page{Limit: store.MaxLimit})
		for _, o := range res.Items {
			if o.ID == ac.Org.ID {
				continue
			}
			if o.Type == fenghuo.OrgOperator {
				units = append(units, o)
			} else if o.Level != fenghuo.LevelUnit {
				offices = append(offices, o)
			}
			if o.Sector != "" && !slices.Contains(sectors, o.Sector) {
				sectors = append(sectors, o.Sector)
			}
		}
	}
	slices.Sort(sectors)
	titles := map[string]checklist.Text{}
	for _, c := range lists {
		titles[c.ID] = c.Title
	}
	v := &view{Actor: ac, Title: "insp.title", Nav: "inspections", Data: map[string]any{"List": list.Items,
		"Pager": newPager(r, n, list.Total), "Checklists": lists, "Titles": titles, "Form": form, "Units": units, "Offices": offices, "Sectors": sectors}}
	if formErr != nil {
		v.Errors, v.Error = fieldErrors(formErr)
	}
	if up := r.URL.Query().Get("uploaded"); up != "" && formErr == nil {
		v.Flash = translate(requestLang(r, actorLocale(ac)), "insp.upload.done") + up
	}
	h.render(w, r, status, "inspections", v)
}

// uploadChecklist stores a checklist typed or pasted into the form as the
// next version of its id; problems are listed by line, the text kept.
func (h *Handler) uploadChecklist(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	r.ParseForm()
	form := inspectionForm{Kind: "self", Checklist: "seed000-self-inspection", Upload: r.FormValue("yaml"), Note: r.FormValue("note")}
	v, err := h.app.Inspections.UploadChecklist(r.Context(), ac, []byte(form.Upload), form.Note)
	var ve *checklist.ValidationError
	if errors.As(err, &ve) {
		form.Problems = ve.Problems
		h.renderInspections(w, r, http.StatusUnprocessableEntity, form, fenghuo.FieldErrorf("yaml", "%s", translate(requestLang(r, actorLocale(ac)), "insp.upload.problems")))
		return
	}
	next := ""
	if v != nil {
		next = "/inspections?uploaded=" + url.QueryEscape(v.ChecklistID+" v"+strconv.Itoa(v.Version)) + "#checklists"
	}
	h.finishAction(w, r, err, next, func(err error) {
		h.renderInspections(w, r, http.StatusBadRequest, form, err)
	})
}

func (h *Handler) createInspection(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	r.ParseForm()
	form := inspectionForm{Kind: r.FormValue("kind"), Title: r.FormValue("title"), Checklist: r.FormValue("checklist"),
		Due: r.FormValue("due_at"), Sector: strings.TrimSpace(r.FormValue("sector")), OrgType: r.FormValue("org_type"),
		Component: strings.TrimSpace(r.FormValue("component")), OrgIDs: formIDs(r, "org_ids"), Subtrees: formIDs(r, "subtrees")}
	in := inspection.CampaignInput{Kind: fenghuo.CampaignKind(form.Kind), Title: form.Title, ChecklistID: form.Checklist,
		DueAt: localTime(form.Due), Scope: fenghuo.Targeting{OrgIDs: form.OrgIDs, Subtrees: form.Subtrees, Sector: form.Sector,
			OrgType: form.OrgType, Component: form.Component}}
	c, _, err := h.app.Inspections.Issue(r.Context(), ac, in)
	h.finishAction(w, r, err, "/inspections/"+strconv.FormatInt(idOf(c), 10), func(err error) {
		h.renderInspections(w, r, http.StatusBadRequest, form, err)
	})
}

func idOf(c *fenghuo.Campaign) int64 {
	if c == nil {
		return 0
	}
	return c.ID
}

func (h *Handler) inspectionPage(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	b, err := h.app.Inspections.Campaign(r.Context(), ac, id)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	// A unit goes straight to its own answer form.
	if !b.IssuerView && len(b.Units) == 1 && b.Units[0].OrgID == ac.Org.ID {
		http.Redirect(w, r, "/inspections/"+strconv.FormatInt(id, 10)+"/units/"+strconv.FormatInt(ac.Org.ID, 10), http.StatusSeeOther)
		return
	}
	// Overdue units first, then those still answering, then the submitted.
	slices.SortStableFunc(b.Units, func(a, c inspection.Progress) int { return progressRank(a) - progressRank(c) })
	h.renderInspectionBoard(w, r, http.StatusOK, b, nil)
}

// renderInspectionBoard shows the board; the issuer's side also sees the
// (closing) summary and, while the campaign is open, the close form.
func (h *Handler) renderInspectionBoard(w http.ResponseWriter, r *http.Request, status int, b *inspection.Board, formErr error) {
	ac := actor(r)
	data := map[string]any{"Board": b}
	if b.IssuerView {
		sum, err := h.app.Inspections.Summary(r.Context(), ac, b.Campaign.ID)
		if err != nil {
			h.fail(w, r, ac, err)
			return
		}
		data["Summary"] = sum
	}
	v := &view{Actor: ac, Title: "insp.board", Nav: "inspections", Data: data}
	if formErr != nil {
		v.Errors, v.Error = fieldErrors(formErr)
	}
	h.render(w, r, status, "inspection", v)
}

// closeInspection closes a campaign ("reason", required before the end).
func (h *Handler) closeInspection(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	r.ParseForm()
	_, err := h.app.Inspections.Close(r.Context(), ac, id, r.PostForm.Get("reason"))
	h.finishAction(w, r, err, "/inspections/"+strconv.FormatInt(id, 10), func(err error) {
		b, berr := h.app.Inspections.Campaign(r.Context(), ac, id)
		if berr != nil {
			h.fail(w, r, ac, berr)
			return
		}
		h.renderInspectionBoard(w, r, http.StatusBadRequest, b, err)
	})
}

// exportInspection downloads the (closing) summary as XLSX.
func (h *Handler) exportInspection(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var buf bytes.Buffer
	if err := h.app.Inspections.WriteSummaryXLSX(r.Context(), ac, id, &buf, requestLang(r, actorLocale(ac))); err != nil {
		h.fail(w, r, ac, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="inspection-%d.xlsx"`, id))
	w.Write(buf.Bytes())
}

// returnInspectionUnit sends a unit's answers back (退回重填, "note").
func (h *Handler) returnInspectionUnit(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	org, _ := strconv.ParseInt(r.PathValue("org"), 10, 64)
	r.ParseForm()
	_, err := h.app.Inspections.Return(r.Context(), ac, id, org, r.PostForm.Get("note"))
	h.finishAction(w, r, err, fmt.Sprintf("/inspections/%d/units/%d", id, org), func(err error) {
		h.renderInspectionUnit(w, r, http.StatusBadRequest, nil, err)
	})
}

// downloadInspectionEvidence serves an answer's file as an attachment.
func (h *Handler) downloadInspectionEvidence(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	ev, f, err := h.app.Inspections.OpenEvidence(r.Context(), ac, id)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	defer f.Close()
	// An opaque attachment, never rendered in our origin.
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": ev.Filename}))
	io.Copy(w, f)
}

func progressRank(p inspection.Progress) int {
	switch {
	case p.Overdue:
		return 0
	case !p.Submitted():
		return 1
	}
	return 2
}

func (h *Handler) inspectionUnitPage(w http.ResponseWriter, r *http.Request) {
	h.renderInspectionUnit(w, r, http.StatusOK, nil, nil)
}

func (h *Handler) renderInspectionUnit(w http.ResponseWriter, r *http.Request, status int, posted map[string]inspection.AnswerInput, formErr error) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	org, _ := strconv.ParseInt(r.PathValue("org"), 10, 64)
	f, err := h.app.Inspections.Form(r.Context(), ac, id, org)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	// Keep what was typed when the post failed.
	for i := range f.Items {
		if p, ok := posted[f.Items[i].ID]; ok {
			f.Items[i].Answer = &fenghuo.InspectionAnswer{ItemID: p.ItemID, Answer: p.Answer, Reason: p.Reason, Evidence: p.Evidence, SystemID: p.SystemID}
		}
	}
	v := &view{Actor: ac, Title: "insp.form", Nav: "inspections", Data: map[string]any{"Form": f}}
	if r.URL.Query().Get("saved") == "1" {
		v.Flash = translate(requestLang(r, actorLocale(ac)), "insp.saved")
	}
	if formErr != nil {
		v.Errors, v.Error = fieldErrors(formErr)
	}
	h.render(w, r, status, "inspection_form", v)
}

// answerInspection saves the posted answers ("answer.<item>", "reason.<item>",
// "evidence.<item>", "system.<item>") with the files chosen ("file.<item>",
// multipart, together at most the evidence limit); "submit" sends them.
func (h *Handler) answerInspection(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	org, _ := strconv.ParseInt(r.PathValue("org"), 10, 64)
	r.Body = http.MaxBytesReader(w, r.Body, incident.MaxEvidenceBytes+1<<20)
	var uploads []inspection.Upload
	switch err := r.ParseMultipartForm(1 << 20); {
	case err == http.ErrNotMultipart:
		r.ParseForm()
	case err != nil:
		h.renderInspectionUnit(w, r, http.StatusBadRequest, nil, fenghuo.FieldErrorf("file",
			"The files are larger than %d MB together. / 文件合计超过%dMB。", incident.MaxEvidenceBytes>>20, incident.MaxEvidenceBytes>>20))
		return
	default:
		defer r.MultipartForm.RemoveAll()
		for key, hdrs := range r.MultipartForm.File {
			item, ok := strings.CutPrefix(key, "file.")
			if !ok || len(hdrs) == 0 || hdrs[0].Filename == "" {
				continue
			}
			f, err := hdrs[0].Open()
			if err != nil {
				continue
			}
			defer f.Close()
			uploads = append(uploads, inspection.Upload{ItemID: item, Filename: hdrs[0].Filename, Body: f, Note: r.PostForm.Get("filenote." + item)})
		}
		slices.SortFunc(uploads, func(a, b inspection.Upload) int { return strings.Compare(a.ItemID, b.ItemID) })
	}
	posted := map[string]inspection.AnswerInput{}
	var answers []inspection.AnswerInput
	for key := range r.PostForm {
		item, ok := strings.CutPrefix(key, "answer.")
		if !ok || r.PostForm.Get(key) == "" {
			continue
		}
		a := inspection.AnswerInput{ItemID: item, Answer: r.PostForm.Get(key), Reason: r.PostForm.Get("reason." + item),
			Evidence: r.PostForm.Get("evidence." + item), SystemID: formInt(r, "system."+item)}
		posted[item] = a
		answers = append(answers, a)
	}
	slices.SortFunc(answers, func(a, b inspection.AnswerInput) int { return strings.Compare(a.ItemID, b.ItemID) })
	submit := r.PostForm.Get("submit") == "1"
	_, err := h.app.Inspections.AnswerWithFiles(r.Context(), ac, id, org, answers, uploads, submit)
	next := "/inspections/" + strconv.FormatInt(id, 10) + "/units/" + strconv.FormatInt(org, 10)
	if !submit {
		next += "?saved=1"
	}
	h.finishAction(w, r, err, next, func(err error) {
		h.renderInspectionUnit(w, r, http.StatusBadRequest, posted, err)
	})
}

// checklistPage shows a checklist's items (?version= of an uploaded one):
// what to check, how to verify it, the evidence and the clause.
func (h *Handler) checklistPage(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	version, _ := strconv.Atoi(r.URL.Query().Get("version"))
	c, cv, err := h.app.Inspections.Checklist(r.Context(), ac, r.PathValue("id"), version)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	var versions []fenghuo.ChecklistVersion
	if cv != nil {
		if versions, err = h.app.Inspections.ChecklistVersions(r.Context(), ac, c.ID); err != nil {
			h.fail(w, r, ac, err)
			return
		}
	}
	v := &view{Actor: ac, Title: "insp.checklist", Nav: "inspections", Data: map[string]any{"Checklist": c, "Version": cv, "Versions": versions}}
	h.render(w, r, http.StatusOK, "checklist", v)
}

// Labels of the inspection vocabularies.
func (v *view) CampaignKindLabel(k fenghuo.CampaignKind) string {
	return v.vocab("insp.kind", string(k))
}
func (v *view) AnswerLabel(a string) string            { return v.vocab("insp.answer", a) }
func (v *view) ChecklistCategoryLabel(c string) string { return v.Words(checklist.CategoryWords(c), c) }

// inspectionMessages are the console's words for inspections.
var inspectionMessages = map[string][2]string{
	"nav.inspections":                {"检查与自查", "Inspections"},
	"obligation.kind.inspection":     {"网络安全检查", "inspection"},
	"insp.title":                     {"网络安全检查与自查", "Inspections and self-inspections"},
	"insp.board":                     {"检查进度", "Inspection progress"},
	"insp.form":                      {"逐项填报", "Answer the checklist"},
	"insp.kind.self":                 {"自查", "Self-inspection"},
	"insp.kind.office":               {"检查", "Inspection by the office"},
	"insp.answer.compliant":          {"符合", "Compliant"},
	"insp.answer.non_compliant":      {"不符合", "Non-compliant"},
	"insp.answer.not_applicable":     {"不适用", "Not applicable"},
	"insp.col.title":                 {"名称", "Title"},
	"insp.col.kind":                  {"方式", "Kind"},
	"insp.col.issuer":                {"发起单位", "Issued by"},
	"insp.col.checklist":             {"检查表", "Checklist"},
	"insp.col.due":                   {"截止时间", "Due"},
	"insp.col.unit":                  {"单位", "Unit"},
	"insp.col.answered":              {"已填报", "Answered"},
	"insp.col.findings":              {"发现隐患", "Findings"},
	"insp.col.state":                 {"状态", "State"},
	"insp.new":                       {"发起检查", "Start an inspection"},
	"insp.new.submit":                {"发起", "Issue"},
	"insp.field.kind":                {"方式", "Kind"},
	"insp.field.title":               {"名称", "Title"},
	"insp.field.checklist":           {"检查表", "Checklist"},
	"insp.field.due":                 {"截止时间（北京时间）", "Due (Beijing time)"},
	"insp.scope":                     {"范围（不选则为本辖区全部运营单位）", "Scope (none chosen: every operator in your area)"},
	"insp.scope.component":           {"运行某组件的单位", "Units running a component"},
	"insp.scope.sector":              {"行业", "Sector"},
	"insp.scope.type":                {"单位类型", "Unit type"},
	"insp.scope.subtrees":            {"下级辖区", "Areas below"},
	"insp.scope.orgs":                {"指定单位", "Named units"},
	"insp.items":                     {"项", "items"},
	"insp.checklists":                {"可用检查表", "Checklists"},
	"insp.builtin":                   {"内置", "built in"},
	"insp.uploaded":                  {"上传", "uploaded"},
	"insp.submitted":                 {"已提交", "Submitted"},
	"insp.answering":                 {"填报中", "Answering"},
	"insp.overdue":                   {"逾期未提交", "Overdue"},
	"insp.late":                      {"逾期提交", "Submitted late"},
	"insp.escalated":                 {"已告知发起单位", "issuer told"},
	"insp.summary.units":             {"单位", "units"},
	"insp.summary.submitted":         {"已提交", "submitted"},
	"insp.summary.overdue":           {"逾期", "overdue"},
	"insp.summary.findings":          {"隐患", "findings"},
	"insp.open_form":                 {"查看填报", "Open answers"},
	"insp.answer_now":                {"去填报", "Answer"},
	"insp.verify":                    {"怎样核查", "How to verify"},
	"insp.evidence.required":         {"需要的证据", "Evidence required"},
	"insp.clause":                    {"依据", "Source"},
	"insp.reason":                    {"不适用理由", "Why it does not apply"},
	"insp.evidence":                  {"核查情况和证据存放位置", "What was checked and where the record is kept"},
	"insp.system":                    {"涉及系统", "System concerned"},
	"insp.system.none":               {"整个单位", "The whole unit"},
	"insp.save":                      {"保存", "Save"},
	"insp.submit":                    {"提交检查结果", "Submit the answers"},
	"insp.submit.hint":               {"提交后不能修改；每个“不符合”项将记为一条隐患。", "Answers cannot change once submitted; each non-compliant item becomes a finding."},
	"insp.saved":                     {"已保存。全部填报后请提交。", "Saved. Submit when every item is answered."},
	"insp.progress":                  {"已填报", "Answered"},
	"insp.finding":                   {"隐患", "Finding"},
	"insp.readonly":                  {"只读", "Read only"},
	"insp.window":                    {"检查期限", "Window"},
	"insp.issued_by":                 {"发起单位", "Issued by"},
	"insp.left":                      {"剩余时间", "Time left"},
	"insp.none":                      {"暂无检查。", "No inspections yet."},
	"insp.units.none":                {"没有可显示的单位。", "No units to show."},
	"insp.checklist.version":         {"版本", "version"},
	"insp.reason.hint":               {"选择“不适用”时必填", "Required for not applicable"},
	"insp.back":                      {"返回检查进度", "Back to the progress"},
	"insp.field.kind.self.hint":      {"各单位自行填报", "each unit answers for itself"},
	"insp.field.kind.office.hint":    {"由本单位检查人员代为填报", "your inspectors answer for each unit"},
	"insp.scope.type.default":        {"运营单位（默认）", "Operators (default)"},
	"insp.findings.link":             {"查看隐患", "View the finding"},
	"insp.notify":                    {"发起后各单位将收到通知，截止前一天提醒，逾期告知本单位。", "Units are told when it is issued, reminded a day before the end, and you are told of any unit overdue."},
	"insp.answered.of":               {"已填报 %d / %d 项", "%d of %d items answered"},
	"insp.state.answering.countdown": {"距截止", "until due"},
	"insp.checklist":                 {"检查表", "Checklist"},
	"insp.checklist.source":          {"来源", "Source"},
	"insp.checklist.versions":        {"历次版本", "Versions"},
	"insp.upload":                    {"上传本单位检查表", "Upload your own checklist"},
	"insp.upload.hint":               {"粘贴检查表YAML（格式见 docs/checklists.md）；同一编号再次上传即为新版本。", "Paste the checklist YAML (format in docs/checklists.md); uploading the same id again makes the next version."},
	"insp.upload.yaml":               {"检查表内容（YAML）", "Checklist (YAML)"},
	"insp.upload.note":               {"版本说明", "Note on this version"},
	"insp.upload.submit":             {"上传", "Upload"},
	"insp.upload.done":               {"已上传：", "Uploaded: "},
	"insp.upload.problems":           {"未保存，请修改所列行后重新上传。", "Nothing was stored: mend the lines listed and upload again."},
	"insp.upload.line":               {"第%d行", "line %d"},
	// Evidence files, close, 退回重填 (inspect2).
	"insp.file":                 {"证明材料文件", "Evidence file"},
	"insp.file.required":        {"需上传文件，方可填报“符合”", "a file is needed to answer compliant"},
	"insp.file.hint":            {"截图、配置导出或扫描报告；图片、PDF、文本、ZIP、DOCX、XLSX，合计不超过20MB", "screenshot, configuration export or scan report; images, PDF, text, ZIP, DOCX, XLSX, 20 MB together"},
	"insp.file.note":            {"文件说明", "About the file"},
	"insp.files":                {"已上传", "Uploaded"},
	"insp.closed":               {"已结束", "Closed"},
	"insp.closed.at":            {"结束时间", "Closed"},
	"insp.closed.reason":        {"结束理由", "Reason for closing"},
	"insp.close":                {"结束检查", "Close the campaign"},
	"insp.close.reason":         {"结束理由（截止前结束时必填）", "Reason (required before the due time)"},
	"insp.close.hint":           {"结束后不再接受填报，未提交的单位记为“未完成”。", "No answers are taken after the close; units that have not submitted are marked unfinished."},
	"insp.unfinished":           {"未完成", "Unfinished"},
	"insp.summary":              {"检查总结", "Summary"},
	"insp.summary.ontime":       {"按时提交", "on time"},
	"insp.summary.late":         {"逾期提交", "late"},
	"insp.summary.unfinished":   {"未完成", "unfinished"},
	"insp.summary.overdueunits": {"逾期单位", "overdue units"},
	"insp.summary.severity":     {"发现隐患（按等级）", "Findings by severity"},
	"insp.export":               {"导出Excel", "Export XLSX"},
	"insp.return":               {"退回重填", "Send back to fill in again"},
	"insp.return.note":          {"退回说明", "What to fill in again"},
	"insp.return.hint":          {"退回后该单位可修改并重新提交，已记录的隐患保留。", "The unit may change its answers and submit again; findings already raised stay."},
	"insp.returned":             {"已退回重填", "Sent back"},
}
