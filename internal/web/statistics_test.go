package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/app/incident"
	"fenghuo/internal/apptest"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// chartPoint is one datum read back from a chart's data-* attributes.
type chartPoint struct{ Series, X, Value string }

var svgRE = regexp.MustCompile(`(?s)<svg[^>]*class="chart chart-[a-z]+"[^>]*>.*?</svg>`)

// chartsOf parses every server-drawn chart of a page, in page order,
// returning each chart's data points (the SVG must be well-formed XML).
func chartsOf(t *testing.T, page string) [][]chartPoint {
	t.Helper()
	var out [][]chartPoint
	for _, svg := range svgRE.FindAllString(page, -1) {
		dec := xml.NewDecoder(strings.NewReader(svg))
		var pts []chartPoint
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("chart is not well-formed XML: %v", err)
			}
			if e, ok := tok.(xml.StartElement); ok {
				a := map[string]string{}
				for _, at := range e.Attr {
					a[at.Name.Local] = at.Value
				}
				if v, ok := a["data-value"]; ok {
					pts = append(pts, chartPoint{a["data-series"], a["data-x"], v})
				}
			}
		}
		out = append(out, pts)
	}
	return out
}

// TestStatisticsChartsMatchAPI: incidents and report duties in a county's
// scope and outside it; the statistics page's charts carry the same
// numbers as GET /api/v1/statistics, the sibling county's incident counts
// in neither, the tables repeat the numbers, a wrong range is refused next
// to its field, and the 统计通报 downloads with its chart images, audited.
func TestStatisticsChartsMatchAPI(t *testing.T) {
	e, srv := console(t)
	ctx := context.Background()
	statisticsFixture(t, e)

	c := browser(t)
	login(t, c, srv, "county-duty", apptest.Password)
	month := e.Clock.Now().In(calendar.Shanghai).Format("2006-01")
	r, page := get(t, c, srv, "/statistics?month="+month)
	if r.StatusCode != 200 {
		t.Fatalf("statistics page: %d %.500s", r.StatusCode, page)
	}
	r, body := get(t, c, srv, "/api/v1/statistics?from="+month)
	if r.StatusCode != 200 {
		t.Fatalf("api: %d %s", r.StatusCode, body)
	}
	var api struct {
		Buckets   []string
		Incidents int
		Grades    []struct {
			Key    string
			Name   plan.Text
			Values []int
		}
		Punctuality []struct {
			OnTime  int `json:"on_time"`
			Late    int
			Missed  int
			Overdue int
		} `json:"punctuality_per_bucket"`
		Units []struct {
			Name      string
			Incidents int
		}
	}
	if err := json.Unmarshal([]byte(body), &api); err != nil {
		t.Fatal(err)
	}
	if api.Incidents != 3 {
		t.Errorf("the county sees %d incidents, want its own 3 (not the sibling county's)", api.Incidents)
	}
	for _, u := range api.Units {
		if u.Name == e.Orgs["school2"].Name {
			t.Errorf("the sibling county's school is counted: %+v", u)
		}
	}
	charts := chartsOf(t, page)
	if len(charts) != 4 {
		t.Fatalf("%d charts on the page, want 4", len(charts))
	}
	// Chart 1: incidents by grade, one datum per non-zero bucket and grade.
	want := map[chartPoint]bool{}
	for _, g := range api.Grades {
		for i, n := range g.Values {
			if n > 0 {
				want[chartPoint{g.Name.ZH, api.Buckets[i], fmt.Sprint(n)}] = true
			}
		}
	}
	if len(want) == 0 || !samePoints(charts[0], want) {
		t.Errorf("grade chart %v, API says %v", charts[0], want)
	}
	// Chart 3: punctuality, the same four states per bucket.
	want = map[chartPoint]bool{}
	due := 0
	for i, p := range api.Punctuality {
		for name, n := range map[string]int{"按时报告": p.OnTime, "迟报": p.Late, "漏报": p.Missed, "超期未报": p.Overdue} {
			if n > 0 {
				want[chartPoint{name, api.Buckets[i], fmt.Sprint(n)}] = true
				due += n
			}
		}
	}
	if due == 0 || !samePoints(charts[2], want) {
		t.Errorf("punctuality chart %v, API says %v", charts[2], want)
	}
	// The tables under the charts repeat the totals.
	if !strings.Contains(page, `id="stats-grades-table"`) || !regexp.MustCompile(`<tr class="total"><th scope="row">合计</th>(<td>\d+</td>)+<td>3</td></tr>`).MatchString(page) {
		t.Error("the grade table lacks the total of 3")
	}

	// In English: no catalogue key shows, the chooser and charts in words.
	post(t, c, srv, "/lang", url.Values{"lang": {"en"}, "back": {"/statistics"}})
	_, en := get(t, c, srv, "/statistics?month="+month)
	if m := regexp.MustCompile(`>[a-z]+\.[a-z_.]+<`).FindString(en); m != "" || !strings.Contains(en, "Incidents by grade") {
		t.Errorf("English statistics page shows %q", m)
	}
	post(t, c, srv, "/lang", url.Values{"lang": {"zh"}, "back": {"/statistics"}})

	// A range that ends before it starts is refused next to its field.
	r, page = get(t, c, srv, "/statistics?from=2026-12-01&to=2026-11-01")
	if r.StatusCode != 400 || !regexp.MustCompile(`id="stats-to"[^>]*>\s*<div class="field-error" role="alert">截止日期早于起始日期。</div>`).MatchString(page) {
		t.Errorf("bad range: %d, error not beside the field:\n%.3000s", r.StatusCode, page[strings.Index(page, "stats-chooser"):])
	}
	r, page = get(t, c, srv, "/statistics?month=2026-13")
	if r.StatusCode != 400 || !strings.Contains(page, "月份格式为YYYY-MM，如2026-12。") {
		t.Errorf("bad month: %d", r.StatusCode)
	}

	// The bulletin: a Word document with the three charts, audited.
	resp, err := c.Get(srv.URL + "/statistics/bulletin/docx?from=" + month)
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	zr, err := zip.NewReader(bytes.NewReader(doc), int64(len(doc)))
	if err != nil {
		t.Fatalf("bulletin is not a zip: %v (%d %.200s)", err, resp.StatusCode, doc)
	}
	images, text := 0, ""
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "word/media/") && strings.HasSuffix(f.Name, ".png") {
			images++
		}
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			text = string(b)
		}
	}
	if images != 3 || !strings.Contains(text, "共发生网络安全事件3起") || !strings.Contains(text, e.Orgs["county"].Name) {
		t.Errorf("bulletin: %d images, text %.300s", images, text)
	}
	entries, err := e.DB.AuditEntries(ctx, store.AuditFilter{ActionPrefix: "export.statistics"}, store.Page{Limit: 10})
	if err != nil || len(entries.Items) != 1 || entries.Items[0].Action != "export.statistics.docx" {
		t.Errorf("audit of the export: %v %+v", err, entries.Items)
	}
}

