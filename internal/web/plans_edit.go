package web

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"fenghuo/internal/app/planadmin"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
)

// Plans edited in the console (issue 11 item 7): an editor with line
// numbers (upload a file or edit the text), a review step that shows the
// problems beside their lines or the changes against the version in force,
// a confirmation that stores the next version, the version history, one
// version's text and the changes between two versions.

func init() {
	pages = append(pages, "plan_edit", "plan_review", "plan_versions", "plan_version", "plan_diff")
}

// maxPlanUpload bounds a plan upload (plan.Parse accepts 4 MB).
const maxPlanUpload = 4 << 20

// editorLine is one line of the editor's gutter.
type editorLine struct {
	N       int
	Problem string // the problems found on this line, if any
}

type planEditData struct {
	PlanID   string // "" for a new plan
	Plan     *plan.Plan
	Text     string
	Note     string
	Lines    []editorLine
	Problems []plan.Problem
	Base     int
	Same     bool
}

type planReviewData struct {
	planEditData
	Review *planadmin.Review
	Next   int // the version number confirming stores
}

func editorLines(text string, problems []plan.Problem) []editorLine {
	n := strings.Count(text, "\n") + 1
	if n < 20 {
		n = 20
	}
	byLine := map[int][]string{}
	for _, p := range problems {
		if p.Line > 0 {
			byLine[p.Line] = append(byLine[p.Line], problemText(p))
		}
	}
	out := make([]editorLine, n)
	for i := range out {
		out[i] = editorLine{N: i + 1, Problem: strings.Join(byLine[i+1], "；")}
	}
	return out
}

func problemText(p plan.Problem) string {
	if p.Key != "" {
		return p.Key + ": " + p.Message
	}
	return p.Message
}

func (h *Handler) planEditView(r *http.Request, d *planEditData, msg string) *view {
	ac := actor(r)
	d.Lines = editorLines(d.Text, d.Problems)
	return &view{Actor: ac, Title: "planedit.title", Nav: "plans", Data: d, Error: msg}
}

// planEditor shows the editor over the text in force (GET /plans/{id}/edit)
// or empty (GET /plans/new).
func (h *Handler) planEditor(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	if !ac.Can(fenghuo.PermPlanWrite) {
		h.fail(w, r, ac, errForbidden)
		return
	}
	d := &planEditData{PlanID: r.PathValue("id"), Base: -1}
	if d.PlanID != "" {
		p, err := h.app.Core.Plans().Get(d.PlanID)
		if err != nil {
			h.fail(w, r, ac, err)
			return
		}
		d.Plan, d.Text, d.Base = p, string(p.Raw()), p.Revision
	}
	h.render(w, r, http.StatusOK, "plan_edit", h.planEditView(r, d, ""))
}

// readPlanForm reads the editor's form: an uploaded file, when one was
// chosen, replaces the text.
func readPlanForm(w http.ResponseWriter, r *http.Request) (planID, text, note string, base int, err error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxPlanUpload+1<<20)
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		err = r.ParseMultipartForm(maxPlanUpload + 1<<20)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		return "", "", "", 0, fenghuo.FieldErrorf("file", "The plan document is larger than 4 MB. / 预案文件不能超过4MB。")
	}
	planID, text, note = r.PostFormValue("plan"), r.PostFormValue("yaml"), strings.TrimSpace(r.PostFormValue("note"))
	base, convErr := strconv.Atoi(r.PostFormValue("base"))
	if convErr != nil {
		base = -2 // no review: never matches
	}
	if f, hdr, ferr := r.FormFile("file"); ferr == nil {
		defer f.Close()
		if hdr.Size > 0 {
			data, rerr := io.ReadAll(io.LimitReader(f, maxPlanUpload+1))
			if rerr != nil || len(data) > maxPlanUpload {
				return planID, text, note, base, fenghuo.FieldErrorf("file", "The plan document is larger than 4 MB. / 预案文件不能超过4MB。")
			}
			text = string(data)
		}
	}
	// Browsers send textarea lines with CRLF; the stored text keeps LF.
	text = strings.ReplaceAll(text, "\r\n", "\n")
	return planID, text, note, base, nil
}

