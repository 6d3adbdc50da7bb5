package api

import (
	"encoding/json"
	"net/http"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
)

type planSummary struct {
	ID       string `json:"id"`
	Version  string `json:"version"`
	Name     string `json:"name"`
	NameEN   string `json:"name_en"`
	Taxonomy string `json:"taxonomy"`
	Builtin  bool   `json:"builtin"`
}

func (h *Handler) listPlans(w http.ResponseWriter, r *http.Request) {
	if !actor(r).Can(fenghuo.PermPlanRead) {
		h.error(w, r, fenghuo.Errorf(fenghuo.EFORBIDDEN, "You do not have the right to do this. / 您无权执行此操作。"))
		return
	}
	reg := h.app.Plans()
	out := []planSummary{}
	for _, p := range reg.Plans() {
		out = append(out, planSummary{p.ID, p.FullVersion(), p.Name.ZH, p.Name.EN, p.ResolvedTaxonomy().ID, reg.IsBuiltin(p.ID)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
}

func (h *Handler) getPlan(w http.ResponseWriter, r *http.Request) {
	if !actor(r).Can(fenghuo.PermPlanRead) {
		h.error(w, r, fenghuo.Errorf(fenghuo.EFORBIDDEN, "You do not have the right to do this. / 您无权执行此操作。"))
		return
	}
	p, err := h.app.Plans().Get(r.PathValue("id"))
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// grade grades facts under a plan without recording anything: a duty
// officer's quick check.
func (h *Handler) grade(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Plan     string          `json:"plan"`
		Facts    json.RawMessage `json:"facts"`
		Category string          `json:"category"`
	}
	if err := decode(r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	if !actor(r).Can(fenghuo.PermPlanRead) {
		h.error(w, r, fenghuo.Errorf(fenghuo.EFORBIDDEN, "You do not have the right to do this. / 您无权执行此操作。"))
		return
	}
	p, err := h.app.Plans().Get(in.Plan)
	if err != nil {
		h.error(w, r, fenghuo.FieldErrorf("plan", "%s", fenghuo.ErrorMessage(err)))
		return
	}
	if len(in.Facts) == 0 {
		in.Facts = json.RawMessage("{}")
	}
	facts, err := plan.ParseFacts(in.Facts)
	if err != nil {
		h.error(w, r, err)
		return
	}
	res, err := p.Grade(facts, in.Category)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}
