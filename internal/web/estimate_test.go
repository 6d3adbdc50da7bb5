package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
)

// A response ended in mid-December 2026 makes the 20-working-day summary
// report due in 2027, a year whose holiday notice the calendar does not
// hold: every page showing that deadline (facts tab, documents tab, the
// county office's home) puts the "估算" mark beside it with the note as text; the
// 30-day investigation report (calendar days) carries none.
func TestDeadlineEstimateShown(t *testing.T) {
	e, srv := taskConsole(t)
	if e.App.Core.Calendar().Covers(2027) {
		t.Skip("the calendar holds the 2027 notice: pick a later year")
	}
	e.Clock.Set(time.Date(2026, 12, 14, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)))
	inc := ransomwareIncident(t, e)
	fileInitialReport(t, e, inc)
	e.User(t, "county-duty", "county", fenghuo.RoleDutyOfficer)
	duty := browser(t)
	login(t, duty, srv, "county-duty", apptest.Password)
	base := "/incidents/" + itoa(inc.ID)
	for _, f := range []url.Values{
		{"action": {"activate"}, "level": {"II"}, "commander": {"赵指挥"}, "approval": {"会议纪要"}},
		{"action": {"end"}, "approval": {"指挥部批准"}, "situation": {"已恢复"}},
	} {
		if r, body := post(t, duty, srv, base+"/response", f); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d %s", f.Get("action"), r.StatusCode, pageText(body))
		}
		e.Clock.Advance(10 * time.Minute)
	}
	const note = "2027 年节假日安排尚未公布，按周末和法定节日估算"
	mark := `<span class="badge estimate-mark">估算</span>`

	// Facts tab: the summary row has the mark and the note, the
	// investigation row none.
	r, page := get(t, duty, srv, base)
	if r.StatusCode != 200 {
		t.Fatalf("%s: %d → %s", base, r.StatusCode, r.Header.Get("Location"))
	}
	list := section(t, page, `id="obligation-list"`, `</table>`)
	var summary, investigation int
	for _, row := range strings.Split(list, "<tr>") {
		switch {
		case strings.Contains(row, "应急总结报告"):
			summary++
			if !strings.Contains(row, mark) || !strings.Contains(row, note) {
				t.Errorf("the summary deadline has no estimate mark and note: %s", pageText(row))
			}
		case strings.Contains(row, "调查处理"):
			investigation++
			if strings.Contains(row, "估算") {
				t.Errorf("a calendar-day deadline is marked as an estimate: %s", pageText(row))
			}
		}
	}
	if summary == 0 || investigation == 0 {
		t.Fatalf("facts tab: %d summary rows, %d investigation rows: %s", summary, investigation, pageText(list))
	}

	// Documents tab: the summary report's due date carries it, the
	// investigation report's does not.
	_, page = get(t, duty, srv, base+"/documents")
	if due := section(t, page, `id="due-summary"`, `</dd>`); !strings.Contains(due, mark) || !strings.Contains(due, note) {
		t.Errorf("documents tab: the summary due date has no estimate: %s", pageText(due))
	}
	if due := section(t, page, `id="due-investigation"`, `</dd>`); strings.Contains(due, "估算") {
		t.Errorf("documents tab: the investigation due date is an estimate: %s", pageText(due))
	}

	// The county office's home: its duties list the summary report (its
	// duty under the county plan) with the mark.
	_, page = get(t, duty, srv, "/")
	if !strings.Contains(page, note) || !strings.Contains(page, mark) {
		t.Errorf("home: no estimate beside the summary deadline: %s", pageText(page))
	}

	// English: the mark and the note in English.
	if r, _ := post(t, duty, srv, "/lang", url.Values{"lang": {"en"}, "back": {base}}); r.StatusCode >= 400 {
		t.Fatalf("lang: %d", r.StatusCode)
	}
	_, page = get(t, duty, srv, base)
	if !strings.Contains(page, ">estimate</span>") || !strings.Contains(page, "The 2027 holiday schedule has not been published") {
		t.Errorf("English facts tab: no estimate in English: %s", pageText(section(t, page, `id="obligation-list"`, `</table>`)))
	}
}