// planReview checks the document (POST /plans/review): problems go back to
// the editor beside their lines with the text as typed; a valid document
// shows its changes against the version in force, to be confirmed.
func (h *Handler) planReview(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	if !ac.Can(fenghuo.PermPlanWrite) {
		h.fail(w, r, ac, errForbidden)
		return
	}
	lang := requestLang(r, ac.User.Locale)
	planID, text, note, _, err := readPlanForm(w, r)
	d := &planEditData{PlanID: planID, Text: text, Note: note, Base: -1}
	if planID != "" {
		if p, gerr := h.app.Core.Plans().Get(planID); gerr == nil {
			d.Plan, d.Base = p, p.Revision
		}
	}
	if err != nil {
		h.render(w, r, http.StatusBadRequest, "plan_edit", h.planEditView(r, d, fenghuo.ErrorMessage(err)))
		return
	}
	if r.PostFormValue("back") != "" {
		// "Back to the editor" from the review: the text as it was.
		h.render(w, r, http.StatusOK, "plan_edit", h.planEditView(r, d, ""))
		return
	}
	if strings.TrimSpace(text) == "" {
		d.Problems = []plan.Problem{{Line: 1, Message: translate(lang, "planedit.empty")}}
		h.render(w, r, http.StatusUnprocessableEntity, "plan_edit", h.planEditView(r, d, translate(lang, "planedit.empty")))
		return
	}
	rv, err := h.app.PlanAdmin.ReviewDocument(r.Context(), ac, planID, []byte(text))
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	if !rv.OK() {
		d.Problems = rv.Problems
		h.render(w, r, http.StatusUnprocessableEntity, "plan_edit", h.planEditView(r, d, translate(lang, "planedit.problems")))
		return
	}
	if rv.Same {
		d.Same = true
		h.render(w, r, http.StatusUnprocessableEntity, "plan_edit", h.planEditView(r, d, translate(lang, "planedit.same")))
		return
	}
	h.renderPlanReview(w, r, http.StatusOK, d, rv, "")
}

func (h *Handler) renderPlanReview(w http.ResponseWriter, r *http.Request, status int, d *planEditData, rv *planadmin.Review, msg string) {
	d.PlanID, d.Base, d.Plan = rv.PlanID, rv.Base, rv.Current
	next := 1
	if rv.Base > 0 {
		next = rv.Base + 1
	} else if rv.Base == 0 {
		next = 2 // the built-in text is stored as version 1 first
	}
	h.render(w, r, status, "plan_review", &view{Actor: actor(r), Title: "planedit.review", Nav: "plans", Error: msg,
		Data: &planReviewData{planEditData: *d, Review: rv, Next: next}})
}

// planConfirm stores the reviewed document as the next version (POST
// /plans/confirm). When another version took effect since the review, the
// changes are shown again against it.
func (h *Handler) planConfirm(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	if !ac.Can(fenghuo.PermPlanWrite) {
		h.fail(w, r, ac, errForbidden)
		return
	}
	lang := requestLang(r, ac.User.Locale)
	planID, text, note, base, err := readPlanForm(w, r)
	d := &planEditData{PlanID: planID, Text: text, Note: note, Base: base}
	if err != nil {
		h.render(w, r, http.StatusBadRequest, "plan_edit", h.planEditView(r, d, fenghuo.ErrorMessage(err)))
		return
	}
	v, err := h.app.PlanAdmin.Write(r.Context(), ac, planID, []byte(text), note, base)
	if problems, ok := planadmin.IsProblems(err); ok {
		d.Problems = problems
		h.render(w, r, http.StatusUnprocessableEntity, "plan_edit", h.planEditView(r, d, translate(lang, "planedit.problems")))
		return
	}
	if errors.Is(err, planadmin.ErrStale) {
		rv, rerr := h.app.PlanAdmin.ReviewDocument(r.Context(), ac, planID, []byte(text))
		if rerr != nil {
			h.fail(w, r, ac, rerr)
			return
		}
		if !rv.OK() || rv.Same {
			d.Problems = rv.Problems
			h.render(w, r, http.StatusConflict, "plan_edit", h.planEditView(r, d, fenghuo.ErrorMessage(err)))
			return
		}
		h.renderPlanReview(w, r, http.StatusConflict, d, rv, fenghuo.ErrorMessage(err))
		return
	}
	if fenghuo.ErrorCode(err) == fenghuo.EINVALID {
		h.render(w, r, http.StatusBadRequest, "plan_edit", h.planEditView(r, d, fenghuo.ErrorMessage(err)))
		return
	}
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	http.Redirect(w, r, "/plans/"+url.PathEscape(v.PlanID)+"/versions?saved="+strconv.Itoa(v.Version), http.StatusSeeOther)
}

