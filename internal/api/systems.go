package api

import (
	"net/http"
	"strconv"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

func (h *Handler) listSystems(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	q := r.URL.Query()
	f := store.SystemFilter{Query: q.Get("q"), Status: q.Get("status"), KeyKind: fenghuo.KeyKind(q.Get("key_kind")),
		CIIOnly: q.Get("cii") == "true", Component: q.Get("component")}
	if s := q.Get("org_id"); s != "" {
		if f.OrgID, err = strconv.ParseInt(s, 10, 64); err != nil {
			h.error(w, r, fenghuo.FieldErrorf("org_id", "org_id must be a number. / org_id应为数字。"))
			return
		}
	}
	if s := q.Get("min_level"); s != "" {
		if f.MinLevel, err = strconv.Atoi(s); err != nil || f.MinLevel < 0 || f.MinLevel > 5 {
			h.error(w, r, fenghuo.FieldErrorf("min_level", "min_level must be 0 to 5. / min_level应为0至5。"))
			return
		}
	}
	res, err := h.app.Systems(r.Context(), actor(r), f, p)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, pageOf(res, p, toSystem))
}

func (h *Handler) getSystem(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		var s *fenghuo.System
		if s, err = h.app.System(r.Context(), actor(r), id); err == nil {
			writeJSON(w, http.StatusOK, toSystem(*s))
			return
		}
	}
	h.error(w, r, err)
}

func (h *Handler) createSystem(w http.ResponseWriter, r *http.Request) {
	var in systemJSON
	if err := decode(r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	s := in.domain()
	s.ID = 0
	if err := h.app.CreateSystem(r.Context(), actor(r), &s); err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toSystem(s))
}

func (h *Handler) updateSystem(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in systemJSON
	if err := decode(r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	s := in.domain()
	s.ID = id
	if err := h.app.UpdateSystem(r.Context(), actor(r), &s); err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toSystem(s))
}

func (h *Handler) deleteSystem(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	version, err := strconv.Atoi(r.URL.Query().Get("version"))
	if err != nil {
		h.error(w, r, fenghuo.FieldErrorf("version", "Give ?version= of the system you are deleting. / 请提供版本号。"))
		return
	}
	if err := h.app.DeleteSystem(r.Context(), actor(r), id, version); err != nil {
		h.error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
