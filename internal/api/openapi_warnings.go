package api

// Schemas of warnings, protection periods and daily reports, duty,
// notification channels and website monitors.

var (
	warnColor  = enum("red", "orange", "yellow", "blue")
	dayStr     = obj{"type": "string", "format": "date", "description": "YYYY-MM-DD (Asia/Shanghai)"}
	orgRefProp = object(obj{"id": integer, "name": str}, "id", "name")
	orgRefNil  = obj{"oneOf": []obj{{"type": "null"}, orgRefProp}}
	measure    = object(obj{"text": str, "hours": obj{"type": "integer", "minimum": 0, "maximum": 720, "description": "Hours from issue; 0: no limit"}}, "text")
	targeting  = object(obj{"org_ids": ids, "subtrees": ids, "sector": str, "org_type": str,
		"component": obj{"type": "string", "description": "Units running a system with this component, e.g. WebLogic"}})
	warningProps = obj{"id": integer, "org_id": integer, "plan_id": str, "color": warnColor, "category": str, "title": str,
		"start_at": when, "scope": str, "items": str, "measures": arrayOf(measure), "ack_minutes": integer, "targets": targeting,
		"switches": strs, "status": enum("active", "lifted", "proposed", "declined"), "proposed_to": integer,
		"created_by": integer, "created_at": when, "updated_at": when, "lifted_at": whenNil}
	dailyReportProps = obj{"id": integer, "period_id": integer, "org_id": integer, "day": dayStr, "quiet": boolean,
		"incident_ids": ids, "note": str, "submitted_at": when, "submitted_by": str, "late": boolean}
	shiftProps = obj{"id": integer, "org_id": integer, "start_at": when, "end_at": when, "officer": str, "leader": str, "phone": str,
		"officer_id": integer, "leader_id": integer}
	onDuty       = object(obj{"org": orgRefProp, "shift": obj{"oneOf": []obj{{"type": "null"}, object(shiftProps)}}, "gaps": strs})
	monitorProps = obj{"id": integer, "system_id": integer, "url": str, "checks": arrayOf(enum("availability", "content")),
		"interval_seconds": integer, "enabled": boolean, "next_due_at": whenNil, "status": enum("", "up", "down"),
		"last_checked_at": whenNil, "last_latency_ms": integer, "last_error": str, "down_since": whenNil,
		"baseline_snapshots": integer, "resolvers": strs, "agreement": integer, "created_at": when}
)

