package api_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// The plan-editing path through the API: an invalid document names its
// line and stores nothing; a valid one is reviewed (its changes and base),
// then stored with ?base= as version 2 (the built-in text is version 1),
// served by GET /plans/{id}, listed, compared and audited.
func TestPlanUploadThroughAPI(t *testing.T) {
	e := newEnv(t)
	e.user(t, "sys", "county", fenghuo.RoleSystemAdmin)
	c := e.login(t, "sys")
	yaml := func(s string) rawBody { return rawBody{"application/yaml", []byte(s)} }

	raw := string(builtinRaw(t, "cac-2025"))
	old := "text: 其他对国家安全、社会秩序、经济建设和公众利益构成较严重威胁、造成较严重影响的网络安全事件。"
	edited := strings.Replace(raw, old, strings.Replace(old, "事件。", "事件（修订）。", 1), 1)
	broken := strings.Replace(edited, "      grade: III\n", "      grade: VI\n", 1)
	line := 1 + strings.Count(broken[:strings.Index(broken, "grade: VI")], "\n")

	// JSON is refused: the body is YAML.
	if code, _ := e.do(t, c, "POST", "/api/v1/plans/cac-2025/review", map[string]string{"yaml": edited}).want(t, 400).errBody(t); code != fenghuo.EINVALID {
		t.Fatalf("json body: %s", code)
	}
	var rv struct {
		OK       bool `json:"ok"`
		Problems []struct {
			Line int    `json:"line"`
			Key  string `json:"key"`
		} `json:"problems"`
		Changes []struct{ Key, Old, New string } `json:"changes"`
		Base    int                              `json:"base_revision"`
	}
	e.do(t, c, "POST", "/api/v1/plans/cac-2025/review", yaml(broken)).want(t, 200).json(t, &rv)
	if rv.OK || len(rv.Problems) == 0 || rv.Problems[0].Line != line {
		t.Fatalf("review of a broken document: %+v, want line %d", rv, line)
	}
	var bad struct {
		Error struct {
			Code     string `json:"code"`
			Problems []struct {
				Line int `json:"line"`
			} `json:"problems"`
		} `json:"error"`
	}
	e.do(t, c, "PUT", "/api/v1/plans/cac-2025?base=0", yaml(broken)).want(t, 400).json(t, &bad)
	if bad.Error.Code != fenghuo.EINVALID || len(bad.Error.Problems) == 0 || bad.Error.Problems[0].Line != line {
		t.Fatalf("put of a broken document: %+v", bad)
	}
	if vs, _ := e.DB.PlanVersions(t.Context(), "cac-2025"); len(vs) != 0 {
		t.Fatalf("a refused document was stored: %+v", vs)
	}
	// No review, no write.
	if _, field := e.do(t, c, "PUT", "/api/v1/plans/cac-2025", yaml(edited)).want(t, 400).errBody(t); field != "base" {
		t.Fatalf("put without base: field %q", field)
	}

	rv.Problems, rv.Changes = nil, nil
	e.do(t, c, "POST", "/api/v1/plans/cac-2025/review", yaml(edited)).want(t, 200).json(t, &rv)
	if !rv.OK || rv.Base != 0 || len(rv.Changes) != 1 || !strings.HasSuffix(rv.Changes[0].New, "（修订）。") {
		t.Fatalf("review: %+v", rv)
	}
	var v struct {
		Version int    `json:"version"`
		SM3     string `json:"sm3"`
		State   string `json:"state"`
	}
	e.do(t, c, "PUT", "/api/v1/plans/cac-2025?base="+strconv.Itoa(rv.Base)+"&note="+url.QueryEscape("措辞修订"), yaml(edited)).
		want(t, http.StatusCreated).json(t, &v)
	if v.Version != 2 || v.SM3 != store.PlanDigest(edited) || v.State != "active" {
		t.Fatalf("stored: %+v", v)
	}
	// The same confirmation again is stale (version 2 is in force now).
	if code, _ := e.do(t, c, "PUT", "/api/v1/plans/cac-2025?base=0", yaml(edited+"\n# again\n")).want(t, 409).errBody(t); code != fenghuo.ECONFLICT {
		t.Fatalf("stale put: %s", code)
	}
	var p struct {
		Revision int    `json:"revision"`
		Digest   string `json:"digest"`
	}
	e.do(t, c, "GET", "/api/v1/plans/cac-2025", nil).want(t, 200).json(t, &p)
	if p.Revision != 2 {
		t.Fatalf("served plan revision %d", p.Revision)
	}
	var list struct {
		Items []struct {
			Version int    `json:"version"`
			Note    string `json:"note"`
		} `json:"items"`
		Total int `json:"total"`
	}
	e.do(t, c, "GET", "/api/v1/plans/cac-2025/versions", nil).want(t, 200).json(t, &list)
	if list.Total != 2 || list.Items[0].Version != 2 || list.Items[0].Note != "措辞修订" {
		t.Fatalf("versions: %+v", list)
	}
	var one struct {
		YAML string `json:"yaml"`
	}
	e.do(t, c, "GET", "/api/v1/plans/cac-2025/versions/1", nil).want(t, 200).json(t, &one)
	if one.YAML != raw {
		t.Fatalf("version 1 is not the built-in text")
	}
	e.do(t, c, "GET", "/api/v1/plans/cac-2025/versions/9", nil).want(t, 404)
	var diff struct {
		Changes []struct{ Key string } `json:"changes"`
	}
	e.do(t, c, "GET", "/api/v1/plans/cac-2025/diff?from_version=1&to_version=2", nil).want(t, 200).json(t, &diff)
	if len(diff.Changes) != 1 || diff.Changes[0].Key != "grading.clause[分级指南 较大(8)].text" {
		t.Fatalf("diff: %+v", diff)
	}
	var audit struct {
		Items []struct {
			ObjectID string `json:"object_id"`
			Detail   struct {
				Version int    `json:"version"`
				SM3     string `json:"sm3"`
			} `json:"detail"`
		} `json:"items"`
	}
	e.user(t, "auditor", "county", fenghuo.RoleAuditAdmin)
	e.do(t, e.login(t, "auditor"), "GET", "/api/v1/audit?action=plan.write", nil).want(t, 200).json(t, &audit)
	if len(audit.Items) != 1 || audit.Items[0].ObjectID != "cac-2025" || audit.Items[0].Detail.Version != 2 || audit.Items[0].Detail.SM3 != v.SM3 {
		t.Fatalf("audit: %+v", audit)
	}
}
