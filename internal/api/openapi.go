package api

import (
	"net/http"
	"strings"
	"sync"
)

var (
	openapiOnce  sync.Once
	openapiCache map[string]any
)

// openapiDoc is the OpenAPI 3.1 document, built once from the route table.
func openapiDoc() map[string]any {
	openapiOnce.Do(func() { openapiCache = buildOpenAPI() })
	return openapiCache
}

func buildOpenAPI() map[string]any {
	paths := map[string]map[string]any{}
	for _, rt := range routes() {
		op := map[string]any{"operationId": rt.ID, "summary": rt.Summary, "tags": []string{rt.Tag}}
		var params []map[string]any
		for _, seg := range strings.Split(rt.Path, "/") {
			if strings.HasPrefix(seg, "{") {
				params = append(params, map[string]any{"name": strings.Trim(seg, "{}"), "in": "path", "required": true,
					"schema": map[string]string{"type": "integer"}})
			}
		}
		if strings.HasSuffix(rt.ID, "s") && rt.Method == "GET" && !strings.Contains(rt.Path, "{") || rt.ID == "inbox" {
			params = append(params,
				map[string]any{"name": "limit", "in": "query", "schema": map[string]any{"type": "integer", "minimum": 1, "maximum": 500}},
				map[string]any{"name": "offset", "in": "query", "schema": map[string]any{"type": "integer", "minimum": 0}})
		}
		if params != nil {
			op["parameters"] = params
		}
		switch rt.Body {
		case "":
		case "multipart":
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"multipart/form-data": map[string]any{
				"schema": map[string]any{"type": "object", "properties": map[string]any{"file": map[string]string{"type": "string", "format": "binary"}, "note": map[string]string{"type": "string"}}}}}}
		default:
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": ref(rt.Body)}}}
		}
		responses := map[string]any{"default": map[string]any{"description": "Error", "content": map[string]any{"application/json": map[string]any{"schema": ref("Error")}}}}
		switch rt.Response {
		case "":
			responses["204"] = map[string]string{"description": "Done"}
		case "binary":
			responses["200"] = map[string]any{"description": "The file", "content": map[string]any{"application/octet-stream": map[string]any{"schema": map[string]string{"type": "string", "format": "binary"}}}}
		default:
			code := "200"
			if rt.Method == "POST" && (strings.HasPrefix(rt.ID, "create") || rt.ID == "submitReport" || rt.ID == "uploadEvidence") {
				code = "201"
			}
			responses[code] = map[string]any{"description": "OK", "content": map[string]any{"application/json": map[string]any{"schema": ref(rt.Response)}}}
		}
		op["responses"] = responses
		if !rt.Public {
			op["security"] = []map[string][]string{{"bearer": {}}, {"session": {}}}
		}
		if paths[rt.Path] == nil {
			paths[rt.Path] = map[string]any{}
		}
		paths[rt.Path][strings.ToLower(rt.Method)] = op
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "Fenghuo 烽火 API", "version": "1",
			"description": "Cybersecurity incident emergency plans: organisations, systems, incidents, reports and obligations. Errors are {\"error\":{\"code\",\"message\",\"field\"}}; lists are {\"items\",\"total\",\"limit\",\"offset\"}."},
		"servers": []map[string]string{{"url": "/"}},
		"paths":   paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{
				"bearer":  map[string]string{"type": "http", "scheme": "bearer", "description": "API token fhk_… created in the console or with POST /api/v1/tokens"},
				"session": map[string]string{"type": "apiKey", "in": "cookie", "name": "fh_session"},
			},
			"schemas": schemas(),
		},
	}
}

func ref(name string) map[string]string {
	if name == "object" {
		return map[string]string{"type": "object"}
	}
	return map[string]string{"$ref": "#/components/schemas/" + name}
}

