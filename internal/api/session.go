package api

import (
	"net/http"

	"fenghuo/internal/app"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/server/clientip"
)

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
	TOTPCode string `json:"totp_code"`
}

// login logs an API client in with a password (and the second factor when
// the account has one) and sets the session cookie.
func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	var req loginRequest
	if err := decode(r, &req); err != nil {
		h.error(w, r, err)
		return
	}
	ip := clientip.Of(r)
	res, err := h.app.Login(r.Context(), req.Username, req.Password, ip, r.UserAgent())
	if err != nil {
		h.error(w, r, err)
		return
	}
	token := res.Token
	switch res.Stage {
	case app.StageTOTP:
		if req.TOTPCode == "" {
			h.app.Session(r.Context(), token, ip) // the half-done session expires on its own
			h.error(w, r, fenghuo.FieldErrorf("totp_code", "This account needs its authenticator code. / 该账号需要动态验证码。"))
			return
		}
		if token, err = h.app.VerifyTOTP(r.Context(), token, req.TOTPCode, ip, r.UserAgent()); err != nil {
			h.error(w, r, err)
			return
		}
	case app.StageEnroll:
		h.error(w, r, fenghuo.Errorf(fenghuo.EFORBIDDEN, "Set up two-factor authentication in the console first. / 请先在控制台设置双因素认证。"))
		return
	}
	http.SetCookie(w, &http.Cookie{Name: "fh_session", Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	writeJSON(w, http.StatusOK, map[string]string{"stage": app.StageFull})
}

func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	if err := h.app.Logout(r.Context(), actor(r)); err != nil {
		h.error(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: "fh_session", Value: "", Path: "/", MaxAge: -1, HttpOnly: true})
	w.WriteHeader(http.StatusNoContent)
}

type meJSON struct {
	User        userJSON `json:"user"`
	Org         orgJSON  `json:"org"`
	Scope       string   `json:"scope,omitempty"`
	Permissions []string `json:"permissions"`
}

func (h *Handler) me(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	me := meJSON{User: toUser(ac.User), Org: toOrg(ac.Org), Scope: string(ac.Scope), Permissions: []string{}}
	seen := map[fenghuo.Permission]bool{}
	for _, role := range ac.User.Roles {
		for _, p := range fenghuo.RolePermissions(role) {
			if !seen[p] && ac.Can(p) {
				seen[p] = true
				me.Permissions = append(me.Permissions, string(p))
			}
		}
	}
	writeJSON(w, http.StatusOK, me)
}
