package api

import (
	"encoding/json"
	"fenghuo/internal/phrase"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"fenghuo/internal/app/planadmin"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
)

// The app has no use case for plans (they are documents, not rows), so
// these handlers check plan.read themselves with the actor's own rule.
var errNoPlanRead = fenghuo.Errorf(fenghuo.EFORBIDDEN, "You do not have the right to read plans. / 您无权查看预案。")

type planSummaryJSON struct {
	ID       string `json:"id"`
	Version  string `json:"version"`
	Name     string `json:"name"`
	NameEN   string `json:"name_en"`
	Taxonomy string `json:"taxonomy"`
	Builtin  bool   `json:"builtin"`
	// Revision is the stored version in force (0: the built-in text).
	Revision int `json:"revision"`
}

func (h *Handler) listPlans(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	if !actor(r).Can(fenghuo.PermPlanRead) {
		h.error(w, r, errNoPlanRead)
		return
	}
	reg := h.app.Core.Plans()
	writeJSON(w, http.StatusOK, pageSlice(reg.Plans(), p, func(pl *plan.Plan) planSummaryJSON {
		j := planSummaryJSON{pl.ID, pl.FullVersion(), pl.Name.ZH, pl.Name.EN, "", reg.IsBuiltin(pl.ID), pl.Revision}
		if t := pl.ResolvedTaxonomy(); t != nil {
			j.Taxonomy = t.ID
		}
		return j
	}))
}

func (h *Handler) getPlan(w http.ResponseWriter, r *http.Request) {
	if !actor(r).Can(fenghuo.PermPlanRead) {
		h.error(w, r, errNoPlanRead)
		return
	}
	p, err := h.app.Core.Plans().Get(r.PathValue("id"))
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

type gradeRequest struct {
	Plan     string          `json:"plan"`
	Facts    json.RawMessage `json:"facts"`
	Category string          `json:"category"`
}

// grade grades facts under a plan and records nothing: a duty officer's
// quick check before filing an incident.
func (h *Handler) grade(w http.ResponseWriter, r *http.Request) {
	if !actor(r).Can(fenghuo.PermPlanRead) {
		h.error(w, r, errNoPlanRead)
		return
	}
	var in gradeRequest
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	if in.Plan == "" {
		h.error(w, r, fenghuo.FieldErrorf("plan", "Name the plan to grade under, e.g. \"cac-2025\" (GET /api/v1/plans lists them). / 请指定预案。"))
		return
	}
	p, err := h.app.Core.Plans().Get(in.Plan)
	if err != nil {
		h.error(w, r, fenghuo.FieldErrorf("plan", "%s", fenghuo.ErrorMessage(err)))
		return
	}
	if len(in.Facts) == 0 || string(in.Facts) == "null" {
		in.Facts = json.RawMessage("{}")
	}
	facts, err := plan.ParseFacts(in.Facts)
	if err != nil {
		h.error(w, r, factsField(err))
		return
	}
	res, err := p.Grade(facts, in.Category)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// factsField places a fact error under "facts" ("facts.affected_users"), so
// the client knows which part of the request to fix.
func factsField(err error) error {
	fe, ok := err.(*fenghuo.Error)
	if !ok || fe.Code != fenghuo.EINVALID {
		return err
	}
	field := "facts"
	if fe.Field != "" {
		field += "." + fe.Field
	}
	return &fenghuo.Error{Code: fe.Code, Message: fe.Message, Field: field}
}

// Plans edited through the API (issue 11 item 7): review a YAML document,
// store it as a new version, list and read versions, compare two.

// maxPlanBody bounds an uploaded plan document (plan.Parse accepts 4 MB).
const maxPlanBody = 4 << 20

// readPlanBody reads a YAML request body.
func readPlanBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain":
	default:
		return nil, fenghuo.Errorf(fenghuo.EINVALID, "Send the plan document as YAML with \"Content-Type: application/yaml\". / 请以YAML格式提交预案（Content-Type: application/yaml）。")
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxPlanBody))
	if err != nil {
		return nil, fenghuo.Errorf(fenghuo.EINVALID, "The plan document is larger than %d MB. / 预案文件过大。", maxPlanBody>>20)
	}
	return data, nil
}

type planProblemJSON struct {
	Line    int    `json:"line"`
	Key     string `json:"key,omitempty"`
	Message string `json:"message"`
}

func planProblems(ps []plan.Problem, lang string) []planProblemJSON {
	out := make([]planProblemJSON, len(ps))
	for i, p := range ps {
		out[i] = planProblemJSON{p.Line, p.Key, phrase.InLang(p.Message, lang)}
	}
	return out
}

