// Package drill holds the preparedness use cases of seed 001 §6: drills
// each unit holds at least once a year and files with its office (§6.2),
// with the yearly duty as an obligation (kind "drill_year") the scheduler
// reminds and escalates; training and publicity activities (§6.3, §6.4);
// and the yearly capability score card per unit (§6.7.2 应急能力考评),
// computed from what the platform measured, with weights each office sets.
package drill

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/incident"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// Service is the drill, training and capability evaluation capability.
type Service struct {
	core *app.Core
}

// New returns the capability over core.
func New(core *app.Core) *Service { return &Service{core: core} }

// DrillInput is a drill to file. Filename and File, when set, are the
// written summary (uploaded through the safe evidence upload).
type DrillInput struct {
	OrgID        int64 // 0: the actor's org
	Kind         string
	HeldOn       time.Time
	Title        string
	Participants string
	Headcount    int
	PlanID       string
	PlaybookID   string
	Scenario     string
	Result       string
	Improvements string
	Filename     string
	File         io.Reader
	// RunID, when set, is the ended drill run this drill files (drill
	// mode): its unit, plan and playbook are the run's.
	RunID int64
}

// RecordDrill files a drill of a unit (the actor's org, or a unit under an
// office acting for it) with the nearest office above it, closes the
// unit's yearly duty, tells the office and writes the audit entry.
func (s *Service) RecordDrill(ctx context.Context, ac *app.Actor, in DrillInput) (*fenghuo.Drill, error) {
	if in.RunID != 0 {
		run, err := s.core.DB().DrillRun(ctx, in.RunID)
		if err != nil {
			return nil, err
		}
		if in.OrgID == 0 {
			in.OrgID = run.OrgID
		}
		if in.PlanID == "" && in.PlaybookID == "" {
			in.PlanID, in.PlaybookID = run.PlanID, run.PlaybookID
		}
		if in.OrgID != run.OrgID || in.PlanID != run.PlanID || in.PlaybookID != run.PlaybookID {
			return nil, fenghuo.FieldErrorf("run_id", "File the drill run for its own unit, plan and playbook. / 演练备案的单位、预案和处置流程须与演练一致。")
		}
	}
	if in.OrgID == 0 {
		in.OrgID = ac.Org.ID
	}
	if s.afterToday(in.HeldOn) {
		return nil, fenghuo.FieldErrorf("held_on", "A drill is filed after it is held. / 演练日期不能晚于今天。")
	}
	if in.PlanID != "" {
		p, err := s.core.Plans().Get(in.PlanID)
		if err != nil {
			return nil, fenghuo.FieldErrorf("plan_id", "Plan %q is unknown. / 未知预案。", in.PlanID)
		}
		if in.PlaybookID != "" {
			if _, ok := p.Playbook(in.PlaybookID); !ok {
				return nil, fenghuo.FieldErrorf("playbook_id", "The plan has no playbook %q. / 该预案无此处置流程。", in.PlaybookID)
			}
		}
	}
	d := &fenghuo.Drill{OrgID: in.OrgID, Kind: in.Kind, HeldOn: in.HeldOn, Title: strings.TrimSpace(in.Title),
		Participants: strings.TrimSpace(in.Participants), Headcount: in.Headcount, PlanID: in.PlanID,
		PlaybookID: in.PlaybookID, Scenario: strings.TrimSpace(in.Scenario), Result: strings.TrimSpace(in.Result),
		Improvements: strings.TrimSpace(in.Improvements), CreatedBy: ac.User.ID}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if _, err := s.writableOrg(ctx, ac, in.OrgID); err != nil {
		return nil, err
	}
	var sf *incident.StoredFile
	if in.File != nil && in.Filename != "" {
		var err error
		if sf, err = incident.SaveEvidenceFile(s.core.Config().EvidenceDir, in.Filename, in.File); err != nil {
			return nil, err
		}
		d.File = fenghuo.DrillFile{Name: sf.Name, ContentType: sf.ContentType, SM3: sf.SM3, StorageKey: sf.StorageKey, Size: sf.Size}
	}
	err := s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		unit, err := tx.Org(ctx, in.OrgID)
		if err != nil {
			return err
		}
		if err := app.RequireAt(ac, fenghuo.PermIncidentWrite, unit.Path, "Org", in.OrgID); err != nil {
			return err
		}
		office, err := officeAbove(ctx, tx, unit)
		if err != nil {
			return err
		}
		if office != nil {
			d.FiledToOrgID = office.ID
		}
		if err := tx.CreateDrill(ctx, d); err != nil {
			return err
		}
		if in.RunID != 0 {
			if err := tx.LinkDrillRun(ctx, in.RunID, d.ID); err != nil {
				return err
			}
		}
		if office != nil {
			if err := s.core.NotifyOrg(ctx, tx, app.Notice{OrgID: office.ID, Kind: "drill.filed",
				Title: fmt.Sprintf("演练备案：%s（%s，%s）", d.Title, unit.Name, d.HeldOn.In(calendar.Shanghai).Format("2006-01-02")),
				Link:  "/drills"}); err != nil {
				return err
			}
		}
		return s.core.Record(ctx, tx, ac, "drill.create", "drill", app.ObjectID(d.ID), "success",
			map[string]any{"org": d.OrgID, "year": d.Year, "kind": d.Kind, "plan": d.PlanID, "playbook": d.PlaybookID,
				"file": d.File.Name, "sm3": d.File.SM3, "filed_to": d.FiledToOrgID, "run": in.RunID})
	})
	if err != nil {
		if sf != nil {
			sf.Remove()
		}
		return nil, err
	}
	return d, nil
}