func samePoints(got []chartPoint, want map[chartPoint]bool) bool {
	if len(got) != len(want) {
		return false
	}
	for _, p := range got {
		if !want[p] {
			return false
		}
	}
	return true
}

// statisticsFixture: a county duty officer; three incidents of the county's
// units (one reported, two whose first reports go overdue) and one of the
// sibling county's, a day ago.
func statisticsFixture(t *testing.T, e *apptest.Env) {
	ctx := context.Background()
	e.User(t, "county-duty", "county", fenghuo.RoleDutyOfficer)
	schoolRep, _ := e.User(t, "school-rep", "school", fenghuo.RoleUnitReporter)
	hospRep, _ := e.User(t, "hosp-rep", "hospital", fenghuo.RoleUnitReporter)
	otherRep, _ := e.User(t, "other-rep", "school2", fenghuo.RoleUnitReporter)
	now := e.Clock.Now()
	create := func(u *fenghuo.User, org, title string, facts plan.Facts, report bool) {
		ac := e.Actor(t, u)
		inc, err := e.App.Incidents.CreateIncident(ctx, ac, incident.IncidentInput{OrgID: e.Orgs[org].ID, Title: title, DiscoveredAt: now, Facts: facts})
		if err != nil {
			t.Fatal(err)
		}
		if !report {
			return
		}
		fields, err := e.App.Incidents.ReportForm(ctx, ac, inc.ID)
		if err != nil {
			t.Fatal(err)
		}
		content := map[string]string{}
		for _, f := range fields {
			content[f.ID] = "网站无法访问，已切换备用服务器。"
		}
		if _, err := e.App.Incidents.SubmitReport(ctx, ac, inc.ID, incident.ReportInput{Kind: fenghuo.ReportInitial, Content: content,
			Signer: "张校长", ReporterName: "李老师", ReporterPhone: "0477-7581234"}); err != nil {
			t.Fatal(err)
		}
	}
	create(schoolRep, "school", "学校网站中断", plan.Facts{"social_impact": "relatively_serious"}, true)
	create(schoolRep, "school", "学校邮箱异常", nil, false)
	create(hospRep, "hospital", "医院挂号系统中断", plan.Facts{"social_impact": "relatively_serious"}, false)
	create(otherRep, "school2", "乙县学校网站被篡改", plan.Facts{"social_impact": "relatively_serious"}, true)
	// A day later the unreported incidents' first reports are overdue.
	e.Clock.Advance(24 * time.Hour)

}
