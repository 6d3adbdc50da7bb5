package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
)

// Risk notices in the console: the office previews who a WebLogic notice
// reaches (the school running 12.2.1.4, not the hospital running 14.1.1),
// issues it, the school answers "affected" and the board counts it with
// its finding; a bad range is refused next to its field with the form
// kept; both languages show words, not keys.
func TestRiskNoticePages(t *testing.T) {
	e, srv := console(t)
	ctx := context.Background()
	for key, c := range map[string]fenghuo.Component{"school": {Name: "Oracle WebLogic Server", Version: "12.2.1.4"},
		"hospital": {Name: "WebLogic Server", Version: "14.1.1.0"}} {
		if err := e.DB.CreateSystem(ctx, &fenghuo.System{OrgID: e.Orgs[key].ID, Name: "业务系统", Components: []fenghuo.Component{c}}); err != nil {
			t.Fatal(err)
		}
	}
	e.User(t, "county-boss", "county", fenghuo.RoleCommander)
	e.User(t, "school-rep", "school", fenghuo.RoleUnitReporter)
	county, school := browser(t), browser(t)
	login(t, county, srv, "county-boss", apptest.Password)
	login(t, school, srv, "school-rep", apptest.Password)

	form := url.Values{"title": {"WebLogic 远程代码执行漏洞"}, "product": {"WebLogic Server"}, "ranges": {"12.2.1.3 至 12.2.1.3.0.x"},
		"description": {"T3协议反序列化"}, "measures": {"安装补丁"}, "severity": {"high"}, "rectify_days": {"7"}, "ref_ids": {"CVE-2020-14882"}}
	r, body := post(t, county, srv, "/risk-notices", form)
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(body, `class="field-error"`) || !strings.Contains(body, "T3协议反序列化") {
		t.Fatalf("bad range: %d %s", r.StatusCode, regexp.MustCompile(`class="field-error">[^<]*`).FindString(body))
	}
	form.Set("ranges", "12.2.1.3 - 12.2.1.4")
	form.Set("preview", "1")
	r, body = post(t, county, srv, "/risk-notices", form)
	preview := body[strings.Index(body, `id="preview"`):]
	if r.StatusCode != 200 || !strings.Contains(preview, "甲县第一中学") || strings.Contains(preview, "甲县人民医院") ||
		!strings.Contains(preview, "Oracle WebLogic Server 12.2.1.4") {
		t.Fatalf("preview: %d %.600s", r.StatusCode, preview)
	}
	form.Set("preview", "0")
	r, _ = post(t, county, srv, "/risk-notices", form)
	loc := r.Header.Get("Location")
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/risk-notices/") {
		t.Fatalf("issue: %d %s", r.StatusCode, loc)
	}
	_, body = get(t, school, srv, loc)
	m := regexp.MustCompile(`name="target_id" value="(\d+)"`).FindStringSubmatch(body)
	if m == nil || !strings.Contains(body, `id="answer-form"`) {
		t.Fatalf("the school is not asked to answer: %.400s", body)
	}
	r, body = post(t, school, srv, loc+"/answer", url.Values{"target_id": {m[1]}, "answer": {"not_affected"}})
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(body, `class="field-error"`) {
		t.Fatalf("not affected without a reason: %d", r.StatusCode)
	}
	if r, _ = post(t, school, srv, loc+"/answer", url.Values{"target_id": {m[1]}, "answer": {"affected"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("answer: %d", r.StatusCode)
	}
	_, body = get(t, county, srv, loc)
	if !strings.Contains(body, `id="count-affected">1<`) || !strings.Contains(body, `id="count-findings_open">1<`) || !strings.Contains(body, `href="/findings/`) {
		t.Errorf("board after the answer: %.300s", body[strings.Index(body, `id="board"`):])
	}
	// The finding's state in the findings' words (待整改), not an
	// obligation's (待完成; a closed one showed "closed").
	if !regexp.MustCompile(`href="/findings/\d+">#\d+</a> 待整改</div>`).MatchString(body) {
		t.Errorf("the finding's state on the board: %.600s", body[strings.Index(body, `id="targets"`):])
	}
	// The finding's page names the notice with a link, not its stored
	// reference (risk_notice:N).
	if m := regexp.MustCompile(`href="(/findings/\d+)"`).FindStringSubmatch(body); m != nil {
		_, page := get(t, county, srv, m[1])
		notice := strings.TrimPrefix(loc, "/risk-notices/")
		if !strings.Contains(page, `风险通报 · <a href="/risk-notices/`+notice+`">#`+notice+`</a>`) || strings.Contains(page, "risk_notice:") {
			t.Errorf("the finding's source: %.300s", page[strings.Index(page, `id="finding-source"`):])
		}
	}
	if r, _ := get(t, county, srv, loc+"/notice/docx"); r.StatusCode != 200 || r.Header.Get("Content-Disposition") == "" {
		t.Errorf("docx: %d", r.StatusCode)
	}
	for _, lang := range []string{"zh", "en"} {
		for _, c := range []*http.Client{county, school} {
			post(t, c, srv, "/lang", url.Values{"lang": {lang}, "back": {"/"}})
			for _, p := range []string{"/risk-notices", loc} {
				r, body := get(t, c, srv, p)
				if r.StatusCode != 200 {
					t.Errorf("%s (%s): %d", p, lang, r.StatusCode)
				}
				if k := regexp.MustCompile(`>[a-z]+\.[a-z_.]+<|>(affected|not_affected|high|active)<`).FindString(body); k != "" {
					t.Errorf("%s (%s) shows a raw key %s", p, lang, k)
				}
			}
		}
	}
}

// A component version that does not read as a version is refused next to
// the components field, the form kept (risk notices match by version).
func TestSystemFormRefusesBadComponentVersion(t *testing.T) {
	e, srv := console(t)
	e.User(t, "school-rep", "school", fenghuo.RoleUnitReporter)
	c := browser(t)
	login(t, c, srv, "school-rep", apptest.Password)
	r, body := post(t, c, srv, "/systems", url.Values{"org_id": {strconv.FormatInt(e.Orgs["school"].ID, 10)}, "name": {"选课系统"},
		"protection_level": {"2"}, "components": {"Apache Tomcat 9.0/27"}})
	if r.StatusCode != http.StatusBadRequest || !regexp.MustCompile(`id="components"[^>]*>[^<]*</textarea>\s*<div class="field-error">[^<]*9\.0/27`).MatchString(body) {
		t.Fatalf("bad version: %d %s", r.StatusCode, regexp.MustCompile(`class="field-error">[^<]*`).FindString(body))
	}
}
