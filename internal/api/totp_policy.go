package api

import (
	"net/http"

	"fenghuo/internal/app/directory"
	"fenghuo/internal/fenghuo"
)

// totpPolicyJSON is an org's second-factor policy.
type totpPolicyJSON struct {
	OrgID        int64 `json:"org_id"`
	Required     bool  `json:"required"`
	RequiredFrom int64 `json:"required_from,omitempty"`
	InForce      bool  `json:"in_force"`
}

func toTOTPPolicy(id int64, p directory.TOTPPolicy) totpPolicyJSON {
	return totpPolicyJSON{OrgID: id, Required: p.Required, RequiredFrom: p.RequiredFrom, InForce: p.RequiredFrom != 0}
}

func (h *Handler) getOrgTOTPPolicy(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	p, err := h.app.Directory.OrgTOTPPolicy(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toTOTPPolicy(id, p))
}

func (h *Handler) putOrgTOTPPolicy(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in struct {
		Required *bool `json:"required"`
	}
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	if in.Required == nil {
		h.error(w, r, fenghuo.FieldErrorf("required", "Say whether TOTP is required: true or false. / 请填写是否要求双因素认证（true或false）。"))
		return
	}
	p, err := h.app.Directory.SetOrgTOTPPolicy(r.Context(), actor(r), id, *in.Required)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toTOTPPolicy(id, p))
}

// totpPolicySchemas are the OpenAPI schemas of the TOTP policy routes.
func totpPolicySchemas() obj {
	return obj{
		"TOTPPolicy": object(obj{"org_id": integer,
			"required":      obj{"type": "boolean", "description": "This org's own setting: TOTP for every account here and below"},
			"required_from": obj{"type": "integer", "description": "The org, this one or an ancestor, whose setting applies; absent: none (administrators need TOTP regardless)"},
			"in_force":      obj{"type": "boolean", "description": "Every account of this org must use TOTP; one not enrolled is taken through enrolment at its next log-in"}},
			"org_id", "required", "in_force"),
		"TOTPPolicyPut": object(obj{"required": boolean}, "required"),
	}
}
