package web

// Statistics page (issue 13 item 4): incidents over time by grade and
// category, reporting punctuality over time and per unit, drawn as SVG
// on the server (internal/svgchart) with a table of the same numbers
// under each chart; links to the 统计通报 (item 8) of the chosen range.

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"math"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/statistics"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
	"fenghuo/internal/svgchart"
)

// registerStatistics adds the statistics routes (called from routes).
func (h *Handler) registerStatistics(mux *http.ServeMux) {
	mux.HandleFunc("GET /statistics", h.authed(h.statisticsPage))
	mux.HandleFunc("GET /statistics/bulletin/{format}", h.authed(h.statisticsBulletin))
}

// statisticsChoice is what the period chooser shows: the chosen month,
// year or days, and the query that repeats the choice (for the document
// links).
type statisticsChoice struct {
	Mode, Month, Year, From, To, By string
	Query                           string
	Bys                             []string // the choices of by
}

// chooseRange reads the chooser: month=YYYY-MM, year=YYYY, or from/to;
// an error names the chooser's field (month, year, from, to, by).
func (h *Handler) chooseRange(r *http.Request) (statisticsChoice, statistics.Range, error) {
	q := r.URL.Query()
	c := statisticsChoice{Month: q.Get("month"), Year: q.Get("year"), From: q.Get("from"), To: q.Get("to"), By: q.Get("by"),
		Bys: []string{statistics.ByDay, statistics.ByWeek, statistics.ByMonth}}
	now := h.app.Statistics.Now()
	var rg statistics.Range
	var err error
	switch {
	case c.Month != "":
		c.Mode = "month"
		rg, err = statistics.ParseRange(c.Month, "", c.By, now)
		err = renameField(err, "from", "month")
	case c.Year != "":
		c.Mode = "year"
		rg, err = statistics.ParseRange(c.Year, "", c.By, now)
		err = renameField(err, "from", "year")
	case c.From != "" || c.To != "":
		c.Mode = "range"
		if c.To == "" && (len(c.From) == 4 || len(c.From) == 7) {
			// A month or a year in from, as the API takes it.
			rg, err = statistics.ParseRange(c.From, "", c.By, now)
			break
		}
		if c.From == "" {
			return c, rg, fieldError("from", "Give the first day. / 请填写起始日期。")
		}
		if c.To == "" {
			return c, rg, fieldError("to", "Give the last day. / 请填写截止日期。")
		}
		rg, err = statistics.ParseRange(c.From, c.To, c.By, now)
	default:
		c.Mode = "default"
		rg, err = statistics.ParseRange("", "", c.By, now)
	}
	if err == nil {
		v := url.Values{"from": {rg.FirstDay()}, "to": {rg.LastDay()}, "by": {rg.By}}
		c.Query = v.Encode()
		if c.Mode == "default" || c.Mode == "range" {
			c.From, c.To = rg.FirstDay(), rg.LastDay()
		}
		c.By = rg.By
	}
	return c, rg, err
}

// statisticsData is the page: the report and its charts.
type statisticsData struct {
	Choice statisticsChoice
	// LastMonth and ThisYear are the usual bulletins: last month's and
	// this year's so far (YYYY-MM, YYYY).
	LastMonth, ThisYear string
	Report              *statistics.Report
	Label               string
	GradeChart          template.HTML
	CatChart            template.HTML
	PunctChart          template.HTML
	UnitGrid            template.HTML
	GradeNames          []string
	GradeTotals         []int
	Rows                []statisticsRow
}

// statisticsRow is one bucket of the tables under the time charts.
type statisticsRow struct {
	Bucket      string
	Grades      []int
	Total       int
	Punctuality statistics.Punctuality
}

func (h *Handler) statisticsPage(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	v := &view{Actor: ac, Title: "stats.title", Nav: "statistics", Lang: requestLang(r, ac.User.Locale)}
	choice, rg, err := h.chooseRange(r)
	now := h.app.Statistics.Now().In(calendar.Shanghai)
	d := statisticsData{Choice: choice, LastMonth: time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, calendar.Shanghai).AddDate(0, -1, 0).Format("2006-01"),
		ThisYear: now.Format("2006")}
	v.Data = &d
	status := http.StatusOK
	if err != nil {
		if accessError(err) {
			h.fail(w, r, ac, err)
			return
		}
		v.Errors, v.Error = fieldErrors(err)
		h.render(w, r, http.StatusBadRequest, "statistics", v)
		return
	}
	rep, err := h.app.Statistics.Statistics(r.Context(), ac, rg)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	d.Report, d.Label = rep, statistics.PeriodLabel(rg)
	if v.Lang == langEN {
		d.Label = rep.From + " – " + rep.To
	}
	d.build(v)
	h.render(w, r, status, "statistics", v)
}

