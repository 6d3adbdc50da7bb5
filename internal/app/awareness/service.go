// Package awareness is the situational-awareness view of an office or a
// unit (issue 13 item 1, requirement C10): what is open, what is due, what
// is overdue, who reports, what the monitors see and who is on duty, for
// the actor's org subtree, with a state per org of the subtree. It reads
// through the capabilities that own each datum (incident, period, warning,
// finding, drill, duty) and a few grouped store counts; it changes
// nothing, so it writes no audit entry.
package awareness

import (
	"context"
	"sort"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/drill"
	"fenghuo/internal/app/period"
	"fenghuo/internal/app/warning"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
	"fenghuo/internal/tamper"
)

// Service computes snapshots.
type Service struct {
	core     *app.Core
	warnings *warning.Service
	periods  *period.Service
	drills   *drill.Service
}

// New returns the awareness service over the capabilities it reads.
func New(c *app.Core, w *warning.Service, p *period.Service, d *drill.Service) *Service {
	return &Service{core: c, warnings: w, periods: p, drills: d}
}

// Limits of the lists a snapshot carries.
const (
	NearestDeadlines = 8
	OverdueListed    = 20
	WarningsListed   = 8
	DrillsListed     = 20
	TreeNodes        = 400
	TrendDays        = 30
)

// skipKinds are the duties the deadline figures leave out: the daily
// reports have their own compliance figures.
var skipKinds = []string{"daily_report"}

// tamperKinds are the monitoring alerts that mean a site was tampered
// with (content changes and DNS hijack), as against down or certificates.
var tamperKinds = []string{tamper.KindDefacement, tamper.KindHiddenLink, tamper.KindIllicitContent,
	tamper.KindMaliciousRedirect, tamper.KindNewExternalScript, tamper.KindHiddenIframe, tamper.KindCloaking, "dns_hijack"}

// Levels of the awareness screen: the level of the actor's org.
const (
	LevelUnit     = "unit"
	LevelCounty   = "county"
	LevelCity     = "city"
	LevelProvince = "province"
	LevelNational = "national"
	LevelSector   = "sector" // a sector regulator (行业主管部门)
)

// OrgState is an org's colour on the tree.
const (
	StateRed    = "red"    // overdue obligation, or an open grade I/II incident
	StateOrange = "orange" // open incident, missing daily report, site down or tampered
	StateGreen  = "green"  // nothing open
)

// OrgRef names an org.
type OrgRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Count is a number of a key (a grade, a category).
type Count struct {
	Key string `json:"key"`
	N   int    `json:"n"`
}

// Trend compares the new incidents of a day, a week and a month with the
// period before; Days are the last TrendDays days' counts, oldest first.
type Trend struct {
	Today         int        `json:"today"`
	Yesterday     int        `json:"yesterday"`
	Week          int        `json:"week"`
	PreviousWeek  int        `json:"previous_week"`
	Month         int        `json:"month"`
	PreviousMonth int        `json:"previous_month"`
	Days          []DayCount `json:"days"`
}

// DayCount is one day of the trend.
type DayCount struct {
	Day string `json:"day"`
	N   int    `json:"n"`
}

// Deadline is an obligation not yet met.
type Deadline struct {
	ObligationID  int64         `json:"obligation_id"`
	Kind          string        `json:"kind"`
	Title         string        `json:"title"`
	Clause        string        `json:"clause,omitempty"`
	IncidentID    int64         `json:"incident_id,omitempty"`
	IncidentTitle string        `json:"incident_title,omitempty"`
	Grade         fenghuo.Grade `json:"grade,omitempty"`
	Org           OrgRef        `json:"org"`
	DueAt         time.Time     `json:"due_at"`
	// RemainingSeconds is negative when overdue.
	RemainingSeconds int64 `json:"remaining_seconds"`
	// Obligation is the duty itself, for the console's links and titles.
	Obligation fenghuo.Obligation `json:"-"`
}

// Overdue are the obligations past due.
type Overdue struct {
	Total  int        `json:"total"`
	Capped bool       `json:"capped,omitempty"`
	Items  []Deadline `json:"items"`
}

