package web_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/aftermath"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/phrase"
)

// timelineRow is one row of the timeline table: seq, time, who, what.
var timelineRow = regexp.MustCompile(`(?s)<tr><td class="mono">(\d+)</td><td>.*?</td><td>.*?</td><td>(.*?)</td></tr>`)

// TestTimelineInReadersLanguage: an incident's timeline, written by the
// platform as a ransomware incident at the water company is reported, its
// tasks created, a response activated and ended, a task done, a measure
// added and a note typed, reads in English with no Chinese outside
// quotation marks (names of organisations, titles and notes people typed,
// which are quoted) except the typed note itself; in Chinese it reads as
// stored. Every entry the flow wrote carries its phrase.
func TestTimelineInReadersLanguage(t *testing.T) {
	e, srv := console(t)
	inc := docScenario(t, e)
	ctx := context.Background()
	duty := e.Actor(t, mustUser(t, e, "county-duty"))
	const note = "已电话联系水务公司负责人"
	if err := e.App.Incidents.AddNote(ctx, duty, inc.ID, note); err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Aftermath.AddImprovement(ctx, duty, inc.ID, aftermath.ImprovementInput{
		Text: "关闭互联网远程桌面端口", OwnerOrgID: e.Orgs["water"].ID, DueAt: e.Clock.Now().Add(10 * 24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	b, err := e.App.Tasks.Tasks(ctx, duty, inc.ID)
	if err != nil || len(b.Rows) == 0 {
		t.Fatalf("tasks: %v %d", err, len(b.Rows))
	}
	rep := e.Actor(t, mustUser(t, e, "water-rep"))
	done := false
	for _, r := range b.Rows {
		if done || fenghuo.TaskClosed(r.State) || len(r.Evidence) > 0 {
			continue
		}
		for _, ac := range []*app.Actor{rep, duty} {
			if _, err := e.App.Tasks.SetState(ctx, ac, r.ID, fenghuo.TaskDone, "已隔离受感染主机"); err == nil {
				done = true
				break
			}
		}
	}
	entries, _, err := e.App.Incidents.Timeline(ctx, duty, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, en := range entries {
		kinds[en.Kind] = true
		if _, ok := phrase.FromData(en.Data); !ok && en.Kind != "note" {
			t.Errorf("entry %d (%s) %q has no phrase", en.Seq, en.Kind, en.Body)
		}
	}
	for _, k := range []string{"created", "report", "tasks", "response", "status", "task", "aftermath", "note"} {
		if !kinds[k] {
			t.Errorf("the flow wrote no %q entry (kinds %v)", k, kinds)
		}
	}

	c := browser(t)
	login(t, c, srv, "county-duty", apptest.Password)
	path := "/incidents/" + itoa(inc.ID) + "/timeline"
	_, zh := get(t, c, srv, path)
	for _, en := range entries {
		if !strings.Contains(zh, htmlText(en.Body)) && en.Kind != "created" { // created: the grade is put in words
			t.Errorf("Chinese timeline lacks entry %d %q", en.Seq, en.Body)
		}
	}
	post(t, c, srv, "/lang", url.Values{"lang": {"en"}, "back": {path}})
	_, page := get(t, c, srv, path)
	rows := timelineRow.FindAllStringSubmatch(page, -1)
	if len(rows) != len(entries) {
		t.Fatalf("English timeline has %d rows, want %d:\n%s", len(rows), len(entries), page)
	}
	for _, r := range rows {
		what := unescape(r[2])
		if what == note {
			continue
		}
		if own := phrase.OutsideQuotes(what); phrase.HasHan(own) {
			t.Errorf("English timeline row %s has Chinese outside quotes: %q", r[1], what)
		}
	}
	for _, want := range []string{"Initial report filed, delivered to", "activated a level II response", "ended the level II response",
		"Status: reported → responding", "Improvement measure: “关闭互联网远程桌面端口”", "The plan's playbooks created"} {
		if !strings.Contains(unescape(page), want) {
			t.Errorf("English timeline lacks %q", want)
		}
	}
}

func htmlText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

func unescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'", "&quot;", `"`).Replace(s)
}
