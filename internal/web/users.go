package web

import (
	"net/http"
	"strconv"
	"strings"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

func (h *Handler) users(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	q := r.URL.Query()
	p, n := readPage(r)
	res, err := h.app.Accounts.Users(r.Context(), ac, store.UserFilter{Query: q.Get("q"), Role: fenghuo.Role(q.Get("role")), IncludeDisabled: true}, p)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	h.render(w, r, http.StatusOK, "users", &view{Actor: ac, Title: "user.title", Nav: "users",
		Data: map[string]any{"Items": res.Items, "Orgs": h.orgNames(r), "Query": q.Get("q"), "Pager": newPager(r, n, res.Total)}})
}

type userFormData struct {
	User  fenghuo.User
	New   bool
	Orgs  []fenghuo.Org
	Roles []fenghuo.Role
}

func (h *Handler) userForm(w http.ResponseWriter, r *http.Request, status int, d userFormData, err error) {
	ac := actor(r)
	v := &view{Actor: ac, Title: "user.title", Nav: "users"}
	if err != nil {
		v.Errors, v.Error = fieldErrors(err)
	}
	if res, err := h.app.Directory.Orgs(r.Context(), ac, store.OrgFilter{}, store.Page{Limit: store.MaxLimit}); err == nil {
		d.Orgs = res.Items
	}
	d.Roles = fenghuo.Roles
	v.Data = d
	h.render(w, r, status, "user_form", v)
}

func (h *Handler) newUser(w http.ResponseWriter, r *http.Request) {
	if !actor(r).Can(fenghuo.PermUserWrite) {
		h.fail(w, r, actor(r), errForbidden)
		return
	}
	h.userForm(w, r, http.StatusOK, userFormData{New: true, User: fenghuo.User{OrgID: actor(r).Org.ID}}, nil)
}

func userFromForm(r *http.Request) fenghuo.User {
	r.ParseForm()
	u := fenghuo.User{OrgID: formInt(r, "org_id"), Username: r.FormValue("username"), DisplayName: r.FormValue("display_name"),
		Email: r.FormValue("email"), Mobile: r.FormValue("mobile"), Disabled: r.FormValue("disabled") == "1",
		Locale: r.FormValue("locale"), Version: int(formInt(r, "version"))}
	for _, role := range r.Form["roles"] {
		u.Roles = append(u.Roles, fenghuo.Role(role))
	}
	// One address a line; commas and spaces separate too.
	u.AllowedAddresses = strings.FieldsFunc(r.FormValue("allowed_addresses"), func(c rune) bool {
		return c == '\n' || c == '\r' || c == ',' || c == ' ' || c == '\t' || c == '，'
	})
	return u
}

func (h *Handler) createUser(w http.ResponseWriter, r *http.Request) {
	u := userFromForm(r)
	if err := h.app.Accounts.CreateUser(r.Context(), actor(r), &u, r.FormValue("password")); err != nil {
		h.userForm(w, r, http.StatusBadRequest, userFormData{New: true, User: u}, err)
		return
	}
	http.Redirect(w, r, "/users/"+strconv.FormatInt(u.ID, 10), http.StatusSeeOther)
}

func (h *Handler) editUser(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	u, err := h.app.Accounts.User(r.Context(), ac, id)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	h.userForm(w, r, http.StatusOK, userFormData{User: maskedUser(*u)}, nil)
}

func (h *Handler) updateUser(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	u := userFromForm(r)
	u.ID = id
	sent := u
	stored, err := h.app.Accounts.User(r.Context(), actor(r), id)
	if err != nil {
		h.fail(w, r, actor(r), err)
		return
	}
	keepUserContacts(&u, stored)
	if err := h.app.Accounts.UpdateUser(r.Context(), actor(r), &u); err != nil {
		if fenghuo.ErrorCode(err) == fenghuo.ENOTFOUND || fenghuo.ErrorCode(err) == fenghuo.EFORBIDDEN {
			h.fail(w, r, actor(r), err)
			return
		}
		h.userForm(w, r, http.StatusBadRequest, userFormData{User: sent}, err)
		return
	}
	http.Redirect(w, r, "/users/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

func (h *Handler) resetPassword(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	r.ParseForm()
	if err := h.app.Accounts.ResetPassword(r.Context(), ac, id, r.FormValue("password")); err != nil {
		u, uerr := h.app.Accounts.User(r.Context(), ac, id)
		if uerr != nil {
			h.fail(w, r, ac, uerr)
			return
		}
		v := &view{Actor: ac, Title: "user.title", Nav: "users", Data: map[string]any{"User": u, "Orgs": h.orgNames(r)}}
		v.Errors, v.Error = fieldErrors(err)
		h.render(w, r, http.StatusBadRequest, "user", v)
		return
	}
	http.Redirect(w, r, "/users/"+strconv.FormatInt(id, 10)+"?reset=1", http.StatusSeeOther)
}

// resetSecondFactor is the security administrator's reset of another
// account's second factor (a lost phone). The form asks the administrator
// to confirm, with a box to tick, that the person's identity was checked:
// the confirmation works without script.
func (h *Handler) resetSecondFactor(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	r.ParseForm()
	var err error
	if r.FormValue("confirm") != "1" {
		err = fenghuo.FieldErrorf("totp_confirm", "Tick the box to confirm that you checked who is asking. / 请勾选确认已核实本人身份。")
	} else {
		err = h.app.Accounts.ResetSecondFactor(r.Context(), ac, id)
	}
	if err == nil {
		http.Redirect(w, r, "/users/"+strconv.FormatInt(id, 10)+"?totp_reset=1", http.StatusSeeOther)
		return
	}
	u, uerr := h.app.Accounts.User(r.Context(), ac, id)
	if uerr != nil || fenghuo.ErrorCode(err) == fenghuo.EFORBIDDEN {
		h.fail(w, r, ac, err)
		return
	}
	v := &view{Actor: ac, Title: "user.title", Nav: "users", Data: map[string]any{"User": u, "Orgs": h.orgNames(r)}}
	v.Errors, v.Error = fieldErrors(err)
	if v.Errors == nil {
		v.Errors = map[string]string{"totp_confirm": v.Error}
	}
	h.render(w, r, http.StatusBadRequest, "user", v)
}

func (h *Handler) userPage(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	u, err := h.app.Accounts.User(r.Context(), ac, id)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	v := &view{Actor: ac, Title: "user.title", Nav: "users", Data: map[string]any{"User": u, "Orgs": h.orgNames(r)}}
	if r.URL.Query().Get("reset") == "1" {
		v.Flash = translate(requestLang(r, ac.User.Locale), "common.saved")
	}
	if r.URL.Query().Get("totp_reset") == "1" {
		v.Flash = translate(requestLang(r, ac.User.Locale), "user.totp.reset.done")
	}
	h.render(w, r, http.StatusOK, "user", v)
}
