package period

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/calendar"
	"fenghuo/internal/export"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// Protection periods (重要保障期) and daily zero-incident reports (seed 000
// §5–§6): every participating unit reports each day by the cut-off, even
// when nothing happened. Each expected report is an obligation
// (daily_report, due at the day's cut-off), so reminders, escalation and
// the late/missing counts come from the one scheduler.

// MaxPeriodDays bounds a period; MaxPeriodReports bounds units × days.
const (
	MaxPeriodDays    = 92
	MaxPeriodReports = 50000
)

// PeriodInput is what an office gives to set a period.
type PeriodInput struct {
	OrgID      int64 // 0: the actor's org
	Name       string
	FirstDay   string
	LastDay    string
	Cutoff     string // default 13:00
	LeaderDuty bool
	RoundClock bool
	// UnitIDs take part; empty means every operator unit of the subtree.
	UnitIDs []int64
}

// DayLayout is how a day is written in forms, URLs and exports.
const DayLayout = "2006-01-02"

// cutoffAt is day's cut-off instant (Asia/Shanghai).
func cutoffAt(day, cutoff string) (time.Time, error) {
	return time.ParseInLocation(DayLayout+" 15:04", day+" "+cutoff, calendar.Shanghai)
}

// CreatePeriod sets a protection period and creates every expected daily
// report as an obligation.
func (a *Service) CreatePeriod(ctx context.Context, ac *app.Actor, in PeriodInput) (*fenghuo.Period, error) {
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" || len([]rune(in.Name)) > 100 {
		return nil, fenghuo.FieldErrorf("name", "Name the period (up to 100 characters), e.g. 国庆保障期. / 请填写保障期名称。")
	}
	if in.Cutoff == "" {
		in.Cutoff = "13:00"
	}
	if !fenghuo.ValidCutoff(in.Cutoff) {
		return nil, fenghuo.FieldErrorf("cutoff", "The daily cut-off is a time HH:MM, e.g. 13:00. / 每日截止时间格式为HH:MM。")
	}
	first, err1 := time.ParseInLocation(DayLayout, in.FirstDay, calendar.Shanghai)
	last, err2 := time.ParseInLocation(DayLayout, in.LastDay, calendar.Shanghai)
	if err1 != nil || err2 != nil {
		return nil, fenghuo.FieldErrorf("first_day", "Give the first and last days as YYYY-MM-DD. / 起止日期格式为YYYY-MM-DD。")
	}
	days := int(last.Sub(first).Round(24*time.Hour)/(24*time.Hour)) + 1
	if last.Before(first) || days < 1 || days > MaxPeriodDays {
		return nil, fenghuo.FieldErrorf("last_day", "A period runs 1 to %d days, the last day not before the first. / 保障期应为1至%d天。", MaxPeriodDays, MaxPeriodDays)
	}
	var p *fenghuo.Period
	err := a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		org, err := a.warnings.IssuerOrg(ctx, tx, ac, in.OrgID)
		if err != nil {
			return err
		}
		subtree, err := app.AllSubtree(ctx, tx, org.ID)
		if err != nil {
			return err
		}
		inTree := map[int64]*fenghuo.Org{}
		for i := range subtree {
			inTree[subtree[i].ID] = &subtree[i]
		}
		units := in.UnitIDs
		if len(units) == 0 {
			for _, o := range subtree {
				if o.Type == fenghuo.OrgOperator && o.ID != org.ID {
					units = append(units, o.ID)
				}
			}
		}
		if len(units) == 0 {
			return fenghuo.FieldErrorf("unit_ids", "Choose the participating units. / 请选择参加单位。")
		}
		seen := map[int64]bool{}
		for _, u := range units {
			if inTree[u] == nil || u == org.ID {
				return fenghuo.FieldErrorf("unit_ids", "Org %d is not a unit under %s. / 参加单位不在本单位管辖范围内。", u, org.Name)
			}
			if seen[u] {
				return fenghuo.FieldErrorf("unit_ids", "Org %d is listed twice. / 参加单位重复。", u)
			}
			seen[u] = true
		}
		if len(units)*days > MaxPeriodReports {
			return fenghuo.FieldErrorf("unit_ids", "%d units × %d days is more than %d daily reports; split the period. / 日报数量过多，请拆分保障期。",
				len(units), days, MaxPeriodReports)
		}
		p = &fenghuo.Period{OrgID: org.ID, Name: in.Name, FirstDay: in.FirstDay, LastDay: in.LastDay, Cutoff: in.Cutoff,
			LeaderDuty: in.LeaderDuty, RoundClock: in.RoundClock, UnitIDs: units, CreatedBy: ac.User.ID}
		if err := tx.CreatePeriod(ctx, p); err != nil {
			return err
		}
		for d := 0; d < days; d++ {
			day := first.AddDate(0, 0, d).Format(DayLayout)
			due, _ := cutoffAt(day, p.Cutoff)
			for _, u := range units {
				if err := tx.CreateObligation(ctx, &fenghuo.Obligation{Kind: "daily_report", SubjectID: p.ID, OwnerOrgID: u,
					RecipientOrgID: org.ID, RecipientName: org.Name, RuleID: day, Clause: "000 §6",
					Title: fmt.Sprintf("%s日报（%s）", p.Name, day), DueAt: due, RemindAt: due.Add(-3 * time.Hour)}); err != nil {
					return err
				}
			}
		}
		for _, u := range units {
			if err := a.core.NotifyOrg(ctx, tx, app.Notice{OrgID: u, Kind: "period.created",
				Title: fmt.Sprintf("重要保障期：%s（%s至%s）", p.Name, p.FirstDay, p.LastDay),
				Body:  fmt.Sprintf("保障期内每日%s前报送当日网络安全情况（无事件报平安）。", p.Cutoff), Link: fmt.Sprintf("/periods/%d", p.ID)}); err != nil {
				return err
			}
		}
		return a.core.Record(ctx, tx, ac, "period.create", "period", strconv.FormatInt(p.ID, 10), "success",
			map[string]any{"name": p.Name, "units": len(units), "days": days})
	})
	return p, err
}

