package web

import (
	"bytes"
	"net/http"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
)

func (h *Handler) plans(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	if !ac.Can(fenghuo.PermPlanRead) {
		h.fail(w, r, ac, errForbidden)
		return
	}
	h.render(w, r, http.StatusOK, "plans", &view{Actor: ac, Title: "plan.title", Nav: "plans", Data: h.app.Core.Plans().Plans()})
}

// planPage shows a plan as the summary a duty officer can follow.
func (h *Handler) planPage(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	if !ac.Can(fenghuo.PermPlanRead) {
		h.fail(w, r, ac, errForbidden)
		return
	}
	p, err := h.app.Core.Plans().Get(r.PathValue("id"))
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	var buf bytes.Buffer
	plan.WriteSummary(&buf, p, requestLang(r, ac.User.Locale))
	h.render(w, r, http.StatusOK, "plan", &view{Actor: ac, Title: "plan.title", Nav: "plans",
		Data: map[string]any{"Plan": p, "Summary": buf.String()}})
}