// writableOrg returns the org if the actor may file records for it (its
// own org, or one in its subtree), checked before a file is stored.
func (s *Service) writableOrg(ctx context.Context, ac *app.Actor, orgID int64) (*fenghuo.Org, error) {
	o, err := s.core.DB().Org(ctx, orgID)
	if err != nil {
		return nil, err
	}
	if err := app.RequireAt(ac, fenghuo.PermIncidentWrite, o.Path, "Org", orgID); err != nil {
		return nil, err
	}
	return o, nil
}

// officeAbove returns the nearest regulator above unit (nil at a root).
func officeAbove(ctx context.Context, tx *store.Tx, unit *fenghuo.Org) (*fenghuo.Org, error) {
	ancestors, err := tx.OrgAncestors(ctx, unit.ID)
	if err != nil {
		return nil, err
	}
	for i := len(ancestors) - 1; i >= 0; i-- {
		if ancestors[i].Type == fenghuo.OrgRegulator {
			return &ancestors[i], nil
		}
	}
	return nil, nil
}

// Drills lists the drills of a year in the actor's subtree.
func (s *Service) Drills(ctx context.Context, ac *app.Actor, year int, p store.Page) (store.ListResult[fenghuo.Drill], error) {
	if err := app.Require(ac, fenghuo.PermIncidentRead); err != nil {
		return store.ListResult[fenghuo.Drill]{}, err
	}
	return s.core.DB().Drills(ctx, ac.Org.Path, year, p)
}

// Drill returns one drill the actor may see.
func (s *Service) Drill(ctx context.Context, ac *app.Actor, id int64) (*fenghuo.Drill, error) {
	d, err := s.core.DB().Drill(ctx, id)
	if err != nil {
		return nil, err
	}
	o, err := s.core.DB().Org(ctx, d.OrgID)
	if err != nil {
		return nil, err
	}
	if err := app.RequireAt(ac, fenghuo.PermIncidentRead, o.Path, "Drill", id); err != nil {
		return nil, err
	}
	return d, nil
}

// OpenDrillFile returns a drill's written summary for download; the
// download is audited.
func (s *Service) OpenDrillFile(ctx context.Context, ac *app.Actor, id int64) (*fenghuo.Drill, *os.File, error) {
	d, err := s.Drill(ctx, ac, id)
	if err != nil {
		return nil, nil, err
	}
	if d.File.StorageKey == "" {
		return nil, nil, fenghuo.Errorf(fenghuo.ENOTFOUND, "This drill has no summary file. / 该演练未上传总结文件。")
	}
	f, err := os.Open(filepath.Join(s.core.Config().EvidenceDir, d.File.StorageKey))
	if err != nil {
		return nil, nil, err
	}
	if err := s.core.RecordAlone(ctx, ac, "export.drill_file", "drill", app.ObjectID(id), "success",
		map[string]any{"file": d.File.Name, "sm3": d.File.SM3}); err != nil {
		f.Close()
		return nil, nil, err
	}
	return d, f, nil
}

// Missing is the list of units of the actor's subtree without a drill in
// a year, shown from the office's listing date (ListedFrom) on.
type Missing struct {
	Year       int
	ListedFrom time.Time
	Shown      bool
	Units      store.ListResult[fenghuo.Org]
}

// UnitsWithoutDrill lists the units of the actor's subtree that filed no
// drill in year — from the listing date of the actor's office (default 1
// December) on, and for any past year.
func (s *Service) UnitsWithoutDrill(ctx context.Context, ac *app.Actor, year int, p store.Page) (*Missing, error) {
	if err := app.Require(ac, fenghuo.PermIncidentRead); err != nil {
		return nil, err
	}
	cfg, err := s.config(ctx, ac.Org.ID)
	if err != nil {
		return nil, err
	}
	m := &Missing{Year: year, ListedFrom: cfg.ListedFrom(year)}
	if s.core.Now().Before(m.ListedFrom) {
		m.Units = store.ListResult[fenghuo.Org]{Items: []fenghuo.Org{}}
		return m, nil
	}
	m.Shown = true
	m.Units, err = s.core.DB().UnitsWithoutDrill(ctx, ac.Org.Path, year, p)
	return m, err
}

