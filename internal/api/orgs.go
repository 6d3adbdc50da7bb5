package api

import (
	"net/http"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

func (h *Handler) listOrgs(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	q := r.URL.Query()
	res, err := h.app.Orgs(r.Context(), actor(r), store.OrgFilter{Query: q.Get("q"), Type: fenghuo.OrgType(q.Get("type")), Level: fenghuo.OrgLevel(q.Get("level"))}, p)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, pageOf(res, p, toOrg))
}

func (h *Handler) getOrg(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		var o *fenghuo.Org
		if o, err = h.app.Org(r.Context(), actor(r), id); err == nil {
			writeJSON(w, http.StatusOK, toOrg(*o))
			return
		}
	}
	h.error(w, r, err)
}

func (h *Handler) orgChildren(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		var kids []fenghuo.Org
		if kids, err = h.app.ChildOrgs(r.Context(), actor(r), id); err == nil {
			out := make([]orgJSON, 0, len(kids))
			for _, k := range kids {
				out = append(out, toOrg(k))
			}
			writeJSON(w, http.StatusOK, map[string]any{"items": out})
			return
		}
	}
	h.error(w, r, err)
}

func (h *Handler) orgPlans(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		var plans []string
		var from int64
		if plans, from, err = h.app.EffectivePlans(r.Context(), actor(r), id); err == nil {
			writeJSON(w, http.StatusOK, map[string]any{"plan_ids": nonNil(plans), "inherited_from": from, "inherited": from != id})
			return
		}
	}
	h.error(w, r, err)
}

func (h *Handler) createOrg(w http.ResponseWriter, r *http.Request) {
	var in orgJSON
	if err := decode(r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	o := in.domain()
	o.ID = 0
	if err := h.app.CreateOrg(r.Context(), actor(r), &o); err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toOrg(o))
}

func (h *Handler) updateOrg(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in orgJSON
	if err := decode(r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	o := in.domain()
	o.ID = id
	if err := h.app.UpdateOrg(r.Context(), actor(r), &o); err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toOrg(o))
}
