package api

// Alerts from the tools units run (issue 14): the intake (POST
// /api/v1/alerts under an intake token), alert groups and their triage,
// the event search and the intake sources.

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"fenghuo/internal/app/intake"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

func init() {
	queryParams["format"] = obj{"type": "string", "enum": []string{"wazuh", "wazuh-webhook", "suricata", "generic"},
		"description": "The records' format; absent: detected per record"}
	queryParams["alert_state"] = obj{"type": "string", "enum": []string{store.AlertOpen, store.AlertAssigned, store.AlertDismissed, store.AlertPromoted}}
	queryParams["alert_level"] = obj{"type": "string", "enum": intake.Levels}
	queryParams["kind"] = obj{"type": "string", "enum": []string{"sigma", "threshold", "ioc"}, "description": "What raised the alert"}
	queryParams["rule"] = obj{"type": "string", "description": "A rule id (Sigma id, threshold rule id or STIX indicator id)"}
	queryParams["cursor"] = obj{"type": "string", "description": "The next cursor of the previous page"}
	queryParams["revoked"] = obj{"type": "boolean", "description": "Include revoked sources"}
}

var (
	alertGroupQuery = append([]string{"org_id", "alert_state", "alert_level", "kind", "rule", "from", "to"}, paging...)
	eventQuery      = []string{"org_id", "from", "to", "cursor", "limit"}
)

// alertRoutes is the alerts block of the route table.
func (h *Handler) alertRoutes() []Route {
	const ok, made, none = http.StatusOK, http.StatusCreated, http.StatusNoContent
	return []Route{
		{"POST", "/api/v1/alerts", "ingestAlerts", "Send a batch of events from a sensor: a JSON object, a JSON array or NDJSON (one object a line), at most 16 MB and 10,000 records; stored, detected on and grouped in one transaction, answered only after the commit with the count accepted and each rejected record's line; 413 when too large", "an intake token (Authorization: Bearer fhi_…), not a user's credentials", true, "AlertBatch", "AlertIntakeResult", ok, []string{"format"}, h.ingestAlerts},
		{"GET", "/api/v1/alert-groups", "listAlertGroups", "Alert groups of the caller's subtree, latest activity first, with counts by state, level and kind (facets) over the same scope and time range (from/to on last_seen)", "incident.read", false, "", "AlertGroupList", ok, alertGroupQuery, h.listAlertGroups},
		{"GET", "/api/v1/alert-groups/{id}", "getAlertGroup", "One alert group with its latest events (up to 20) and the category a promotion would give", "incident.read, unit in scope", false, "", "AlertGroupDetail", ok, nil, h.getAlertGroup},
		{"POST", "/api/v1/alert-groups/{id}/assign", "assignAlertGroup", "Assign the group to an active account that sees it (its unit or an office above, within the caller's subtree); audited", "incident.write, unit in scope", false, "AlertAssign", "AlertGroup", ok, nil, h.assignAlertGroup},
		{"POST", "/api/v1/alert-groups/{id}/dismiss", "dismissAlertGroup", "Dismiss the group with a reason (required); audited", "incident.write, unit in scope", false, "AlertDismiss", "AlertGroup", ok, nil, h.dismissAlertGroup},
		{"POST", "/api/v1/alert-groups/{id}/reopen", "reopenAlertGroup", "Reopen a dismissed group; audited", "incident.write, unit in scope", false, "", "AlertGroup", ok, nil, h.reopenAlertGroup},
		{"POST", "/api/v1/alert-groups/{id}/promote", "promoteAlertGroup", "Open a draft incident for the group's unit: category from the rule's ATT&CK tags (GB/T 20986-2023), discovered at the first event, the group's summary as description, the unit's systems the events name; audited", "incident.write, unit in scope", false, "", "AlertPromotion", ok, nil, h.promoteAlertGroup},
		{"GET", "/api/v1/events", "searchEvents", "Stored events of the caller's subtree, newest first, paged by cursor; every other query parameter is a field condition (source.ip=203.0.113.9&user.name=alice): source.ip, destination.ip, user.name, host.name, event.category (its first value) and rule.id are indexed, any other field is matched in the event's JSON within at most 31 days (default the last day)", "incident.read", false, "", "EventPage", ok, eventQuery, h.searchEvents},
		{"GET", "/api/v1/intake-sources", "listIntakeSources", "Intake sources (sensors) of the caller's subtree, newest first", "system.read", false, "", "IntakeSourceList", ok, append([]string{"org_id", "revoked"}, paging...), h.listIntakeSources},
		{"POST", "/api/v1/intake-sources", "createIntakeSource", "Register a sensor for a unit: its intake token is in the answer this once (only its SM3 hash is kept); addresses bind syslog senders; mapping is the generic JSON field mapping; audited", "system.write over org_id", false, "IntakeSourceCreate", "IntakeSourceCreated", made, nil, h.createIntakeSource},
		{"GET", "/api/v1/intake-sources/{id}", "getIntakeSource", "One intake source", "system.read, unit in scope", false, "", "IntakeSource", ok, nil, h.getIntakeSource},
		{"DELETE", "/api/v1/intake-sources/{id}", "revokeIntakeSource", "Revoke a source: its token and bound addresses stop working at once; its events stay; audited", "system.write, unit in scope", false, "", "", none, nil, h.revokeIntakeSource},
	}
}