// WarningProgress is an active warning with its acknowledgements.
type WarningProgress struct {
	ID     int64         `json:"id"`
	Title  string        `json:"title"`
	Color  fenghuo.Color `json:"color"`
	Acked  int           `json:"acked"`
	Total  int           `json:"total"`
	Issuer OrgRef        `json:"issuer"`
}

// Compliance is today's daily reporting of a protection period in progress.
type Compliance struct {
	PeriodID int64     `json:"period_id"`
	Name     string    `json:"name"`
	Day      string    `json:"day"`
	Cutoff   time.Time `json:"cutoff"`
	Filed    int       `json:"filed"`
	Expected int       `json:"expected"`
	// Missing are the units without a report after the cut-off; Pending
	// those without one before it.
	Missing []OrgRef `json:"missing"`
	Pending []OrgRef `json:"pending"`
}

// Monitoring counts the subtree's monitors.
type Monitoring struct {
	Total      int `json:"total"`
	Up         int `json:"up"`
	Down       int `json:"down"`
	Tampered   int `json:"tampered"`
	OpenAlerts int `json:"open_alerts"`
}

// Findings counts the findings not yet cleared.
type Findings struct {
	Open      int `json:"open"`
	Overdue   int `json:"overdue"`
	Submitted int `json:"submitted"`
	Accepted  int `json:"accepted"`
}

// Alerts counts the subtree's alert groups still to triage (open or
// assigned), by level (issue 14).
type Alerts struct {
	Open    int            `json:"open"`
	ByLevel map[string]int `json:"by_level"`
}

// Drills lists the units without a drill this year, once the drill
// window (the office's listing date) has come.
type Drills struct {
	Year   int      `json:"year"`
	Shown  bool     `json:"shown"`
	Total  int      `json:"total"`
	Capped bool     `json:"capped,omitempty"`
	Units  []OrgRef `json:"units"`
}

// OnDuty is who is on duty now at an office.
type OnDuty struct {
	Org     OrgRef    `json:"org"`
	Officer string    `json:"officer,omitempty"`
	Leader  string    `json:"leader,omitempty"`
	Phone   string    `json:"phone,omitempty"`
	Until   time.Time `json:"until,omitempty"`
	// Covered is false when nobody is rostered now.
	Covered bool `json:"covered"`
}

// TreeNode is an org of the subtree with its state (the worst of its own
// and of its subtree's) and the reasons of its own state.
type TreeNode struct {
	ID       int64            `json:"id"`
	ParentID int64            `json:"parent_id"`
	Name     string           `json:"name"`
	Level    fenghuo.OrgLevel `json:"level"`
	Depth    int              `json:"depth"`
	State    string           `json:"state"`
	// Own counts what makes the org's own state.
	OpenIncidents int  `json:"open_incidents"`
	Serious       int  `json:"serious"` // open grade I and II
	Overdue       int  `json:"overdue"`
	MissingDaily  bool `json:"missing_daily"`
	SitesDown     int  `json:"sites_down"`
	SitesTampered int  `json:"sites_tampered"`
}

// Snapshot is the situational awareness of the actor's subtree at At.
type Snapshot struct {
	At         time.Time         `json:"at"`
	Org        OrgRef            `json:"org"`
	Level      string            `json:"level"`
	OpenTotal  int               `json:"open_total"`
	ByGrade    []Count           `json:"by_grade"`
	ByCategory []Count           `json:"by_category"`
	Trend      Trend             `json:"trend"`
	Warnings   []WarningProgress `json:"warnings"`
	Deadlines  []Deadline        `json:"deadlines"`
	Overdue    Overdue           `json:"overdue"`
	Compliance []Compliance      `json:"compliance"`
	// Monitoring is nil when the actor may not read systems.
	Monitoring *Monitoring `json:"monitoring,omitempty"`
	Findings   Findings    `json:"findings"`
	Alerts     Alerts      `json:"alerts"` // alert groups to triage (issue 14)
	Drills     Drills      `json:"drills"`
	OnDuty     []OnDuty    `json:"on_duty"`
	Tree       []TreeNode  `json:"tree"`
	// TreeCapped: the subtree has more orgs than TreeNodes.
	TreeCapped bool `json:"tree_capped,omitempty"`
}

