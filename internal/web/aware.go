package web

// Situational awareness per level (issue 13 item 1): an office's home is
// the awareness screen of its subtree; a unit's home leads with 上报事件 and
// 报平安 and keeps its to-do list to today's and overdue duties; /wall is
// the same snapshot for a screen across the room (item 2).

import (
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/awareness"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// awareView is the awareness part of a home page or the wall.
type awareView struct {
	Snap *awareness.Snapshot
	// Clocks are the big countdowns: overdue first (grade I first), then
	// the nearest not yet due.
	Clocks []awareness.Deadline
	// Unit home: the period whose today's report is not filed (报平安), the
	// unit's open incidents with their next deadline, and how many later
	// daily reports the to-do list leaves out.
	QuietPeriod  *awareness.Compliance
	MyIncidents  []unitIncident
	LaterReports int
}

type unitIncident struct {
	Row store.IncidentRow
	Due *awareness.Deadline
}

// clocksShown is how many big countdowns the home shows; the wall fewer.
const clocksShown, wallClocks = 6, 4

func clocksOf(s *awareness.Snapshot, n int) []awareness.Deadline {
	out := []awareness.Deadline{}
	for _, d := range s.Overdue.Items {
		if len(out) == n {
			return out
		}
		out = append(out, d)
	}
	for _, d := range s.Deadlines {
		if len(out) == n {
			break
		}
		out = append(out, d)
	}
	return out
}

// awareness builds the awareness view of the actor's subtree; nil without
// incident.read.
func (h *Handler) awareness(r *http.Request, ac *app.Actor, clocks int) (*awareView, error) {
	if !ac.Can(fenghuo.PermIncidentRead) {
		return nil, nil
	}
	s, err := h.app.Awareness.Snapshot(r.Context(), ac)
	if err != nil {
		return nil, err
	}
	return &awareView{Snap: s, Clocks: clocksOf(s, clocks)}, nil
}

// unitHome fills what a unit's home adds: 报平安, its open incidents with
// their nearest deadline, and its duties without the future daily reports.
func (h *Handler) unitHome(r *http.Request, ac *app.Actor, a *awareView, d *homeData) {
	ctx := r.Context()
	for i, c := range a.Snap.Compliance {
		for _, u := range slices.Concat(c.Missing, c.Pending) {
			if u.ID == ac.Org.ID && a.QuietPeriod == nil {
				a.QuietPeriod = &a.Snap.Compliance[i]
			}
		}
	}
	next := map[int64]*awareness.Deadline{}
	for _, list := range [][]awareness.Deadline{a.Snap.Overdue.Items, a.Snap.Deadlines} {
		for i := range list {
			if id := list[i].IncidentID; id != 0 && (next[id] == nil || list[i].DueAt.Before(next[id].DueAt)) {
				next[id] = &list[i]
			}
		}
	}
	if res, err := h.app.Incidents.Incidents(ctx, ac, store.IncidentFilter{Open: true}, store.Page{Limit: 20}); err == nil {
		for _, row := range res.Items {
			a.MyIncidents = append(a.MyIncidents, unitIncident{Row: row, Due: next[row.ID]})
		}
	}
	// Today's and overdue duties; the later daily reports as one line.
	res, err := h.app.Incidents.MyDuties(ctx, ac, store.MaxLimit)
	if err != nil {
		return
	}
	now := h.app.Core.Now().In(calendar.Shanghai)
	endOfToday := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, calendar.Shanghai).AddDate(0, 0, 1)
	d.Duties = d.Duties[:0]
	for _, o := range res.Items {
		if o.Kind == "daily_report" && o.DueAt.After(endOfToday) {
			a.LaterReports++
			continue
		}
		if len(d.Duties) < 10 {
			d.Duties = append(d.Duties, o)
		}
	}
	d.DutiesTotal = listCount{N: res.Total - a.LaterReports, Capped: res.Capped}
}

// wall is the full-screen awareness page for a display across the room:
// no navigation, dark, large type, refreshing itself.
func (h *Handler) wall(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	if !ac.Can(fenghuo.PermIncidentRead) {
		h.fail(w, r, ac, errForbidden)
		return
	}
	a, err := h.awareness(r, ac, wallClocks)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	// The wall has no navigation chrome (Bare); it is still a signed-in page,
	// so pushed updates reach it.
	h.render(w, r, http.StatusOK, "wall", &view{Actor: ac, Bare: true, Title: "aware.wall.title", Nav: "wall", Data: wallData{a}})
}

// AwareTitle is the awareness screen's title for the snapshot's level:
// 县级态势感知, "City situational awareness".
func (v *view) AwareTitle(level string) string { return v.T("aware.level." + level) }

// StateWord names an org state in words (colour is never the only signal).
func (v *view) StateWord(state string) string { return v.T("aware.state." + state) }

// Percent is a of b in whole percent (0 when b is 0).
func Percent(a, b int) int {
	if b <= 0 {
		return 0
	}
	return a * 100 / b
}

// Percent: see the function.
func (v *view) Percent(a, b int) int { return Percent(a, b) }

