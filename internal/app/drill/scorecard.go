package drill

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"fenghuo/internal/app"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/phrase"
	"fenghuo/internal/store"
)

// Config is what an office sets for its subtree: the score weights and
// the day (month and day) from which units without a drill that year are
// listed and reminded. It is stored as data in the settings table under
// "capability:<office id>"; an org without one uses its nearest ancestor's,
// else the defaults.
type Config struct {
	Weights      fenghuo.ScoreWeights `json:"weights"`
	ListingMonth int                  `json:"listing_month"`
	ListingDay   int                  `json:"listing_day"`
	// OrgID is the office whose setting applies (0: the defaults).
	OrgID int64 `json:"-"`
}

// DefaultConfig: default weights, listing from 1 December.
func DefaultConfig() Config {
	return Config{Weights: fenghuo.DefaultScoreWeights(), ListingMonth: 12, ListingDay: 1}
}

// ListedFrom is the listing date of year in Asia/Shanghai.
func (c Config) ListedFrom(year int) time.Time {
	return time.Date(year, time.Month(c.ListingMonth), c.ListingDay, 0, 0, 0, 0, calendar.Shanghai)
}

// Validate checks a configuration.
func (c Config) Validate() error {
	if err := c.Weights.Validate(); err != nil {
		return err
	}
	if c.ListingMonth < 1 || c.ListingMonth > 12 || c.ListingDay < 1 || c.ListingDay > 28 {
		return fenghuo.FieldErrorf("listing_day", "Give a month (1–12) and a day (1–28). / 请填写月（1–12）和日（1–28）。")
	}
	return nil
}

func configKey(orgID int64) string { return "capability:" + strconv.FormatInt(orgID, 10) }

// config returns the configuration that applies to an org.
func (s *Service) config(ctx context.Context, orgID int64) (Config, error) {
	var c Config
	err := s.core.DB().View(ctx, func(tx *store.Tx) error {
		var err error
		c, err = configTx(ctx, tx, orgID)
		return err
	})
	return c, err
}

func configTx(ctx context.Context, tx *store.Tx, orgID int64) (Config, error) {
	o, err := tx.Org(ctx, orgID)
	if err != nil {
		return Config{}, err
	}
	ids := o.PathIDs()
	for i := len(ids) - 1; i >= 0; i-- {
		v, err := tx.Setting(ctx, configKey(ids[i]))
		if fenghuo.ErrorCode(err) == fenghuo.ENOTFOUND {
			continue
		} else if err != nil {
			return Config{}, err
		}
		c := DefaultConfig()
		if err := json.Unmarshal([]byte(v), &c); err != nil {
			return Config{}, fmt.Errorf("drill: setting %s: %w", configKey(ids[i]), err)
		}
		c.OrgID = ids[i]
		return c, nil
	}
	return DefaultConfig(), nil
}

// Config returns the configuration that applies to the actor's org.
func (s *Service) Config(ctx context.Context, ac *app.Actor) (Config, error) {
	if err := app.Require(ac, fenghuo.PermIncidentRead); err != nil {
		return Config{}, err
	}
	return s.config(ctx, ac.Org.ID)
}

// SetConfig stores the configuration of the actor's office (the right to
// issue warnings marks an office's commander or analyst).
func (s *Service) SetConfig(ctx context.Context, ac *app.Actor, c Config) (Config, error) {
	if err := app.Require(ac, fenghuo.PermWarningIssue); err != nil {
		return Config{}, err
	}
	if ac.Org.Type != fenghuo.OrgRegulator {
		return Config{}, app.ErrForbidden
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	b, err := json.Marshal(c)
	if err != nil {
		return Config{}, err
	}
	err = s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		if err := tx.SetSetting(ctx, configKey(ac.Org.ID), string(b)); err != nil {
			return err
		}
		return s.core.Record(ctx, tx, ac, "capability.config", "org", app.ObjectID(ac.Org.ID), "success", c)
	})
	c.OrgID = ac.Org.ID
	return c, err
}

// UnitScore is one unit's row of the score card.
type UnitScore struct {
	Org      fenghuo.Org
	Measures []fenghuo.TermMeasure // in fenghuo.ScoreTerms order
	Score    float64
	Scored   bool // false: nothing weighted was measured
	Drills   int
}

// ScoreCard is the yearly capability score card of the actor's subtree.
type ScoreCard struct {
	Year   int
	Config Config
	AsOf   time.Time
	Units  []UnitScore
}

// termKinds are the obligation kinds each duty-based term counts.
var termKinds = map[string][]string{
	fenghuo.TermReporting: {"report", "forward"},
	fenghuo.TermWarnings:  {"warning_ack"},
	fenghuo.TermDaily:     {"daily_report"},
	// Findings through the findings ledger's store (issue 12, P1): each
	// finding's rectification deadline is an obligation of its kind.
	fenghuo.TermFindings: {store.ObligationKindFinding},
}