// build draws the charts in the page's language.
func (d *statisticsData) build(v *view) {
	rep := d.Report
	words := func(t plan.Text) string { return v.Words(t, t.ZH) }
	grades := svgchart.TimeSeries{Title: v.T("stats.chart.grades"), Desc: fmt.Sprintf(v.T("stats.chart.grades.desc"), d.Label),
		X: rep.Buckets, Stacked: true}
	for _, l := range rep.Grades {
		grades.Series = append(grades.Series, svgchart.Series{Name: words(l.Name), Color: statistics.GradeColors[l.Key], Values: floats(l.Values)})
		d.GradeNames = append(d.GradeNames, words(l.Name))
		d.GradeTotals = append(d.GradeTotals, l.Total)
	}
	d.GradeChart = grades.SVG()
	cats := svgchart.Bars{Title: v.T("stats.chart.categories"), Desc: fmt.Sprintf(v.T("stats.chart.categories.desc"), d.Label), Series: "categories"}
	for _, l := range rep.Categories {
		cats.Bars = append(cats.Bars, svgchart.Bar{Label: words(l.Name), Value: float64(l.Total)})
	}
	d.CatChart = cats.SVG()
	punct := svgchart.TimeSeries{Title: v.T("stats.chart.punctuality"), Desc: fmt.Sprintf(v.T("stats.chart.punctuality.desc"), d.Label),
		X: rep.Buckets, Stacked: true}
	var on, late, missed, overdue []float64
	for i, k := range rep.Buckets {
		p := rep.Punctuality[i]
		on, late, missed, overdue = append(on, float64(p.OnTime)), append(late, float64(p.Late)), append(missed, float64(p.Missed)), append(overdue, float64(p.Overdue))
		row := statisticsRow{Bucket: k, Punctuality: p}
		for _, l := range rep.Grades {
			row.Grades = append(row.Grades, l.Values[i])
			row.Total += l.Values[i]
		}
		d.Rows = append(d.Rows, row)
	}
	punct.Series = []svgchart.Series{{Name: v.T("stats.on_time"), Color: svgchart.Green, Values: on}, {Name: v.T("stats.late"), Color: svgchart.Orange, Values: late},
		{Name: v.T("stats.missed"), Color: svgchart.Red, Values: missed}, {Name: v.T("stats.overdue"), Color: svgchart.Purple, Values: overdue}}
	d.PunctChart = punct.SVG()
	grid := svgchart.HeatGrid{Title: v.T("stats.chart.units"), Desc: fmt.Sprintf(v.T("stats.chart.units.desc"), d.Label), Cols: rep.Buckets,
		Legend: []svgchart.LegendEntry{{Key: "on_time", Label: v.T("stats.cell.on_time"), Color: svgchart.Green},
			{Key: "late", Label: v.T("stats.cell.late"), Color: svgchart.Orange}, {Key: "missed", Label: v.T("stats.cell.missed"), Color: svgchart.Red}}}
	for _, k := range rep.Buckets {
		// Short heads: 11-30 for a day or week, 26-11 for a month.
		if len(k) == 10 {
			k = k[5:]
		} else if len(k) == 7 {
			k = k[2:]
		}
		grid.ColLabels = append(grid.ColLabels, k)
	}
	for _, u := range rep.Units {
		if u.Punctuality.Due() == 0 {
			continue
		}
		grid.Rows = append(grid.Rows, u.Name)
		cells := make([]string, len(rep.Buckets))
		for i, p := range u.PerBucket {
			switch {
			case p.Missed+p.Overdue > 0:
				cells[i] = "missed"
			case p.Late > 0:
				cells[i] = "late"
			case p.OnTime > 0:
				cells[i] = "on_time"
			}
		}
		grid.Cells = append(grid.Cells, cells)
	}
	d.UnitGrid = grid.SVG()
}

func floats(v []int) []float64 {
	out := make([]float64, len(v))
	for i, n := range v {
		out[i] = float64(n)
	}
	return out
}

// RateText is a punctuality's on-time share for the tables ("—" with
// nothing due).
func (d *statisticsData) RateText(p statistics.Punctuality) string {
	if r := p.Rate(); r >= 0 {
		return strconv.FormatFloat(r, 'f', 1, 64) + "%"
	}
	return "—"
}

