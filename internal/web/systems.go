package web

import (
	"net/http"
	"strconv"
	"strings"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

type systemsData struct {
	Items  []fenghuo.System
	Orgs   map[int64]string
	Filter store.SystemFilter
	Kinds  []fenghuo.KeyKind
	Pager  pager
}

func (h *Handler) systems(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	q := r.URL.Query()
	f := store.SystemFilter{Query: q.Get("q"), KeyKind: fenghuo.KeyKind(q.Get("key_kind")), CIIOnly: q.Get("cii") == "1",
		Component: q.Get("component"), Status: q.Get("status")}
	f.OrgID, _ = strconv.ParseInt(q.Get("org"), 10, 64)
	f.MinLevel, _ = strconv.Atoi(q.Get("min_level"))
	p, n := readPage(r)
	res, err := h.app.Directory.Systems(r.Context(), ac, f, p)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	h.render(w, r, http.StatusOK, "systems", &view{Actor: ac, Title: "system.title", Nav: "systems",
		Data: systemsData{Items: res.Items, Orgs: h.orgNames(r), Filter: f, Kinds: fenghuo.KeyKinds, Pager: newPager(r, n, res.Total)}})
}

// orgNames maps the IDs of the actor's subtree to names for lists.
func (h *Handler) orgNames(r *http.Request) map[int64]string {
	out := map[int64]string{}
	res, err := h.app.Directory.Orgs(r.Context(), actor(r), store.OrgFilter{}, store.Page{Limit: store.MaxLimit})
	if err == nil {
		for _, o := range res.Items {
			out[o.ID] = o.Name
		}
	}
	return out
}

func (h *Handler) systemPage(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	s, err := h.app.Directory.System(r.Context(), ac, id)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	h.render(w, r, http.StatusOK, "system", &view{Actor: ac, Title: "system.title", Nav: "systems",
		Data: map[string]any{"System": s, "Orgs": h.orgNames(r)}})
}

type systemFormData struct {
	System     fenghuo.System
	New        bool
	Orgs       []fenghuo.Org
	Kinds      []fenghuo.KeyKind
	Exposure   string
	Components string
}

func (h *Handler) systemForm(w http.ResponseWriter, r *http.Request, status int, d systemFormData, err error) {
	ac := actor(r)
	v := &view{Actor: ac, Title: "system.title", Nav: "systems"}
	if err != nil {
		v.Errors, v.Error = fieldErrors(err)
	}
	if res, err := h.app.Directory.Orgs(r.Context(), ac, store.OrgFilter{}, store.Page{Limit: store.MaxLimit}); err == nil {
		d.Orgs = res.Items
	}
	d.Kinds = fenghuo.KeyKinds
	if d.Exposure == "" {
		var ls []string
		for _, e := range d.System.Exposure {
			ls = append(ls, e.Value)
		}
		d.Exposure = strings.Join(ls, "\n")
	}
	if d.Components == "" {
		var ls []string
		for _, c := range d.System.Components {
			ls = append(ls, strings.TrimSpace(c.Name+" "+c.Version))
		}
		d.Components = strings.Join(ls, "\n")
	}
	v.Data = d
	h.render(w, r, status, "system_form", v)
}

func (h *Handler) newSystem(w http.ResponseWriter, r *http.Request) {
	org := formInt(r, "org")
	if org == 0 {
		org = actor(r).Org.ID
	}
	h.systemForm(w, r, http.StatusOK, systemFormData{New: true, System: fenghuo.System{OrgID: org}}, nil)
}

// systemFromForm reads the system form. Exposure lines are classified:
// a URL, an IP or CIDR, a port, or else a domain name; a component line's
// version is its last word when that starts with a digit.
func systemFromForm(r *http.Request) (fenghuo.System, string, string) {
	r.ParseForm()
	s := fenghuo.System{OrgID: formInt(r, "org_id"), Name: r.FormValue("name"), Department: r.FormValue("department"),
		ResponsiblePerson: r.FormValue("responsible_person"), ResponsiblePhone: r.FormValue("responsible_phone"),
		CII: r.FormValue("cii") == "1", Description: r.FormValue("description"), Status: r.FormValue("status"),
		Version: int(formInt(r, "version"))}
	s.ProtectionLevel, _ = strconv.Atoi(r.FormValue("protection_level"))
	for _, k := range r.Form["key_kinds"] {
		s.KeyKinds = append(s.KeyKinds, fenghuo.KeyKind(k))
	}
	for _, l := range lines(r.FormValue("exposure")) {
		s.Exposure = append(s.Exposure, fenghuo.Exposure{Kind: exposureKind(l), Value: l})
	}
	for _, l := range lines(r.FormValue("components")) {
		name, version := l, ""
		if i := strings.LastIndexByte(l, ' '); i > 0 && len(l) > i+1 && (l[i+1] >= '0' && l[i+1] <= '9' || l[i+1] == 'v' && len(l) > i+2 && l[i+2] >= '0' && l[i+2] <= '9') {
			name, version = strings.TrimSpace(l[:i]), l[i+1:]
		}
		s.Components = append(s.Components, fenghuo.Component{Name: name, Version: version})
	}
	return s, r.FormValue("exposure"), r.FormValue("components")
}

func exposureKind(v string) string {
	switch {
	case strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://"):
		return fenghuo.ExposureURL
	case strings.Trim(strings.TrimSuffix(strings.TrimSuffix(v, "/tcp"), "/udp"), "0123456789") == "":
		return fenghuo.ExposurePort
	case strings.Trim(v, "0123456789./:abcdefABCDEF") == "" && (strings.Count(v, ".") == 3 || strings.Contains(v, ":")):
		return fenghuo.ExposureIP
	}
	return fenghuo.ExposureDomain
}

func (h *Handler) createSystem(w http.ResponseWriter, r *http.Request) {
	s, exp, comps := systemFromForm(r)
	if err := h.app.Directory.CreateSystem(r.Context(), actor(r), &s); err != nil {
		h.systemForm(w, r, http.StatusBadRequest, systemFormData{New: true, System: s, Exposure: exp, Components: comps}, err)
		return
	}
	http.Redirect(w, r, "/systems/"+strconv.FormatInt(s.ID, 10), http.StatusSeeOther)
}

func (h *Handler) editSystem(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	s, err := h.app.Directory.System(r.Context(), ac, id)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	h.systemForm(w, r, http.StatusOK, systemFormData{System: maskedSystem(*s)}, nil)
}

func (h *Handler) updateSystem(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	s, exp, comps := systemFromForm(r)
	s.ID = id
	sent := s
	stored, err := h.app.Directory.System(r.Context(), actor(r), id)
	if err != nil {
		h.fail(w, r, actor(r), err)
		return
	}
	keepSystemContacts(&s, stored)
	if err := h.app.Directory.UpdateSystem(r.Context(), actor(r), &s); err != nil {
		if fenghuo.ErrorCode(err) == fenghuo.ENOTFOUND {
			h.fail(w, r, actor(r), err)
			return
		}
		h.systemForm(w, r, http.StatusBadRequest, systemFormData{System: sent, Exposure: exp, Components: comps}, err)
		return
	}
	http.Redirect(w, r, "/systems/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

func (h *Handler) deleteSystem(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	r.ParseForm()
	if err := h.app.Directory.DeleteSystem(r.Context(), actor(r), id, int(formInt(r, "version"))); err != nil {
		h.fail(w, r, actor(r), err)
		return
	}
	http.Redirect(w, r, "/systems", http.StatusSeeOther)
}