// Periods lists the periods the actor's subtree set or takes part in.
func (a *Service) Periods(ctx context.Context, ac *app.Actor) ([]fenghuo.Period, error) {
	if err := app.Require(ac, fenghuo.PermIncidentRead); err != nil {
		return nil, err
	}
	return a.core.DB().PeriodsVisible(ctx, ac.Org.Path)
}

// periodAccess returns a period the actor sees, with its office, whether
// the actor is on the office's side (which sees every unit; a unit sees
// only itself and its subtree), and the participating units by id.
func (a *Service) periodAccess(ctx context.Context, ac *app.Actor, id int64) (*periodView, error) {
	if err := app.Require(ac, fenghuo.PermIncidentRead); err != nil {
		return nil, err
	}
	p, err := a.core.DB().Period(ctx, id)
	if err != nil {
		return nil, err
	}
	office, err := a.core.DB().Org(ctx, p.OrgID)
	if err != nil {
		return nil, err
	}
	units, err := a.core.DB().OrgsByID(ctx, p.UnitIDs)
	if err != nil {
		return nil, err
	}
	v := &periodView{Period: p, Office: office, OfficeSide: fenghuo.InSubtree(ac.Org.Path, office.Path), Units: units}
	if v.OfficeSide {
		return v, nil
	}
	for _, u := range units {
		if fenghuo.InSubtree(ac.Org.Path, u.Path) {
			return v, nil
		}
	}
	return nil, fenghuo.Errorf(fenghuo.ENOTFOUND, "Period %d not found. / 未找到。", id)
}

type periodView struct {
	Period     *fenghuo.Period
	Office     *fenghuo.Org
	OfficeSide bool
	Units      map[int64]fenghuo.Org
}

// ReportDay is the period day a report filed now belongs to for a unit:
// the earliest day whose window has opened and that the unit has not
// reported (so a report at 13:05 counts, late, for the day just closed).
func (a *Service) ReportDay(ctx context.Context, p *fenghuo.Period, unitID int64) (string, error) {
	now := a.core.Now()
	first, _ := time.ParseInLocation(DayLayout, p.FirstDay, calendar.Shanghai)
	last, _ := time.ParseInLocation(DayLayout, p.LastDay, calendar.Shanghai)
	reports, err := a.core.DB().DailyReports(ctx, p.ID, "")
	if err != nil {
		return "", err
	}
	filed := map[string]bool{}
	for _, r := range reports {
		if r.OrgID == unitID {
			filed[r.Day] = true
		}
	}
	var candidate string
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		day := d.Format(DayLayout)
		cut, _ := cutoffAt(day, p.Cutoff)
		opens := cut.Add(-24 * time.Hour)
		if d.Equal(first) {
			opens = time.Time{} // the first day's report may come any time before its cut-off
		}
		if now.Before(opens) {
			break
		}
		if !filed[day] {
			return day, nil
		}
		candidate = day
	}
	if candidate == "" {
		return "", fenghuo.FieldErrorf("day", "The period has not started yet. / 保障期尚未开始。")
	}
	return "", fenghuo.FieldErrorf("day", "Every open day of the period is reported; correct a day by choosing it. / 已报送全部日报。")
}