type alertGroupJSON struct {
	ID            int64      `json:"id"`
	OrgID         int64      `json:"org_id"`
	RuleID        string     `json:"rule_id"`
	Entity        string     `json:"entity"`
	Kind          string     `json:"kind"`
	RuleSet       string     `json:"rule_set"`
	Title         string     `json:"title"`
	Level         string     `json:"level"`
	Tags          []string   `json:"tags"`
	IndicatorID   int64      `json:"indicator_id"`
	SourceID      int64      `json:"source_id"`
	Count         int64      `json:"count"`
	FirstSeen     time.Time  `json:"first_seen"`
	LastSeen      time.Time  `json:"last_seen"`
	State         string     `json:"state"`
	AssigneeID    int64      `json:"assignee_id"`
	DismissReason string     `json:"dismiss_reason"`
	IncidentID    int64      `json:"incident_id"`
	UpdatedAt     *time.Time `json:"updated_at"`
}

func toAlertGroup(g store.AlertGroup) alertGroupJSON {
	return alertGroupJSON{ID: g.ID, OrgID: g.OrgID, RuleID: g.RuleID, Entity: g.Entity, Kind: g.Kind, RuleSet: g.RuleSet,
		Title: g.Title, Level: g.Level, Tags: nonNil(g.Tags), IndicatorID: g.IndicatorID, SourceID: g.SourceID, Count: g.Count,
		FirstSeen: g.FirstSeen, LastSeen: g.LastSeen, State: g.State, AssigneeID: g.AssigneeID, DismissReason: g.DismissReason,
		IncidentID: g.IncidentID, UpdatedAt: timePtr(g.UpdatedAt)}
}

type eventJSON struct {
	ID           int64          `json:"id"`
	OrgID        int64          `json:"org_id"`
	SourceID     int64          `json:"source_id"`
	Time         time.Time      `json:"time"`
	Received     time.Time      `json:"received"`
	Kind         string         `json:"kind"`
	Fields       map[string]any `json:"fields"`
	Raw          string         `json:"raw"`
	RawTruncated bool           `json:"raw_truncated,omitempty"`
}

func toEvent(e store.StoredEvent) eventJSON {
	out := eventJSON{ID: e.ID, OrgID: e.OrgID, SourceID: e.SourceID, Time: e.At, Received: e.Received, Kind: e.Kind, Raw: e.Raw,
		RawTruncated: e.RawTruncated, Fields: map[string]any{}}
	jsonUnmarshalObject(e.Fields, &out.Fields)
	return out
}

type alertFacetsJSON struct {
	State map[string]int `json:"state"`
	Level map[string]int `json:"level"`
	Kind  map[string]int `json:"kind"`
}

type alertGroupListJSON struct {
	list[alertGroupJSON]
	Facets alertFacetsJSON `json:"facets"`
}

