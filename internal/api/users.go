package api

import (
	"net/http"
	"time"

	"fenghuo/internal/auth"
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
	res, err := h.app.Users(r.Context(), actor(r), store.UserFilter{Query: q.Get("q"), Role: fenghuo.Role(q.Get("role")), IncludeDisabled: q.Get("disabled") == "true"}, p)
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
		if u, err = h.app.User(r.Context(), actor(r), id); err == nil {
			writeJSON(w, http.StatusOK, toUser(*u))
			return
		}
	}
	h.error(w, r, err)
}

type createUserRequest struct {
	userJSON
	Password string `json:"password"`
}

func (h *Handler) createUser(w http.ResponseWriter, r *http.Request) {
	var in createUserRequest
	if err := decode(r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	u := in.userJSON.domain()
	u.ID = 0
	if err := h.app.CreateUser(r.Context(), actor(r), &u, in.Password); err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toUser(u))
}

func (h *Handler) updateUser(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in userJSON
	if err := decode(r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	u := in.domain()
	u.ID = id
	if err := h.app.UpdateUser(r.Context(), actor(r), &u); err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toUser(u))
}

func (h *Handler) resetPassword(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in struct {
		Password string `json:"password"`
	}
	if err := decode(r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	if err := h.app.ResetPassword(r.Context(), actor(r), id, in.Password); err != nil {
		h.error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type tokenJSON struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Scope      string     `json:"scope"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	Token      string     `json:"token,omitempty"`
}

func toToken(t store.APIToken) tokenJSON {
	j := tokenJSON{ID: t.ID, Name: t.Name, CreatedAt: t.CreatedAt, ExpiresAt: timePtr(t.ExpiresAt), LastUsedAt: timePtr(t.LastUsedAt)}
	if len(t.Scopes) > 0 {
		j.Scope = t.Scopes[0]
	}
	return j
}

func (h *Handler) listTokens(w http.ResponseWriter, r *http.Request) {
	ts, err := h.app.APITokens(r.Context(), actor(r))
	if err != nil {
		h.error(w, r, err)
		return
	}
	out := []tokenJSON{}
	for _, t := range ts {
		out = append(out, toToken(t))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
}

func (h *Handler) createToken(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name        string `json:"name"`
		Scope       string `json:"scope"`
		ExpiresDays int    `json:"expires_days"`
	}
	if err := decode(r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	token, t, err := h.app.CreateAPIToken(r.Context(), actor(r), in.Name, auth.Scope(in.Scope), in.ExpiresDays)
	if err != nil {
		h.error(w, r, err)
		return
	}
	j := toToken(*t)
	j.Token = token
	writeJSON(w, http.StatusCreated, j)
}

func (h *Handler) deleteToken(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		if err = h.app.RevokeAPIToken(r.Context(), actor(r), id); err == nil {
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	h.error(w, r, err)
}