// statisticsBulletin sends the 统计通报 of the chosen range.
func (h *Handler) statisticsBulletin(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	_, rg, err := h.chooseRange(r)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	format := r.PathValue("format")
	var buf bytes.Buffer
	name, err := h.app.Statistics.Bulletin(r.Context(), ac, rg, format, &buf)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	ctype := map[string]string{"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "pdf": "application/pdf"}[format]
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}

// renameField moves a field error of the range to the chooser's field
// that was typed (a month or a year is the range's "from").
func renameField(err error, from, to string) error {
	var fe *fenghuo.Error
	if errors.As(err, &fe) && fe.Field == from {
		return fenghuo.FieldErrorf(to, "%s", fe.Message)
	}
	return err
}

func fieldError(field, msg string) error { return fenghuo.FieldErrorf(field, "%s", msg) }

// periodGridView is a protection period's unit × day grid for the period
// page (partials/period_grid.html): the chart and, per unit, the days in
// each state.
type periodGridView struct {
	Chart  template.HTML
	States []string
	Rows   []periodGridRow
}

type periodGridRow struct {
	Name   string
	Counts []int // per States
}

// gridStates are the board states in the grid's legend order.
var gridStates = []struct{ key, color string }{{"on_time", svgchart.Green}, {"incident", svgchart.Blue},
	{"late", svgchart.Orange}, {"missing", svgchart.Red}, {"contradicted", svgchart.Purple}, {"pending", svgchart.Grey}}

// periodGrid draws the grid of period id for the period page; nil when
// the actor may not read it (the page itself says why).
func (h *Handler) periodGrid(r *http.Request, ac *app.Actor, id int64) *periodGridView {
	g, err := h.app.Statistics.PeriodGrid(r.Context(), ac, id)
	if err != nil {
		return nil
	}
	v := &view{Lang: requestLang(r, ac.User.Locale)}
	chart := svgchart.HeatGrid{Title: v.T("grid.title"), Desc: fmt.Sprintf(v.T("grid.desc"), g.Name), Cols: g.Days}
	out := &periodGridView{}
	for _, s := range gridStates {
		chart.Legend = append(chart.Legend, svgchart.LegendEntry{Key: s.key, Label: v.T("board." + s.key), Color: s.color})
		out.States = append(out.States, s.key)
	}
	for _, row := range g.Rows {
		chart.Rows = append(chart.Rows, row.Name)
		chart.Cells = append(chart.Cells, row.States)
		pr := periodGridRow{Name: row.Name, Counts: make([]int, len(gridStates))}
		for _, st := range row.States {
			for i, s := range gridStates {
				if s.key == st {
					pr.Counts[i]++
				}
			}
		}
		out.Rows = append(out.Rows, pr)
	}
	for _, d := range g.Days {
		chart.ColLabels = append(chart.ColLabels, d[5:]) // MM-DD: the year is the period's
	}
	out.Chart = chart.SVG()
	return out
}

// monitorState is a check's state in the history bar: up, down, or
// failed (the check itself failed; the site's state is unknown).
func monitorState(res store.MonitorResult) string {
	switch {
	case res.Verdict == "failed":
		return "failed"
	case res.OK:
		return "up"
	}
	return "down"
}

// monitorHistory draws a monitor's checks (newest first, as the store
// gives them) as an up/down bar, oldest at the left.
func monitorHistory(r *http.Request, ac *app.Actor, url string, results []store.MonitorResult, small bool) template.HTML {
	v := &view{Lang: requestLang(r, ac.User.Locale)}
	up := 0
	for _, res := range results {
		if res.OK {
			up++
		}
	}
	c := svgchart.History{Title: fmt.Sprintf(v.T("chart.history.title"), url),
		Desc: fmt.Sprintf(v.T("chart.history.desc"), len(results), up), Series: url, Small: small,
		Legend: []svgchart.LegendEntry{{Key: "up", Label: v.T("monitor.up"), Color: svgchart.Green},
			{Key: "down", Label: v.T("chart.history.down"), Color: svgchart.Red}, {Key: "failed", Label: v.T("monitor.check_failed"), Color: svgchart.Grey}}}
	for i := len(results) - 1; i >= 0; i-- {
		res := results[i]
		c.Segments = append(c.Segments, svgchart.Segment{X: res.At.In(calendar.Shanghai).Format("01-02 15:04"), State: monitorState(res),
			Value: math.Round(float64(res.Latency)/float64(time.Millisecond)*100) / 100})
	}
	return c.SVG()
}

// monitorCharts draws a monitor page's response-time line and its up/down
// history bar.
func monitorCharts(r *http.Request, ac *app.Actor, url string, results []store.MonitorResult) (latency, history template.HTML) {
	v := &view{Lang: requestLang(r, ac.User.Locale)}
	c := svgchart.TimeSeries{Title: v.T("monitor.latency"), Desc: fmt.Sprintf(v.T("chart.latency.desc"), url, len(results))}
	s := svgchart.Series{Name: v.T("chart.latency.ms"), Color: svgchart.Blue}
	for i := len(results) - 1; i >= 0; i-- {
		res := results[i]
		c.X = append(c.X, res.At.In(calendar.Shanghai).Format("01-02 15:04"))
		ms := 0.0
		if res.OK {
			ms = math.Round(float64(res.Latency)/float64(time.Millisecond)*100) / 100
		}
		s.Values = append(s.Values, ms)
	}
	c.Series = []svgchart.Series{s}
	return c.SVG(), monitorHistory(r, ac, url, results, false)
}