// LevelOf is the awareness level of an org: a unit (not an office), a
// sector regulator (a department-level office), or the administrative
// level of an office.
func LevelOf(o *fenghuo.Org) string {
	switch {
	case o.Level == fenghuo.LevelUnit || o.Type == fenghuo.OrgOperator:
		return LevelUnit
	case o.Level == fenghuo.LevelDepartment:
		return LevelSector
	case o.Level == fenghuo.LevelCounty:
		return LevelCounty
	case o.Level == fenghuo.LevelCity:
		return LevelCity
	case o.Level == fenghuo.LevelProvince:
		return LevelProvince
	}
	return LevelNational
}

// Snapshot computes the situational awareness of the actor's subtree.
func (s *Service) Snapshot(ctx context.Context, ac *app.Actor) (*Snapshot, error) {
	if err := app.Require(ac, fenghuo.PermIncidentRead); err != nil {
		return nil, err
	}
	db := s.core.DB()
	now := s.core.Now()
	snap := &Snapshot{At: now, Org: OrgRef{ac.Org.ID, ac.Org.Name}, Level: LevelOf(&ac.Org)}
	nodes := map[int64]*TreeNode{}
	own := func(id int64) *TreeNode {
		n := nodes[id]
		if n == nil {
			n = &TreeNode{ID: id}
			nodes[id] = n
		}
		return n
	}

	// Open incidents by grade, category and unit: one grouped count.
	counts, err := db.OpenIncidentCounts(ctx, ac.Org.ID)
	if err != nil {
		return nil, err
	}
	byGrade, byCat := map[string]int{}, map[string]int{}
	for _, c := range counts {
		snap.OpenTotal += c.N
		byGrade[string(c.Grade)] += c.N
		byCat[c.Category] += c.N
		n := own(c.UnitID)
		n.OpenIncidents += c.N
		if c.Grade == fenghuo.GradeI || c.Grade == fenghuo.GradeII {
			n.Serious += c.N
		}
	}
	for _, g := range []string{string(fenghuo.GradeI), string(fenghuo.GradeII), string(fenghuo.GradeIII), string(fenghuo.GradeIV), ""} {
		if g != "" || byGrade[g] > 0 {
			snap.ByGrade = append(snap.ByGrade, Count{g, byGrade[g]})
		}
	}
	snap.ByCategory = []Count{}
	for k, n := range byCat {
		snap.ByCategory = append(snap.ByCategory, Count{k, n})
	}
	sort.Slice(snap.ByCategory, func(i, j int) bool {
		a, b := snap.ByCategory[i], snap.ByCategory[j]
		return a.N > b.N || a.N == b.N && a.Key < b.Key
	})

	if snap.Trend, err = s.trend(ctx, ac, now); err != nil {
		return nil, err
	}
	if err := s.deadlines(ctx, ac, now, snap, own); err != nil {
		return nil, err
	}
	if snap.Warnings, err = s.activeWarnings(ctx, ac); err != nil {
		return nil, err
	}
	if snap.Compliance, err = s.compliance(ctx, ac, now, own); err != nil {
		return nil, err
	}
	if ac.Can(fenghuo.PermSystemRead) {
		sum, err := db.MonitorSummary(ctx, ac.Org.Path, tamperKinds)
		if err != nil {
			return nil, err
		}
		m := &Monitoring{Total: sum.Total, Up: sum.Up, Down: sum.Down, Tampered: sum.Tampered, OpenAlerts: sum.OpenAlerts}
		for id, n := range sum.DownByOrg {
			own(id).SitesDown += n
		}
		for id, n := range sum.TamperedByOrg {
			own(id).SitesTampered += n
		}
		snap.Monitoring = m
	}
	fc, err := db.FindingCounts(ctx, ac.Org.ID, now)
	if err != nil {
		return nil, err
	}
	for _, c := range fc {
		switch c.State {
		case fenghuo.FindingSubmitted:
			snap.Findings.Submitted += c.N
		case fenghuo.FindingAccepted:
			snap.Findings.Accepted += c.N
		default:
			snap.Findings.Open += c.N
			snap.Findings.Overdue += c.Overdue
		}
	}
	// Alert groups to triage (issue 14).
	if snap.Alerts.ByLevel, err = db.OpenAlertGroupCounts(ctx, ac.Org.ID); err != nil {
		return nil, err
	}
	for _, n := range snap.Alerts.ByLevel {
		snap.Alerts.Open += n
	}
	year := now.In(calendar.Shanghai).Year()
	missing, err := s.drills.UnitsWithoutDrill(ctx, ac, year, store.Page{Limit: DrillsListed})
	if err != nil {
		return nil, err
	}
	snap.Drills = Drills{Year: year, Shown: missing.Shown, Total: missing.Units.Total, Capped: missing.Units.Capped, Units: []OrgRef{}}
	for _, u := range missing.Units.Items {
		snap.Drills.Units = append(snap.Drills.Units, OrgRef{u.ID, u.Name})
	}
	if snap.OnDuty, err = s.onDuty(ctx, ac, now); err != nil {
		return nil, err
	}
	if err := s.tree(ctx, ac, snap, nodes); err != nil {
		return nil, err
	}
	return snap, nil
}