// DailyReportInput is a unit's daily report.
type DailyReportInput struct {
	PeriodID int64
	OrgID    int64  // the unit; 0: the actor's org
	Day      string // empty: ReportDay
	Quiet    bool   // 平安: nothing happened
	// IncidentIDs are the unit's incidents of the day, when not quiet.
	IncidentIDs []int64
	Note        string
}

// FileDailyReport files (or corrects) a unit's report for a day. Filed
// after the day's cut-off it counts as late.
func (a *Service) FileDailyReport(ctx context.Context, ac *app.Actor, in DailyReportInput) (*fenghuo.DailyReport, error) {
	pv, err := a.periodAccess(ctx, ac, in.PeriodID)
	if err != nil {
		return nil, err
	}
	p := pv.Period
	if in.OrgID == 0 {
		in.OrgID = ac.Org.ID
	}
	unit, err := a.core.DB().Org(ctx, in.OrgID)
	if err != nil {
		return nil, err
	}
	if err := app.RequireAt(ac, fenghuo.PermIncidentWrite, unit.Path, "Org", in.OrgID); err != nil {
		return nil, err
	}
	participant := false
	for _, u := range p.UnitIDs {
		participant = participant || u == unit.ID
	}
	if !participant {
		return nil, fenghuo.FieldErrorf("org_id", "%s does not take part in %s. / 该单位未参加本保障期。", unit.Name, p.Name)
	}
	if in.Day == "" {
		if in.Day, err = a.ReportDay(ctx, p, unit.ID); err != nil {
			return nil, err
		}
	}
	if _, err := time.Parse(DayLayout, in.Day); err != nil {
		return nil, fenghuo.FieldErrorf("day", "Give the day as YYYY-MM-DD. / 日期格式为YYYY-MM-DD。")
	}
	if in.Day < p.FirstDay || in.Day > p.LastDay {
		return nil, fenghuo.FieldErrorf("day", "%s is outside the period (%s to %s). / 日期不在保障期内。", in.Day, p.FirstDay, p.LastDay)
	}
	due, err := cutoffAt(in.Day, p.Cutoff)
	if err != nil {
		return nil, fenghuo.FieldErrorf("day", "Give the day as YYYY-MM-DD. / 日期格式为YYYY-MM-DD。")
	}
	now := a.core.Now()
	if now.Before(due.Add(-24*time.Hour)) && in.Day != p.FirstDay {
		return nil, fenghuo.FieldErrorf("day", "The report for %s opens at %s. / 该日日报尚未开始报送。", in.Day, due.Add(-24*time.Hour).In(calendar.Shanghai).Format("01-02 15:04"))
	}
	in.Note = strings.TrimSpace(in.Note)
	if len([]rune(in.Note)) > 2000 {
		return nil, fenghuo.FieldErrorf("note", "The note is too long (2000 characters at most). / 说明过长。")
	}
	if in.Quiet && len(in.IncidentIDs) > 0 {
		return nil, fenghuo.FieldErrorf("quiet", "A quiet (平安) report lists no incidents. / 报平安时不应列出事件。")
	}
	if !in.Quiet && len(in.IncidentIDs) == 0 {
		return nil, fenghuo.FieldErrorf("incident_ids", "Report 平安， or list the day's incidents. / 请报平安或选择当日事件。")
	}
	r := &fenghuo.DailyReport{PeriodID: p.ID, OrgID: unit.ID, Day: in.Day, Quiet: in.Quiet, IncidentIDs: in.IncidentIDs,
		Note: in.Note, SubmittedAt: now, SubmittedBy: ac.User.DisplayName, Late: now.After(due)}
	err = a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		if in.Quiet {
			from, to := reportWindow(due)
			open, err := openIncidentsIn(ctx, tx, unit.ID, from, to)
			if err != nil {
				return err
			}
			if len(open) > 0 {
				return quietRefusal(unit, in.Day, open[len(open)-1])
			}
		}
		for _, id := range in.IncidentIDs {
			inc, err := tx.Incident(ctx, id)
			if err != nil || inc.OrgID != unit.ID {
				return fenghuo.FieldErrorf("incident_ids", "Incident %d is not one of %s's. / 事件%d不属于该单位。", id, unit.Name, id)
			}
		}
		if err := tx.SaveDailyReport(ctx, r); err != nil {
			return err
		}
		obs, err := tx.ObligationsBySubject(ctx, "daily_report", p.ID)
		if err != nil {
			return err
		}
		for _, o := range obs {
			if o.OwnerOrgID == unit.ID && o.RuleID == in.Day && o.State == fenghuo.ObligationOpen {
				o.Complete(now, map[bool]string{true: "平安", false: "有事件"}[in.Quiet])
				if err := tx.UpdateObligation(ctx, &o); err != nil {
					return err
				}
			}
		}
		return a.core.Record(ctx, tx, ac, "period.daily_report", "period", strconv.FormatInt(p.ID, 10), "success",
			map[string]any{"org": unit.ID, "day": in.Day, "quiet": in.Quiet, "late": r.Late})
	})
	return r, err
}

