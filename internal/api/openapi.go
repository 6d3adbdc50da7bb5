package api

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// The OpenAPI document is built from the route table, so a route cannot be
// served undocumented; the schemas beside it are written by hand.

var (
	openAPIOnce sync.Once
	openAPIDoc  map[string]any
)

func (h *Handler) openAPI(w http.ResponseWriter, r *http.Request) {
	openAPIOnce.Do(func() { openAPIDoc = buildOpenAPI(h.routes) })
	writeJSON(w, http.StatusOK, openAPIDoc)
}

type obj = map[string]any

func buildOpenAPI(routes []Route) obj {
	paths := obj{}
	for _, rt := range routes {
		op := obj{"operationId": rt.OperationID, "summary": rt.Summary, "tags": []string{tagOf(rt.Pattern)},
			"description": "Who may call it: " + rt.Permission + "."}
		var params []obj
		for _, seg := range strings.Split(rt.Pattern, "/") {
			if name, ok := strings.CutPrefix(seg, "{"); ok {
				name = strings.TrimSuffix(name, "}")
				schema := integer
				if strings.HasPrefix(rt.Pattern, Prefix+"/plans/") && name != "version" {
					schema = str
				}
				params = append(params, obj{"name": name, "in": "path", "required": true, "schema": schema})
			}
		}
		for _, q := range rt.Query {
			p := obj{"name": q, "in": "query", "schema": queryParams[q]}
			if q == "version" {
				p["required"] = true
			}
			params = append(params, p)
		}
		if params != nil {
			op["parameters"] = params
		}
		switch rt.Request {
		case "":
		case "multipart":
			op["requestBody"] = obj{"required": true, "content": obj{"multipart/form-data": obj{"schema": object(obj{
				"file": obj{"type": "string", "format": "binary"}, "note": str}, "file")}}}
		case "yaml":
			op["requestBody"] = obj{"required": true, "content": obj{"application/yaml": obj{"schema": obj{"type": "string",
				"description": "A plan document (docs/plans.md)"}}}}
		default:
			op["requestBody"] = obj{"required": true, "content": obj{"application/json": obj{"schema": ref(rt.Request)}}}
		}
		ok := obj{"description": http.StatusText(rt.Status)}
		switch rt.Response {
		case "":
		case "binary":
			ok["content"] = obj{"application/octet-stream": obj{"schema": obj{"type": "string", "format": "binary"}}}
		case "xlsx":
			ok["content"] = obj{xlsxType: obj{"schema": obj{"type": "string", "format": "binary"}}}
		default:
			ok["content"] = obj{"application/json": obj{"schema": ref(rt.Response)}}
		}
		op["responses"] = obj{strconv.Itoa(rt.Status): ok,
			"default": obj{"description": "Error", "content": obj{"application/json": obj{"schema": ref("Error")}}}}
		if rt.Public {
			op["security"] = []obj{}
		}
		if paths[rt.Pattern] == nil {
			paths[rt.Pattern] = obj{}
		}
		paths[rt.Pattern].(obj)[strings.ToLower(rt.Method)] = op
	}
	return obj{
		"openapi": "3.1.0",
		"info": obj{"title": "Fenghuo 烽火 API", "version": "1",
			"description": "Organisations, important systems, accounts, API tokens, the audit log and emergency plans. " +
				"Errors are {\"error\":{\"code\",\"message\",\"field\"}}; lists are {\"items\",\"total\",\"limit\",\"offset\"}. " +
				"Rights reach the caller's org and everything below it; other orgs' objects answer 404. See docs/api.md."},
		"servers":  []obj{{"url": "/"}},
		"security": []obj{{"bearer": []string{}}, {"session": []string{}}},
		"paths":    paths,
		"components": obj{
			"securitySchemes": obj{
				"bearer":  obj{"type": "http", "scheme": "bearer", "description": "API token fhk_… from POST /api/v1/tokens, scope read, write or admin"},
				"session": obj{"type": "apiKey", "in": "cookie", "name": sessionCookie, "description": "Session from POST /api/v1/session or the console log-in"},
			},
			"schemas": schemas(),
		},
	}
}

// tagOf groups operations by the first path segment after the prefix.
func tagOf(pattern string) string {
	seg, _, _ := strings.Cut(strings.TrimPrefix(pattern, Prefix+"/"), "/")
	return strings.TrimSuffix(seg, ".json")
}