func warningSchemas() obj {
	return obj{
		"WarningCreate": object(obj{"org_id": obj{"type": "integer", "description": "The issuing office; default the caller's org"},
			"color": warnColor, "category": str, "title": str, "start_at": whenNil, "scope": str, "items": str,
			"measures": arrayOf(measure), "ack_minutes": obj{"type": "integer", "minimum": 5, "maximum": 10080, "default": 120},
			"targets": targeting, "multi_region": boolean}, "color", "title", "targets"),
		"Warning":     object(warningProps),
		"WarningList": listOf("Warning"),
		"WarningTarget": object(obj{"id": integer, "warning_id": integer, "org_id": integer, "org_name": str, "reason": str,
			"acked_at": whenNil, "acked_by": str, "done_at": whenNil, "done_note": str}),
		"WarningDetail": object(merge(warningProps, obj{"issuer": orgRefProp, "target_orgs": arrayOf(ref("WarningTarget")),
			"changes": arrayOf(object(obj{"at": when, "actor": str, "action": enum("issue", "propose", "decline", "raise", "lower", "lift"),
				"from_color": str, "to_color": str, "reason": str})),
			"obligations": arrayOf(ref("Obligation")), "can_manage": boolean, "acked": integer, "done": integer, "overdue": integer,
			"signature": ref("Signature")})),
		"IssuerCheck": object(obj{"color": warnColor, "multi_region": boolean, "allowed": boolean, "plan_id": str, "clause": str,
			"rule": str, "propose_to": orgRefNil}),
		"WarningDecision": object(obj{"issue": boolean, "reason": str}, "issue"),
		"WarningColor":    object(obj{"color": warnColor, "reason": str}, "color", "reason"),
		"Reason":          object(obj{"reason": str}),
		"MeasuresDone":    object(obj{"note": str}, "note"),

		"PeriodCreate": object(obj{"org_id": obj{"type": "integer", "description": "The office; default the caller's org"},
			"name": str, "first_day": dayStr, "last_day": dayStr,
			"cutoff":      obj{"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "default": "13:00"},
			"leader_duty": boolean, "round_clock": boolean,
			"unit_ids": obj{"type": "array", "items": integer, "description": "Default: every operator unit below the office"}},
			"name", "first_day", "last_day"),
		"Period": object(obj{"id": integer, "org_id": integer, "name": str, "first_day": dayStr, "last_day": dayStr, "cutoff": str,
			"leader_duty": boolean, "round_clock": boolean, "unit_ids": ids, "created_by": integer, "created_at": when}),
		"PeriodList": listOf("Period"),
		"DailyReportSubmit": object(obj{"org_id": obj{"type": "integer", "description": "The unit; default the caller's org"},
			"day":   obj{"type": "string", "format": "date", "description": "Default: the earliest open day not yet reported"},
			"quiet": boolean, "incident_ids": ids, "note": str}),
		"DailyReport": object(dailyReportProps),
		"ChaseRequest": object(obj{"org_id": obj{"type": "integer", "description": "The unit to chase; it takes part in the period"},
			"day": obj{"type": "string", "format": "date", "description": "Default: the day whose cut-off is nearest"}}, "org_id"),
		"ChaseResult": object(obj{"period_id": integer, "org_id": integer, "unit": str, "day": dayStr, "at": when,
			"accounts": obj{"type": "array", "items": str, "description": "The unit's active accounts, who see the in-app notice"},
			"channels": obj{"type": "array", "items": str, "description": "The unit's channels that carry period notices (names)"},
			"email":    obj{"type": "string", "description": "The unit's report address, mailed as well; empty if none"},
			"reached":  obj{"type": "string", "description": "The same in words, as recorded on the board (Chinese)"}}),

		"Board": object(obj{"period": ref("Period"), "office": orgRefProp, "day": dayStr, "cutoff": when, "days": arrayOf(dayStr),
			"rows": arrayOf(object(obj{"org_id": integer, "org_name": str, "state": enum("on_time", "incident", "late", "missing", "pending"),
				"report": obj{"oneOf": []obj{{"type": "null"}, ref("DailyReport")}}})),
			"on_time": integer, "incidents": integer, "late": integer, "missing": integer, "pending": integer}),

		"DutyView": object(obj{"org": orgRefProp, "now": onDuty, "upcoming": arrayOf(ref("Shift")), "log": arrayOf(ref("DutyLogEntry")),
			"below": arrayOf(onDuty)}),
		"ShiftCreate": object(obj{"org_id": integer, "start_at": when, "end_at": when, "officer_id": integer, "leader_id": integer, "officer": str, "leader": str, "phone": str},
			"start_at", "end_at"),
		"Shift":         object(shiftProps),
		"DutyLogCreate": object(obj{"org_id": integer, "kind": enum("log", "handover"), "body": str}, "kind", "body"),
		"DutyLogEntry":  object(obj{"id": integer, "org_id": integer, "at": when, "author": str, "kind": enum("log", "handover"), "body": str}),

		"ChannelCreate": object(obj{"org_id": integer, "personal": boolean, "kind": enum("email", "wecom", "dingtalk", "feishu", "webhook"),
			"name": str, "target": obj{"type": "string", "description": "E-mail addresses (comma-separated) or the webhook URL"},
			"secret": obj{"type": "string", "writeOnly": true, "description": "Signing secret; stored sealed and never answered"},
			"events": obj{"type": "array", "items": enum("warning", "obligation.reminder", "obligation.overdue", "report", "duty", "period"),
				"description": "Empty: every event"}}, "kind", "name", "target"),
		"Channel": object(obj{"id": integer, "org_id": integer, "user_id": integer, "personal": boolean, "kind": str, "name": str,
			"target": str, "events": strs, "enabled": boolean}),
		"ChannelList": listOf("Channel"),
		"SendAttempt": object(obj{"id": integer, "notification_id": integer, "channel_id": integer, "kind": str,
			"target": obj{"type": "string", "description": "Webhook keys in the query are hidden"}, "title": str, "attempt": integer,
			"status": enum("sent", "retry", "failed"), "error": str, "at": when}),
		"SendAttemptList": listOf("SendAttempt"),

		"MonitorCreate": object(obj{"system_id": integer, "url": str,
			"interval_seconds": obj{"type": "integer", "minimum": 60, "maximum": 86400, "default": 300},
			"content":          obj{"type": "boolean", "description": "Also watch the content for tampering"},
			"resolvers":        obj{"type": "array", "items": str, "description": "DNS servers host:port whose answers are compared"},
			"agreement":        obj{"type": "integer", "minimum": 0, "maximum": 10, "description": "Vantage points that must see a failure"}},
			"system_id", "url"),
		"Monitor":     object(monitorProps),
		"MonitorList": listOf("Monitor"),
		"MonitorDetail": object(merge(monitorProps, obj{"results": arrayOf(object(obj{"id": integer, "at": when, "ok": boolean,
			"http_status": integer, "latency_ms": integer, "error": str, "verdict": str, "findings": obj{"type": "array"}}))})),
	}
}
