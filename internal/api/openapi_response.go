package api

// Schemas of response levels (R1).

func responseSchemas() obj {
	activation := object(obj{"id": integer, "incident_id": integer, "plan_id": str, "level": grade,
		"state":            enum("requested", "active", "ended", "refused", "superseded"),
		"requested_org_id": integer, "requested_at": whenNil, "decided_org_id": integer, "decided_at": whenNil,
		"hand_up_org_id": integer, "previous_id": integer, "clause": str, "reason": str, "activated_at": whenNil,
		"ended_at": whenNil, "end_clause": str, "end_notice": str})
	return obj{
		"ResponseAct": object(obj{"action": enum("request", "activate", "change", "end"),
			"level":     obj{"enum": []string{"I", "II", "III", "IV"}, "description": "The level to request, activate or change to; not for end"},
			"reason":    str,
			"approval":  obj{"type": "string", "description": "Reference of the approval the plan asks for (document number, meeting or time); required when the level (or its end) names an approving body"},
			"commander": obj{"type": "string", "description": "Name of the commander of the command body the level sets up; required when it sets one up"},
			"phone":     str, "liaison": str, "on_site": str,
			"situation":    obj{"type": "string", "description": "How the incident was handled: required to end; the end notice carries it"},
			"requirements": str}, "action"),
		"ResponseActivation": activation,
		"ResponseResult": object(obj{"activation": ref("ResponseActivation"),
			"handed_up_to": obj{"type": "integer", "description": "The office the decision went to, when the level exceeds the caller's authority"},
			"message":      str}),
		"ResponseView": object(obj{"current": obj{"oneOf": []obj{ref("ResponseActivation"), {"type": "null"}}},
			"history":    arrayOf(ref("ResponseActivation")),
			"command":    arrayOf(object(obj{"role": enum("commander", "deputy", "member", "liaison", "onsite_team", "expert"), "name": str, "org_id": integer, "phone": str})),
			"switches":   arrayOf(object(obj{"key": str, "applied_at": when, "detail": anyObj})),
			"recipients": arrayOf(object(obj{"org_id": integer, "name": str, "notified_at": when, "end_sent_at": whenNil, "delivery": enum("pending", "delivered", "failed"), "delivery_note": str})),
			"approvals":  arrayOf(object(obj{"body": str, "reference": str, "approved_at": when})),
			"duties": arrayOf(object(obj{"org_id": integer, "org_name": str, "hours_per_day": integer, "starts_at": when, "ends_at": whenNil,
				"uncovered_now": boolean, "gaps": obj{"type": []string{"array", "null"}, "items": object(obj{"from": when, "to": when})}})),
			"levels":        arrayOf(grade),
			"action":        enum("", "request", "activate", "change", "end"),
			"can_change":    boolean,
			"refusal":       str,
			"end_signature": obj{"oneOf": []obj{ref("Signature"), {"type": "null"}}},
			"open_after_end": obj{"type": "array", "items": ref("Task"),
				"description": "Once the response has ended: the playbook tasks still open (recovery goes on); the standby tasks closed with the level. Empty while a level holds"}}),
	}
}
