package web

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"fenghuo/internal/app/directory"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

type orgTreeNode struct {
	Org      fenghuo.Org
	Children []*orgTreeNode
	// Signals are the unit's late, missed and suspected-concealment
	// counts of the past year (nil: none, or not the actor's to see).
	Signals *fenghuo.ReportingSignals
}

// orgs shows the actor's subtree as a tree.
func (h *Handler) orgs(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	q := r.URL.Query().Get("q")
	res, err := h.app.Directory.Orgs(r.Context(), ac, store.OrgFilter{Query: q}, store.Page{Limit: store.MaxLimit})
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	nodes := map[int64]*orgTreeNode{}
	var roots []*orgTreeNode
	for _, o := range res.Items {
		nodes[o.ID] = &orgTreeNode{Org: o}
	}
	// signals: the reporting-honesty counts of the past year on each row.
	now := h.app.Core.Now()
	if sig, err := h.app.Incidents.ReportingSignals(r.Context(), ac, now.AddDate(-1, 0, 0), now.Add(time.Minute)); err == nil {
		for i := range sig {
			if n, ok := nodes[sig[i].OrgID]; ok {
				n.Signals = &sig[i]
			}
		}
	}
	for _, o := range res.Items {
		if p, ok := nodes[o.ParentID]; ok {
			p.Children = append(p.Children, nodes[o.ID])
		} else {
			roots = append(roots, nodes[o.ID])
		}
	}
	h.render(w, r, http.StatusOK, "orgs", &view{Actor: ac, Title: "org.title", Nav: "orgs",
		Data: map[string]any{"Roots": roots, "Query": q, "Total": res.Total}})
}

type orgPageData struct {
	Org       fenghuo.Org
	Parent    *fenghuo.Org
	Children  []fenghuo.Org
	Systems   []fenghuo.System
	Users     []fenghuo.User
	Plans     []string
	Inherited bool
	// Supervisor is the declared supervising department (nil: none).
	Supervisor *fenghuo.Org
	// TOTP is the org's second-factor policy; CanSetTOTP says whether the
	// actor (a system administrator at or above the org) may change it.
	TOTP       directory.TOTPPolicy
	CanSetTOTP bool
}

func (h *Handler) orgPage(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	o, err := h.app.Directory.ViewOrg(r.Context(), ac, id)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	d := orgPageData{Org: *o}
	if o.SupervisorID != 0 {
		d.Supervisor, _ = h.app.Core.DB().Org(r.Context(), o.SupervisorID)
	}
	if o.ParentID != 0 {
		d.Parent, _ = h.app.Directory.Org(r.Context(), ac, o.ParentID)
	}
	d.Children, _ = h.app.Directory.ChildOrgs(r.Context(), ac, id)
	var from int64
	d.Plans, from, _ = h.app.Directory.EffectivePlans(r.Context(), ac, id)
	d.Inherited = from != id
	d.TOTP, _ = h.app.Directory.OrgTOTPPolicy(r.Context(), ac, id)
	d.CanSetTOTP = ac.User.HasRole(fenghuo.RoleSystemAdmin)
	if ac.Can(fenghuo.PermSystemRead) {
		if res, err := h.app.Directory.Systems(r.Context(), ac, store.SystemFilter{OrgID: id}, store.Page{Limit: 100}); err == nil {
			for _, s := range res.Items {
				if s.OrgID == id {
					d.Systems = append(d.Systems, s)
				}
			}
		}
	}
	if ac.Can(fenghuo.PermUserRead) {
		if res, err := h.app.Accounts.Users(r.Context(), ac, store.UserFilter{OrgID: id}, store.Page{Limit: 100}); err == nil {
			for _, u := range res.Items {
				if u.OrgID == id {
					d.Users = append(d.Users, u)
				}
			}
		}
	}
	h.render(w, r, http.StatusOK, "org", &view{Actor: ac, Title: "org.title", Nav: "orgs", Data: d})
}

type orgFormData struct {
	Org    fenghuo.Org
	New    bool
	Parent *fenghuo.Org
	Plans  []string
	Levels []fenghuo.OrgLevel
	Types  []fenghuo.OrgType
	Roles  []string
	// Supervisors are the competent departments the org may declare as its
	// supervising department (those in the actor's scope, and the current).
	Supervisors []fenghuo.Org
}

func (h *Handler) orgForm(w http.ResponseWriter, r *http.Request, status int, d orgFormData, err error) {
	v := &view{Actor: actor(r), Title: "org.title", Nav: "orgs"}
	if err != nil {
		v.Errors, v.Error = fieldErrors(err)
	}
	d.Plans, d.Levels, d.Types = h.app.Core.Plans().IDs(), fenghuo.OrgLevels, fenghuo.OrgTypes
	d.Roles = planRoles
	d.Supervisors = h.supervisorChoices(r, d.Org.SupervisorID)
	v.Data = d
	h.render(w, r, status, "org_form", v)
}