// trend counts the new incidents of the last 60 days by day (Beijing
// days) and compares each span with the one before.
func (s *Service) trend(ctx context.Context, ac *app.Actor, now time.Time) (Trend, error) {
	today := now.In(calendar.Shanghai)
	start := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, calendar.Shanghai)
	from := start.AddDate(0, 0, -(2*TrendDays - 1))
	rows, err := s.core.DB().IncidentDayCounts(ctx, ac.Org.ID, from, calendar.Shanghai)
	if err != nil {
		return Trend{}, err
	}
	by := map[string]int{}
	for _, r := range rows {
		by[r.Day] = r.N
	}
	t := Trend{Days: make([]DayCount, 0, TrendDays)}
	for i := 0; i < 2*TrendDays; i++ {
		day := start.AddDate(0, 0, -i).Format("2006-01-02")
		n := by[day]
		switch {
		case i == 0:
			t.Today = n
		case i == 1:
			t.Yesterday = n
		}
		switch {
		case i < 7:
			t.Week += n
		case i < 14:
			t.PreviousWeek += n
		}
		if i < TrendDays {
			t.Month += n
			t.Days = append(t.Days, DayCount{day, n})
		} else {
			t.PreviousMonth += n
		}
	}
	for i, j := 0, len(t.Days)-1; i < j; i, j = i+1, j-1 {
		t.Days[i], t.Days[j] = t.Days[j], t.Days[i]
	}
	return t, nil
}

func toDeadline(d store.Deadline, now time.Time) Deadline {
	return Deadline{ObligationID: d.ID, Kind: d.Kind, Title: d.Title, Clause: d.Clause, IncidentID: d.IncidentID,
		IncidentTitle: d.IncidentTitle, Grade: d.IncidentGrade, Org: OrgRef{d.OwnerOrgID, d.OwnerName}, DueAt: d.DueAt,
		RemainingSeconds: int64(d.DueAt.Sub(now) / time.Second), Obligation: d.Obligation}
}

