package api

import (
	"encoding/json"
	"net/http"

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
		j := planSummaryJSON{pl.ID, pl.FullVersion(), pl.Name.ZH, pl.Name.EN, "", reg.IsBuiltin(pl.ID)}
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
