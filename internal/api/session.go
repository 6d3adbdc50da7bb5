package api

import (
	"fenghuo/internal/app/account"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/server/clientip"
	"net/http"
)

// sessionCookie is the console's cookie: one log-in serves both.
const sessionCookie = "fh_session"

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
	TOTPCode string `json:"totp_code"`
}

type sessionJSON struct {
	Stage string `json:"stage"`
}

// login logs an API client in without a browser: the password, then the
// TOTP code in the same request when the account has one. Wrong names and
// wrong passwords get the same answer (app.Login sees to that).
func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	var in loginRequest
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	ctx, ip := r.Context(), clientip.Of(r)
	res, err := h.app.Accounts.Login(ctx, in.Username, in.Password, ip, r.UserAgent())
	if err != nil {
		h.error(w, r, err)
		return
	}
	// The password was right: refuse administrators outside their networks
	// before saying anything about the second factor.
	if ac, _, err := h.app.Accounts.Session(ctx, res.Token, ip); err == nil && ac.User.IsAdmin() && !h.adminAllowed(ip) {
		h.app.Accounts.Logout(ctx, ac)
		h.error(w, r, fenghuo.Errorf(fenghuo.EFORBIDDEN, "Administrators may not log in from this network. / 管理员账号不允许从该网络登录。"))
		return
	}
	token := res.Token
	switch res.Stage {
	case account.StageTOTP:
		if in.TOTPCode == "" {
			// The pending session expires on its own within minutes.
			h.error(w, r, &fenghuo.Error{Code: fenghuo.EUNAUTHORIZED, Field: "totp_code",
				Message: "This account needs the code from its authenticator app in totp_code. / 该账号需要动态验证码（totp_code）。"})
			return
		}
		if token, err = h.app.Accounts.VerifyTOTP(ctx, token, in.TOTPCode, ip, r.UserAgent()); err != nil {
			h.error(w, r, err)
			return
		}
	case account.StageEnroll:
		h.error(w, r, fenghuo.Errorf(fenghuo.EFORBIDDEN, "Set up two-factor authentication in the console first, then log in here. / 请先在控制台设置双因素认证。"))
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true,
		Secure: h.secure || r.TLS != nil, SameSite: http.SameSiteLaxMode})
	writeJSON(w, http.StatusOK, sessionJSON{Stage: account.StageFull})
}

func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	if ac.SessionHash == "" {
		h.error(w, r, fenghuo.Errorf(fenghuo.EINVALID, "An API token is not a session: revoke it with DELETE /api/v1/tokens/{id}. / API令牌请用DELETE /api/v1/tokens/{id}撤销。"))
		return
	}
	if err := h.app.Accounts.Logout(r.Context(), ac); err != nil {
		h.error(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: h.secure || r.TLS != nil, SameSite: http.SameSiteLaxMode})
	w.WriteHeader(http.StatusNoContent)
}

type meJSON struct {
	User userJSON `json:"user"`
	Org  orgJSON  `json:"org"`
	// Scope is the API token's scope; empty for a console session.
	Scope string `json:"scope"`
	// Permissions are the rights the caller holds over its org subtree,
	// narrowed by the token's scope.
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
