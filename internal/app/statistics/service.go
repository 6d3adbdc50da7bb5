// Package statistics counts what an office files and watches over a chosen
// range: incidents by grade and category over time, each unit's reporting
// punctuality over time, a protection period's unit × day grid and a
// monitored site's response times and up/down history. Every count is read
// within the actor's scope (its subtree, and the incidents reported to it).
package statistics

import (
	"context"
	"sort"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/period"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// Service is the statistics capability.
type Service struct {
	core    *app.Core
	periods *period.Service
}

// New returns the statistics capability over core; the period grid reads
// the boards of periods.
func New(core *app.Core, periods *period.Service) *Service {
	return &Service{core: core, periods: periods}
}

// Line is one series of counts, one per bucket of the report.
type Line struct {
	Key    string    `json:"key"`
	Name   plan.Text `json:"name"`
	Values []int     `json:"values"`
	Total  int       `json:"total"`
}

// Punctuality counts report duties by how they ended: in time, late (迟报),
// never filed (漏报), still open past the due time, and open not yet due.
type Punctuality struct {
	OnTime  int `json:"on_time"`
	Late    int `json:"late"`
	Missed  int `json:"missed"`
	Overdue int `json:"overdue"`
	Pending int `json:"pending"`
}

// Due is how many duties fell due (pending ones excluded).
func (p Punctuality) Due() int { return p.OnTime + p.Late + p.Missed + p.Overdue }

// Rate is the share filed in time, in percent with one decimal (-1: none due).
func (p Punctuality) Rate() float64 {
	if p.Due() == 0 {
		return -1
	}
	return float64(int(float64(p.OnTime)*1000/float64(p.Due())+0.5)) / 10
}

func (p *Punctuality) add(q Punctuality) {
	p.OnTime, p.Late, p.Missed, p.Overdue, p.Pending = p.OnTime+q.OnTime, p.Late+q.Late, p.Missed+q.Missed, p.Overdue+q.Overdue, p.Pending+q.Pending
}

// UnitStats are one unit's numbers over the range: its incidents, and its
// reporting punctuality in total and per bucket.
type UnitStats struct {
	OrgID       int64         `json:"org_id"`
	Name        string        `json:"name"`
	Incidents   int           `json:"incidents"`
	Punctuality Punctuality   `json:"punctuality"`
	PerBucket   []Punctuality `json:"per_bucket"`
}

// Report is the statistics of an office over a range.
type Report struct {
	Office     string   `json:"office"`
	From       string   `json:"from"` // first day
	To         string   `json:"to"`   // last day, included
	By         string   `json:"by"`
	Buckets    []string `json:"buckets"`
	Incidents  int      `json:"incidents"`
	Grades     []Line   `json:"grades"`     // I, II, III, IV
	Categories []Line   `json:"categories"` // top-level categories, most incidents first
	// Punctuality per bucket over every unit, and in total.
	Punctuality       []Punctuality `json:"punctuality_per_bucket"`
	PunctualityTotals Punctuality   `json:"punctuality"`
	Units             []UnitStats   `json:"units"` // the office's subtree units with incidents or duties, by name
}

// Statistics counts the actor's scope over r.
func (s *Service) Statistics(ctx context.Context, ac *app.Actor, r Range) (*Report, error) {
	if err := app.Require(ac, fenghuo.PermIncidentRead); err != nil {
		return nil, err
	}
	db := s.core.DB()
	incidents, err := db.IncidentCounts(ctx, ac.Org.ID, r.From, r.To)
	if err != nil {
		return nil, err
	}
	duties, err := db.ReportDutyCounts(ctx, ac.Org.Path, r.From, r.To, s.core.Now())
	if err != nil {
		return nil, err
	}
	rep := &Report{Office: ac.Org.Name, From: r.FirstDay(), To: r.LastDay(), By: r.By}
	index := map[string]int{}
	for i, b := range r.buckets() {
		rep.Buckets = append(rep.Buckets, b.Key)
		index[b.Key] = i
	}
	n := len(rep.Buckets)
	grades := map[string]*Line{}
	for _, g := range fenghuo.Grades {
		l := &Line{Key: string(g), Name: plan.Text{ZH: g.NameZH(), EN: g.NameEN()}, Values: make([]int, n)}
		grades[string(g)] = l
	}
	categories := map[string]*Line{}
	units := map[int64]*UnitStats{}
	unit := func(id int64) *UnitStats {
		u, ok := units[id]
		if !ok {
			u = &UnitStats{OrgID: id, PerBucket: make([]Punctuality, n)}
			units[id] = u
		}
		return u
	}
	for _, c := range incidents {
		i, ok := index[r.keyOfDay(store.DayOf(c.Day))]
		if !ok {
			continue
		}
		rep.Incidents += c.N
		if l, ok := grades[c.Grade]; ok {
			l.Values[i] += c.N
			l.Total += c.N
		}
		code, name := topCategory(c.Category)
		l, ok := categories[code]
		if !ok {
			l = &Line{Key: code, Name: name, Values: make([]int, n)}
			categories[code] = l
		}
		l.Values[i] += c.N
		l.Total += c.N
		unit(c.UnitID).Incidents += c.N
	}
	rep.Punctuality = make([]Punctuality, n)
	for _, c := range duties {
		i, ok := index[r.keyOfDay(store.DayOf(c.Day))]
		if !ok {
			continue
		}
		var p Punctuality
		switch {
		case c.State == fenghuo.ObligationOnTime:
			p.OnTime = c.N
		case c.State == fenghuo.ObligationLate:
			p.Late = c.N
		case c.State == fenghuo.ObligationMissed:
			p.Missed = c.N
		case c.Overdue:
			p.Overdue = c.N
		default:
			p.Pending = c.N
		}
		u := unit(c.OrgID)
		u.PerBucket[i].add(p)
		u.Punctuality.add(p)
		rep.Punctuality[i].add(p)
		rep.PunctualityTotals.add(p)
	}
	for _, g := range fenghuo.Grades {
		rep.Grades = append(rep.Grades, *grades[string(g)])
	}
	for _, l := range categories {
		rep.Categories = append(rep.Categories, *l)
	}
	sort.Slice(rep.Categories, func(i, j int) bool {
		a, b := rep.Categories[i], rep.Categories[j]
		return a.Total > b.Total || a.Total == b.Total && a.Key < b.Key
	})
	for id, u := range units {
		if o, err := db.Org(ctx, id); err == nil {
			u.Name = o.Name
		}
		rep.Units = append(rep.Units, *u)
	}
	sort.Slice(rep.Units, func(i, j int) bool {
		a, b := rep.Units[i], rep.Units[j]
		return a.Name < b.Name || a.Name == b.Name && a.OrgID < b.OrgID
	})
	return rep, nil
}

// topCategory rolls a category code up to its top-level category in the
// built-in taxonomies, with its name ("" is 未分类).
func topCategory(code string) (string, plan.Text) {
	if code == "" {
		return "", plan.Text{ZH: "未分类", EN: "Uncategorised"}
	}
	for _, id := range plan.TaxonomyIDs() {
		t, _ := plan.BuiltinTaxonomy(id)
		c, parent, ok := t.Lookup(code)
		if !ok {
			continue
		}
		if parent != "" {
			c, _, _ = t.Lookup(parent)
			code = parent
		}
		return code, c.Name
	}
	return code, plan.Text{ZH: code, EN: code}
}

// Now is the service's clock (the console's period chooser defaults to it).
func (s *Service) Now() time.Time { return s.core.Now() }

// GridRow is one unit's days in a protection period: each day's board
// state (period.Board states), "" for a day not yet open for reports.
type GridRow struct {
	OrgID  int64    `json:"org_id"`
	Name   string   `json:"name"`
	States []string `json:"states"`
}

// PeriodGrid is a protection period as units × days.
type PeriodGrid struct {
	PeriodID int64          `json:"period_id"`
	Name     string         `json:"name"`
	Days     []string       `json:"days"`
	Rows     []GridRow      `json:"rows"`
	Counts   map[string]int `json:"counts"` // cells per state
}

// PeriodGrid reads the period's daily board of every day up to today's
// (the period service decides each state and the actor's scope), units in
// board order.
func (s *Service) PeriodGrid(ctx context.Context, ac *app.Actor, periodID int64) (*PeriodGrid, error) {
	first, err := s.periods.DailyBoard(ctx, ac, periodID, "")
	if err != nil {
		return nil, err
	}
	g := &PeriodGrid{PeriodID: periodID, Name: first.Period.Name, Days: first.Days, Counts: map[string]int{}}
	rows := map[int64]int{}
	now := s.core.Now()
	for di, day := range first.Days {
		b := first
		if day != first.Day {
			cut, err := time.ParseInLocation(period.DayLayout+" 15:04", day+" "+first.Period.Cutoff, first.Cutoff.Location())
			if err == nil && now.Before(cut.Add(-24*time.Hour)) && di > 0 {
				continue // not yet open for reports
			}
			if b, err = s.periods.DailyBoard(ctx, ac, periodID, day); err != nil {
				return nil, err
			}
		}
		for _, r := range b.Rows {
			i, ok := rows[r.Org.ID]
			if !ok {
				i = len(g.Rows)
				rows[r.Org.ID] = i
				g.Rows = append(g.Rows, GridRow{OrgID: r.Org.ID, Name: r.Org.Name, States: make([]string, len(g.Days))})
			}
			g.Rows[i].States[di] = r.State
			g.Counts[r.State]++
		}
	}
	return g, nil
}