type planReviewJSON struct {
	PlanID       string            `json:"plan_id"`
	OK           bool              `json:"ok"`
	Problems     []planProblemJSON `json:"problems"`
	Changes      []plan.Change     `json:"changes"`
	BaseRevision int               `json:"base_revision"`
	Unchanged    bool              `json:"unchanged"`
	Version      string            `json:"version,omitempty"`
}

// reviewPlan checks a document and answers its problems or its changes
// against the version in force; nothing is stored.
func (h *Handler) reviewPlan(w http.ResponseWriter, r *http.Request) {
	data, err := readPlanBody(w, r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	rv, err := h.app.PlanAdmin.ReviewDocument(r.Context(), actor(r), r.PathValue("id"), data)
	if err != nil {
		h.error(w, r, err)
		return
	}
	out := planReviewJSON{PlanID: rv.PlanID, OK: rv.OK(), Problems: planProblems(rv.Problems, answerLang(r)), Changes: rv.Changes,
		BaseRevision: rv.Base, Unchanged: rv.Same}
	if out.Changes == nil {
		out.Changes = []plan.Change{}
	}
	if rv.Plan != nil {
		out.Version = rv.Plan.FullVersion()
	}
	writeJSON(w, http.StatusOK, out)
}

type planVersionJSON struct {
	PlanID     string    `json:"plan_id"`
	Version    int       `json:"version"`
	SM3        string    `json:"sm3"`
	UploadedBy int64     `json:"uploaded_by"`
	UploadedAt time.Time `json:"uploaded_at"`
	State      string    `json:"state"`
	Note       string    `json:"note"`
	YAML       string    `json:"yaml,omitempty"`
}

func toPlanVersionJSON(v *fenghuo.PlanVersion) planVersionJSON {
	return planVersionJSON{v.PlanID, v.Version, v.SM3, v.UploadedBy, v.UploadedAt, v.State, v.Note, v.YAML}
}

// putPlan stores a document as the next version of a plan after a review:
// ?base= is the base_revision that review answered.
func (h *Handler) putPlan(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	base, err := strconv.Atoi(q.Get("base"))
	if err != nil || base < -1 {
		h.error(w, r, fenghuo.FieldErrorf("base", "Review the document first (POST …/review) and send its base_revision as ?base=. / 请先核对变更，并以base参数提交核对时的版本号。"))
		return
	}
	data, err := readPlanBody(w, r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	v, err := h.app.PlanAdmin.Write(r.Context(), actor(r), r.PathValue("id"), data, q.Get("note"), base)
	if problems, ok := planadmin.IsProblems(err); ok {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]any{"code": fenghuo.EINVALID,
			"message":  phrase.InLang("Nothing was stored: mend the lines listed and send the document again. / 未保存，请修改所列行后重新提交。", answerLang(r)),
			"problems": planProblems(problems, answerLang(r))}})
		return
	}
	if err != nil {
		h.error(w, r, err)
		return
	}
	v.YAML = ""
	writeJSON(w, http.StatusCreated, toPlanVersionJSON(v))
}

func (h *Handler) listPlanVersions(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	vs, err := h.app.PlanAdmin.Versions(r.Context(), actor(r), r.PathValue("id"))
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, pageSlice(vs, p, func(v fenghuo.PlanVersion) planVersionJSON { return toPlanVersionJSON(&v) }))
}

func (h *Handler) getPlanVersion(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.PathValue("version"))
	if err != nil || n < 1 {
		h.error(w, r, fenghuo.Errorf(fenghuo.ENOTFOUND, "No such version. / 未找到该版本。"))
		return
	}
	v, _, err := h.app.PlanAdmin.Version(r.Context(), actor(r), r.PathValue("id"), n)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toPlanVersionJSON(v))
}

// diffPlanVersions compares two versions (?from_version=&to_version=; 0 is the built-in or
// file text).
func (h *Handler) diffPlanVersions(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	from, err1 := strconv.Atoi(q.Get("from_version"))
	to, err2 := strconv.Atoi(q.Get("to_version"))
	if err1 != nil || err2 != nil || from < 0 || to < 0 {
		h.error(w, r, fenghuo.FieldErrorf("from_version", "Give two version numbers, ?from_version=1&to_version=2 (0 is the built-in text). / 请给出两个版本号。"))
		return
	}
	changes, err := h.app.PlanAdmin.Compare(r.Context(), actor(r), r.PathValue("id"), from, to)
	if err != nil {
		h.error(w, r, err)
		return
	}
	if changes == nil {
		changes = []plan.Change{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"plan_id": r.PathValue("id"), "from": from, "to": to, "changes": changes})
}