type planVersionsData struct {
	Plan     *plan.Plan
	Builtin  bool
	Versions []fenghuo.PlanVersion
	Names    map[int64]string
	CanWrite bool
}

// planVersions lists a plan's versions: who, when, digest, note.
func (h *Handler) planVersions(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id := r.PathValue("id")
	p, err := h.app.Core.Plans().Get(id)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	vs, err := h.app.PlanAdmin.Versions(r.Context(), ac, id)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	names, err := h.app.PlanAdmin.UploaderNames(r.Context(), ac, vs)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	_, hasFallback := h.app.Core.Plans().Fallback(id)
	v := &view{Actor: ac, Title: "planver.title", Nav: "plans",
		Data: &planVersionsData{Plan: p, Builtin: hasFallback, Versions: vs, Names: names, CanWrite: ac.Can(fenghuo.PermPlanWrite)}}
	if n, err := strconv.Atoi(r.URL.Query().Get("saved")); err == nil && n > 0 {
		v.Flash = strings.Replace(translate(requestLang(r, ac.User.Locale), "planver.saved"), "%d", strconv.Itoa(n), 1)
	}
	h.render(w, r, http.StatusOK, "plan_versions", v)
}

// planVersionPage shows one stored version's text with line numbers.
func (h *Handler) planVersionPage(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id := r.PathValue("id")
	n, err := strconv.Atoi(r.PathValue("version"))
	if err != nil || n < 1 {
		h.fail(w, r, ac, fenghuo.Errorf(fenghuo.ENOTFOUND, "No such version. / 未找到该版本。"))
		return
	}
	pv, p, err := h.app.PlanAdmin.Version(r.Context(), ac, id, n)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	names, err := h.app.PlanAdmin.UploaderNames(r.Context(), ac, []fenghuo.PlanVersion{*pv})
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	h.render(w, r, http.StatusOK, "plan_version", &view{Actor: ac, Title: "planver.title", Nav: "plans",
		Data: map[string]any{"V": pv, "Plan": p, "Names": names, "Lines": strings.Split(strings.TrimSuffix(pv.YAML, "\n"), "\n")}})
}

// planDiffPage shows the changes between two versions (?from=&to=; 0 is
// the built-in text).
func (h *Handler) planDiffPage(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id := r.PathValue("id")
	p, err := h.app.Core.Plans().Get(id)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	from, err1 := strconv.Atoi(r.URL.Query().Get("from"))
	to, err2 := strconv.Atoi(r.URL.Query().Get("to"))
	if err1 != nil || err2 != nil || from < 0 || to < 0 {
		h.fail(w, r, ac, fenghuo.FieldErrorf("from", "Choose two versions to compare. / 请选择要比较的两个版本。"))
		return
	}
	changes, err := h.app.PlanAdmin.Compare(r.Context(), ac, id, from, to)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	h.render(w, r, http.StatusOK, "plan_diff", &view{Actor: ac, Title: "planver.diff", Nav: "plans",
		Data: map[string]any{"Plan": p, "From": from, "To": to, "Changes": changes}})
}

// ChangeKindLabel names a change's kind in words.
func (v *view) ChangeKindLabel(c plan.Change) string { return v.T("planedit.kind." + c.Kind()) }

// VersionLabel names a version of a plan: "第2版", or the built-in text.
func (v *view) VersionLabel(n int) string {
	switch {
	case n == 0:
		return v.T("planver.builtin")
	case n < 0:
		return v.T("planver.new")
	}
	return strings.Replace(v.T("planver.n"), "%d", strconv.Itoa(n), 1)
}

// VersionStateLabel names a stored version's state.
func (v *view) VersionStateLabel(s string) string { return v.T("planver.state." + s) }

// ShortDigest is the first 16 hex digits of a digest, for tables.
func ShortDigest(s string) string {
	if len(s) > 16 {
		return s[:16]
	}
	return s
}

// Short is ShortDigest for templates.
func (v *view) Short(s string) string { return ShortDigest(s) }

// LineLabel names a line of a document: "第12行".
func (v *view) LineLabel(n int) string {
	return strings.Replace(v.T("planedit.line"), "%d", strconv.Itoa(n), 1)
}

func init() {
	for k, m := range planEditMessages {
		messages[k] = m
	}
}