// ActivityInput is a training or publicity activity to record.
type ActivityInput struct {
	OrgID    int64 // 0: the actor's org
	Category string
	HeldOn   time.Time
	Kind     string
	Audience string
	Count    int
	Summary  string
}

// RecordActivity records a training or publicity activity of the actor's
// org or one under it.
func (s *Service) RecordActivity(ctx context.Context, ac *app.Actor, in ActivityInput) (*fenghuo.Activity, error) {
	if in.OrgID == 0 {
		in.OrgID = ac.Org.ID
	}
	if s.afterToday(in.HeldOn) {
		return nil, fenghuo.FieldErrorf("held_on", "Record an activity after it is held. / 日期不能晚于今天。")
	}
	a := &fenghuo.Activity{OrgID: in.OrgID, Category: in.Category, HeldOn: in.HeldOn, Kind: strings.TrimSpace(in.Kind),
		Audience: strings.TrimSpace(in.Audience), Count: in.Count, Summary: strings.TrimSpace(in.Summary), CreatedBy: ac.User.ID}
	err := s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		o, err := tx.Org(ctx, in.OrgID)
		if err != nil {
			return err
		}
		if err := app.RequireAt(ac, fenghuo.PermIncidentWrite, o.Path, "Org", in.OrgID); err != nil {
			return err
		}
		if err := tx.CreateActivity(ctx, a); err != nil {
			return err
		}
		return s.core.Record(ctx, tx, ac, "activity.create", "activity", app.ObjectID(a.ID), "success",
			map[string]any{"org": a.OrgID, "category": a.Category, "kind": a.Kind, "count": a.Count})
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// Activities lists the activities of a year in the actor's subtree.
func (s *Service) Activities(ctx context.Context, ac *app.Actor, year int, p store.Page) (store.ListResult[fenghuo.Activity], error) {
	if err := app.Require(ac, fenghuo.PermIncidentRead); err != nil {
		return store.ListResult[fenghuo.Activity]{}, err
	}
	from, to := yearBounds(year)
	return s.core.DB().Activities(ctx, ac.Org.Path, from, to, p)
}

// yearBounds is [1 January year, 1 January year+1) in Asia/Shanghai.
func yearBounds(year int) (time.Time, time.Time) {
	return time.Date(year, 1, 1, 0, 0, 0, 0, calendar.Shanghai), time.Date(year+1, 1, 1, 0, 0, 0, 0, calendar.Shanghai)
}

// AttachDrillFile files the written summary of a drill that has none yet,
// by whoever may file drills for its unit.
func (s *Service) AttachDrillFile(ctx context.Context, ac *app.Actor, id int64, filename string, r io.Reader) (*fenghuo.Drill, error) {
	d, err := s.Drill(ctx, ac, id)
	if err != nil {
		return nil, err
	}
	if _, err := s.writableOrg(ctx, ac, d.OrgID); err != nil {
		return nil, err
	}
	if d.File.StorageKey != "" {
		return nil, fenghuo.Errorf(fenghuo.ECONFLICT, "This drill's summary file is already filed. / 该演练已上传总结文件。")
	}
	sf, err := incident.SaveEvidenceFile(s.core.Config().EvidenceDir, filename, r)
	if err != nil {
		return nil, err
	}
	d.File = fenghuo.DrillFile{Name: sf.Name, ContentType: sf.ContentType, SM3: sf.SM3, StorageKey: sf.StorageKey, Size: sf.Size}
	err = s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		if err := tx.AttachDrillFile(ctx, id, d.File); err != nil {
			return err
		}
		return s.core.Record(ctx, tx, ac, "drill.file", "drill", app.ObjectID(id), "success",
			map[string]any{"file": sf.Name, "sm3": sf.SM3, "size": sf.Size})
	})
	if err != nil {
		sf.Remove()
		return nil, err
	}
	return d, nil
}

// afterToday reports whether t falls on a day after today (Asia/Shanghai).
// A drill or activity held today may be filed at any hour of it: the
// console sends a date as its noon, which was "in the future" all morning.
func (s *Service) afterToday(t time.Time) bool {
	now := s.core.Now().In(calendar.Shanghai)
	tomorrow := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, calendar.Shanghai)
	return !t.IsZero() && !t.Before(tomorrow)
}
