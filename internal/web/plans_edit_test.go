package web_test

import (
	"bytes"
	"context"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"fenghuo/internal/app/incident"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

const (
	planOldClause = "其他对国家安全、社会秩序、经济建设和公众利益构成较严重威胁、造成较严重影响的网络安全事件。"
	planNewClause = "其他对国家安全、社会秩序、经济建设和公众利益构成较严重威胁、造成较严重影响的网络安全事件（2026年修订）。"
)

// planTexts are the built-in cac-2025 text edited in one clause, and the
// same with an unknown grade on one line (and that line's number).
func planTexts(t *testing.T) (edited, broken string, brokenLine int) {
	t.Helper()
	p, err := plan.Builtin().Get("cac-2025")
	if err != nil {
		t.Fatal(err)
	}
	edited = strings.Replace(string(p.Raw()), "text: "+planOldClause, "text: "+planNewClause, 1)
	broken = strings.Replace(edited, "      grade: III\n", "      grade: VI\n", 1)
	brokenLine = 1 + strings.Count(broken[:strings.Index(broken, "grade: VI")], "\n")
	return edited, broken, brokenLine
}

func postMultipart(t *testing.T, c *http.Client, srvURL, path string, fields map[string]string, file string) (*http.Response, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if file != "" {
		fw, _ := mw.CreateFormFile("file", "plan.yaml")
		fw.Write([]byte(file))
	}
	mw.Close()
	req, _ := http.NewRequest("POST", srvURL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", srvURL)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

// The console path of a plan edit over HTTP: rights, an upload with an
// error (its line beside the text, the text kept, nothing stored), the
// review of a valid edit, the confirmation storing version 2, the history,
// one version, a comparison, and an incident graded under the built-in
// text that keeps its clause and says a regrade would use version 2.
func TestPlanEditPages(t *testing.T) {
	e, srv := console(t)
	ctx := context.Background()
	_, secret := e.User(t, "sys1", "city", fenghuo.RoleSystemAdmin)
	e.User(t, "analyst1", "county", fenghuo.RoleAnalyst)
	repU, _ := e.User(t, "rep1", "school", fenghuo.RoleUnitReporter)
	inc, err := e.App.Incidents.CreateIncident(ctx, e.Actor(t, repU), incident.IncidentInput{OrgID: e.Orgs["school"].ID, Title: "网站中断",
		DiscoveredAt: e.Clock.Now(), Facts: plan.Facts{"social_impact": "relatively_serious"}})
	if err != nil {
		t.Fatal(err)
	}
	edited, broken, line := planTexts(t)

	an := browser(t)
	login(t, an, srv, "analyst1", apptest.Password)
	if r, _ := get(t, an, srv, "/plans/cac-2025/edit"); r.StatusCode != http.StatusForbidden {
		t.Errorf("an analyst opens the plan editor: %d", r.StatusCode)
	}
	if r, _ := post(t, an, srv, "/plans/confirm", url.Values{"plan": {"cac-2025"}, "yaml": {edited}, "base": {"0"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("an analyst confirms a plan: %d", r.StatusCode)
	}
	if r, body := get(t, an, srv, "/plans/cac-2025"); r.StatusCode != 200 || strings.Contains(body, `href="/plans/cac-2025/edit"`) {
		t.Errorf("an analyst is offered the editor: %d", r.StatusCode)
	}

	c := browser(t)
	loginTOTP(t, c, srv, e, "sys1", secret)
	r, body := get(t, c, srv, "/plans/cac-2025/edit")
	if r.StatusCode != 200 || !strings.Contains(body, `<textarea id="yaml"`) || !strings.Contains(body, html.EscapeString(planOldClause)) {
		t.Fatalf("editor: %d", r.StatusCode)
	}

	// An uploaded file with an error: the line beside the text, kept.
	r, body = postMultipart(t, c, srv.URL, "/plans/review", map[string]string{"plan": "cac-2025", "yaml": "ignored: the file replaces it"}, broken)
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "第"+strconv.Itoa(line)+"行") ||
		!strings.Contains(body, `<span id="L`+strconv.Itoa(line)+`" class="err">`) || !strings.Contains(body, "grade: VI") {
		t.Fatalf("review of a broken upload: %d\n%.400s", r.StatusCode, body)
	}
	// Confirming it anyway (a crafted form) stores nothing.
	if r, _ := post(t, c, srv, "/plans/confirm", url.Values{"plan": {"cac-2025"}, "yaml": {broken}, "base": {"0"}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("confirm of a broken document: %d", r.StatusCode)
	}
	if vs, _ := e.DB.PlanVersions(ctx, "cac-2025"); len(vs) != 0 {
		t.Fatalf("a broken document was stored: %+v", vs)
	}

	// The mended text: its change, to confirm.
	r, body = post(t, c, srv, "/plans/review", url.Values{"plan": {"cac-2025"}, "yaml": {edited}, "note": {"较大(8)措辞修订"}})
	if r.StatusCode != 200 || !strings.Contains(body, `id="plan-changes"`) || !strings.Contains(body, "定级条款「分级指南 较大(8)」 · 条文") ||
		!strings.Contains(body, html.EscapeString(planNewClause)) || !strings.Contains(body, "第2版") {
		t.Fatalf("review: %d\n%s", r.StatusCode, body)
	}
	if p, _ := e.App.Core.Plans().Get("cac-2025"); p.Revision != 0 {
		t.Fatal("the review put the plan in force")
	}
	r, _ = post(t, c, srv, "/plans/confirm", url.Values{"plan": {"cac-2025"}, "yaml": {edited}, "base": {"0"}, "note": {"较大(8)措辞修订"}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/plans/cac-2025/versions?saved=2" {
		t.Fatalf("confirm: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	// The same confirmation again is stale: the changes are shown again.
	if r, body := post(t, c, srv, "/plans/confirm", url.Values{"plan": {"cac-2025"}, "yaml": {edited + "# 再改\n"}, "base": {"0"}}); r.StatusCode != http.StatusConflict ||
		!strings.Contains(body, `id="confirm"`) {
		t.Errorf("stale confirm: %d", r.StatusCode)
	}
	r, body = get(t, c, srv, "/plans/cac-2025/versions?saved=2")
	if r.StatusCode != 200 || !strings.Contains(body, "已保存为第2版并生效") || !strings.Contains(body, "第1版") || !strings.Contains(body, "较大(8)措辞修订") ||
		!strings.Contains(body, "sys1（sys1）") || !strings.Contains(body, store.PlanDigest(edited)[:16]) {
		t.Fatalf("versions: %d\n%s", r.StatusCode, body)
	}
	if r, body := get(t, c, srv, "/plans/cac-2025/versions/1"); r.StatusCode != 200 || !strings.Contains(body, html.EscapeString(planOldClause)) {
		t.Errorf("version 1: %d", r.StatusCode)
	}
	if r, body := get(t, c, srv, "/plans/cac-2025/diff?from=1&to=2"); r.StatusCode != 200 || !strings.Contains(body, html.EscapeString(planNewClause)) {
		t.Errorf("diff: %d", r.StatusCode)
	}
	audits, err := e.DB.AuditEntries(ctx, store.AuditFilter{ActionPrefix: "plan.write", ObjectID: "cac-2025"}, store.Page{Limit: 5})
	if err != nil || len(audits.Items) != 1 || !strings.Contains(audits.Items[0].Detail, `"version":2`) {
		t.Fatalf("audit: %v %+v", err, audits.Items)
	}

	// The incident keeps its clause and says what a regrade would use.
	r, body = get(t, an, srv, "/incidents/"+strconv.FormatInt(inc.ID, 10))
	if r.StatusCode != 200 || !strings.Contains(body, html.EscapeString(planOldClause)) || strings.Contains(body, html.EscapeString(planNewClause)) ||
		!strings.Contains(body, "现行为第2版") || !strings.Contains(body, "只有重新定级") {
		t.Fatalf("incident page after the edit: %d", r.StatusCode)
	}
}
