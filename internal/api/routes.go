package api

import "net/http"

// Route is one line of the route table: what is served, who may call it,
// and how the OpenAPI document describes it.
type Route struct {
	Method  string
	Pattern string // path template under the mux, e.g. /api/v1/orgs/{id}
	// OperationID names the operation in the OpenAPI document and in tests.
	OperationID string
	Summary     string
	// Permission summarises who may call it; the app enforces it.
	Permission string
	// Public routes need no credentials.
	Public bool
	// Request and Response name schemas in the OpenAPI document ("" for
	// none); Status is the success status.
	Request, Response string
	Status            int
	// Query lists the query parameters the handler reads.
	Query   []string
	handler http.HandlerFunc
}

var (
	paging      = []string{"limit", "offset"}
	orgQuery    = append([]string{"q", "type", "level"}, paging...)
	systemQuery = append([]string{"org_id", "q", "key_kind", "cii", "min_level", "component", "status"}, paging...)
	userQuery   = append([]string{"org_id", "q", "role", "disabled"}, paging...)
	auditQuery  = append([]string{"actor_id", "action", "audit_kind", "outcome", "object_type", "object_id", "from", "to"}, paging...)
	incQuery    = append([]string{"grade", "category", "status", "unit_id", "open", "overdue", "q"}, paging...)
)

