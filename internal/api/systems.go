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
	f, err := systemFilter(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	res, err := h.app.Directory.Systems(r.Context(), actor(r), f, p)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, pageOf(res, p, toSystem))
}

// systemFilter reads the filters shared by the list and the export.
func systemFilter(r *http.Request) (store.SystemFilter, error) {
	q := r.URL.Query()
	f := store.SystemFilter{Query: q.Get("q"), Status: q.Get("status"), KeyKind: fenghuo.KeyKind(q.Get("key_kind")), Component: q.Get("component")}
	var err error
	var level int64
	if f.OrgID, err = queryInt(r, "org_id", 1, 1<<62); err == nil {
		if level, err = queryInt(r, "min_level", 0, 5); err == nil {
			f.CIIOnly, err = queryBool(r, "cii")
		}
	}
	f.MinLevel = int(level)
	return f, err
}

func (h *Handler) getSystem(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		var s *fenghuo.System
		if s, err = h.app.Directory.System(r.Context(), actor(r), id); err == nil {
			writeJSON(w, http.StatusOK, toSystem(*s))
			return
		}
	}
	h.error(w, r, err)
}

func (h *Handler) createSystem(w http.ResponseWriter, r *http.Request) {
	var in systemFields
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	var s fenghuo.System
	in.apply(&s)
	if err := h.app.Directory.CreateSystem(r.Context(), actor(r), &s); err != nil {
		h.error(w, r, err)
		return
	}
	created(w, Prefix+"/systems/"+itoa(s.ID), toSystem(s))
}

func (h *Handler) replaceSystem(w http.ResponseWriter, r *http.Request) { h.updateSystem(w, r, false) }
func (h *Handler) patchSystem(w http.ResponseWriter, r *http.Request)   { h.updateSystem(w, r, true) }

// updateSystem serves PUT and PATCH as updateOrg does.
func (h *Handler) updateSystem(w http.ResponseWriter, r *http.Request, patch bool) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	cur, err := h.app.Directory.System(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in systemUpdate
	if patch {
		in.systemFields = systemFieldsOf(*cur)
	}
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	if err := requireVersion(in.Version); err != nil {
		h.error(w, r, err)
		return
	}
	s := *cur
	in.systemFields.apply(&s)
	s.Version = in.Version
	if err := h.app.Directory.UpdateSystem(r.Context(), actor(r), &s); err != nil {
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
	if err != nil || version <= 0 {
		h.error(w, r, fenghuo.FieldErrorf("version", "Add ?version= with the version you last read, so a changed system is not deleted unseen. / 请在地址中提供 version 参数（上次读取的版本）。"))
		return
	}
	if err := h.app.Directory.DeleteSystem(r.Context(), actor(r), id, version); err != nil {
		h.error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