func (h *Handler) listAlertGroups(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	orgID, err := queryInt(r, "org_id", 1, 1<<62)
	if err != nil {
		h.error(w, r, err)
		return
	}
	q := r.URL.Query()
	f := intake.GroupFilter{OrgID: orgID, State: q.Get("alert_state"), Level: q.Get("alert_level"), Kind: q.Get("kind"), RuleID: q.Get("rule")}
	if f.From, f.To, err = timeRange(r); err != nil {
		h.error(w, r, err)
		return
	}
	res, facets, err := h.app.Intake.Groups(r.Context(), actor(r), f, p)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, alertGroupListJSON{list: pageOf(res, p, toAlertGroup),
		Facets: alertFacetsJSON{State: facets.State, Level: facets.Level, Kind: facets.Kind}})
}

// timeRange reads ?from=&to= as RFC 3339 times.
func timeRange(r *http.Request) (from, to time.Time, err error) {
	q := r.URL.Query()
	var bad fenghuo.Invalid
	for _, t := range []struct {
		name string
		dst  *time.Time
	}{{"from", &from}, {"to", &to}} {
		if s := q.Get(t.name); s != "" {
			if *t.dst, err = time.Parse(time.RFC3339, s); err != nil {
				bad.Add(fenghuo.FieldErrorf(t.name, "%s must be an RFC 3339 time such as 2026-11-22T08:00:00+08:00. / 时间格式应为RFC 3339。", t.name))
			}
		}
	}
	return from, to, bad.Err()
}

type alertGroupDetailJSON struct {
	alertGroupJSON
	OrgName  string      `json:"org_name"`
	Assignee string      `json:"assignee,omitempty"`
	Category string      `json:"category"`
	Events   []eventJSON `json:"events"`
}

func (h *Handler) getAlertGroup(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	d, err := h.app.Intake.Group(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	out := alertGroupDetailJSON{alertGroupJSON: toAlertGroup(d.Group), OrgName: d.OrgName, Assignee: d.Assignee,
		Category: d.Category, Events: make([]eventJSON, 0, len(d.Samples))}
	for _, e := range d.Samples {
		out.Events = append(out.Events, toEvent(e))
	}
	writeJSON(w, http.StatusOK, out)
}

func (h *Handler) assignAlertGroup(w http.ResponseWriter, r *http.Request) {
	var in struct {
		UserID int64 `json:"user_id"`
	}
	h.triageAlertGroup(w, r, &in, func(id int64) (*store.AlertGroup, error) {
		return h.app.Intake.Assign(r.Context(), actor(r), id, in.UserID)
	})
}

func (h *Handler) dismissAlertGroup(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Reason string `json:"reason"`
	}
	h.triageAlertGroup(w, r, &in, func(id int64) (*store.AlertGroup, error) {
		return h.app.Intake.Dismiss(r.Context(), actor(r), id, in.Reason)
	})
}

func (h *Handler) reopenAlertGroup(w http.ResponseWriter, r *http.Request) {
	h.triageAlertGroup(w, r, nil, func(id int64) (*store.AlertGroup, error) {
		return h.app.Intake.Reopen(r.Context(), actor(r), id)
	})
}

// triageAlertGroup reads the id and the body (when in is not nil), runs
// act and answers with the group.
func (h *Handler) triageAlertGroup(w http.ResponseWriter, r *http.Request, in any, act func(id int64) (*store.AlertGroup, error)) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	if in != nil {
		if err := decode(w, r, in); err != nil {
			h.error(w, r, err)
			return
		}
	}
	g, err := act(id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAlertGroup(*g))
}

type alertPromotionJSON struct {
	Group      alertGroupJSON `json:"group"`
	IncidentID int64          `json:"incident_id"`
	Category   string         `json:"category"`
}

func (h *Handler) promoteAlertGroup(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	g, inc, err := h.app.Intake.Promote(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, alertPromotionJSON{Group: toAlertGroup(*g), IncidentID: inc.ID, Category: inc.Category})
}

type eventPageJSON struct {
	Items []eventJSON `json:"items"`
	Next  string      `json:"next"`
}

