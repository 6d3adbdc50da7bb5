package api

// Situational awareness per level (issue 13 item 1): the snapshot the
// home screens and the wall show, for the caller's subtree.

import (
	"net/http"

	"fenghuo/internal/fenghuo"
)

// awarenessRoutes is the awareness block of the route table.
func (h *Handler) awarenessRoutes() []Route {
	return []Route{
		{"GET", "/api/v1/awareness", "getAwareness", "Situational awareness of the caller's subtree: open incidents by grade and category with their trend, active warnings with acknowledgements, nearest and overdue deadlines, today's daily-report compliance, monitoring, findings, drills due, who is on duty, and the org tree coloured by state", "incident.read", false, "", "Awareness", http.StatusOK, nil, h.getAwareness},
	}
}

func (h *Handler) getAwareness(w http.ResponseWriter, r *http.Request) {
	s, err := h.app.Awareness.Snapshot(r.Context(), actor(r))
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s)
}

func awarenessSchemas() obj {
	orgRef := object(obj{"id": integer, "name": str}, "id", "name")
	count := object(obj{"key": str, "n": integer}, "key", "n")
	deadline := object(obj{"obligation_id": integer, "kind": str, "title": str, "clause": str, "incident_id": integer,
		"incident_title": str, "grade": enum("", "I", "II", "III", "IV"), "org": orgRef, "due_at": when,
		"remaining_seconds": obj{"type": "integer", "description": "Seconds left at the snapshot's time; negative when overdue"}},
		"obligation_id", "kind", "title", "org", "due_at", "remaining_seconds")
	states := enum("red", "orange", "green")
	return obj{
		"Awareness": object(obj{
			"at":          when,
			"org":         orgRef,
			"level":       enum("unit", "county", "city", "province", "national", "sector"),
			"open_total":  integer,
			"by_grade":    obj{"type": "array", "items": count, "description": "Open incidents per grade I–IV (ungraded as \"\" when any)"},
			"by_category": obj{"type": "array", "items": count, "description": "Open incidents per category, most first"},
			"trend": object(obj{"today": integer, "yesterday": integer, "week": integer, "previous_week": integer,
				"month": integer, "previous_month": integer,
				"days": obj{"type": "array", "description": "New incidents per day (Asia/Shanghai) of the last 30 days, oldest first",
					"items": object(obj{"day": str, "n": integer}, "day", "n")}}),
			"warnings": arrayOf(object(obj{"id": integer, "title": str, "color": enum(colorNames()...), "acked": integer,
				"total": integer, "issuer": orgRef})),
			"deadlines": obj{"type": "array", "items": deadline, "description": "The nearest open obligations not yet due (daily reports aside), soonest first"},
			"overdue": object(obj{"total": integer, "capped": boolean, "items": obj{"type": "array", "items": deadline,
				"description": "Open obligations past due, grade I first"}}),
			"compliance": arrayOf(object(obj{"period_id": integer, "name": str, "day": str, "cutoff": when, "filed": integer,
				"expected": integer, "missing": arrayOf(orgRef), "pending": arrayOf(orgRef)})),
			"monitoring": obj{"description": "Absent without system.read", "type": "object",
				"properties": obj{"total": integer, "up": integer, "down": integer, "tampered": integer, "open_alerts": integer}},
			"findings": object(obj{"open": integer, "overdue": integer, "submitted": integer, "accepted": integer}),
			"drills":   object(obj{"year": integer, "shown": boolean, "total": integer, "capped": boolean, "units": arrayOf(orgRef)}),
			"on_duty":  arrayOf(object(obj{"org": orgRef, "officer": str, "leader": str, "phone": str, "until": when, "covered": boolean})),
			"tree": obj{"type": "array", "description": "The subtree depth first; state is the worst of the org's own and its subtree's",
				"items": object(obj{"id": integer, "parent_id": integer, "name": str, "level": str, "depth": integer, "state": states,
					"open_incidents": integer, "serious": integer, "overdue": integer, "missing_daily": boolean,
					"sites_down": integer, "sites_tampered": integer})},
			"tree_capped": boolean,
		}, "at", "org", "level", "open_total", "by_grade", "trend", "deadlines", "overdue"),
	}
}

func colorNames() []string {
	out := []string{}
	for _, c := range fenghuo.Colors {
		out = append(out, string(c))
	}
	return out
}
