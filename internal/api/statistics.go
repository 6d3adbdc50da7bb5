package api

// Statistics (issue 13 items 4 and 8): the numbers the console's charts
// draw, a protection period's unit × day grid, and the monthly and annual
// 统计通报 as documents.

import (
	"bytes"
	"net/http"

	"fenghuo/internal/app/statistics"
)

func init() {
	queryParams["by"] = obj{"type": "string", "enum": []string{"day", "week", "month"},
		"description": "Statistics: count by day (≤ 92 days), week (≤ 2 years) or month; default by the range's length"}
}

// statisticsQuery: from and to as dates (YYYY-MM-DD, both included), or a
// month (YYYY-MM) or year (YYYY) in from alone.
var statisticsQuery = []string{"from", "to", "by"}

// statisticsRoutes is the statistics block of the route table.
func (h *Handler) statisticsRoutes() []Route {
	const ok = http.StatusOK
	return []Route{
		{"GET", "/api/v1/statistics", "getStatistics", "Incidents over time by grade and category, and report duties on time / late / missed / overdue per unit and over time, in the caller's scope, over a range: from and to as YYYY-MM-DD (both included), or from=YYYY-MM (a month) or from=YYYY (a year); default the last twelve months by month", "incident.read", false, "", "Statistics", ok, statisticsQuery, h.getStatistics},
		{"GET", "/api/v1/statistics/bulletin/{format}", "downloadStatisticsBulletin", "The statistics of the range as the office's 统计通报: {format} is docx or pdf (official layout, charts as images) or xlsx (tables with native charts); same range as getStatistics (attachment; audited as an export)", "incident.read", false, "", "binary", ok, statisticsQuery, h.downloadStatisticsBulletin},
		{"GET", "/api/v1/periods/{id}/grid", "getPeriodGrid", "A protection period as units × days: each day's state per unit (on_time, incident, late, missing, pending, contradicted; empty before the day opens), as the daily board decides it", "incident.read, visible", false, "", "PeriodGrid", ok, nil, h.getPeriodGrid},
	}
}

func (h *Handler) statisticsRange(r *http.Request) (statistics.Range, error) {
	q := r.URL.Query()
	return statistics.ParseRange(q.Get("from"), q.Get("to"), q.Get("by"), h.app.Statistics.Now())
}

func (h *Handler) getStatistics(w http.ResponseWriter, r *http.Request) {
	rg, err := h.statisticsRange(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	rep, err := h.app.Statistics.Statistics(r.Context(), actor(r), rg)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

func (h *Handler) downloadStatisticsBulletin(w http.ResponseWriter, r *http.Request) {
	rg, err := h.statisticsRange(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	format := r.PathValue("format")
	var buf bytes.Buffer
	name, err := h.app.Statistics.Bulletin(r.Context(), actor(r), rg, format, &buf)
	if err != nil {
		h.error(w, r, err)
		return
	}
	if format == "xlsx" {
		w.Header().Set("Content-Type", xlsxType)
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
		w.Header().Set("Cache-Control", "no-store")
		w.Write(buf.Bytes())
		return
	}
	sendDocument(w, name, format, buf.Bytes())
}

func (h *Handler) getPeriodGrid(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	g, err := h.app.Statistics.PeriodGrid(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, g)
}

func statisticsSchemas() obj {
	text := object(obj{"zh": str, "en": str}, "zh")
	counts := obj{"type": "array", "items": integer, "description": "One count per bucket, in the order of buckets"}
	line := object(obj{"key": obj{"type": "string", "description": "Grade (I–IV) or top-level category code (\"\": none)"},
		"name": text, "values": counts, "total": integer}, "key", "name", "values", "total")
	punct := object(obj{"on_time": integer, "late": obj{"type": "integer", "description": "filed after the due time (late)"},
		"missed":  obj{"type": "integer", "description": "closed without a report (missed)"},
		"overdue": obj{"type": "integer", "description": "Open and past the due time now"},
		"pending": obj{"type": "integer", "description": "Open, not yet due"}}, "on_time", "late", "missed", "overdue", "pending")
	return obj{
		"Statistics": object(obj{"office": str,
			"from": obj{"type": "string", "format": "date", "description": "First day"},
			"to":   obj{"type": "string", "format": "date", "description": "Last day, included"},
			"by":   enum("day", "week", "month"),
			"buckets": obj{"type": "array", "items": str,
				"description": "Bucket keys in order: YYYY-MM-DD (a day, or the Monday a week starts) or YYYY-MM"},
			"incidents": integer, "grades": arrayOf(line), "categories": arrayOf(line),
			"punctuality_per_bucket": arrayOf(punct), "punctuality": punct,
			"units": arrayOf(object(obj{"org_id": integer, "name": str, "incidents": integer, "punctuality": punct,
				"per_bucket": arrayOf(punct)}, "org_id", "name", "incidents", "punctuality", "per_bucket"))},
			"office", "from", "to", "by", "buckets", "incidents", "grades", "categories", "punctuality_per_bucket", "punctuality", "units"),
		"PeriodGrid": object(obj{"period_id": integer, "name": str, "days": obj{"type": "array", "items": str},
			"rows":   arrayOf(object(obj{"org_id": integer, "name": str, "states": obj{"type": "array", "items": str}}, "org_id", "name", "states")),
			"counts": obj{"type": "object", "additionalProperties": integer}}, "period_id", "name", "days", "rows", "counts"),
	}
}
