package web

import (
	"errors"
	"net/http"
	"strconv"

	"fenghuo/internal/app/account"
	"fenghuo/internal/auth"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

type profileData struct {
	Tokens   []store.APIToken
	NewToken string
	Secret   string
	URL      string
	// RecoveryCodes are shown once, just after enrolment; RecoveryLeft is
	// how many unused ones the user has.
	RecoveryCodes []string
	RecoveryLeft  int
	// RecoveryLow warns that few codes are left (account.LowRecoveryCodes).
	RecoveryLow bool
	// Token keeps the new-token form's fields after a refusal.
	Token tokenForm
}

// tokenForm is what was typed in the new-token form.
type tokenForm struct{ Name, Scope, Days string }

func (h *Handler) profilePage(w http.ResponseWriter, r *http.Request, status int, d profileData, flash string, err error) {
	ac := actor(r)
	d.Tokens, _ = h.app.Accounts.APITokens(r.Context(), ac)
	d.RecoveryLeft, _ = h.app.Accounts.RecoveryCodesLeft(r.Context(), ac.User.ID)
	d.RecoveryLow = ac.User.TOTPEnabled && d.RecoveryLeft <= account.LowRecoveryCodes
	v := &view{Actor: ac, Title: "profile.title", Nav: "profile", Data: d, Flash: flash}
	if err != nil {
		v.Errors, v.Error = fieldErrors(err)
	}
	h.render(w, r, status, "profile", v)
}

func (h *Handler) profile(w http.ResponseWriter, r *http.Request) {
	flash := ""
	if r.URL.Query().Get("password") == "1" {
		flash = translate(requestLang(r, actor(r).User.Locale), "profile.password.done")
	}
	h.profilePage(w, r, http.StatusOK, profileData{}, flash, nil)
}

func (h *Handler) changePassword(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	token, err := h.app.Accounts.ChangePassword(r.Context(), actor(r), r.FormValue("current"), r.FormValue("new"), r.UserAgent())
	if err != nil {
		h.profilePage(w, r, http.StatusBadRequest, profileData{}, "", err)
		return
	}
	h.setSession(w, token)
	http.Redirect(w, r, "/profile?password=1", http.StatusSeeOther)
}

func (h *Handler) beginTOTP(w http.ResponseWriter, r *http.Request) {
	secret, url, err := h.app.Accounts.BeginTOTPEnrollment(r.Context(), actor(r).User.ID)
	if err != nil {
		h.profilePage(w, r, http.StatusBadRequest, profileData{}, "", err)
		return
	}
	h.profilePage(w, r, http.StatusOK, profileData{Secret: secret, URL: url}, "", nil)
}

func (h *Handler) confirmTOTP(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	_, codes, err := h.app.Accounts.ConfirmTOTPEnrollment(r.Context(), sessionToken(r), r.FormValue("code"), clientIP(r), r.UserAgent())
	if err != nil {
		h.profilePage(w, r, http.StatusBadRequest, profileData{Secret: r.FormValue("secret")}, "", err)
		return
	}
	ac := actor(r)
	ac.User.TOTPEnabled = true
	w.Header().Set("Cache-Control", "no-store")
	h.profilePage(w, r, http.StatusOK, profileData{RecoveryCodes: codes}, "", nil)
}

// renewRecoveryCodes draws a new set of recovery codes after the person
// gives the password and a current code again; the new codes are shown
// this once.
func (h *Handler) renewRecoveryCodes(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	codes, err := h.app.Accounts.RenewRecoveryCodes(r.Context(), actor(r), r.FormValue("password"), r.FormValue("code"))
	if err != nil {
		// The renewal form's fields are named apart from the password
		// change's and the enrolment's on the same page.
		var fe *fenghuo.Error
		if errors.As(err, &fe) && (fe.Field == "password" || fe.Field == "code") {
			e := *fe
			e.Field = "renew_" + fe.Field
			err = &e
		}
		h.profilePage(w, r, http.StatusBadRequest, profileData{}, "", err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	flash := translate(requestLang(r, actor(r).User.Locale), "recovery.renewed")
	h.profilePage(w, r, http.StatusOK, profileData{RecoveryCodes: codes}, flash, nil)
}

func (h *Handler) createToken(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	days, _ := strconv.Atoi(r.FormValue("days"))
	token, _, err := h.app.Accounts.CreateAPIToken(r.Context(), actor(r), r.FormValue("name"), auth.Scope(r.FormValue("scope")), days)
	if err != nil {
		kept := tokenForm{Name: r.FormValue("name"), Scope: r.FormValue("scope"), Days: r.FormValue("days")}
		h.profilePage(w, r, http.StatusBadRequest, profileData{Token: kept}, "", err)
		return
	}
	h.profilePage(w, r, http.StatusOK, profileData{NewToken: token}, "", nil)
}

func (h *Handler) revokeToken(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := h.app.Accounts.RevokeAPIToken(r.Context(), actor(r), id); err != nil {
		h.fail(w, r, actor(r), err)
		return
	}
	http.Redirect(w, r, "/profile", http.StatusSeeOther)
}