func ref(name string) obj { return obj{"$ref": "#/components/schemas/" + name} }

var (
	str     = obj{"type": "string"}
	integer = obj{"type": "integer"}
	boolean = obj{"type": "boolean"}
	strs    = obj{"type": "array", "items": str}
	when    = obj{"type": "string", "format": "date-time"}
	whenNil = obj{"type": []string{"string", "null"}, "format": "date-time"}
	anyObj  = obj{"type": "object"}
)

var queryParams = map[string]obj{
	"limit":        {"type": "integer", "minimum": 1, "maximum": 500, "default": 50},
	"offset":       {"type": "integer", "minimum": 0, "default": 0},
	"q":            {"type": "string", "description": "Case-insensitive text search"},
	"type":         {"type": "string", "enum": []string{"regulator", "monitoring", "operator", "support", "expert", "public_security"}},
	"level":        {"type": "string", "enum": []string{"national", "province", "city", "county", "department", "unit"}},
	"org_id":       {"type": "integer", "description": "Only objects of exactly this org (which must be in scope)"},
	"key_kind":     {"type": "string"},
	"cii":          {"type": "boolean", "description": "Only critical information infrastructure"},
	"min_level":    {"type": "integer", "minimum": 0, "maximum": 5, "description": "Lowest 等保 protection level"},
	"component":    {"type": "string", "description": "Component name, e.g. Struts2"},
	"status":       {"type": "string", "description": "Systems: active, retired. Incidents: draft, reported, assessing, responding, recovering, closed"},
	"category":     {"type": "string", "description": "Incident category code of the plan's taxonomy"},
	"role":         {"type": "string"},
	"disabled":     {"type": "boolean", "description": "Include disabled accounts"},
	"actor_id":     {"type": "integer"},
	"action":       {"type": "string", "description": "Action or dotted prefix: auth., org.create"},
	"outcome":      {"type": "string", "enum": []string{"success", "failure", "denied"}},
	"object_type":  {"type": "string"},
	"audit_kind":   {"type": "string", "enum": []string{"read", "change"}, "description": "read: views and exports; change: everything else; absent: both"},
	"object_id":    {"type": "string"},
	"from":         {"type": "string", "format": "date-time", "description": "Inclusive, RFC 3339"},
	"to":           {"type": "string", "format": "date-time", "description": "Exclusive, RFC 3339"},
	"version":      {"type": "integer", "description": "The version last read (optimistic locking)"},
	"lang":         {"type": "string", "enum": []string{"zh", "en"}, "default": "zh"},
	"grade":        {"type": "string", "enum": []string{"I", "II", "III", "IV"}},
	"unit_id":      {"type": "integer", "description": "Only incidents of this unit"},
	"open":         {"type": "boolean", "description": "Only incidents not closed"},
	"overdue":      {"type": "boolean", "description": "Only incidents with an obligation past due"},
	"color":        {"type": "string", "enum": []string{"red", "orange", "yellow", "blue"}},
	"multi_region": {"type": "boolean", "description": "The warning spans several regions, departments or sectors"},
	"day":          {"type": "string", "format": "date", "description": "YYYY-MM-DD (Asia/Shanghai)"},
	"results":      {"type": "integer", "minimum": 1, "maximum": 500, "default": 20, "description": "How many of the latest checks"},
	// Plans edited in the product.
	"base":         {"type": "integer", "minimum": -1, "description": "The base_revision of the review being confirmed (0: the built-in text, -1: a new plan)"},
	"note":         {"type": "string", "maxLength": 500, "description": "Why the plan changed, kept with the version"},
	"from_version": {"type": "integer", "minimum": 0, "description": "Version compared from (0: the built-in text)"},
	"to_version":   {"type": "integer", "minimum": 0, "description": "Version compared to (0: the built-in text)"},
	// Findings ledger (issue 12, P1).
	"state":    {"type": "string", "enum": []string{"open", "rectifying", "submitted", "accepted", "closed", "active", "work"}, "description": "A finding state; active: not closed; work: open or rectifying"},
	"severity": {"type": "string", "enum": []string{"critical", "high", "medium", "low"}},
	"source":   {"type": "string", "enum": []string{"inspection", "risk_notice", "monitoring", "aftermath", "exposure", "external"}},
}