// planEditMessages are the words of the plan editor and version pages.
var planEditMessages = map[string][2]string{
	"planedit.title":           {"修改预案", "Edit plan"},
	"planedit.new":             {"上传新预案", "Upload a new plan"},
	"planedit.edit":            {"修改预案", "Edit the plan"},
	"planedit.upload":          {"上传新预案", "Upload a new plan"},
	"planedit.hint":            {"可上传YAML文件，或直接修改下方文本（格式见 docs/plans.md）。先检查并核对变更，确认后才生效。", "Upload a YAML file or edit the text below (format: docs/plans.md). It is checked and its changes shown before anything takes effect."},
	"planedit.in_force":        {"现行版本", "In force"},
	"planedit.file":            {"上传文件（可选，将替换下方文本）", "Upload a file (optional; replaces the text below)"},
	"planedit.text":            {"预案文本（YAML）", "Plan text (YAML)"},
	"planedit.note":            {"修订说明", "Note"},
	"planedit.note_hint":       {"例如：依据2026年修订稿调整较大事件条款", "e.g. grade III clauses per the 2026 revision"},
	"planedit.review_button":   {"检查并核对变更", "Check and review the changes"},
	"planedit.problems":        {"预案有错误，未保存。请按行号修改后重新检查。", "The plan has errors and was not stored. Mend the lines named and check again."},
	"planedit.problems_title":  {"错误（按行）", "Problems by line"},
	"planedit.empty":           {"预案文本为空：请上传文件或填写文本。", "The plan text is empty: upload a file or type the text."},
	"planedit.same":            {"与现行版本完全相同，无需保存。", "The text is the version in force, unchanged: nothing to store."},
	"planedit.line":            {"第%d行", "Line %d"},
	"planedit.review":          {"核对变更", "Review the changes"},
	"planedit.plan_id":         {"预案编号", "Plan id"},
	"planedit.after":           {"确认后保存为", "Confirming stores"},
	"planedit.declared":        {"文本中的版本号", "declared version"},
	"planedit.builtin_first":   {"这是该预案第一次在系统中修改：内置文本将先保存为第1版，以便追溯按它定级的事件。", "This is the plan's first edit in the product: its built-in text is stored first as version 1, so that incidents graded under it can be traced."},
	"planedit.effect":          {"确认后立即生效：新事件和重新定级按新版本；已定级的事件保留定级时的版本和条款，只有有人重新定级时才按新版本。其他服务器实例在几秒内读取到新版本。", "Takes effect on confirmation: new incidents and regrades use the new version; incidents already graded keep the version and clauses they were graded with until someone regrades them. Other server replicas pick it up within seconds."},
	"planedit.changes":         {"变更", "Changes"},
	"planedit.kind":            {"类型", "Kind"},
	"planedit.setting":         {"设置项", "Setting"},
	"planedit.old":             {"现行", "In force"},
	"planedit.new_value":       {"修改后", "New"},
	"planedit.kind.added":      {"新增", "added"},
	"planedit.kind.removed":    {"删除", "removed"},
	"planedit.kind.changed":    {"修改", "changed"},
	"planedit.new_plan":        {"这是一个新预案，没有可比较的现行版本。", "This is a new plan: there is no version in force to compare with."},
	"planedit.text_only":       {"各项设置均未变化，只改动了注释、格式或说明文字。", "No setting changed: only comments, layout or prose."},
	"planedit.confirm":         {"确认生效", "Confirm and put in force"},
	"planedit.back":            {"返回修改", "Back to the editor"},
	"planver.title":            {"版本历史", "Version history"},
	"planver.summary":          {"预案内容", "Plan summary"},
	"planver.builtin":          {"内置版本", "built-in text"},
	"planver.new":              {"新预案", "new plan"},
	"planver.n":                {"第%d版", "version %d"},
	"planver.state":            {"状态", "State"},
	"planver.state.active":     {"现行", "in force"},
	"planver.state.superseded": {"已被取代", "superseded"},
	"planver.by":               {"上传人", "Uploaded by"},
	"planver.at":               {"时间", "When"},
	"planver.system":           {"系统（内置文本）", "the system (built-in text)"},
	"planver.view":             {"查看", "View"},
	"planver.from":             {"从", "From"},
	"planver.to":               {"到", "to"},
	"planver.compare":          {"比较", "Compare"},
	"planver.diff":             {"版本比较", "Compare versions"},
	"planver.same":             {"两个版本的各项设置相同。", "The two versions have the same settings."},
	"planver.saved":            {"已保存为第%d版并生效。", "Stored as version %d and in force."},
	"planver.none_builtin":     {"该预案尚未在系统中修改过，现行为内置版本。", "The plan was never edited in the product: its built-in text is in force."},
	"planver.invalid":          {"该版本已无法通过当前校验，系统按内置文本执行。", "This version no longer validates; the built-in text applies."},
	"planver.sync":             {"多台服务器时，其他实例在几秒内（每次读取预案前最多每3秒核对一次版本表）读取到新版本。", "With several replicas, the others pick up a new version within seconds (before reading plans they check the version table at most every 3 s)."},
	"planver.graded":           {"定级所依据的版本", "Graded under"},
	"planver.regrade_note":     {"现行为%s：本事件保留定级时的版本和条款，只有重新定级（修改事件要素）时才按现行版本。", "%s is in force now: this incident keeps the version and clauses it was graded with; only a regrade (changing its facts) uses the version in force."},
}

