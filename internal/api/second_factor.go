package api

import (
	"errors"
	"net/http"

	"fenghuo/internal/app/account"
	"fenghuo/internal/fenghuo"
)

// recoveryCodesJSON is the caller's stock of recovery codes; Codes only in
// the answer that drew them (shown once, never again).
type recoveryCodesJSON struct {
	Codes       []string `json:"recovery_codes,omitempty"`
	Remaining   int      `json:"remaining"`
	Low         bool     `json:"low"`
	TOTPEnabled bool     `json:"totp_enabled"`
}

func recoveryCodesOf(codes []string, left int, enabled bool) recoveryCodesJSON {
	return recoveryCodesJSON{Codes: codes, Remaining: left, Low: enabled && left <= account.LowRecoveryCodes, TOTPEnabled: enabled}
}

func (h *Handler) getRecoveryCodes(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	u, err := h.app.Accounts.User(r.Context(), ac, ac.User.ID)
	if err != nil {
		h.error(w, r, err)
		return
	}
	left, err := h.app.Accounts.RecoveryCodesLeft(r.Context(), ac.User.ID)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, recoveryCodesOf(nil, left, u.TOTPEnabled))
}

type recoveryRenewal struct {
	Password string `json:"password"`
	TOTPCode string `json:"totp_code"`
}

// renewRecoveryCodes draws a new set for the caller, who gives the
// password and a current code again; the old set stops working at once.
// The codes are in this answer only (Cache-Control: no-store).
func (h *Handler) renewRecoveryCodes(w http.ResponseWriter, r *http.Request) {
	var in recoveryRenewal
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	codes, err := h.app.Accounts.RenewRecoveryCodes(r.Context(), actor(r), in.Password, in.TOTPCode)
	var fe *fenghuo.Error
	if errors.As(err, &fe) && fe.Field == "code" {
		// The console's field is "code"; the API names it as it was sent.
		e := *fe
		e.Field = "totp_code"
		err = &e
	}
	if err != nil {
		h.error(w, r, err)
		return
	}
	created(w, Prefix+"/me/recovery-codes", recoveryCodesOf(codes, len(codes), true))
}

// resetSecondFactor is the security administrator's reset of another
// person's second factor (a lost phone).
func (h *Handler) resetSecondFactor(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	if err := h.app.Accounts.ResetSecondFactor(r.Context(), actor(r), id); err != nil {
		h.error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// secondFactorSchemas are the OpenAPI schemas of the recovery-code routes.
func secondFactorSchemas() obj {
	return obj{
		"RecoveryCodes": object(obj{
			"recovery_codes": obj{"type": "array", "items": str, "description": "The new codes, in the answer that drew them only: shown once, only their SM3 hashes are kept"},
			"remaining":      obj{"type": "integer", "description": "Unused recovery codes"},
			"low":            obj{"type": "boolean", "description": "TOTP is on and 2 or fewer codes are left: draw a new set"},
			"totp_enabled":   boolean}, "remaining", "low", "totp_enabled"),
		"RecoveryCodesRenew": object(obj{"password": str,
			"totp_code": obj{"type": "string", "description": "The current code of the authenticator app (not a recovery code)"}},
			"password", "totp_code"),
	}
}