// reservedEventParams are the query parameters of searchEvents that are
// not field conditions.
var reservedEventParams = map[string]bool{"org_id": true, "from": true, "to": true, "cursor": true, "limit": true}

func (h *Handler) searchEvents(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	eq := intake.EventQuery{Match: map[string]string{}, Cursor: q.Get("cursor")}
	var err error
	if eq.OrgID, err = queryInt(r, "org_id", 1, 1<<62); err != nil {
		h.error(w, r, err)
		return
	}
	limit, err := queryInt(r, "limit", 1, store.MaxLimit)
	if err != nil {
		h.error(w, r, err)
		return
	}
	eq.Limit = int(limit)
	if eq.From, eq.To, err = timeRange(r); err != nil {
		h.error(w, r, err)
		return
	}
	for k, v := range q {
		if !reservedEventParams[k] && len(v) > 0 {
			if len(v) > 1 {
				h.error(w, r, fenghuo.FieldErrorf(k, "Give %s once. / 每个字段只能给一个值。", k))
				return
			}
			eq.Match[k] = v[0]
		}
	}
	res, err := h.app.Intake.Events(r.Context(), actor(r), eq)
	if err != nil {
		h.error(w, r, err)
		return
	}
	out := eventPageJSON{Items: make([]eventJSON, 0, len(res.Items)), Next: res.Next}
	for _, e := range res.Items {
		out.Items = append(out.Items, toEvent(e))
	}
	writeJSON(w, http.StatusOK, out)
}