func obj(props map[string]any, required ...string) map[string]any {
	o := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

var (
	str  = map[string]string{"type": "string"}
	num  = map[string]string{"type": "integer"}
	boo  = map[string]string{"type": "boolean"}
	strs = map[string]any{"type": "array", "items": str}
	when = map[string]string{"type": "string", "format": "date-time"}
)

func listOf(item string) map[string]any {
	return obj(map[string]any{"items": map[string]any{"type": "array", "items": ref(item)}, "total": num, "limit": num, "offset": num})
}

func schemas() map[string]any {
	return map[string]any{
		"Error": obj(map[string]any{"error": obj(map[string]any{"code": str, "message": str, "field": str}, "code", "message")}, "error"),
		"Login": obj(map[string]any{"username": str, "password": str, "totp_code": str}, "username", "password"),
		"Me":    obj(map[string]any{"user": ref("User"), "org": ref("Org"), "scope": str, "permissions": strs}),
		"Org": obj(map[string]any{"id": num, "parent_id": num, "name": str, "short_name": str, "level": str, "type": str, "sector": str,
			"operator_type": str, "region_code": str, "plan_roles": strs, "liaison_name": str, "liaison_title": str, "liaison_mobile": str,
			"duty_phone": str, "fax": str, "report_email": str, "address": str, "plan_ids": strs, "version": num}, "name", "level", "type"),
		"OrgList": listOf("Org"),
		"System": obj(map[string]any{"id": num, "org_id": num, "name": str, "department": str, "responsible_person": str,
			"responsible_phone": str, "protection_level": num, "cii": boo, "key_kinds": strs,
			"exposure":    map[string]any{"type": "array", "items": obj(map[string]any{"kind": str, "value": str, "note": str})},
			"components":  map[string]any{"type": "array", "items": obj(map[string]any{"name": str, "version": str, "vendor": str})},
			"description": str, "status": str, "version": num}, "org_id", "name"),
		"SystemList": listOf("System"),
		"User": obj(map[string]any{"id": num, "org_id": num, "username": str, "display_name": str, "email": str, "mobile": str,
			"roles": strs, "disabled": boo, "totp_enabled": boo, "locale": str, "version": num}, "org_id", "username", "display_name", "roles"),
		"NewUser":      map[string]any{"allOf": []any{ref("User"), obj(map[string]any{"password": str}, "password")}},
		"UserList":     listOf("User"),
		"Password":     obj(map[string]any{"password": str}, "password"),
		"NewToken":     obj(map[string]any{"name": str, "scope": map[string]any{"type": "string", "enum": []string{"read", "write", "admin"}}, "expires_days": num}, "name", "scope", "expires_days"),
		"Token":        obj(map[string]any{"id": num, "name": str, "scope": str, "created_at": when, "expires_at": when, "last_used_at": when, "token": str}),
		"GradeRequest": obj(map[string]any{"plan": str, "facts": map[string]string{"type": "object"}, "category": str}, "plan"),
		"GradeResult": obj(map[string]any{"plan": str, "plan_version": str, "grade": str, "warning_color": str,
			"clauses":   map[string]any{"type": "array", "items": obj(map[string]any{"id": str, "grade": str, "text": str})},
			"reporting": map[string]any{"type": "array", "items": obj(map[string]any{"to": str, "within_minutes": num, "urgency": str, "counted_from": str})}}),
		"NewIncident": obj(map[string]any{"org_id": num, "title": str, "category": str, "system_ids": map[string]any{"type": "array", "items": num},
			"occurred_at": when, "discovered_at": when, "facts": map[string]string{"type": "object"}, "description": str, "impact": str,
			"measures": str, "channel": map[string]any{"type": "string", "enum": []string{"unit", "phone", "fax", "wechat", "email", "monitoring", "public"}},
			"caller": str}, "org_id", "title"),
		"Incident": obj(map[string]any{"id": num, "org_id": num, "title": str, "category": str, "taxonomy": str, "status": str,
			"system_ids": map[string]any{"type": "array", "items": num}, "occurred_at": when, "discovered_at": when, "reported_at": when,
			"facts": map[string]string{"type": "object"}, "grade": str, "computed_grade": str, "grade_override": str,
			"override_reason": str, "channel": str, "caller": str, "version": num,
			"grading": map[string]any{"type": "array", "items": obj(map[string]any{"plan": str, "category": str, "result": ref("GradeResult")})}}),
		"IncidentList":  listOf("Incident"),
		"Facts":         obj(map[string]any{"version": num, "facts": map[string]string{"type": "object"}, "category": str, "system_ids": map[string]any{"type": "array", "items": num}}, "facts"),
		"GradeOverride": obj(map[string]any{"grade": str, "reason": str}, "reason"),
		"Transition":    obj(map[string]any{"status": str, "reason": str}, "status"),
		"Report": obj(map[string]any{"id": num, "kind": map[string]any{"type": "string", "enum": []string{"initial", "follow_up", "final"}},
			"number": num, "revision": num, "content": map[string]any{"type": "object", "additionalProperties": str}, "signer": str,
			"reporter_name": str, "reporter_phone": str, "submitted_at": when}, "kind", "content", "signer", "reporter_name", "reporter_phone"),
		"Delivery": obj(map[string]any{"id": num, "report_id": num, "incident_id": num, "from_org_id": num, "to_org_id": num,
			"plan_id": str, "route_id": str, "forwarded_from": num, "sent_at": when, "received_at": when}),
		"DeliveryList": listOf("Delivery"),
		"Forward":      obj(map[string]any{"to_org_id": num, "note": str}),
		"Note":         obj(map[string]any{"text": str, "note": str}),
	}
}

func (h *Handler) openapiHandler() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=300")
		writeJSON(w, http.StatusOK, openapiDoc())
	}
}
