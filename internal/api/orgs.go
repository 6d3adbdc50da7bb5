package api

import (
	"net/http"

	"fenghuo/internal/app/directory"
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
	f := store.OrgFilter{Query: q.Get("q"), Type: fenghuo.OrgType(q.Get("type")), Level: fenghuo.OrgLevel(q.Get("level"))}
	res, err := h.app.Directory.Orgs(r.Context(), actor(r), f, p)
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
		if o, err = h.app.Directory.ViewOrg(r.Context(), actor(r), id); err == nil {
			writeJSON(w, http.StatusOK, toOrg(*o))
			return
		}
	}
	h.error(w, r, err)
}

func (h *Handler) orgChildren(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	id, err := pathID(r, "id")
	if err == nil {
		var kids []fenghuo.Org
		if kids, err = h.app.Directory.ChildOrgs(r.Context(), actor(r), id); err == nil {
			writeJSON(w, http.StatusOK, pageSlice(kids, p, toOrg))
			return
		}
	}
	h.error(w, r, err)
}

type effectivePlansJSON struct {
	PlanIDs []string `json:"plan_ids"`
	// InheritedFrom is the org whose plans apply: the org itself or the
	// nearest ancestor that names plans.
	InheritedFrom int64 `json:"inherited_from"`
	Inherited     bool  `json:"inherited"`
}

func (h *Handler) orgPlans(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		var plans []string
		var from int64
		if plans, from, err = h.app.Directory.EffectivePlans(r.Context(), actor(r), id); err == nil {
			writeJSON(w, http.StatusOK, effectivePlansJSON{PlanIDs: nonNil(plans), InheritedFrom: from, Inherited: from != id})
			return
		}
	}
	h.error(w, r, err)
}

func (h *Handler) createOrg(w http.ResponseWriter, r *http.Request) {
	var in orgCreate
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	o := fenghuo.Org{ParentID: in.ParentID}
	in.orgFields.apply(&o)
	if err := h.app.Directory.CreateOrg(r.Context(), actor(r), &o); err != nil {
		h.error(w, r, err)
		return
	}
	created(w, Prefix+"/orgs/"+itoa(o.ID), toOrg(o))
}

func (h *Handler) replaceOrg(w http.ResponseWriter, r *http.Request) { h.updateOrg(w, r, false) }
func (h *Handler) patchOrg(w http.ResponseWriter, r *http.Request)   { h.updateOrg(w, r, true) }

// updateOrg serves PUT (every editable field; an absent one is cleared) and
// PATCH (only the fields sent). Both need the version the client last read.
func (h *Handler) updateOrg(w http.ResponseWriter, r *http.Request, patch bool) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	cur, err := h.app.Directory.Org(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in orgUpdate
	if patch {
		in.orgFields = orgFieldsOf(*cur)
	}
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	if err := requireVersion(in.Version); err != nil {
		h.error(w, r, err)
		return
	}
	o := *cur
	in.orgFields.apply(&o)
	o.Version = in.Version
	if err := h.app.Directory.UpdateOrg(r.Context(), actor(r), &o); err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toOrg(o))
}

// getContact answers one record's contacts in full, audited
// (directory.RevealContact); every other answer masks them.
func (h *Handler) getContact(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		var c *directory.Contact
		if c, err = h.app.Directory.RevealContact(r.Context(), actor(r), r.PathValue("kind"), id); err == nil {
			if c.Fields == nil {
				c.Fields = []directory.ContactField{}
			}
			w.Header().Set("Cache-Control", "no-store")
			writeJSON(w, http.StatusOK, c)
			return
		}
	}
	h.error(w, r, err)
}