// RegradeNote says, on an incident graded under an older version of a
// plan, which version is in force and that only a regrade uses it.
func (v *view) RegradeNote(inForce int) string {
	return strings.Replace(v.T("planver.regrade_note"), "%s", v.VersionLabel(inForce), 1)
}

// changeWords name the parts of a change key (plan.Diff) in words: the
// setting a person edits, with the raw key kept beside it in small type.
var changeWords = map[string][2]string{
	"version": {"版本号", "declared version"}, "name": {"名称", "name"}, "taxonomy": {"事件分类", "taxonomy"},
	"grades": {"事件分级", "grades"}, "grading": {"定级", "grading"}, "default": {"无条款命中时的级别", "grade when no clause matches"},
	"clause": {"定级条款", "grading clause"}, "text": {"条文", "text"}, "when": {"条件", "condition"}, "grade": {"级别", "grade"},
	"warnings": {"预警", "warnings"}, "issuer": {"发布权限", "issuer"}, "multi_region": {"跨地区预警", "multi-region warnings"},
	"response": {"预警响应", "warning response"}, "reporting": {"报告路线", "reporting route"}, "from": {"起点", "from"},
	"to": {"接收方", "to"}, "within_minutes": {"时限（分钟）", "time limit (minutes)"}, "urgency": {"时限要求", "urgency"},
	"counted_from": {"起算", "counted from"}, "after": {"前一环节", "after"}, "categories": {"事件类别", "categories"},
	"deadline": {"后期处置时限", "deadline"}, "within": {"时限", "within"}, "owner": {"责任方", "owner"},
	"playbook": {"处置手册", "playbook"}, "step": {"步骤", "step"}, "title": {"标题", "title"}, "trigger": {"触发", "trigger"},
	"levels": {"响应级别", "levels"}, "order": {"顺序", "order"}, "due": {"时限", "due"}, "mandatory": {"必须", "mandatory"},
	"evidence": {"留存", "evidence"}, "escalate_to": {"逾期上报", "escalate to"},
	"response_level": {"响应级别", "response level"}, "requested_by": {"申请方", "requested by"}, "activated_by": {"启动方", "activated by"},
	"approval": {"批准", "approval"}, "ended_by": {"结束方", "ended by"}, "end_requested_by": {"结束申请方", "end requested by"},
	"end_approval": {"结束批准", "end approval"}, "switches": {"响应措施", "switches"}, "notify": {"通知", "notify"},
	"command": {"指挥机构", "command"}, "body": {"名称", "body"}, "commander": {"指挥长", "commander"}, "office": {"办公室", "office"},
	"liaison": {"联络员", "liaison"}, "on_site": {"现场工作组", "on-site team"}, "members": {"成员", "members"},
	"duty": {"值班", "duty"}, "standby": {"待命", "standby"}, "situation_interval": {"态势报告间隔", "situation report interval"},
	"situation_reports": {"态势报告", "situation reports"}, "end_notice": {"结束通知", "end notice"},
	"report_form": {"报告单", "report form"}, "field": {"字段", "field"},
}

// ChangeLabel names the setting of a change in words, e.g.
// "定级条款「分级指南 较大(8)」· 条文".
func (v *view) ChangeLabel(c plan.Change) string {
	lang := 0
	if v.Lang == langEN {
		lang = 1
	}
	var out []string
	for _, part := range strings.Split(c.Key, ".") {
		name, id, hasID := strings.Cut(part, "[")
		id = strings.TrimSuffix(id, "]")
		if w, ok := changeWords[name]; ok {
			name = w[lang]
		} else if lang == 0 {
			name = v.T("planedit.setting")
		}
		if hasID {
			name += "「" + id + "」"
		}
		out = append(out, name)
	}
	return strings.Join(out, " · ")
}