var planRoles = []string{"operator", "competent_department", "cyberspace_office", "public_security", "monitoring", "leading_group",
	"protection_department", "support_team", "expert_group", "industry_authority"}

func (h *Handler) newOrg(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	parentID := formInt(r, "parent")
	if parentID == 0 {
		parentID = ac.Org.ID
	}
	parent, err := h.app.Directory.Org(r.Context(), ac, parentID)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	h.orgForm(w, r, http.StatusOK, orgFormData{New: true, Parent: parent,
		Org: fenghuo.Org{ParentID: parent.ID, Level: fenghuo.LevelUnit, Type: fenghuo.OrgOperator, OperatorType: fenghuo.OperatorOther}}, nil)
}

// orgFromForm reads the org form.
func orgFromForm(r *http.Request) fenghuo.Org {
	r.ParseForm()
	return fenghuo.Org{
		ParentID: formInt(r, "parent_id"), Name: r.FormValue("name"), ShortName: r.FormValue("short_name"),
		Level: fenghuo.OrgLevel(r.FormValue("level")), Type: fenghuo.OrgType(r.FormValue("type")), Sector: r.FormValue("sector"),
		OperatorType: fenghuo.OperatorType(r.FormValue("operator_type")), RegionCode: r.FormValue("region_code"),
		Liaison:   fenghuo.Liaison{Name: r.FormValue("liaison_name"), Title: r.FormValue("liaison_title"), Mobile: r.FormValue("liaison_mobile")},
		DutyPhone: r.FormValue("duty_phone"), Fax: r.FormValue("fax"), ReportEmail: r.FormValue("report_email"),
		Address: r.FormValue("address"), PlanIDs: r.Form["plan_ids"], PlanRoles: r.Form["plan_roles"],
		SupervisorID: formInt(r, "supervisor_id"),
		Version:      int(formInt(r, "version")),
	}
}

func (h *Handler) createOrg(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	o := orgFromForm(r)
	if err := h.app.Directory.CreateOrg(r.Context(), ac, &o); err != nil {
		parent, _ := h.app.Directory.Org(r.Context(), ac, o.ParentID)
		h.orgForm(w, r, http.StatusBadRequest, orgFormData{New: true, Org: o, Parent: parent}, err)
		return
	}
	http.Redirect(w, r, "/orgs/"+strconv.FormatInt(o.ID, 10)+"?created=1", http.StatusSeeOther)
}

func (h *Handler) editOrg(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	o, err := h.app.Directory.Org(r.Context(), ac, id)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	h.orgForm(w, r, http.StatusOK, orgFormData{Org: maskedOrg(*o)}, nil)
}

func (h *Handler) updateOrg(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	o := orgFromForm(r)
	o.ID = id
	sent := o
	stored, err := h.app.Directory.Org(r.Context(), ac, id)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	// The version in the form guards against a stored value changed since.
	keepOrgContacts(&o, stored)
	if err := h.app.Directory.UpdateOrg(r.Context(), ac, &o); err != nil {
		h.orgForm(w, r, http.StatusBadRequest, orgFormData{Org: sent}, err)
		return
	}
	http.Redirect(w, r, "/orgs/"+strconv.FormatInt(id, 10)+"?saved=1", http.StatusSeeOther)
}

// supervisorChoices lists the orgs that play the competent-department role
// in the actor's scope, with the current supervisor even when outside it.
func (h *Handler) supervisorChoices(r *http.Request, current int64) []fenghuo.Org {
	ac := actor(r)
	var out []fenghuo.Org
	res, err := h.app.Directory.Orgs(r.Context(), ac, store.OrgFilter{}, store.Page{Limit: store.MaxLimit})
	if err == nil {
		for _, o := range res.Items {
			if slices.Contains(o.PlanRoles, plan.RoleCompetentDepartment) {
				out = append(out, o)
			}
		}
	}
	if current != 0 && !slices.ContainsFunc(out, func(o fenghuo.Org) bool { return o.ID == current }) {
		if o, err := h.app.Core.DB().Org(r.Context(), current); err == nil {
			out = append(out, *o)
		}
	}
	return out
}

// setOrgTOTPPolicy turns "TOTP for every account" on or off for an org.
func (h *Handler) setOrgTOTPPolicy(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	r.ParseForm()
	if _, err := h.app.Directory.SetOrgTOTPPolicy(r.Context(), ac, id, r.PostFormValue("required") == "1"); err != nil {
		h.fail(w, r, ac, err)
		return
	}
	http.Redirect(w, r, "/orgs/"+strconv.FormatInt(id, 10)+"#totp-policy", http.StatusSeeOther)
}
