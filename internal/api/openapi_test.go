package api_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"testing"

	"fenghuo/internal/api"
	"fenghuo/internal/web"
)

// TestOpenAPIMatchesRoutes checks the served document against the routes
// the mux actually serves, in both directions.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	e := newEnv(t)
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
		Comps   struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	r := e.do(t, cred{}, "GET", "/api/v1/openapi.json", nil).want(t, 200)
	r.json(t, &doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.1.") {
		t.Fatalf("openapi %q, want 3.1.x", doc.OpenAPI)
	}

	// The mux as server.NewHandler composes it: console and API together.
	h := api.New(e.App, api.Options{})
	mux := http.NewServeMux()
	w, err := web.New(e.App, web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	w.Routes(mux)
	h.Routes(mux)

	table := map[string]api.Route{}
	ids := map[string]bool{}
	for _, rt := range h.Table() {
		key := rt.Method + " " + rt.Pattern
		table[key] = rt
		if ids[rt.OperationID] {
			t.Errorf("operationId %s is used twice", rt.OperationID)
		}
		ids[rt.OperationID] = true
		var op struct {
			OperationID string `json:"operationId"`
		}
		raw, ok := doc.Paths[rt.Pattern][strings.ToLower(rt.Method)]
		if !ok {
			t.Errorf("%s is served but not documented", key)
			continue
		}
		json.Unmarshal(raw, &op)
		if op.OperationID != rt.OperationID {
			t.Errorf("%s: documented as %q, routed as %q", key, op.OperationID, rt.OperationID)
		}
	}

	documented := 0
	for path, ops := range doc.Paths {
		for method := range ops {
			documented++
			method = strings.ToUpper(method)
			req := httptest.NewRequest(method, fill(path), nil)
			if _, pattern := mux.Handler(req); pattern != method+" "+path {
				t.Errorf("%s %s is documented but the mux answers it with %q", method, path, pattern)
			}
			if _, ok := table[method+" "+path]; !ok {
				t.Errorf("%s %s is documented but not in the route table", method, path)
			}
		}
	}
	if documented != len(table) {
		t.Errorf("%d operations documented, %d routes served", documented, len(table))
	}

	// Every schema reference resolves.
	for _, m := range regexp.MustCompile(`"#/components/schemas/([A-Za-z]+)"`).FindAllStringSubmatch(string(r.Body), -1) {
		if _, ok := doc.Comps.Schemas[m[1]]; !ok {
			t.Errorf("schema %s is referenced but not defined", m[1])
		}
	}
	var keys []string
	for k := range table {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	t.Logf("%d routes served and documented:\n%s", len(keys), strings.Join(keys, "\n"))
}

// fill puts sample values into a path template.
func fill(path string) string {
	path = strings.ReplaceAll(path, "/plans/{id}", "/plans/cac-2025")
	return regexp.MustCompile(`\{[a-z_]+\}`).ReplaceAllString(path, "1")
}