// Board states of a unit's day.
const (
	BoardOnTime   = "on_time"
	BoardLate     = "late"
	BoardMissing  = "missing"
	BoardPending  = "pending" // not yet due
	BoardIncident = "incident"
)

// BoardRow is one unit on the daily board.
type BoardRow struct {
	Org    fenghuo.Org
	State  string // on_time, incident, late, missing, pending, contradicted
	Report *fenghuo.DailyReport
	// Contradicting is an open incident of the unit discovered in the
	// report's window (0: none); with a 平安 report the state is
	// contradicted.
	Contradicting int64
	// Chases are the reminders (催报) the office sent the unit for the day.
	Chases []store.Chase
}

// Board is a period's day at a glance.
type Board struct {
	Period *fenghuo.Period
	Office *fenghuo.Org
	Day    string
	Cutoff time.Time
	Rows   []BoardRow
	// Counts per state: OnTime are quiet (平安) reports in time, Incidents
	// reports in time that list incidents, Late any report after the
	// cut-off, Missing none after it, Pending none before it.
	// Contradicted are 平安 reports an open incident of their window belies.
	OnTime, Incidents, Late, Missing, Pending, Contradicted int
	Days                                                    []string
	// Closed says the day's cut-off has passed: its clock no longer runs.
	Closed bool
}