// table is the API. "In scope" means the caller's org and every org below
// it: siblings and parents answer 404 as if they did not exist.
func (h *Handler) table() []Route {
	const ok, made, none = http.StatusOK, http.StatusCreated, http.StatusNoContent
	return []Route{
		{"GET", "/api/v1/openapi.json", "getOpenAPI", "This API's OpenAPI 3.1 document", "anyone", true, "", "", ok, nil, h.openAPI},
		{"POST", "/api/v1/session", "createSession", "Log in with a password (and TOTP code); sets the fh_session cookie", "anyone (throttled per user name)", true, "LoginRequest", "SessionStage", ok, nil, h.login},
		{"DELETE", "/api/v1/session", "deleteSession", "Log out of the console session", "any logged-in user (cookie session)", false, "", "", none, nil, h.logout},
		{"GET", "/api/v1/me", "getMe", "The caller's account, org and rights", "any authenticated caller", false, "", "Me", ok, nil, h.me},
		{"GET", "/api/v1/me/recovery-codes", "getRecoveryCodes", "How many of the caller's recovery codes are left, and whether it is time to draw new ones", "any authenticated caller", false, "", "RecoveryCodes", ok, nil, h.getRecoveryCodes},
		{"POST", "/api/v1/me/recovery-codes", "renewRecoveryCodes", "Draw a new set of ten recovery codes, given the password and a current authenticator code; the old set stops working at once; the codes are shown in this answer only; wrong answers count towards the log-in lockout; audited", "the caller with TOTP on, in a log-in session (not an API token)", false, "RecoveryCodesRenew", "RecoveryCodes", made, nil, h.renewRecoveryCodes},

		{"GET", "/api/v1/orgs", "listOrgs", "Orgs in scope, the caller's own first", "org.read", false, "", "OrgList", ok, orgQuery, h.listOrgs},
		{"POST", "/api/v1/orgs", "createOrg", "Create an org under parent_id", "org.write over the parent", false, "OrgCreate", "Org", made, nil, h.createOrg},
		{"GET", "/api/v1/orgs/{id}", "getOrg", "One org (its contacts masked: see getContact)", "org.read, in scope", false, "", "Org", ok, nil, h.getOrg},
		{"GET", "/api/v1/contacts/{kind}/{id}", "getContact", "One record's phones and e-mail addresses in full (kind org, user, system, report, shift or member); every other answer masks them; audited as contact.full.read", "contact.reveal, in scope (anyone for their own account or shift)", false, "", "Contact", ok, nil, h.getContact},
		{"PUT", "/api/v1/orgs/{id}", "replaceOrg", "Replace an org's editable fields", "org.write, in scope", false, "OrgUpdate", "Org", ok, nil, h.replaceOrg},
		{"PATCH", "/api/v1/orgs/{id}", "patchOrg", "Change some of an org's fields", "org.write, in scope", false, "OrgUpdate", "Org", ok, nil, h.patchOrg},
		{"GET", "/api/v1/orgs/{id}/children", "listOrgChildren", "Direct children of an org", "org.read, in scope", false, "", "OrgList", ok, paging, h.orgChildren},
		{"GET", "/api/v1/orgs/{id}/totp-policy", "getOrgTOTPPolicy", "Whether TOTP is required of every account of an org: its own setting and the org (it or an ancestor) whose setting applies", "org.read, in scope", false, "", "TOTPPolicy", ok, nil, h.getOrgTOTPPolicy},
		{"PUT", "/api/v1/orgs/{id}/totp-policy", "putOrgTOTPPolicy", "Require TOTP of every account of an org and its subtree, or stop; audited", "system_admin role, org in scope", false, "TOTPPolicyPut", "TOTPPolicy", ok, nil, h.putOrgTOTPPolicy},
		// SM2 signing keys (issue 15 item 1): published to the caller's office, the offices above it and below it.
		{"GET", "/api/v1/signing-keys", "listSigningKeys", "The SM2 signing keys of the caller's office, of every office above it up to the root and of the offices below it (not siblings), current and retired", "org.read", false, "", "SigningKeyList", ok, nil, h.listSigningKeys},
		{"GET", "/api/v1/signing-keys/trust.json", "getSigningTrustFile", "The same keys as the trust file `fenghuo verify --keys` reads (attachment)", "org.read", false, "", "TrustFile", ok, nil, h.getSigningTrustFile},
		{"POST", "/api/v1/orgs/{id}/signing-key", "rotateSigningKey", "Make a new current signing key for an office and retire its current one (or give it its first); old signatures still verify; audited", "system_admin role, org in scope", false, "", "SigningKeyRotated", ok, nil, h.rotateSigningKey},
		{"POST", "/api/v1/signatures/verify", "verifyDocument", "Check the SM2 signature of a DOCX, XLSX or PDF (multipart field \"file\", ≤ 32 MB): who signed it and whether it changed; the file is not stored", "org.read", false, "multipart", "Signature", ok, nil, h.verifyDocument},
		{"GET", "/api/v1/orgs/{id}/plans", "getOrgPlans", "Plans governing an org, own or inherited", "org.read, in scope", false, "", "EffectivePlans", ok, nil, h.orgPlans},

		{"GET", "/api/v1/systems", "listSystems", "Important systems in scope", "system.read", false, "", "SystemList", ok, systemQuery, h.listSystems},
		{"POST", "/api/v1/systems", "createSystem", "Register a system for a unit in scope", "system.write over org_id", false, "SystemCreate", "System", made, nil, h.createSystem},
		{"GET", "/api/v1/systems/export.xlsx", "exportSystems", "The systems in scope as the XLSX register (same filters as the list; ?lang=en for English headers); audited", "system.read", false, "", "xlsx", ok, append(systemQuery[:7:7], "lang"), h.exportSystems},
		{"POST", "/api/v1/systems/import", "importSystems", "Import a systems register (multipart field \"file\": .xlsx or .csv, UTF-8 or GBK, ≤ 10 MB), all or nothing: any problem answers 400 with error.problems by row and column; audited", "system.write over every row's unit", false, "multipart", "ImportResult", ok, nil, h.importSystems},
		{"GET", "/api/v1/systems/{id}", "getSystem", "One system", "system.read, in scope", false, "", "System", ok, nil, h.getSystem},
		{"PUT", "/api/v1/systems/{id}", "replaceSystem", "Replace a system's fields", "system.write, in scope (both units when moving)", false, "SystemUpdate", "System", ok, nil, h.replaceSystem},
		{"PATCH", "/api/v1/systems/{id}", "patchSystem", "Change some of a system's fields", "system.write, in scope (both units when moving)", false, "SystemUpdate", "System", ok, nil, h.patchSystem},
		{"DELETE", "/api/v1/systems/{id}", "deleteSystem", "Delete a system registered by mistake (?version= required)", "system.write, in scope", false, "", "", none, []string{"version"}, h.deleteSystem},

		{"GET", "/api/v1/users", "listUsers", "Accounts in scope", "user.read", false, "", "UserList", ok, userQuery, h.listUsers},
		{"POST", "/api/v1/users", "createUser", "Create an account with an initial password", "user.write over org_id", false, "UserCreate", "User", made, nil, h.createUser},
		{"GET", "/api/v1/users/{id}", "getUser", "One account (anyone may read their own)", "user.read, in scope", false, "", "User", ok, nil, h.getUser},
		{"PUT", "/api/v1/users/{id}", "replaceUser", "Replace an account's profile, roles, org and disabled flag", "user.write, in scope; never one's own roles", false, "UserUpdate", "User", ok, nil, h.replaceUser},
		{"PATCH", "/api/v1/users/{id}", "patchUser", "Change some of an account's fields", "user.write, in scope; never one's own roles", false, "UserUpdate", "User", ok, nil, h.patchUser},
		{"POST", "/api/v1/users/{id}/password", "resetUserPassword", "Set a new password for another account; ends its sessions", "user.write, in scope", false, "PasswordReset", "", none, nil, h.resetPassword},
		{"POST", "/api/v1/users/{id}/totp/reset", "resetUserSecondFactor", "Reset another account's second factor (a lost phone): deletes its TOTP secret and recovery codes, ends its sessions, and its next log-in enrols again; audited with who and whom; 403 for one's own account and for accounts outside the caller's subtree", "user.write (security administrator) over the account's org or an org above it; never one's own", false, "", "", none, nil, h.resetSecondFactor},

		{"GET", "/api/v1/tokens", "listTokens", "The caller's own API tokens", "any authenticated caller", false, "", "TokenList", ok, paging, h.listTokens},
		{"POST", "/api/v1/tokens", "createToken", "Issue an API token; the secret is shown once", "a console session (not a token); admin scope for admins only", false, "TokenCreate", "Token", made, nil, h.createToken},
		{"DELETE", "/api/v1/tokens/{id}", "deleteToken", "Revoke one of the caller's tokens", "any authenticated caller, own tokens", false, "", "", none, nil, h.deleteToken},

		{"GET", "/api/v1/audit", "listAudit", "Search the audit log of the caller's subtree, newest first; audit_kind=read keeps reads (views of an incident, its reports, an org's contacts, and exports), audit_kind=change the rest", "audit.read", false, "", "AuditList", ok, auditQuery, h.listAudit},
		{"POST", "/api/v1/audit/verify", "verifyAudit", "Check the whole audit log: the signed archives, the SM3 chain in the database and every anchor in the anchor file", "audit.read", false, "", "AuditVerify", ok, nil, h.verifyAudit},
		{"GET", "/api/v1/audit/keeping", "getAuditKeeping", "The audit log's retention, its last archive and the last anchor of its head written outside the database, with the destinations", "audit.read", false, "", "AuditKeeping", ok, nil, h.getAuditKeeping},

		{"GET", "/api/v1/plans", "listPlans", "Known emergency plans", "plan.read", false, "", "PlanList", ok, paging, h.listPlans},
		{"GET", "/api/v1/plans/{id}", "getPlan", "One plan document as JSON", "plan.read", false, "", "Plan", ok, nil, h.getPlan},
		// Plans edited in the product (planadmin).
		{"POST", "/api/v1/plans/{id}/review", "reviewPlan", "Check a plan document (YAML body, Content-Type: application/yaml) against the version in force: problems by line and key, or the changes and base_revision; stores nothing", "plan.write (admin-scope token)", false, "yaml", "PlanReview", ok, nil, h.reviewPlan},
		{"PUT", "/api/v1/plans/{id}", "putPlan", "Store a reviewed plan document (YAML body) as the plan's next version and put it in force; ?base= the review's base_revision (409 when another version took effect since), ?note=; 400 with error.problems by line when invalid, nothing stored; audited (plan.write, version, SM3)", "plan.write (admin-scope token)", false, "yaml", "PlanVersion", made, []string{"base", "note"}, h.putPlan},
		{"GET", "/api/v1/plans/{id}/versions", "listPlanVersions", "A plan's stored versions, newest first (none: the built-in text is in force)", "plan.read", false, "", "PlanVersionList", ok, paging, h.listPlanVersions},
		{"GET", "/api/v1/plans/{id}/versions/{version}", "getPlanVersion", "One stored version with its YAML text", "plan.read", false, "", "PlanVersion", ok, nil, h.getPlanVersion},
		{"GET", "/api/v1/plans/{id}/diff", "diffPlanVersions", "Changes from one version to another (?from_version=&to_version=, 0 the built-in text), setting by setting", "plan.read", false, "", "PlanDiff", ok, []string{"from_version", "to_version"}, h.diffPlanVersions},
		{"POST", "/api/v1/grade", "gradeFacts", "Grade facts under a plan without recording anything", "plan.read", false, "GradeRequest", "GradeResult", ok, nil, h.grade},

		// "Visible" incidents: the unit is in scope, or one of its reports was delivered to an org in scope.
		{"GET", "/api/v1/incidents", "listIncidents", "Visible incidents, newest first", "incident.read", false, "", "IncidentList", ok, incQuery, h.listIncidents},
		{"POST", "/api/v1/incidents", "createIncident", "File an incident for a unit in scope; grades it under every governing plan", "incident.write over org_id; phone, fax and WeChat intake not by unit reporters", false, "IncidentCreate", "Incident", made, nil, h.createIncident},
		{"GET", "/api/v1/incidents/{id}", "getIncident", "One incident with each governing plan's grading; audited as a read (incident.read)", "incident.read, visible", false, "", "Incident", ok, nil, h.getIncident},
		{"PUT", "/api/v1/incidents/{id}/facts", "replaceIncidentFacts", "Replace facts, category and systems; re-grades", "incident.write, visible", false, "FactsUpdate", "Incident", ok, nil, h.updateFacts},
		{"POST", "/api/v1/incidents/{id}/grade", "overrideIncidentGrade", "Override the grade with a reason", "incident.grade, visible", false, "GradeOverride", "Incident", ok, nil, h.overrideGrade},
		{"POST", "/api/v1/incidents/{id}/status", "transitionIncident", "Move the incident through its lifecycle", "incident.write, visible", false, "Transition", "Incident", ok, nil, h.transition},
		{"GET", "/api/v1/incidents/{id}/grades", "listIncidentGrades", "Grading history, oldest first", "incident.read, visible", false, "", "GradeRecordList", ok, paging, h.gradeHistory},
		{"GET", "/api/v1/incidents/{id}/report-form", "getReportForm", "The report items the governing plans ask for", "incident.read, visible", false, "", "ReportForm", ok, nil, h.reportForm},
		{"GET", "/api/v1/incidents/{id}/reports", "listIncidentReports", "Reports filed and where they were delivered; audited as a read of the reports (report.read)", "incident.read, visible", false, "", "IncidentReports", ok, nil, h.listReports},
		{"GET", "/api/v1/incidents/{id}/reports/{rid}/{format}", "downloadReport", "One report as the regulator's form: {format} is docx or pdf (attachment; audited as an export)", "incident.read, visible", false, "", "binary", ok, nil, h.downloadReport},
		{"GET", "/api/v1/incidents/export.xlsx", "exportIncidents", "The incidents the caller may see as XLSX (same filters as the list; ?lang=en for English headers); audited", "incident.read", false, "", "xlsx", ok, append(incQuery[:7:7], "lang"), h.exportIncidents},
		{"POST", "/api/v1/incidents/{id}/reports", "submitReport", "File an initial, follow-up or final report; delivers it up the chain", "incident.write, unit in scope", false, "ReportSubmit", "Report", made, nil, h.submitReport},
		{"GET", "/api/v1/incidents/{id}/obligations", "listIncidentObligations", "Reporting obligations with due times", "incident.read, visible", false, "", "ObligationList", ok, paging, h.listObligations},
		{"GET", "/api/v1/incidents/{id}/timeline", "getIncidentTimeline", "The hash-chained record of the incident; audited as a read of the incident (incident.read)", "incident.read, visible", false, "", "Timeline", ok, paging, h.timeline},
		{"POST", "/api/v1/incidents/{id}/notes", "addIncidentNote", "Add a note to the timeline", "incident.write or incident.receive, visible", false, "Note", "", none, nil, h.addNote},
		{"POST", "/api/v1/incidents/{id}/evidence", "uploadEvidence", "Upload evidence: multipart/form-data field \"file\" (≤ 20 MB), optional \"note\"", "incident.write, visible", false, "multipart", "Evidence", made, nil, h.uploadEvidence},
		{"GET", "/api/v1/incidents/{id}/evidence", "listIncidentEvidence", "The incident's evidence files (name, size, SM3 digest, note), oldest first; audited as a read of the incident (incident.read)", "incident.read, visible", false, "", "EvidenceList", ok, nil, h.listEvidence},
		{"GET", "/api/v1/evidence/{id}", "downloadEvidence", "Download evidence as an attachment (audited as an export)", "incident.read, incident visible", false, "", "binary", ok, nil, h.downloadEvidence},

		// Task capability: playbook and ad-hoc tasks of an incident.
		{"GET", "/api/v1/incidents/{id}/tasks", "listIncidentTasks", "The incident's tasks, soonest due first, with reminders, escalations and comments", "incident.read, visible", false, "", "TaskList", ok, nil, h.listTasks},
		{"POST", "/api/v1/incidents/{id}/tasks", "createIncidentTask", "Add an ad-hoc task owned by the incident's unit or an org in scope; escalated to the caller's org when overdue", "incident.write, visible", false, "TaskCreate", "Task", made, nil, h.createTask},
		{"PATCH", "/api/v1/tasks/{id}", "patchTask", "Change a task's state: done needs the evidence it asks for and closes its obligation on time or late; not_applicable needs a note and is refused for mandatory steps", "incident.write, owner org in scope (or the owner)", false, "TaskPatch", "Task", ok, nil, h.patchTask},
		{"POST", "/api/v1/tasks/{id}/comments", "commentTask", "Comment on a task, optionally linking an evidence file of the incident", "incident.write or incident.receive, visible", false, "TaskCommentCreate", "TaskComment", made, nil, h.commentTask},
		{"GET", "/api/v1/tasks/mine", "listMyTasks", "Unfinished tasks with a due time owned by the caller's org, soonest first", "incident.read", false, "", "MyTaskList", ok, paging, h.myTasks},
		// Response levels (R1): the plan's response_levels; refusals (403) quote the clause and name who may.
		{"GET", "/api/v1/incidents/{id}/response", "getIncidentResponse", "The incident's emergency response: current level, history of levels, command structure, switches applied, 24-hour duty gaps, who is notified, and the caller's one action (or the plan's refusal)", "incident.read, visible", false, "", "ResponseView", ok, nil, h.getResponse},
		{"POST", "/api/v1/incidents/{id}/response", "actOnIncidentResponse", "Request, activate, change or end the incident's response level under its plan; a level beyond an office's authority is handed up to the office the plan names (handed_up_to)", "incident.write, visible; the plan's activating or ending party for activate, change and end", false, "ResponseAct", "ResponseResult", ok, nil, h.actOnResponse},
		{"GET", "/api/v1/incidents/{id}/response/notice/{format}", "downloadEndNotice", "The end notice (结束通知) of an ended response: {format} is docx or pdf; ?activation= picks one (attachment; audited as an export)", "incident.read, visible", false, "", "binary", ok, []string{"activation"}, h.downloadEndNotice},

		{"GET", "/api/v1/inbox", "listInbox", "Reports delivered to the caller's own org", "incident.read", false, "", "DeliveryList", ok, paging, h.inbox},
		{"POST", "/api/v1/inbox/{id}/receive", "receiveReport", "Acknowledge receipt (签收) of a delivered report", "incident.receive, delivered to the caller's own org", false, "", "", none, nil, h.receive},
		{"POST", "/api/v1/inbox/{id}/forward", "forwardReport", "Forward a received report up the chain, carrying the original", "incident.receive, delivered to the caller's own org", false, "Forward", "Forwarded", ok, nil, h.forward},
		{"POST", "/api/v1/obligations/{id}/complete", "completeObligation", "Mark an obligation done with a note (e.g. reported by phone)", "incident.write, owner org in scope", false, "CompleteObligation", "", none, nil, h.completeObligation},
		{"GET", "/api/v1/reporting-records", "listReportingRecords", "Per-unit counts of on-time, late (迟报), overdue and missed (漏报) reports", "incident.read", false, "", "ReportingRecordList", ok, paging, h.reportingRecords},
		// signals: reporting-honesty counts per unit.
		{"GET", "/api/v1/reporting-signals", "listReportingSignals", "Per-unit counts of late (迟报), missed (漏报) and suspected concealment (瞒报) over a period (from, to: YYYY-MM-DD, both included; default this month)", "incident.read", false, "", "ReportingSignalsList", ok, append([]string{"from", "to"}, paging...), h.reportingSignals},

		// Warnings are visible to the issuer's subtree, the office a proposal went to, and the targets' subtrees.
		{"GET", "/api/v1/warnings", "listWarnings", "Visible warnings (预警), newest first", "incident.read", false, "", "WarningList", ok, paging, h.listWarnings},
		{"POST", "/api/v1/warnings", "issueWarning", "Issue a warning from org_id (default the caller's) to targets below it, under the issuer rules of its governing plan; a colour the plan reserves for a higher office is refused (403) naming the rule", "warning.issue over org_id", false, "WarningCreate", "Warning", made, nil, h.issueWarning},
		{"POST", "/api/v1/warnings/proposals", "proposeWarning", "Propose a warning the caller's office may not issue to the nearest higher office the plan names", "warning.issue over org_id", false, "WarningCreate", "Warning", made, nil, h.proposeWarning},
		{"GET", "/api/v1/warnings/issuer-check", "checkWarningIssuer", "Whether the caller's org may issue a colour, and whom to propose it to if not", "warning.issue", false, "", "IssuerCheck", ok, []string{"color", "multi_region"}, h.warningIssuerCheck},
		{"GET", "/api/v1/warnings/{id}", "getWarning", "One warning with its targets, history and obligations (a target sees its own targets only)", "incident.read, visible", false, "", "WarningDetail", ok, nil, h.getWarning},
		{"GET", "/api/v1/warnings/{id}/notice/{format}", "downloadWarningNotice", "The warning as a notice (预警通报): {format} is docx or pdf (attachment; audited as an export)", "incident.read, visible", false, "", "binary", ok, nil, h.downloadWarningNotice},
		{"POST", "/api/v1/warnings/{id}/decision", "decideWarning", "Issue or decline a warning proposed to the caller's office", "warning.issue over the office proposed to", false, "WarningDecision", "Warning", ok, nil, h.decideWarning},
		{"POST", "/api/v1/warnings/{id}/color", "changeWarningColor", "Raise or lower an active warning (the new colour must be one the issuer may issue)", "warning.issue over the issuer", false, "WarningColor", "Warning", ok, nil, h.changeWarningColor},
		{"POST", "/api/v1/warnings/{id}/lift", "liftWarning", "Lift an active warning; open acknowledgements are cancelled", "warning.issue over the issuer", false, "Reason", "Warning", ok, nil, h.liftWarning},
		{"POST", "/api/v1/warning-targets/{id}/ack", "ackWarningTarget", "Acknowledge (确认) a warning for a target org; repeating it changes nothing", "warning.ack, target org in scope", false, "", "WarningTarget", ok, nil, h.ackWarningTarget},
		{"POST", "/api/v1/warning-targets/{id}/done", "reportWarningMeasuresDone", "Report a target's measures done (acknowledges too)", "warning.ack, target org in scope", false, "MeasuresDone", "WarningTarget", ok, nil, h.reportMeasuresDone},

		// Risk notices (issue 12, P3): visible to the issuer's subtree and to the targets' subtrees.
		{"GET", "/api/v1/risk-notices", "listRiskNotices", "Visible risk notices (风险通报), newest first", "incident.read", false, "", "RiskNoticeList", ok, paging, h.listRiskNotices},
		{"POST", "/api/v1/risk-notices/preview", "previewRiskNotice", "The units a notice would reach and why (systems running an affected version of the product, by normalised name and version range), without issuing it", "warning.issue over org_id", false, "RiskNoticeCreate", "RiskNoticePreview", ok, nil, h.previewRiskNotice},
		{"POST", "/api/v1/risk-notices", "issueRiskNotice", "Issue a risk notice from org_id (default the caller's) to every unit below it whose active systems run an affected version; each owes an answer within rectify_days (default 7), escalated to the issuer when overdue; 400 when no unit runs one", "warning.issue over org_id", false, "RiskNoticeCreate", "RiskNoticeIssued", made, nil, h.issueRiskNotice},
		{"GET", "/api/v1/risk-notices/{id}", "getRiskNotice", "One notice with its progress board: each target's reason, answer, findings and escalation (a target sees its own rows only)", "incident.read, visible", false, "", "RiskNoticeDetail", ok, nil, h.getRiskNotice},
		{"GET", "/api/v1/risk-notices/{id}/notice/{format}", "downloadRiskNotice", "The notice as an official document (风险通报): {format} is docx or pdf (attachment; audited as an export)", "incident.read, visible", false, "", "binary", ok, nil, h.downloadRiskNotice},
		{"POST", "/api/v1/risk-notices/{id}/close", "closeRiskNotice", "Close a notice; unanswered duties are cancelled", "warning.issue over the issuer", false, "Reason", "", none, nil, h.closeRiskNotice},
		{"POST", "/api/v1/risk-notice-targets/{id}/answer", "answerRiskNotice", "Answer a notice for a targeted unit: affected raises a finding per affected system due the notice's deadline; not_affected needs a reason", "warning.ack, target org in scope", false, "RiskNoticeAnswer", "RiskNoticeTarget", ok, nil, h.answerRiskNotice},

		// Periods are visible to the office's subtree and to the participating units' subtrees.
		{"GET", "/api/v1/periods", "listPeriods", "Visible protection periods (重要保障期), latest first", "incident.read", false, "", "PeriodList", ok, paging, h.listPeriods},
		{"POST", "/api/v1/periods", "createPeriod", "Set a protection period for units below org_id; each unit owes a daily report by the cut-off", "warning.issue over org_id", false, "PeriodCreate", "Period", made, nil, h.createPeriod},
		{"GET", "/api/v1/periods/{id}/board", "getPeriodBoard", "A day of the period (?day=YYYY-MM-DD, default the day whose cut-off is nearest): each unit's daily report state", "incident.read, visible (a unit sees its own subtree's rows)", false, "", "Board", ok, []string{"day"}, h.periodBoard},
		{"GET", "/api/v1/periods/{id}/export.xlsx", "exportDailyReports", "Daily reports as XLSX: one day (?day=YYYY-MM-DD) or the whole period so far (?day=all, the default); ?lang=en for English; audited", "incident.read, visible", false, "", "xlsx", ok, []string{"day", "lang"}, h.exportDailyReports},
		{"POST", "/api/v1/periods/{id}/reports", "fileDailyReport", "File or correct a unit's daily report: quiet (平安) or the day's incidents; late after the cut-off", "incident.write over the unit, which takes part", false, "DailyReportSubmit", "DailyReport", ok, nil, h.fileDailyReport},
		{"POST", "/api/v1/periods/{id}/chase", "chasePeriodUnit", "Remind a unit that has not filed a day's daily report after the cut-off (催报): an in-app notice, its channels and its report address; audited; at most 3 a unit a day (then 429)", "incident.receive, the period's office or above", false, "ChaseRequest", "ChaseResult", ok, nil, h.chaseUnit},

		{"GET", "/api/v1/duty", "getDuty", "Who is on duty now at org_id (default the caller's org), the week's roster, the duty log and the offices below", "org.read, in scope", false, "", "DutyView", ok, []string{"org_id"}, h.getDuty},
		{"POST", "/api/v1/duty/shifts", "addDutyShift", "Roster a shift with a duty officer and a leader on duty", "duty.write over org_id", false, "ShiftCreate", "Shift", made, nil, h.addShift},
		{"DELETE", "/api/v1/duty/shifts/{id}", "deleteDutyShift", "Remove a rostered shift of org_id (default the caller's org)", "duty.write over org_id", false, "", "", none, []string{"org_id"}, h.deleteShift},
		{"POST", "/api/v1/duty/log", "addDutyLog", "Write a duty log line or a handover note", "duty.write over org_id", false, "DutyLogCreate", "DutyLogEntry", made, nil, h.addDutyLog},

		{"GET", "/api/v1/channels", "listChannels", "Notification channels of org_id (default the caller's org): the org's for those who manage it, else the caller's own; never the secret", "org.read, in scope", false, "", "ChannelList", ok, append([]string{"org_id"}, paging...), h.listChannels},
		{"POST", "/api/v1/channels", "createChannel", "Set up where an org's (or, with personal, the caller's own) notifications go; the secret is write-only", "org.write over org_id; anyone for a personal channel", false, "ChannelCreate", "Channel", made, nil, h.createChannel},
		{"DELETE", "/api/v1/channels/{id}", "deleteChannel", "Remove a channel", "org.write over its org; anyone for their own personal channel", false, "", "", none, nil, h.deleteChannel},
		{"GET", "/api/v1/deliveries", "listDeliveries", "The latest delivery attempts of notifications to the caller's subtree, newest first (?limit=)", "org.read", false, "", "SendAttemptList", ok, []string{"limit"}, h.listDeliveries},

		// Findings (隐患) ledger (issue 12, P1): units fix their own, the office above decides.
		{"GET", "/api/v1/findings", "listFindings", "Findings of the caller's subtree (or of org_id in it), soonest due first; state is a state, active (not closed) or work (open or rectifying)", "incident.read", false, "", "FindingList", ok, findingQuery, h.listFindings},
		{"POST", "/api/v1/findings", "createFinding", "Record a finding from an external report for a unit in scope (source external); its deadline is the SLA for the severity unless due_at is given", "incident.write, an office (regulator or monitoring), unit in scope", false, "FindingCreate", "FindingDetail", made, nil, h.createFinding},
		{"GET", "/api/v1/findings/board", "getFindingBoard", "The clear-to-zero board of the caller's subtree (or org_id's): active findings per organisation by severity and age, overdue, awaiting re-check, accepted, and the 12-week trend", "incident.read, in scope", false, "", "FindingBoard", ok, []string{"org_id"}, h.getFindingBoard},
		{"GET", "/api/v1/findings/export.xlsx", "exportFindingBoard", "The clear-to-zero board as XLSX (?lang=en for English); audited", "incident.read, in scope", false, "", "xlsx", ok, []string{"org_id", "lang"}, h.exportFindingBoard},
		{"GET", "/api/v1/findings/sla", "getFindingSLA", "The rectification time per severity (days) that applies to the caller's org: its own office's, inherited, or the default 3/7/30/90", "incident.read", false, "", "FindingSLA", ok, nil, h.getFindingSLA},
		{"PUT", "/api/v1/findings/sla", "putFindingSLA", "Set the caller's office's rectification times per severity (1–365 days, a less severe finding never less time), inherited below unless set there; applies to findings raised from then on", "incident.write, an office", false, "FindingSLAUpdate", "FindingSLA", ok, nil, h.putFindingSLA},
		{"GET", "/api/v1/findings/{id}", "getFinding", "One finding with its history, evidence and escalation", "incident.read, unit in scope", false, "", "FindingDetail", ok, nil, h.getFinding},
		{"POST", "/api/v1/findings/{id}/start", "startFinding", "Start rectifying an open finding, optionally naming the person of the unit responsible (owner_user_id)", "incident.write, unit in scope", false, "FindingAction", "FindingDetail", ok, nil, h.actOnFinding(startFinding)},
		{"POST", "/api/v1/findings/{id}/evidence", "uploadFindingEvidence", "Upload rectification evidence: multipart/form-data field \"file\" (≤ 20 MB, kinds as incident evidence), optional \"note\"", "incident.write, unit in scope", false, "multipart", "FindingEvidence", made, nil, h.uploadFindingEvidence},
		{"POST", "/api/v1/findings/{id}/submit", "submitFinding", "Submit the rectification for re-check (note required, evidence uploaded first); fulfils the unit's obligation on time or late", "incident.write, unit in scope", false, "FindingAction", "FindingDetail", ok, nil, h.actOnFinding(submitFinding)},
		{"POST", "/api/v1/findings/{id}/verify", "verifyFinding", "Verify a submitted rectification and close the finding", "incident.write, an office above the unit", false, "FindingAction", "FindingDetail", ok, nil, h.actOnFinding(verifyFinding)},
		{"POST", "/api/v1/findings/{id}/reject", "rejectFinding", "Send a submitted rectification back with a reason; the unit's obligation opens again (due_at, else the original deadline if ahead, else the SLA from now)", "incident.write, an office above the unit", false, "FindingAction", "FindingDetail", ok, nil, h.actOnFinding(rejectFinding)},
		{"POST", "/api/v1/findings/{id}/accept", "acceptFinding", "Accept the risk with a reason until a date within a year; the finding reopens when it expires", "incident.write, an office above the unit", false, "FindingAction", "FindingDetail", ok, nil, h.actOnFinding(acceptFinding)},
		{"POST", "/api/v1/findings/{id}/comments", "commentFinding", "Add a comment to a finding's history", "incident.write, unit in scope", false, "FindingComment", "FindingEvent", made, nil, h.commentFinding},
		{"GET", "/api/v1/finding-evidence/{id}", "downloadFindingEvidence", "Download a rectification file as an attachment (audited as an export)", "incident.read, unit in scope", false, "", "binary", ok, nil, h.downloadFindingEvidence},

		{"GET", "/api/v1/monitors", "listMonitors", "Website monitors of the systems in scope", "system.read", false, "", "MonitorList", ok, paging, h.listMonitors},
		{"POST", "/api/v1/monitors", "createMonitor", "Watch a URL of a system in scope for availability (and content tampering)", "system.write, system in scope", false, "MonitorCreate", "Monitor", made, nil, h.createMonitor},
		{"GET", "/api/v1/monitors/{id}", "getMonitor", "One monitor with its latest checks (?results=, default 20)", "system.read, system in scope", false, "", "MonitorDetail", ok, []string{"results"}, h.getMonitor},
		{"POST", "/api/v1/monitors/{id}/accept", "acceptMonitorChange", "Accept the site's current content as its new normal: the baseline is learnt again and open alerts resolved", "system.write, system in scope", false, "", "", none, nil, h.acceptMonitorChange},
		// Exposure checks (issue 12, P4): high-risk ports on registered exposure, by TCP connect only.
		{"GET", "/api/v1/exposure", "getExposureOverview", "Active systems of org_id's subtree (default the caller's org) with a registered domain, URL or IP, each with its latest exposure check", "system.read, in scope", false, "", "ExposureOverview", ok, []string{"org_id"}, h.exposureOverview},
		{"GET", "/api/v1/exposure/checks/{id}", "getExposureCheck", "One exposure check with its results per address and port", "system.read, system in scope", false, "", "ExposureCheckDetail", ok, nil, h.getExposureCheck},
		{"GET", "/api/v1/systems/{id}/exposure", "getSystemExposure", "A system's exposure checks: the policy that applies, recent checks, the latest results, the next scheduled check", "system.read, in scope", false, "", "ExposureSystem", ok, nil, h.getSystemExposure},
		{"POST", "/api/v1/systems/{id}/exposure/checks", "runExposureCheck", "Check the system's registered addresses now (TCP connect to the policy's high-risk ports and its registered ports; nothing unregistered is contacted); an open high-risk port raises a finding; the remote probes the policy names are handed the same plan (queued_probes); when the policy has probes only, 202 with queued_probes; audited", "system.write, in scope", false, "", "ExposureCheck", made, nil, h.runExposureCheck},
		{"GET", "/api/v1/systems/{id}/exposure/history", "getExposureHistory", "The results of one registered target and port, newest first", "system.read, in scope", false, "", "ExposureResultList", ok, []string{"target", "port", "limit"}, h.exposureHistory},
		{"GET", "/api/v1/orgs/{id}/exposure-policy", "getExposurePolicy", "The exposure-check policy that applies to an org (its own, inherited, or the default): high-risk ports, scheduled or not, interval", "org.read, in scope", false, "", "ExposurePolicy", ok, nil, h.getExposurePolicy},
		{"PUT", "/api/v1/orgs/{id}/exposure-policy", "putExposurePolicy", "Set an org's exposure-check policy for its subtree; audited", "org.write, in scope", false, "ExposurePolicyPut", "ExposurePolicy", ok, nil, h.putExposurePolicy},

		// Inspection checklists and campaigns (issue 12, P2).
		{"GET", "/api/v1/checklists", "listChecklists", "Inspection checklists: the built-in ones and the newest version of each uploaded one", "system.read", false, "", "ChecklistList", ok, paging, h.listChecklists},
		{"POST", "/api/v1/checklists", "uploadChecklist", "Upload a checklist (YAML body, Content-Type: application/yaml; ?note=) as the next version of its id; 400 with error.problems by line and key when invalid; audited", "warning.issue; a later version only by the first uploader's office or one above it", false, "yaml", "ChecklistVersion", made, []string{"note"}, h.uploadChecklist},
		{"GET", "/api/v1/checklists/{id}", "getChecklist", "One checklist with every item (?version= of an uploaded one, default the newest)", "system.read", false, "", "Checklist", ok, []string{"version"}, h.getChecklist},
		{"GET", "/api/v1/inspections", "listInspections", "Inspection campaigns issued in the caller's subtree or reaching it, newest first", "system.read", false, "", "InspectionList", ok, paging, h.listInspections},
		{"POST", "/api/v1/inspections", "createInspection", "Issue a self-inspection (self) or an inspection by the office (office) with a checklist to the units of a scope, due at due_at: one obligation per unit; audited", "warning.issue over org_id", false, "InspectionCreate", "InspectionIssued", made, nil, h.createInspection},
		{"GET", "/api/v1/inspections/{id}", "getInspection", "A campaign with each unit's progress (answered, findings, overdue): every unit for the issuer's side, the caller's subtree's otherwise", "system.read, visible", false, "", "InspectionBoard", ok, nil, h.getInspection},
		{"GET", "/api/v1/inspections/{id}/units/{org}", "getInspectionUnit", "One unit's answers, item by item", "system.read, the issuer's side or the unit's subtree", false, "", "InspectionForm", ok, nil, h.getInspectionUnit},
		{"POST", "/api/v1/inspections/{id}/units/{org}/answers", "answerInspection", "Answer items (replacing earlier answers) and, with submit, send them: every item answered, each non-compliant one becomes a finding, the unit's duty is done; audited", "self: the unit itself, warning.ack; office: warning.issue over the unit within the issuer's subtree", false, "InspectionAnswers", "InspectionForm", ok, nil, h.answerInspection},
		// Inspection evidence, close and 退回重填 (issue 12 item 2, inspect2).
		{"POST", "/api/v1/inspections/{id}/units/{org}/items/{item}/evidence", "uploadInspectionEvidence", "Upload a file proving a unit's answer to one item: multipart/form-data field \"file\" (≤ 20 MB, kinds as incident evidence), optional \"note\"; SM3 recorded; audited", "as answerInspection, while the unit may answer", false, "multipart", "InspectionEvidence", made, nil, h.uploadInspectionEvidence},
		{"GET", "/api/v1/inspection-evidence/{id}", "downloadInspectionEvidence", "Download an answer's file as an attachment (X-Content-SM3; audited as an export)", "system.read, the issuer's side or the unit's subtree", false, "", "binary", ok, nil, h.downloadInspectionEvidence},
		{"POST", "/api/v1/inspections/{id}/close", "closeInspection", "Close a campaign (reason required before the window ends): no answers after; units not submitted are unfinished and their duty missed; returns the closing summary; audited", "warning.issue over the issuer, the issuer's side", false, "InspectionClose", "InspectionSummary", ok, nil, h.closeInspection},
		{"GET", "/api/v1/inspections/{id}/summary", "getInspectionSummary", "The (closing) summary: units on time, late, unfinished, overdue; findings raised by severity", "system.read, the issuer's side", false, "", "InspectionSummary", ok, nil, h.getInspectionSummary},
		{"GET", "/api/v1/inspections/{id}/export.xlsx", "exportInspectionSummary", "The summary as XLSX (?lang=en for English); audited", "system.read, the issuer's side", false, "", "xlsx", ok, []string{"lang"}, h.exportInspectionSummary},
		{"POST", "/api/v1/inspections/{id}/units/{org}/return", "returnInspectionUnit", "Send a unit's submitted answers back to be filled in again (退回重填) with a note: a new duty, the unit is told; audited", "warning.issue over the issuer, the issuer's side, campaign open", false, "InspectionReturn", "InspectionForm", ok, nil, h.returnInspectionUnit},
		// IOC library (issue 14 item 5): TLP sharing down the tree (docs/intel.md).
		{"GET", "/api/v1/indicators", "listIndicators", "Indicators in force the caller's org may see under TLP (CLEAR anyone's, GREEN its province tree's, AMBER its own and its ancestors', AMBER+STRICT and RED its own), newest first", "incident.read", false, "", "IndicatorList", ok, indicatorQuery, h.listIndicators},
		{"POST", "/api/v1/indicators", "createIndicator", "Record an indicator for org_id (default the caller's org); the value is normalised; 409 when the org holds the same type and value; audited", "incident.write over org_id", false, "IndicatorWrite", "Indicator", made, nil, h.createIndicator},
		{"POST", "/api/v1/indicators/import", "importIndicators", "Import a STIX 2.1 bundle or a MISP event (the JSON document as the body, ≤ 32 MiB; ?org_id= owner, ?tlp= label of unmarked objects, default AMBER) in one transaction: idempotent by owner, type and value; objects that cannot be represented are skipped with their id and reason; audited", "incident.write over org_id", false, "IndicatorDocument", "IndicatorImport", ok, []string{"org_id", "tlp"}, h.importIndicators},
		{"GET", "/api/v1/indicators/export", "exportIndicators", "The indicators the caller may see (same filters as the list) as a STIX 2.1 bundle issued by the caller's org with TLP 2.0 markings (?format=stix) or a MISP event (?format=misp); attachment; audited", "incident.read", false, "", "IndicatorDocument", ok, []string{"format", "indicator_type", "tlp", "owner_id"}, h.exportIndicators},
		{"GET", "/api/v1/indicators/{id}", "getIndicator", "One indicator: shared with the caller's org under TLP, or owned in its subtree", "incident.read, visible", false, "", "Indicator", ok, nil, h.getIndicator},
		{"PATCH", "/api/v1/indicators/{id}", "patchIndicator", "Change some of an indicator's fields (not its type or owner); audited", "incident.write over the owner", false, "IndicatorWrite", "Indicator", ok, nil, h.patchIndicator},
		{"DELETE", "/api/v1/indicators/{id}", "deleteIndicator", "Revoke an indicator: it stops matching and leaves the lists (the row stays for the audit trail); audited", "incident.write over the owner", false, "", "", none, nil, h.deleteIndicator},
	}
}