// ScoreCard computes the score card of year for every operator unit of
// the actor's subtree, as of now: duties due in the year (met on time of
// those met, late, missed or overdue), and whether the unit filed a drill.
func (s *Service) ScoreCard(ctx context.Context, ac *app.Actor, year int) (*ScoreCard, error) {
	if err := app.Require(ac, fenghuo.PermIncidentRead); err != nil {
		return nil, err
	}
	cfg, err := s.config(ctx, ac.Org.ID)
	if err != nil {
		return nil, err
	}
	now := s.core.Now()
	from, to := yearBounds(year)
	var kinds []string
	for _, t := range fenghuo.ScoreTerms {
		kinds = append(kinds, termKinds[t]...)
	}
	tallies, err := s.core.DB().DutyTallies(ctx, ac.Org.Path, kinds, from, to, now)
	if err != nil {
		return nil, err
	}
	drills, err := s.core.DB().DrillCounts(ctx, ac.Org.Path, year)
	if err != nil {
		return nil, err
	}
	type key struct {
		org  int64
		kind string
	}
	byKey := map[key]store.DutyTally{}
	for _, t := range tallies {
		byKey[key{t.OrgID, t.Kind}] = t
	}
	var orgs []fenghuo.Org
	if err := s.core.DB().View(ctx, func(tx *store.Tx) error {
		orgs, err = app.AllSubtree(ctx, tx, ac.Org.ID)
		return err
	}); err != nil {
		return nil, err
	}
	card := &ScoreCard{Year: year, Config: cfg, AsOf: now, Units: []UnitScore{}}
	for _, o := range orgs {
		if o.Type != fenghuo.OrgOperator {
			continue
		}
		u := UnitScore{Org: o, Drills: drills[o.ID]}
		for _, term := range fenghuo.ScoreTerms {
			m := fenghuo.TermMeasure{Term: term}
			if term == fenghuo.TermDrill {
				// Measured once the year's listing date is reached, or if a
				// drill was filed: a unit is not marked down in March.
				if u.Drills > 0 || !now.Before(cfg.ListedFrom(year)) {
					m.Due = 1
					if u.Drills > 0 {
						m.Met = 1
					}
				}
			}
			for _, k := range termKinds[term] {
				t := byKey[key{o.ID, k}]
				m.Met += t.Met
				m.Due += t.Due
			}
			u.Measures = append(u.Measures, m)
		}
		u.Score, u.Scored = fenghuo.Score(cfg.Weights, u.Measures)
		card.Units = append(card.Units, u)
	}
	return card, nil
}

// TermNameZH and TermNameEN name the score terms in words.
var (
	TermNameZH = map[string]string{fenghuo.TermReporting: "按时报告率", fenghuo.TermDrill: "年度演练",
		fenghuo.TermWarnings: "预警按时确认率", fenghuo.TermDaily: "日报按时率", fenghuo.TermFindings: "隐患按期整改率"}
	TermNameEN = map[string]string{fenghuo.TermReporting: "reports on time", fenghuo.TermDrill: "drill held",
		fenghuo.TermWarnings: "warnings acknowledged on time", fenghuo.TermDaily: "daily reports on time",
		fenghuo.TermFindings: "findings cleared on time"}
)

// ExportScoreCard writes the score card of year as an XLSX workbook (one
// row per unit: each term's met/due and rate, the score, the formula in
// the header) and audits the export.
func (s *Service) ExportScoreCard(ctx context.Context, ac *app.Actor, year int, w io.Writer) error {
	card, err := s.ScoreCard(ctx, ac, year)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	sheet := fmt.Sprintf("%d年度应急能力考评", year)
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	formula := "得分 = " + phrase.FullWidth(card.Config.Weights.Formula(func(t string) string { return TermNameZH[t] }))
	cells := [][]any{{fmt.Sprintf("%d年度应急能力考评（截至 %s）", year, card.AsOf.In(calendar.Shanghai).Format("2006-01-02 15:04"))},
		{formula + "；未产生数据的项目不计入。"}}
	head := []any{"单位"}
	for _, t := range fenghuo.ScoreTerms {
		head = append(head, TermNameZH[t]+"（达成/应计）", TermNameZH[t]+"（%）")
	}
	head = append(head, "得分")
	cells = append(cells, head)
	for _, u := range card.Units {
		row := []any{u.Org.Name}
		for _, m := range u.Measures {
			if m.Due == 0 {
				row = append(row, "无数据", "")
				continue
			}
			row = append(row, fmt.Sprintf("%d/%d", m.Met, m.Due), float64(int(m.Rate()*1000+0.5))/10)
		}
		if u.Scored {
			row = append(row, u.Score)
		} else {
			row = append(row, "无数据")
		}
		cells = append(cells, row)
	}
	for i, row := range cells {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return err
		}
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			return err
		}
	}
	if err := f.Write(w); err != nil {
		return err
	}
	return s.core.RecordExport(ctx, ac, "capability_scorecard", len(card.Units))
}

// OpenDrillDuties is the scheduler pass that opens each operator unit's
// drill duty for the current year (Asia/Shanghai): due at the year's end,
// reminded from its office's listing date, escalated to that office. It
// handles up to 200 units a pass and returns how many it opened.
func (s *Service) OpenDrillDuties(ctx context.Context) (int, error) {
	year := s.core.Now().In(calendar.Shanghai).Year()
	n := 0
	err := s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		// Replicas take turns: the second one waits for the first one's
		// commit and then finds its units' duties open (a unit's duty is
		// found missing, then created, in one transaction).
		if err := tx.LockLease(ctx, "drill_year_duties"); err != nil {
			return err
		}
		units, err := tx.UnitsWithoutDrillDuty(ctx, year, 200)
		if err != nil {
			return err
		}
		for i := range units {
			office, err := officeAbove(ctx, tx, &units[i])
			if err != nil {
				return err
			}
			cfg, err := configTx(ctx, tx, units[i].ID)
			if err != nil {
				return err
			}
			var recipient int64
			if office != nil {
				recipient = office.ID
			}
			o, err := tx.CreateDrillDuty(ctx, units[i].ID, year, recipient, cfg.ListedFrom(year))
			if err != nil {
				return err
			}
			if err := s.core.Record(ctx, tx, app.SystemActor(), "drill.duty_open", "obligation", app.ObjectID(o.ID), "success",
				map[string]any{"org": units[i].ID, "year": year, "state": o.State}); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}