// Trend is a number with an arrow against the span before: ▲ more, ▼
// fewer, ＝ same, with the previous number in words for readers of the
// screen.
func (v *view) Trend(cur, prev int, span string) template.HTML {
	arrow, class, word := "＝", "flat", v.T("aware.trend.same")
	switch {
	case cur > prev:
		arrow, class, word = "▲", "up", v.T("aware.trend.up")
	case cur < prev:
		arrow, class, word = "▼", "down", v.T("aware.trend.down")
	}
	return template.HTML(fmt.Sprintf(`<span class="trend-num">%d</span> <span class="trend-arrow %s" title="%s">%s</span> <span class="muted">%s%s%d</span>`,
		cur, class, template.HTMLEscapeString(word), arrow, template.HTMLEscapeString(v.T("aware.trend.prev."+span)), v.Colon(), prev))
}

// Sparkline draws the daily counts as a small inline SVG polyline with a
// dot on the last day; its title says the numbers for a screen reader.
func (v *view) Sparkline(days []awareness.DayCount) template.HTML {
	const w, h, pad = 240.0, 40.0, 3.0
	if len(days) == 0 {
		return ""
	}
	top := 1
	nums := make([]string, len(days))
	for i, d := range days {
		top = max(top, d.N)
		nums[i] = strconv.Itoa(d.N)
	}
	step := (w - 2*pad) / float64(max(len(days)-1, 1))
	var pts strings.Builder
	var lx, ly float64
	for i, d := range days {
		lx = pad + float64(i)*step
		ly = h - pad - float64(d.N)/float64(top)*(h-2*pad)
		fmt.Fprintf(&pts, "%.1f,%.1f ", lx, ly)
	}
	title := template.HTMLEscapeString(v.T("aware.trend.days") + v.Colon() + strings.Join(nums, v.ListSep()))
	return template.HTML(fmt.Sprintf(`<svg class="sparkline" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" role="img" aria-label="%s"><title>%s</title>`+
		`<polyline fill="none" stroke="currentColor" stroke-width="2" points="%s"/><circle cx="%.1f" cy="%.1f" r="3" fill="currentColor"/></svg>`,
		w, h, w, h, title, title, strings.TrimSpace(pts.String()), lx, ly))
}

// Clock is a big countdown: ticking (app.js) while due, red with how long
// once overdue, not ticking.
func (v *view) Clock(due time.Time) template.HTML {
	stamp := due.UTC().Format(time.RFC3339)
	abs := template.HTMLEscapeString(dueTime(due))
	if !due.After(v.Now) {
		return template.HTML(`<span class="countdown overdue big" title="` + abs + `">` + template.HTMLEscapeString(countdownText(v.Lang, due.Sub(v.Now))) + `</span>`)
	}
	return template.HTML(`<span class="countdown big" role="timer" data-due="` + stamp + `" title="` + abs + `">` +
		template.HTMLEscapeString(countdownText(v.Lang, due.Sub(v.Now))) + `</span>`)
}

// DeadlineWhat says what a deadline is: the obligation's title in the
// page's language.
func (v *view) DeadlineWhat(d awareness.Deadline) string { return v.ObligationTitle(d.Obligation) }

// DeadlineLink opens what a deadline is about.
func (v *view) DeadlineLink(d awareness.Deadline) string { return app.ObligationLink(&d.Obligation) }

// WallTotals are the few numbers of the wall.
type WallTotals struct {
	Acked, Targets, Filed, Expected int
}

// Totals sums the warnings' acknowledgements and today's daily reports.
// wallData is the awareness view with the wall's own summaries.
type wallData struct {
	*awareView
}

func (d wallData) Totals() WallTotals {
	var t WallTotals
	if d.awareView == nil {
		return t
	}
	for _, w := range d.Snap.Warnings {
		t.Acked, t.Targets = t.Acked+w.Acked, t.Targets+w.Total
	}
	for _, c := range d.Snap.Compliance {
		t.Filed, t.Expected = t.Filed+c.Filed, t.Expected+c.Expected
	}
	return t
}

// wallTreeDepth keeps the wall's org tiles to the actor's org and two
// levels below (a wall shows offices and units at a glance, not a list).
const wallTreeDepth, wallTreeTiles = 2, 48

// Tiles are the orgs of the wall's tree, two levels deep at most.
func (d wallData) Tiles() []awareness.TreeNode {
	out := []awareness.TreeNode{}
	if d.awareView == nil {
		return out
	}
	for _, n := range d.Snap.Tree {
		if n.Depth <= wallTreeDepth && len(out) < wallTreeTiles {
			out = append(out, n)
		}
	}
	return out
}

// Grade returns the open count of a grade.
func (d wallData) Grade(g string) int {
	if d.awareView == nil {
		return 0
	}
	for _, c := range d.Snap.ByGrade {
		if c.Key == g {
			return c.N
		}
	}
	return 0
}

// GradeKey is GradeLabel of a grade held as a string (the counts' keys).
func (v *view) GradeKey(g string) string { return v.GradeLabel(fenghuo.Grade(g)) }

// IsUnit reports whether the viewer's org is a unit, not an office: the
// navigation leaves out the offices' items (报告收件箱, 组织机构, 应急预案).
func (v *view) IsUnit() bool {
	return v.Actor != nil && awareness.LevelOf(&v.Actor.Org) == awareness.LevelUnit
}
