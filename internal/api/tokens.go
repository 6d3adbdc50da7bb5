package api

import (
	"net/http"
	"time"

	"fenghuo/internal/auth"
	"fenghuo/internal/store"
)

type tokenJSON struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Scope      string     `json:"scope"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	// Token is the secret, present only in the answer that creates it.
	Token string `json:"token,omitempty"`
}

type tokenCreate struct {
	Name        string `json:"name"`
	Scope       string `json:"scope"`
	ExpiresDays int    `json:"expires_days"`
}

func toToken(t store.APIToken) tokenJSON {
	j := tokenJSON{ID: t.ID, Name: t.Name, CreatedAt: t.CreatedAt, ExpiresAt: timePtr(t.ExpiresAt), LastUsedAt: timePtr(t.LastUsedAt)}
	if len(t.Scopes) > 0 {
		j.Scope = t.Scopes[0]
	}
	return j
}

func (h *Handler) listTokens(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	ts, err := h.app.Accounts.APITokens(r.Context(), actor(r))
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, pageSlice(ts, p, toToken))
}

func (h *Handler) createToken(w http.ResponseWriter, r *http.Request) {
	var in tokenCreate
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	token, t, err := h.app.Accounts.CreateAPIToken(r.Context(), actor(r), in.Name, auth.Scope(in.Scope), in.ExpiresDays)
	if err != nil {
		h.error(w, r, err)
		return
	}
	j := toToken(*t)
	j.Token = token
	writeJSON(w, http.StatusCreated, j) // no Location: a token is never read back
}

func (h *Handler) deleteToken(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		if err = h.app.Accounts.RevokeAPIToken(r.Context(), actor(r), id); err == nil {
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	h.error(w, r, err)
}