type intakeSourceJSON struct {
	ID         int64      `json:"id"`
	OrgID      int64      `json:"org_id"`
	Name       string     `json:"name"`
	Kind       string     `json:"kind"`
	TokenHint  string     `json:"token_hint"`
	Addresses  []string   `json:"addresses"`
	Mapping    any        `json:"mapping"`
	CreatedAt  time.Time  `json:"created_at"`
	LastSeenAt *time.Time `json:"last_seen_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

func toIntakeSource(s store.IntakeSource) intakeSourceJSON {
	out := intakeSourceJSON{ID: s.ID, OrgID: s.OrgID, Name: s.Name, Kind: s.Kind, TokenHint: s.TokenHint,
		Addresses: nonNil(s.Addresses), CreatedAt: s.CreatedAt, LastSeenAt: timePtr(s.LastSeenAt), RevokedAt: timePtr(s.RevokedAt)}
	if s.Mapping != "" {
		m := map[string]any{}
		jsonUnmarshalObject(s.Mapping, &m)
		out.Mapping = m
	}
	return out
}

func (h *Handler) listIntakeSources(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	orgID, err := queryInt(r, "org_id", 1, 1<<62)
	if err != nil {
		h.error(w, r, err)
		return
	}
	revoked, err := queryBool(r, "revoked")
	if err != nil {
		h.error(w, r, err)
		return
	}
	res, err := h.app.Intake.Sources(r.Context(), actor(r), orgID, revoked, p)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, pageOf(res, p, toIntakeSource))
}

type intakeSourceCreateJSON struct {
	OrgID     int64          `json:"org_id"`
	Name      string         `json:"name"`
	Kind      string         `json:"kind"`
	Addresses []string       `json:"addresses"`
	Mapping   map[string]any `json:"mapping"`
}

type intakeSourceCreatedJSON struct {
	intakeSourceJSON
	Token string `json:"token"`
}

func (h *Handler) createIntakeSource(w http.ResponseWriter, r *http.Request) {
	var in intakeSourceCreateJSON
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	mapping := ""
	if in.Mapping != nil {
		mapping = jsonText(in.Mapping)
	}
	src, token, err := h.app.Intake.CreateSource(r.Context(), actor(r), intake.SourceInput{OrgID: in.OrgID, Name: in.Name,
		Kind: in.Kind, Addresses: in.Addresses, Mapping: mapping})
	if err != nil {
		h.error(w, r, err)
		return
	}
	created(w, fmt.Sprintf("/api/v1/intake-sources/%d", src.ID), intakeSourceCreatedJSON{intakeSourceJSON: toIntakeSource(*src), Token: token})
}

func (h *Handler) getIntakeSource(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	src, err := h.app.Intake.Source(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toIntakeSource(*src))
}

func (h *Handler) revokeIntakeSource(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	if err := h.app.Intake.RevokeSource(r.Context(), actor(r), id); err != nil {
		h.error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// alertSchemas are the OpenAPI schemas of the alerts block.
func alertSchemas() obj {
	level := enum(intake.Levels...)
	state := enum(store.AlertOpen, store.AlertAssigned, store.AlertDismissed, store.AlertPromoted)
	group := obj{"id": integer, "org_id": integer, "rule_id": str, "entity": obj{"type": "string", "description": "What the alert is about, e.g. source.ip=203.0.113.9"},
		"kind": enum("sigma", "threshold", "ioc"), "rule_set": str, "title": str, "level": level, "tags": strs,
		"indicator_id": integer, "source_id": integer, "count": integer, "first_seen": when, "last_seen": when, "state": state,
		"assignee_id": integer, "dismiss_reason": str, "incident_id": integer, "updated_at": whenNil}
	event := object(obj{"id": integer, "org_id": integer, "source_id": integer, "time": when, "received": when,
		"kind": enum("syslog", "wazuh", "suricata", "generic"), "fields": obj{"type": "object", "description": "ECS-style dotted field names"},
		"raw": str, "raw_truncated": boolean})
	source := obj{"id": integer, "org_id": integer, "name": str, "kind": enum(intake.SourceKinds...), "token_hint": str,
		"addresses": strs, "mapping": obj{"type": []string{"object", "null"}}, "created_at": when, "last_seen_at": whenNil, "revoked_at": whenNil}
	counts := obj{"type": "object", "additionalProperties": integer}
	return obj{
		"AlertBatch": obj{"description": "A JSON object, a JSON array of objects, or NDJSON (Content-Type application/x-ndjson): one record a line",
			"oneOf": []obj{anyObj, arrayOf(anyObj)}},
		"AlertIntakeResult": object(obj{"accepted": integer,
			"rejected": arrayOf(object(obj{"line": obj{"type": "integer", "description": "Line (NDJSON) or position (array), from 1"}, "message": str}, "line", "message"))},
			"accepted", "rejected"),
		"AlertGroup": object(group),
		"AlertGroupList": object(obj{"items": arrayOf(ref("AlertGroup")), "total": integer, "limit": integer, "offset": integer,
			"total_capped": boolean, "facets": object(obj{"state": counts, "level": counts, "kind": counts})}, "items", "total", "limit", "offset", "facets"),
		"AlertGroupDetail": object(merge(group, obj{"org_name": str, "assignee": str,
			"category": obj{"type": "string", "description": "GB/T 20986-2023 code a promotion gives"}, "events": arrayOf(event)})),
		"AlertAssign":      object(obj{"user_id": integer}, "user_id"),
		"AlertDismiss":     object(obj{"reason": str}, "reason"),
		"AlertPromotion":   object(obj{"group": ref("AlertGroup"), "incident_id": integer, "category": str}),
		"EventPage":        object(obj{"items": arrayOf(event), "next": obj{"type": "string", "description": "cursor of the next page; empty on the last"}}),
		"IntakeSource":     object(source),
		"IntakeSourceList": listOf("IntakeSource"),
		"IntakeSourceCreate": object(obj{"org_id": integer, "name": str, "kind": enum(intake.SourceKinds...),
			"addresses": obj{"type": "array", "items": str, "maxItems": 64, "description": "IP addresses or CIDR prefixes of syslog senders"},
			"mapping":   obj{"type": "object", "description": "Field mapping for generic JSON"}}, "org_id", "name", "kind"),
		"IntakeSourceCreated": object(merge(source, obj{"token": obj{"type": "string", "description": "The intake token fhi_…, shown this once"}})),
	}
}

func jsonUnmarshalObject(text string, dst *map[string]any) {
	if strings.TrimSpace(text) == "" {
		return
	}
	if err := jsonUnmarshal([]byte(text), dst); err != nil {
		*dst = map[string]any{}
	}
}