// deadlines reads the nearest obligations not yet due and the overdue
// ones (grade I first, then II …, each oldest first).
func (s *Service) deadlines(ctx context.Context, ac *app.Actor, now time.Time, snap *Snapshot, own func(int64) *TreeNode) error {
	db := s.core.DB()
	next, err := db.SubtreeDeadlines(ctx, store.DeadlineFilter{OrgPath: ac.Org.Path, SkipKinds: skipKinds, After: now,
		Limit: NearestDeadlines, NoCount: true})
	if err != nil {
		return err
	}
	snap.Deadlines = []Deadline{}
	for _, d := range next.Items {
		snap.Deadlines = append(snap.Deadlines, toDeadline(d, now))
	}
	// The overdue shown: of the store.MaxLimit longest overdue, grade I
	// first (the store picks them; only those shown are read).
	late, err := db.SubtreeDeadlines(ctx, store.DeadlineFilter{OrgPath: ac.Org.Path, SkipKinds: skipKinds, Until: now,
		GradeWindow: store.MaxLimit, Limit: OverdueListed})
	if err != nil {
		return err
	}
	snap.Overdue = Overdue{Total: late.Total, Capped: late.Capped, Items: []Deadline{}}
	for _, d := range late.Items {
		snap.Overdue.Items = append(snap.Overdue.Items, toDeadline(d, now))
	}
	sort.SliceStable(snap.Overdue.Items, func(i, j int) bool {
		return gradeRank(snap.Overdue.Items[i].Grade) < gradeRank(snap.Overdue.Items[j].Grade)
	})
	if len(snap.Overdue.Items) > OverdueListed {
		snap.Overdue.Items = snap.Overdue.Items[:OverdueListed]
	}
	byOwner, err := db.OverdueByOwner(ctx, ac.Org.Path, now, skipKinds)
	if err != nil {
		return err
	}
	for id, n := range byOwner {
		own(id).Overdue += n
	}
	return nil
}

// gradeRank orders grades I (0) to IV (3), ungraded last.
func gradeRank(g fenghuo.Grade) int {
	switch g {
	case fenghuo.GradeI:
		return 0
	case fenghuo.GradeII:
		return 1
	case fenghuo.GradeIII:
		return 2
	case fenghuo.GradeIV:
		return 3
	}
	return 4
}

// activeWarnings lists the active warnings the actor sees, with the
// acknowledgements of the targets the actor sees (warning.Service.Warning).
func (s *Service) activeWarnings(ctx context.Context, ac *app.Actor) ([]WarningProgress, error) {
	out := []WarningProgress{}
	list, err := s.warnings.Warnings(ctx, ac, store.Page{Limit: 50})
	if err != nil {
		return nil, err
	}
	for _, w := range list.Items {
		if w.Status != fenghuo.WarningActive || len(out) == WarningsListed {
			continue
		}
		d, err := s.warnings.Warning(ctx, ac, w.ID)
		if err != nil {
			if fenghuo.ErrorCode(err) == fenghuo.ENOTFOUND {
				continue
			}
			return nil, err
		}
		out = append(out, WarningProgress{ID: w.ID, Title: w.Title, Color: w.Color, Acked: d.Acked, Total: len(d.Targets),
			Issuer: OrgRef{d.Issuer.ID, d.Issuer.Name}})
	}
	return out, nil
}

