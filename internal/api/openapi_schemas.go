package api

// Hand-written schemas of the OpenAPI document, one per wire type in
// dto.go and the resource files.

func object(props obj, required ...string) obj {
	o := obj{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

// merge combines the property sets of several schemas fragments.
func merge(parts ...obj) obj {
	out := obj{}
	for _, p := range parts {
		for k, v := range p {
			out[k] = v
		}
	}
	return out
}

func arrayOf(items obj) obj { return obj{"type": "array", "items": items} }

func listOf(item string) obj {
	return object(obj{"items": arrayOf(ref(item)), "total": integer, "limit": integer, "offset": integer,
		"total_capped": obj{"type": "boolean", "description": "true when the list has more items than total (counts stop at 1000)"}},
		"items", "total", "limit", "offset")
}

func enum(values ...string) obj { return obj{"type": "string", "enum": values} }

var (
	orgFieldProps = obj{"name": str, "short_name": str,
		"level":  enum("national", "province", "city", "county", "department", "unit"),
		"type":   enum("regulator", "monitoring", "operator", "support", "expert", "public_security"),
		"sector": str, "operator_type": enum("", "cii", "central_organ", "other"), "region_code": str, "plan_roles": strs,
		"liaison":    object(obj{"name": str, "title": str, "mobile": str}),
		"duty_phone": str, "fax": str, "report_email": str, "address": str, "plan_ids": strs,
		// signals: the declared supervising department (主管部门), 0 for none.
		"supervisor_id": integer}
	systemFieldProps = obj{"org_id": integer, "name": str, "department": str, "responsible_person": str, "responsible_phone": str,
		"protection_level": obj{"type": "integer", "minimum": 0, "maximum": 5}, "cii": boolean,
		"key_kinds":   arrayOf(enum("key_target", "cii", "city_operation", "important_data", "public_info", "level3_plus")),
		"exposure":    arrayOf(object(obj{"kind": enum("domain", "url", "ip", "port"), "value": str, "note": str}, "kind", "value")),
		"components":  arrayOf(object(obj{"name": str, "version": str, "vendor": str}, "name")),
		"description": str, "status": enum("active", "retired")}
	userFieldProps = obj{"org_id": integer, "username": str, "display_name": str, "email": str, "mobile": str,
		"roles":    arrayOf(enum("system_admin", "security_admin", "audit_admin", "commander", "analyst", "duty_officer", "unit_reporter", "viewer", "display")),
		"disabled": boolean, "locale": enum("zh", "en"),
		// display accounts (issue 13 item 2): client addresses the account may be used from.
		"allowed_addresses": obj{"type": "array", "maxItems": 16, "items": str,
			"description": "IP addresses or CIDR prefixes the account may log in and work from; empty means anywhere; a display account needs one at least"}}
	stamps  = obj{"created_at": when, "updated_at": when, "version": integer}
	version = obj{"version": obj{"type": "integer", "minimum": 1, "description": "The version last read; a stale one answers 409"}}
)

func schemas() obj {
	return merge(coreSchemas(), incidentSchemas(), warningSchemas(), taskSchemas(), responseSchemas(), aftermathSchemas(),
		findingSchemas(),      // findings ledger (issue 12, P1)
		riskNoticeSchemas(),   // risk notices (issue 12, P3)
		exposureSchemas(),     // exposure checks (issue 12, P4)
		drillSchemas(),        // drills, training, capability (issue 12, P5)
		drillRunSchemas(),     // drill mode (issue 12 item 6)
		inspectionSchemas(),   // inspections (issue 12, P2)
		awarenessSchemas(),    // situational awareness (issue 13 item 1)
		statisticsSchemas(),   // statistics (issue 13 items 4, 8)
		alertSchemas(),        // alerts, events, intake sources (issue 14)
		ruleSetSchemas(),      // detection rules (issue 14 item 3)
		indicatorSchemas(),    // IOC library (issue 14 item 5)
		totpPolicySchemas(),   // second factor by policy (issue 15 item 2)
		secondFactorSchemas(), // recovery codes and the second factor's reset
		signingSchemas())      // SM2 signatures (issue 15 item 1)
}

func coreSchemas() obj {
	return obj{
		"Error": object(obj{"error": object(obj{"code": enum("invalid", "unauthorized", "forbidden", "not_found", "conflict",
			"too_many_requests", "not_implemented", "internal", "method_not_allowed"), "message": str, "field": str,
			// every wrong field when there are several (the first is code/message/field)
			"fields": arrayOf(object(obj{"field": str, "message": str}, "field", "message"))}, "code", "message")}, "error"),
		"LoginRequest": object(obj{"username": str, "password": str, "totp_code": obj{"type": "string", "description": "The authenticator's 6-digit code, or one unused recovery code (works once)"}}, "username", "password"),
		"SessionStage": object(obj{"stage": enum("full")}, "stage"),
		"Me":           object(obj{"user": ref("User"), "org": ref("Org"), "scope": enum("", "read", "write", "admin", "metrics"), "permissions": strs}),
		"Org":          object(merge(obj{"id": integer, "parent_id": integer}, orgFieldProps, stamps)),
		"OrgCreate":    object(merge(obj{"parent_id": integer}, orgFieldProps), "parent_id", "name", "level", "type"),
		"OrgUpdate":    object(merge(orgFieldProps, version), "version"),
		"OrgList":      listOf("Org"),
		"Contact": object(obj{"kind": enum("org", "user", "system", "report", "shift", "member"), "id": integer, "org_id": integer,
			"name": str, "fields": arrayOf(object(obj{"field": str, "value": str}, "field", "value"))}, "kind", "id", "org_id", "fields"),
		"EffectivePlans": object(obj{"plan_ids": strs, "inherited_from": integer, "inherited": boolean}),
		"System":         object(merge(obj{"id": integer}, systemFieldProps, stamps)),
		"SystemCreate":   object(systemFieldProps, "org_id", "name"),
		"SystemUpdate":   object(merge(systemFieldProps, version), "version"),
		"SystemList":     listOf("System"),
		"User": object(merge(obj{"id": integer, "totp_enabled": boolean, "must_enroll_totp": boolean, "password_changed_at": whenNil},
			userFieldProps, stamps)),
		"UserCreate":    object(merge(userFieldProps, obj{"password": str}), "org_id", "username", "display_name", "roles", "password"),
		"UserUpdate":    object(merge(userFieldProps, version), "version"),
		"UserList":      listOf("User"),
		"PasswordReset": object(obj{"password": str}, "password"),
		"Token": object(obj{"id": integer, "name": str, "scope": enum("read", "write", "admin", "metrics"), "created_at": when,
			"expires_at": whenNil, "last_used_at": whenNil, "token": obj{"type": "string", "description": "The secret; only in the answer to POST"}}),
		"TokenCreate": object(obj{"name": str, "scope": enum("read", "write", "admin", "metrics"),
			"expires_days": obj{"type": "integer", "minimum": 1, "maximum": 366}}, "name", "scope", "expires_days"),
		"TokenList": listOf("Token"),
		"AuditEntry": object(obj{"seq": integer, "time": when, "actor_id": integer, "actor_name": str, "org_id": integer,
			"action": str, "object_type": str, "object_id": str, "outcome": str, "kind": enum("read", "change"), "ip": str, "detail": obj{}}),
		"AuditList": listOf("AuditEntry"),
		"AuditVerify": object(obj{"ok": boolean, "checked": integer, "last": str, "archives": integer, "archived_entries": integer, "anchors": integer,
			"newest_anchor": obj{"oneOf": []obj{{"type": "null"}, object(obj{"seq": integer, "time": when, "where": str})}},
			"problem": obj{"oneOf": []obj{{"type": "null"}, object(obj{"kind": enum("altered", "removed", "reordered", "tail_removed", "bad_signature"),
				"seq": integer, "file": str, "message": str, "message_zh": str})}}}),
		"AuditKeeping": object(obj{"retention_days": integer, "archive_dir": str, "archives": integer, "archived_entries": integer,
			"last_archive":   obj{"oneOf": []obj{{"type": "null"}, object(obj{"file": str, "first_seq": integer, "last_seq": integer, "entries": integer, "created": when})}},
			"signing_key_id": str, "anchor_file": str, "anchor_syslog": str, "anchor_interval_seconds": integer,
			"last_anchor": obj{"oneOf": []obj{{"type": "null"}, object(obj{"time": when, "seq": integer, "hash": str, "file": str, "file_error": str, "syslog": str, "syslog_error": str})}}}),
		"PlanSummary": object(obj{"id": str, "version": str, "name": str, "name_en": str, "taxonomy": str, "builtin": boolean,
			"revision": obj{"type": "integer", "description": "The stored version in force; 0 for the built-in text"}}),
		"PlanList": listOf("PlanSummary"),
		"Plan":     obj{"type": "object", "description": "The plan document as docs/plans.md describes it", "properties": obj{"id": str, "version": str}},
		// Plans edited in the product.
		"PlanProblem": object(obj{"line": integer, "key": str, "message": str}),
		"PlanChange":  object(obj{"key": str, "old": str, "new": str}),
		"PlanReview": object(obj{"plan_id": str, "ok": boolean, "problems": arrayOf(ref("PlanProblem")), "changes": arrayOf(ref("PlanChange")),
			"base_revision": obj{"type": "integer", "description": "Send as ?base= to PUT: the stored version in force, 0 the built-in text, -1 a new plan"},
			"unchanged":     boolean, "version": str}),
		"PlanVersion": object(obj{"plan_id": str, "version": integer, "sm3": str, "uploaded_by": integer, "uploaded_at": when,
			"state": enum("active", "superseded"), "note": str, "yaml": str}),
		"PlanVersionList": listOf("PlanVersion"),
		"PlanDiff":        object(obj{"plan_id": str, "from": integer, "to": integer, "changes": arrayOf(ref("PlanChange"))}),
		"GradeRequest": object(obj{"plan": str, "facts": obj{"type": "object", "description": "Facts by key (docs/plans.md)"},
			"category": str}, "plan"),
		"GradeResult": obj{"type": "object", "properties": obj{"plan": str, "plan_version": str, "grade": str, "grade_name": anyObj,
			"warning_color": str, "clauses": arrayOf(object(obj{"id": str, "grade": str, "text": str})),
			"reporting": arrayOf(anyObj), "deadlines": arrayOf(anyObj), "response": anyObj, "notes": strs, "facts": anyObj, "category": str}},
	}
}
