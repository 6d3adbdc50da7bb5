package api

// Schemas of incidents, reports, deliveries and obligations.

var (
	ids       = arrayOf(integer)
	factsProp = obj{"type": "object", "description": "Facts by key (docs/plans.md); an unknown key or a wrong type is a 400 on facts.<key>"}
	grade     = enum("I", "II", "III", "IV")
)

func incidentSchemas() obj {
	return obj{
		"IncidentCreate": object(obj{"org_id": integer, "title": str, "category": str, "system_ids": ids, "occurred_at": whenNil,
			"discovered_at": whenNil, "facts": factsProp, "description": str, "impact": str, "measures": str,
			"channel": enum("", "unit", "phone", "fax", "wechat", "email", "monitoring", "public"), "caller": str}, "org_id", "title"),
		"Incident": object(obj{"id": integer, "org_id": integer, "title": str, "category": str, "taxonomy": str,
			"status": enum("draft", "reported", "assessing", "responding", "recovering", "closed"), "system_ids": ids,
			"occurred_at": whenNil, "discovered_at": when, "reported_at": whenNil, "facts": anyObj, "description": str,
			"impact": str, "measures": str, "grade": grade, "computed_grade": grade, "grade_override": str,
			"override_reason": str, "channel": str, "caller": str, "version": integer,
			"grading": arrayOf(object(obj{"plan": str, "category": str, "result": ref("GradeResult")}))}),
		"IncidentSummary": object(obj{"id": integer, "org_id": integer, "title": str, "category": str, "taxonomy": str,
			"status":      enum("draft", "reported", "assessing", "responding", "recovering", "closed"),
			"occurred_at": whenNil, "discovered_at": when, "reported_at": whenNil, "grade": grade, "computed_grade": grade,
			"grade_override": str, "channel": str, "caller": str, "version": integer}),
		"IncidentList":  listOf("IncidentSummary"),
		"FactsUpdate":   object(obj{"version": version["version"], "facts": factsProp, "category": str, "system_ids": ids}, "version"),
		"GradeOverride": object(obj{"grade": obj{"enum": []string{"", "I", "II", "III", "IV"}, "description": "Empty clears the override"}, "reason": str}),
		"Transition": object(obj{"status": enum("reported", "assessing", "responding", "recovering", "closed"),
			"reason": str}, "status"),
		"GradeRecord": object(obj{"at": when, "grade": grade, "computed_grade": grade, "override": str, "reason": str,
			"facts": anyObj, "actor": str, "actor_username": str}),
		"GradeRecordList": listOf("GradeRecord"),
		"ReportForm":      object(obj{"fields": arrayOf(anyObj)}),
		"ReportSubmit": object(obj{"kind": enum("initial", "follow_up", "final"), "content": obj{"type": "object",
			"additionalProperties": str, "description": "Report items by the field ids of the report form"},
			"signer": str, "reporter_name": str, "reporter_phone": str,
			"competent_department_id": obj{"type": "integer", "description": "The unit's competent department (主管部门) when the platform cannot tell: a 400 on competent_department_id lists the candidates (name and id)"}},
			"kind", "content", "signer", "reporter_name", "reporter_phone"),
		"Report": object(obj{"id": integer, "kind": enum("initial", "follow_up", "final"), "number": integer, "revision": integer,
			"content": obj{"type": "object", "additionalProperties": str}, "signer": str, "reporter_name": str,
			"reporter_phone": str, "submitted_at": when}),
		"Delivery": object(obj{"id": integer, "report_id": integer, "incident_id": integer, "from_org_id": integer,
			"to_org_id": integer, "plan_id": str, "route_id": str, "forwarded_from": integer, "sent_at": when, "received_at": whenNil,
			"signature": ref("Signature")}),
		"DeliveryList":    listOf("Delivery"),
		"IncidentReports": object(obj{"reports": arrayOf(ref("Report")), "deliveries": arrayOf(ref("Delivery"))}),
		"Obligation": object(obj{"id": integer, "kind": str, "incident_id": integer, "owner_org_id": integer,
			"recipient_org_id": integer, "recipient_name": str, "plan_id": str, "rule": str, "clause": str, "title": str,
			"due_at": whenNil, "urgency": str, "state": str, "overdue": boolean, "done_at": whenNil,
			"calendar_estimated": boolean, "calendar_note": str}),
		"ObligationList": listOf("Obligation"),
		"Timeline": object(obj{"items": arrayOf(object(obj{"seq": integer, "at": when, "actor": str, "kind": str, "body": str,
			"body_en": obj{"type": "string", "description": "The body in English when the platform wrote it (data.phrase: key and arguments); absent for typed text"},
			"data":    obj{}, "hash": str})), "total": integer, "limit": integer, "offset": integer, "intact": boolean, "first_broken": integer}),
		"Note":     object(obj{"text": str}, "text"),
		"Evidence": object(obj{"id": integer, "filename": str, "size": integer, "sm3": str}),
		"EvidenceList": object(obj{"items": arrayOf(object(obj{"id": integer, "filename": str, "size": integer, "sm3": str,
			"content_type": str, "note": str, "uploaded_by": integer, "uploaded_at": when}))}, "items"),
		"ImportResult":       object(obj{"imported": integer}),
		"Forward":            object(obj{"to_org_id": integer, "note": str}),
		"Forwarded":          object(obj{"forwarded_to": strs}),
		"CompleteObligation": object(obj{"note": str}, "note"),
		"ReportingRecord": object(obj{"org_id": integer, "org_name": str, "on_time": integer, "late": integer,
			"overdue": integer, "missed": integer, "open": integer}),
		"ReportingRecordList":  listOf("ReportingRecord"),
		"ReportingSignals":     object(obj{"org_id": integer, "org_name": str, "late": integer, "missed": integer, "concealment": integer}),
		"ReportingSignalsList": listOf("ReportingSignals"),
	}
}
