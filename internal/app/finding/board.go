package finding

import (
	"context"
	"io"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/export"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// AgeBuckets name the age buckets of the board (since first seen).
var AgeBuckets = []string{"<7d", "7-30d", "30-90d", ">90d"}

// Tally counts active findings: Open are the unit's to fix (open or
// rectifying), by severity (index of fenghuo.FindingSeverities) and age
// (index of AgeBuckets); Submitted wait for the office's re-check; Accepted
// are risks the office accepted; Overdue are open past their deadline.
type Tally struct {
	Open       int
	BySeverity [4]int
	ByAge      [4]int
	Grid       [4][4]int // severity × age
	Submitted  int
	Accepted   int
	Overdue    int
}

func (t *Tally) add(c store.FindingCount) {
	sev := fenghuo.SeverityRank(c.Severity)
	switch c.State {
	case fenghuo.FindingSubmitted:
		t.Submitted += c.N
		return
	case fenghuo.FindingAccepted:
		t.Accepted += c.N
		return
	}
	if sev < 0 || c.Age < 0 || c.Age > 3 {
		return
	}
	t.Open += c.N
	t.BySeverity[sev] += c.N
	t.ByAge[c.Age] += c.N
	t.Grid[sev][c.Age] += c.N
	t.Overdue += c.Overdue
}

// UnitTally is one organisation's own findings on the board.
type UnitTally struct {
	Org fenghuo.Org
	Tally
}

// Board is the clear-to-zero view of a subtree: its totals, each
// organisation with active findings (most open first), and the trend
// toward zero by week.
type Board struct {
	Root  fenghuo.Org
	At    time.Time
	Total Tally
	Units []UnitTally
	Weeks []store.FindingWeek
}

// TrendWeeks is how many weeks the trend shows.
const TrendWeeks = 12

// Board returns the clear-to-zero view of the actor's subtree, or of one
// organisation in it (rootID; 0: the actor's own).
func (s *Service) Board(ctx context.Context, ac *app.Actor, rootID int64) (*Board, error) {
	if err := app.Require(ac, fenghuo.PermIncidentRead); err != nil {
		return nil, err
	}
	root := ac.Org
	if rootID != 0 && rootID != ac.Org.ID {
		o, err := s.core.VisibleOrg(ctx, ac, rootID)
		if err != nil {
			return nil, err
		}
		root = *o
	}
	now := s.core.Now()
	b := &Board{Root: root, At: now}
	counts, err := s.core.DB().FindingCounts(ctx, root.ID, now)
	if err != nil {
		return nil, err
	}
	byOrg := map[int64]*Tally{}
	for _, c := range counts {
		if byOrg[c.OrgID] == nil {
			byOrg[c.OrgID] = &Tally{}
		}
		byOrg[c.OrgID].add(c)
		b.Total.add(c)
	}
	err = s.core.DB().View(ctx, func(tx *store.Tx) error {
		for id, t := range byOrg {
			o, err := tx.Org(ctx, id)
			if err != nil {
				return err
			}
			b.Units = append(b.Units, UnitTally{Org: *o, Tally: *t})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sortUnits(b.Units)
	if b.Weeks, err = s.core.DB().FindingTrend(ctx, root.ID, trendEnds(now)); err != nil {
		return nil, err
	}
	return b, nil
}

// trendEnds are the points of the trend: the Mondays 00:00 (Shanghai) of
// the last TrendWeeks-1 weeks, the latest one at or before now, then now
// (this week so far). Each point counts what was raised and closed since
// the point before it.
func trendEnds(now time.Time) []time.Time {
	local := now.In(shanghai)
	monday := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, shanghai)
	for monday.Weekday() != time.Monday {
		monday = monday.AddDate(0, 0, -1)
	}
	if !monday.Before(now) {
		monday = monday.AddDate(0, 0, -7) // now is a Monday 00:00: it ends the week
	}
	ends := make([]time.Time, TrendWeeks)
	ends[TrendWeeks-1] = now
	for i := TrendWeeks - 2; i >= 0; i-- {
		ends[i] = monday
		monday = monday.AddDate(0, 0, -7)
	}
	return ends
}

func sortUnits(u []UnitTally) {
	less := func(a, b UnitTally) bool {
		if a.Open != b.Open {
			return a.Open > b.Open
		}
		if a.Overdue != b.Overdue {
			return a.Overdue > b.Overdue
		}
		return a.Org.Path < b.Org.Path
	}
	for i := 1; i < len(u); i++ {
		for j := i; j > 0 && less(u[j], u[j-1]); j-- {
			u[j], u[j-1] = u[j-1], u[j]
		}
	}
}

// WriteBoardXLSX writes the board as a workbook (the units sheet and the
// trend) and audits the export.
func (s *Service) WriteBoardXLSX(ctx context.Context, ac *app.Actor, rootID int64, w io.Writer, lang string) error {
	b, err := s.Board(ctx, ac, rootID)
	if err != nil {
		return err
	}
	rows := make([]export.FindingUnitRow, 0, len(b.Units))
	for _, u := range b.Units {
		rows = append(rows, export.FindingUnitRow{Unit: u.Org.Name, Open: u.Open, BySeverity: u.BySeverity, ByAge: u.ByAge,
			Overdue: u.Overdue, Submitted: u.Submitted, Accepted: u.Accepted})
	}
	weeks := make([]export.FindingWeekRow, 0, len(b.Weeks))
	for _, wk := range b.Weeks {
		weeks = append(weeks, export.FindingWeekRow{End: wk.End, Unclosed: wk.Unclosed, Raised: wk.Raised, Closed: wk.Closed})
	}
	if err := export.WriteFindingsXLSX(w, b.Root.Name, rows, weeks, lang); err != nil {
		return err
	}
	return s.core.RecordExport(ctx, ac, "findings", len(rows))
}