// DailyBoard shows a period's day (default: the day whose cut-off is
// nearest to now) for the units the actor may see.
func (a *Service) DailyBoard(ctx context.Context, ac *app.Actor, periodID int64, day string) (*Board, error) {
	pv, err := a.periodAccess(ctx, ac, periodID)
	if err != nil {
		return nil, err
	}
	p := pv.Period
	now := a.core.Now()
	b := &Board{Period: p, Office: pv.Office}
	first, _ := time.ParseInLocation(DayLayout, p.FirstDay, calendar.Shanghai)
	last, _ := time.ParseInLocation(DayLayout, p.LastDay, calendar.Shanghai)
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		b.Days = append(b.Days, d.Format(DayLayout))
	}
	if day == "" {
		// The day whose cut-off is nearest: today's all morning and
		// afternoon (who is missing at 13:00), tomorrow's late at night.
		day = p.FirstDay
		best := time.Duration(1<<63 - 1)
		for _, d := range b.Days {
			cut, _ := cutoffAt(d, p.Cutoff)
			if dist := max(cut.Sub(now), now.Sub(cut)); dist < best {
				day, best = d, dist
			}
		}
	}
	if _, err := time.Parse(DayLayout, day); err != nil {
		return nil, fenghuo.FieldErrorf("day", "Give the day as YYYY-MM-DD. / 日期格式为YYYY-MM-DD。")
	}
	if day < p.FirstDay || day > p.LastDay {
		return nil, fenghuo.FieldErrorf("day", "%s is outside the period. / 日期不在保障期内。", day)
	}
	b.Day = day
	b.Cutoff, _ = cutoffAt(day, p.Cutoff)
	b.Closed = !now.Before(b.Cutoff)
	chases, err := a.core.DB().Chases(ctx, p.ID, day)
	if err != nil {
		return nil, err
	}
	chasedOf := map[int64][]store.Chase{}
	for _, c := range chases {
		chasedOf[c.OrgID] = append(chasedOf[c.OrgID], c)
	}
	reports, err := a.core.DB().DailyReports(ctx, p.ID, day)
	if err != nil {
		return nil, err
	}
	byOrg := map[int64]*fenghuo.DailyReport{}
	for i := range reports {
		byOrg[reports[i].OrgID] = &reports[i]
	}
	// Open incidents of the window contradict a 平安 report filed before
	// they were registered (an office's or monitoring's discovery).
	contradicted := map[int64]int64{}
	err = a.core.DB().View(ctx, func(tx *store.Tx) error {
		from, to := reportWindow(b.Cutoff)
		open, err := openIncidentsIn(ctx, tx, pv.Office.ID, from, to)
		for _, inc := range open {
			contradicted[inc.OrgID] = inc.ID
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, u := range p.UnitIDs {
		org, ok := pv.Units[u]
		if !ok || !pv.OfficeSide && !fenghuo.InSubtree(ac.Org.Path, org.Path) {
			continue
		}
		row := BoardRow{Org: org, Report: byOrg[u], Contradicting: contradicted[u], Chases: chasedOf[u]}
		switch {
		case row.Report != nil && row.Report.Quiet && row.Contradicting != 0:
			row.State = BoardContradicted
			b.Contradicted++
		case row.Report != nil && row.Report.Late:
			row.State = BoardLate
			b.Late++
		case row.Report != nil && !row.Report.Quiet:
			row.State = BoardIncident
			b.Incidents++
		case row.Report != nil:
			row.State = BoardOnTime
			b.OnTime++
		case now.After(b.Cutoff):
			row.State = BoardMissing
			b.Missing++
		default:
			row.State = BoardPending
			b.Pending++
		}
		b.Rows = append(b.Rows, row)
	}
	// The units to chase lead: missing, then contradicted and late
	// reports, then those still pending; the orderly ones last.
	slices.SortStableFunc(b.Rows, func(x, y BoardRow) int { return boardRank[x.State] - boardRank[y.State] })
	return b, nil
}

// boardRank orders the board's rows by what needs the office first.
var boardRank = map[string]int{BoardMissing: 0, BoardContradicted: 1, BoardLate: 2, BoardPending: 3, BoardIncident: 4, BoardOnTime: 5}

// DailyXLSX writes a period's daily reports (one day, or every day up to
// today when day is "all") as a spreadsheet, and audits the export.
func (a *Service) DailyXLSX(ctx context.Context, ac *app.Actor, periodID int64, day, lang string, w io.Writer) error {
	pv, err := a.periodAccess(ctx, ac, periodID)
	if err != nil {
		return err
	}
	p := pv.Period
	days := []string{day}
	if day == "all" {
		days = nil
		now := a.core.Now()
		first, _ := time.ParseInLocation(DayLayout, p.FirstDay, calendar.Shanghai)
		last, _ := time.ParseInLocation(DayLayout, p.LastDay, calendar.Shanghai)
		for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
			cut, _ := cutoffAt(d.Format(DayLayout), p.Cutoff)
			if d.Equal(first) || !now.Before(cut.Add(-24*time.Hour)) {
				days = append(days, d.Format(DayLayout))
			}
		}
	}
	var rows []export.DailyRow
	for _, d := range days {
		b, err := a.DailyBoard(ctx, ac, periodID, d)
		if err != nil {
			return err
		}
		for _, r := range b.Rows {
			row := export.DailyRow{Day: b.Day, Unit: r.Org.Name, State: r.State}
			if r.Report != nil {
				row.SubmittedAt, row.SubmittedBy, row.Note = r.Report.SubmittedAt, r.Report.SubmittedBy, r.Report.Note
				var names []string
				for _, id := range r.Report.IncidentIDs {
					if inc, err := a.core.DB().Incident(ctx, id); err == nil {
						names = append(names, fmt.Sprintf("#%d %s", id, inc.Title))
					}
				}
				row.Incidents = strings.Join(names, "; ")
			}
			rows = append(rows, row)
		}
	}
	if err := export.WriteDailyXLSX(w, rows, lang); err != nil {
		return err
	}
	return a.core.RecordExport(ctx, ac, "daily_reports", len(rows))
}