// compliance reads today's board of every protection period in progress
// (period.Service.DailyBoard).
func (s *Service) compliance(ctx context.Context, ac *app.Actor, now time.Time, own func(int64) *TreeNode) ([]Compliance, error) {
	out := []Compliance{}
	periods, err := s.periods.Periods(ctx, ac)
	if err != nil {
		return nil, err
	}
	today := now.In(calendar.Shanghai).Format(period.DayLayout)
	for _, p := range periods {
		if today < p.FirstDay || today > p.LastDay {
			continue
		}
		b, err := s.periods.DailyBoard(ctx, ac, p.ID, today)
		if err != nil {
			if fenghuo.ErrorCode(err) == fenghuo.ENOTFOUND {
				continue
			}
			return nil, err
		}
		c := Compliance{PeriodID: p.ID, Name: p.Name, Day: today, Cutoff: b.Cutoff, Expected: len(b.Rows),
			Missing: []OrgRef{}, Pending: []OrgRef{}}
		for _, r := range b.Rows {
			switch {
			case r.Report != nil:
				c.Filed++
			case r.State == period.BoardMissing:
				c.Missing = append(c.Missing, OrgRef{r.Org.ID, r.Org.Name})
				own(r.Org.ID).MissingDaily = true
			default:
				c.Pending = append(c.Pending, OrgRef{r.Org.ID, r.Org.Name})
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// onDuty reads who is on duty now at the actor's org and each office
// directly below it, from the duty roster (the shifts the duty page reads
// for its "now"); without the right to read orgs, nothing. It does not
// call period.Service.Duty, which also walks every office of the subtree
// for its gaps: a province's home would pay for each county's.
func (s *Service) onDuty(ctx context.Context, ac *app.Actor, now time.Time) ([]OnDuty, error) {
	out := []OnDuty{}
	if !ac.Can(fenghuo.PermOrgRead) {
		return out, nil
	}
	db := s.core.DB()
	kids, err := db.ChildOrgs(ctx, ac.Org.ID)
	if err != nil {
		return nil, err
	}
	offices := []fenghuo.Org{}
	if LevelOf(&ac.Org) != LevelUnit {
		offices = append(offices, ac.Org)
	}
	for _, k := range kids {
		if k.Type == fenghuo.OrgRegulator || k.Type == fenghuo.OrgMonitoring || k.Type == fenghuo.OrgPublicSecurity {
			offices = append(offices, k)
		}
	}
	for _, o := range offices {
		shifts, err := db.DutyShifts(ctx, o.ID, now, now.Add(time.Millisecond))
		if err != nil {
			return nil, err
		}
		e := OnDuty{Org: OrgRef{o.ID, o.Name}}
		if len(shifts) > 0 {
			sh := shifts[0]
			e.Covered, e.Officer, e.Leader, e.Phone, e.Until = true, sh.Officer, sh.Leader, sh.Phone, sh.EndAt
		}
		out = append(out, e)
	}
	return out, nil
}

// tree lists the subtree (depth first, up to TreeNodes orgs) with each
// org's state: the worst of its own and of the orgs below it.
func (s *Service) tree(ctx context.Context, ac *app.Actor, snap *Snapshot, own map[int64]*TreeNode) error {
	// The subtree's orgs as tree nodes in one read: a province's 11,000
	// without their contacts to open.
	orgs, err := s.core.DB().SubtreeNodes(ctx, ac.Org.Path)
	if err != nil {
		return err
	}
	children := map[int64][]store.OrgNode{}
	for _, o := range orgs {
		if o.ID != ac.Org.ID {
			children[o.ParentID] = append(children[o.ParentID], o)
		}
	}
	for _, kids := range children {
		sort.Slice(kids, func(i, j int) bool {
			return kids[i].Name < kids[j].Name || kids[i].Name == kids[j].Name && kids[i].ID < kids[j].ID
		})
	}
	rank := map[string]int{StateGreen: 0, StateOrange: 1, StateRed: 2}
	snap.Tree = []TreeNode{}
	// walk appends o and its subtree and returns o's state.
	var walk func(o store.OrgNode, depth int) string
	walk = func(o store.OrgNode, depth int) string {
		n := TreeNode{ID: o.ID, ParentID: o.ParentID, Name: o.Name, Level: o.Level, Depth: depth}
		if c := own[o.ID]; c != nil {
			n.OpenIncidents, n.Serious, n.Overdue, n.MissingDaily = c.OpenIncidents, c.Serious, c.Overdue, c.MissingDaily
			n.SitesDown, n.SitesTampered = c.SitesDown, c.SitesTampered
		}
		n.State = StateGreen
		switch {
		case n.Overdue > 0 || n.Serious > 0:
			n.State = StateRed
		case n.OpenIncidents > 0 || n.MissingDaily || n.SitesDown > 0 || n.SitesTampered > 0:
			n.State = StateOrange
		}
		at := -1
		if len(snap.Tree) < TreeNodes {
			at = len(snap.Tree)
			snap.Tree = append(snap.Tree, n)
		} else {
			snap.TreeCapped = true
		}
		state := n.State
		for _, k := range children[o.ID] {
			if st := walk(k, depth+1); rank[st] > rank[state] {
				state = st
			}
		}
		if at >= 0 {
			snap.Tree[at].State = state
		}
		return state
	}
	walk(store.OrgNode{ID: ac.Org.ID, ParentID: ac.Org.ParentID, Name: ac.Org.Name, Level: ac.Org.Level}, 0)
	return nil
}
