package api

import (
	"net/http"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

func (h *Handler) listUsers(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	q := r.URL.Query()
	f := store.UserFilter{Query: q.Get("q"), Role: fenghuo.Role(q.Get("role"))}
	if f.OrgID, err = queryInt(r, "org_id", 1, 1<<62); err == nil {
		f.IncludeDisabled, err = queryBool(r, "disabled")
	}
	if err != nil {
		h.error(w, r, err)
		return
	}
	res, err := h.app.Accounts.Users(r.Context(), actor(r), f, p)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, pageOf(res, p, toUser))
}

func (h *Handler) getUser(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		var u *fenghuo.User
		if u, err = h.app.Accounts.User(r.Context(), actor(r), id); err == nil {
			writeJSON(w, http.StatusOK, toUser(*u))
			return
		}
	}
	h.error(w, r, err)
}

func (h *Handler) createUser(w http.ResponseWriter, r *http.Request) {
	var in userCreate
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	var u fenghuo.User
	in.userFields.apply(&u)
	if err := h.app.Accounts.CreateUser(r.Context(), actor(r), &u, in.Password); err != nil {
		h.error(w, r, err)
		return
	}
	created(w, Prefix+"/users/"+itoa(u.ID), toUser(u))
}

func (h *Handler) replaceUser(w http.ResponseWriter, r *http.Request) { h.updateUser(w, r, false) }
func (h *Handler) patchUser(w http.ResponseWriter, r *http.Request)   { h.updateUser(w, r, true) }

// updateUser serves PUT and PATCH as updateOrg does. It starts from the
// stored account so that what the API does not expose (credentials, the
// pending TOTP enrolment) is kept as it is.
func (h *Handler) updateUser(w http.ResponseWriter, r *http.Request, patch bool) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	cur, err := h.app.Accounts.User(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in userUpdate
	if patch {
		in.userFields = userFieldsOf(*cur)
	}
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	if err := requireVersion(in.Version); err != nil {
		h.error(w, r, err)
		return
	}
	u := *cur
	in.userFields.apply(&u)
	u.Version = in.Version
	if err := h.app.Accounts.UpdateUser(r.Context(), actor(r), &u); err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toUser(u))
}

type passwordReset struct {
	Password string `json:"password"`
}

func (h *Handler) resetPassword(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in passwordReset
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	if err := h.app.Accounts.ResetPassword(r.Context(), actor(r), id, in.Password); err != nil {
		h.error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
