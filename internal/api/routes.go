package api

import "net/http"

// route is one API operation. The table is the single list of what the API
// serves; the OpenAPI document is built from it and a test checks that
// every documented operation is served.
type route struct {
	Method, Path string
	ID           string // OpenAPI operationId
	Tag          string
	Summary      string
	Public       bool   // no authentication
	Body         string // request schema, "" for none
	Response     string // response schema, "" for no content
	h            func(*Handler) http.HandlerFunc
}

func routes() []route {
	return []route{
		{"GET", "/api/v1/openapi.json", "openapi", "meta", "This OpenAPI document", true, "", "object", (*Handler).openapiHandler},
		{"POST", "/api/v1/session", "login", "session", "Log in with user name, password and TOTP code; sets the session cookie", true, "Login", "object", func(h *Handler) http.HandlerFunc { return h.login }},
		{"DELETE", "/api/v1/session", "logout", "session", "Log out", false, "", "", func(h *Handler) http.HandlerFunc { return h.logout }},
		{"GET", "/api/v1/me", "me", "session", "The caller: user, organisation, rights", false, "", "Me", func(h *Handler) http.HandlerFunc { return h.me }},

		{"GET", "/api/v1/orgs", "listOrgs", "orgs", "Organisations in the caller's subtree (?q, type, level)", false, "", "OrgList", func(h *Handler) http.HandlerFunc { return h.listOrgs }},
		{"POST", "/api/v1/orgs", "createOrg", "orgs", "Create an organisation under parent_id", false, "Org", "Org", func(h *Handler) http.HandlerFunc { return h.createOrg }},
		{"GET", "/api/v1/orgs/{id}", "getOrg", "orgs", "One organisation", false, "", "Org", func(h *Handler) http.HandlerFunc { return h.getOrg }},
		{"PUT", "/api/v1/orgs/{id}", "updateOrg", "orgs", "Update an organisation (send its version)", false, "Org", "Org", func(h *Handler) http.HandlerFunc { return h.updateOrg }},
		{"GET", "/api/v1/orgs/{id}/children", "orgChildren", "orgs", "Direct children of an organisation", false, "", "object", func(h *Handler) http.HandlerFunc { return h.orgChildren }},
		{"GET", "/api/v1/orgs/{id}/plans", "orgPlans", "orgs", "The plans that govern an organisation (own or inherited)", false, "", "object", func(h *Handler) http.HandlerFunc { return h.orgPlans }},

		{"GET", "/api/v1/systems", "listSystems", "systems", "Systems in scope (?org_id, q, key_kind, cii, min_level, component, status)", false, "", "SystemList", func(h *Handler) http.HandlerFunc { return h.listSystems }},
		{"POST", "/api/v1/systems", "createSystem", "systems", "Register a system", false, "System", "System", func(h *Handler) http.HandlerFunc { return h.createSystem }},
		{"GET", "/api/v1/systems/{id}", "getSystem", "systems", "One system", false, "", "System", func(h *Handler) http.HandlerFunc { return h.getSystem }},
		{"PUT", "/api/v1/systems/{id}", "updateSystem", "systems", "Update a system (send its version)", false, "System", "System", func(h *Handler) http.HandlerFunc { return h.updateSystem }},
		{"DELETE", "/api/v1/systems/{id}", "deleteSystem", "systems", "Delete a system registered by mistake (?version)", false, "", "", func(h *Handler) http.HandlerFunc { return h.deleteSystem }},

		{"GET", "/api/v1/users", "listUsers", "users", "Accounts in scope (?q, role, disabled)", false, "", "UserList", func(h *Handler) http.HandlerFunc { return h.listUsers }},
		{"POST", "/api/v1/users", "createUser", "users", "Create an account with an initial password", false, "NewUser", "User", func(h *Handler) http.HandlerFunc { return h.createUser }},
		{"GET", "/api/v1/users/{id}", "getUser", "users", "One account", false, "", "User", func(h *Handler) http.HandlerFunc { return h.getUser }},
		{"PUT", "/api/v1/users/{id}", "updateUser", "users", "Update roles, organisation, profile or disabled flag", false, "User", "User", func(h *Handler) http.HandlerFunc { return h.updateUser }},
		{"POST", "/api/v1/users/{id}/password", "resetPassword", "users", "Set a new password for another account", false, "Password", "", func(h *Handler) http.HandlerFunc { return h.resetPassword }},

		{"GET", "/api/v1/tokens", "listTokens", "tokens", "The caller's API tokens", false, "", "object", func(h *Handler) http.HandlerFunc { return h.listTokens }},
		{"POST", "/api/v1/tokens", "createToken", "tokens", "Create an API token (shown once)", false, "NewToken", "Token", func(h *Handler) http.HandlerFunc { return h.createToken }},
		{"DELETE", "/api/v1/tokens/{id}", "deleteToken", "tokens", "Revoke an API token", false, "", "", func(h *Handler) http.HandlerFunc { return h.deleteToken }},

		{"GET", "/api/v1/audit", "listAudit", "audit", "Search the audit log (?actor_id, action, outcome, object_type, object_id, from, to)", false, "", "object", func(h *Handler) http.HandlerFunc { return h.listAudit }},
		{"POST", "/api/v1/audit/verify", "verifyAudit", "audit", "Verify the SM3 hash chain of the audit log", false, "", "object", func(h *Handler) http.HandlerFunc { return h.verifyAudit }},

		{"GET", "/api/v1/plans", "listPlans", "plans", "Known emergency plans", false, "", "object", func(h *Handler) http.HandlerFunc { return h.listPlans }},
		{"GET", "/api/v1/plans/{id}", "getPlan", "plans", "One plan, whole", false, "", "object", func(h *Handler) http.HandlerFunc { return h.getPlan }},
		{"POST", "/api/v1/grade", "grade", "plans", "Grade facts under a plan without recording anything", false, "GradeRequest", "GradeResult", func(h *Handler) http.HandlerFunc { return h.grade }},

		{"GET", "/api/v1/incidents", "listIncidents", "incidents", "Incidents the caller may see (?grade, category, status, unit_id, open, overdue, q)", false, "", "IncidentList", func(h *Handler) http.HandlerFunc { return h.listIncidents }},
		{"POST", "/api/v1/incidents", "createIncident", "incidents", "File an incident (a duty officer names channel and caller)", false, "NewIncident", "Incident", func(h *Handler) http.HandlerFunc { return h.createIncident }},
		{"GET", "/api/v1/incidents/{id}", "getIncident", "incidents", "One incident with each governing plan's grading", false, "", "Incident", func(h *Handler) http.HandlerFunc { return h.getIncident }},
		{"PUT", "/api/v1/incidents/{id}/facts", "updateFacts", "incidents", "Change facts, category or systems; re-grades", false, "Facts", "Incident", func(h *Handler) http.HandlerFunc { return h.updateFacts }},
		{"POST", "/api/v1/incidents/{id}/grade", "overrideGrade", "incidents", "Override the grade with a reason (regulators)", false, "GradeOverride", "Incident", func(h *Handler) http.HandlerFunc { return h.overrideGrade }},
		{"POST", "/api/v1/incidents/{id}/status", "transition", "incidents", "Move the incident through its lifecycle", false, "Transition", "Incident", func(h *Handler) http.HandlerFunc { return h.transition }},
		{"GET", "/api/v1/incidents/{id}/grades", "gradeHistory", "incidents", "Grading history", false, "", "object", func(h *Handler) http.HandlerFunc { return h.gradeHistory }},
		{"GET", "/api/v1/incidents/{id}/report-form", "reportForm", "incidents", "The report items the governing plans ask for", false, "", "object", func(h *Handler) http.HandlerFunc { return h.reportForm }},
		{"GET", "/api/v1/incidents/{id}/reports", "listReports", "incidents", "Reports filed and where they went", false, "", "object", func(h *Handler) http.HandlerFunc { return h.listReports }},
		{"POST", "/api/v1/incidents/{id}/reports", "submitReport", "incidents", "File an initial, follow-up or final report", false, "Report", "Report", func(h *Handler) http.HandlerFunc { return h.submitReport }},
		{"GET", "/api/v1/incidents/{id}/obligations", "listObligations", "incidents", "Reporting obligations with due times", false, "", "object", func(h *Handler) http.HandlerFunc { return h.listObligations }},
		{"GET", "/api/v1/incidents/{id}/timeline", "timeline", "incidents", "The hash-chained record of the incident", false, "", "object", func(h *Handler) http.HandlerFunc { return h.timeline }},
		{"POST", "/api/v1/incidents/{id}/notes", "addNote", "incidents", "Add a note to the timeline", false, "Note", "", func(h *Handler) http.HandlerFunc { return h.addNote }},
		{"POST", "/api/v1/incidents/{id}/evidence", "uploadEvidence", "incidents", "Upload evidence (multipart field \"file\", ≤ 20 MB)", false, "multipart", "object", func(h *Handler) http.HandlerFunc { return h.uploadEvidence }},
		{"GET", "/api/v1/evidence/{id}", "downloadEvidence", "incidents", "Download evidence as an attachment", false, "", "binary", func(h *Handler) http.HandlerFunc { return h.downloadEvidence }},

		{"GET", "/api/v1/inbox", "inbox", "reports", "Reports delivered to the caller's organisation", false, "", "DeliveryList", func(h *Handler) http.HandlerFunc { return h.inbox }},
		{"POST", "/api/v1/inbox/{id}/receive", "receiveReport", "reports", "Acknowledge receipt of a report", false, "", "", func(h *Handler) http.HandlerFunc { return h.receive }},
		{"POST", "/api/v1/inbox/{id}/forward", "forwardReport", "reports", "Forward a received report up the chain, carrying the original", false, "Forward", "object", func(h *Handler) http.HandlerFunc { return h.forward }},
		{"POST", "/api/v1/obligations/{id}/complete", "completeObligation", "reports", "Mark an obligation done with a note (e.g. reported by phone)", false, "Note", "", func(h *Handler) http.HandlerFunc { return h.completeObligation }},
		{"GET", "/api/v1/reporting-records", "reportingRecords", "reports", "Per-unit counts of on-time, late (迟报), overdue and missed (漏报) reports", false, "", "object", func(h *Handler) http.HandlerFunc { return h.reportingRecords }},
	}
}

// Routes registers every API route on mux.
func (h *Handler) Routes(mux *http.ServeMux) {
	for _, rt := range routes() {
		hf := rt.h(h)
		if !rt.Public {
			hf = h.authed(hf)
		}
		mux.HandleFunc(rt.Method+" "+rt.Path, hf)
	}
	// Anything else under /api/ answers in JSON, not with the console's pages.
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, map[string]any{"error": map[string]string{"code": "not_found", "message": "No such API route: see /api/v1/openapi.json. / 无此接口。"}})
	})
}
