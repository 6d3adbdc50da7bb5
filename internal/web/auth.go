package web

import (
	"errors"
	"fenghuo/internal/app/account"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/server/clientip"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

type loginData struct {
	Username string
	Next     string
}

func (h *Handler) loginPage(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "login", &view{Title: "login.title", Data: loginData{Next: safeNext(r.URL.Query().Get("next"))}})
}

// login checks the password; the answer for a wrong password and for an
// unknown user is the same page with the same words.
func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	username, next := r.PostFormValue("username"), safeNext(r.PostFormValue("next"))
	ip := clientip.Of(r)
	// The app refuses administrators outside the configured admin networks.
	res, err := h.app.Accounts.Login(r.Context(), username, r.PostFormValue("password"), ip, r.UserAgent())
	if err != nil {
		status, msg := refusal(w, r, err)
		h.render(w, r, status, "login", &view{Title: "login.title", Error: msg, Data: loginData{Username: username, Next: next}})
		return
	}
	h.setSession(w, res.Token)
	switch res.Stage {
	case account.StageTOTP:
		http.Redirect(w, r, "/login/totp?next="+url.QueryEscape(next), http.StatusSeeOther)
	case account.StageEnroll:
		http.Redirect(w, r, "/login/enroll?next="+url.QueryEscape(next), http.StatusSeeOther)
	default:
		if next == "/" && res.Landing != "" {
			next = res.Landing // a wall display goes to the wall
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
	}
}

// refusal is the status and message of a refused log-in step. A throttled
// one also gets Retry-After; the header and the message in the console's
// language both state the one rounded wait the app decided.
func refusal(w http.ResponseWriter, r *http.Request, err error) (int, string) {
	var te *account.ThrottledError
	switch {
	case errors.As(err, &te):
		wait := te.RetryAfter()
		w.Header().Set("Retry-After", strconv.Itoa(int(wait/time.Second)))
		lang := requestLang(r, "")
		return http.StatusTooManyRequests, fmt.Sprintf(translate(lang, "login.throttled"), account.WaitText(wait, lang))
	case fenghuo.ErrorCode(err) == fenghuo.ETOOMANY:
		return http.StatusTooManyRequests, fenghuo.ErrorMessage(err)
	case fenghuo.ErrorCode(err) == fenghuo.EFORBIDDEN:
		return http.StatusForbidden, fenghuo.ErrorMessage(err)
	}
	return http.StatusUnauthorized, fenghuo.ErrorMessage(err)
}

func (h *Handler) totpPage(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "totp", &view{Title: "login.totp.title", Data: loginData{Next: safeNext(r.URL.Query().Get("next"))}})
}

func (h *Handler) totp(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	next := safeNext(r.PostFormValue("next"))
	if _, stage, err := h.app.Accounts.Session(r.Context(), sessionToken(r), clientip.Of(r)); err != nil || stage != account.StageTOTP {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	token, err := h.app.Accounts.VerifyTOTP(r.Context(), sessionToken(r), r.PostFormValue("code"), clientip.Of(r), r.UserAgent())
	if err != nil {
		status, msg := refusal(w, r, err)
		h.render(w, r, status, "totp", &view{Title: "login.totp.title", Error: msg, Data: loginData{Next: next}})
		return
	}
	h.setSession(w, token)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

type enrollData struct {
	Secret string
	URL    string
	Next   string
}

// enrollPage gives an administrator without a second factor a new secret to
// add to an authenticator; nothing else is reachable until it is confirmed.
func (h *Handler) enrollPage(w http.ResponseWriter, r *http.Request) {
	u, err := h.app.Accounts.EnrollmentUser(r.Context(), sessionToken(r))
	if err != nil {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	secret, url, err := h.app.Accounts.BeginTOTPEnrollment(r.Context(), u.ID)
	if err != nil {
		h.fail(w, r, nil, err)
		return
	}
	h.render(w, r, http.StatusOK, "enroll", &view{Title: "login.enroll.title",
		Data: enrollData{Secret: secret, URL: url, Next: safeNext(r.URL.Query().Get("next"))}})
}

func (h *Handler) enroll(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	next := safeNext(r.PostFormValue("next"))
	token, codes, err := h.app.Accounts.ConfirmTOTPEnrollment(r.Context(), sessionToken(r), r.PostFormValue("code"), clientip.Of(r), r.UserAgent())
	if err != nil {
		if fenghuo.ErrorCode(err) == fenghuo.EUNAUTHORIZED {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		// Show the same secret again: the user has already added it.
		h.render(w, r, http.StatusBadRequest, "enroll", &view{Title: "login.enroll.title", Error: fenghuo.ErrorMessage(err),
			Data: enrollData{Secret: r.PostFormValue("secret"), Next: next}})
		return
	}
	h.setSession(w, token)
	// The recovery codes are shown this once; only their hashes are kept.
	w.Header().Set("Cache-Control", "no-store")
	h.render(w, r, http.StatusOK, "recovery", &view{Title: "recovery.title", Data: recoveryData{Codes: codes, Next: next}})
}

// recoveryData is the page that shows new recovery codes once.
type recoveryData struct {
	Codes []string
	Next  string
}

func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	h.app.Accounts.Logout(r.Context(), actor(r))
	h.clearSession(w)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// switchLang sets the console language and goes back to the page.
func (h *Handler) switchLang(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	lang := r.PostFormValue("lang")
	if lang != langZH && lang != langEN {
		lang = langZH
	}
	http.SetCookie(w, &http.Cookie{Name: "fh_lang", Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		Secure: h.secure, SameSite: http.SameSiteLaxMode, HttpOnly: true})
	http.Redirect(w, r, safeNext(r.PostFormValue("back")), http.StatusSeeOther)
}
