package finding

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/incident"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// Row is a finding as the lists show it: with its unit's and system's names
// and whether it is overdue.
type Row struct {
	fenghuo.Finding
	OrgName    string
	SystemName string
}

// Overdue reports whether the unit's deadline has passed at now.
func (r *Row) Overdue(now time.Time) bool {
	return fenghuo.FindingNeedsWork(r.State) && !r.DueAt.IsZero() && !now.Before(r.DueAt)
}

// Detail is one finding with its history, evidence, obligation and what
// the actor may do.
type Detail struct {
	Row
	OwnerUserName string
	Events        []fenghuo.FindingEvent
	Evidence      []fenghuo.FindingEvidence
	Obligation    *fenghuo.Obligation
	// Escalated names the office told when it became overdue.
	EscalatedToName string
	// People of the unit a finding may be given to (CanWork only).
	People []fenghuo.User
	// CanWork: start, upload, submit, comment. CanDecide: verify, reject,
	// accept (the office above).
	CanWork, CanDecide bool
}

// names fills the unit and system names of rows.
func names(ctx context.Context, tx *store.Tx, rows []Row) error {
	orgs, systems := map[int64]string{}, map[int64]string{}
	for i := range rows {
		r := &rows[i]
		if n, ok := orgs[r.OrgID]; ok {
			r.OrgName = n
		} else if o, err := tx.Org(ctx, r.OrgID); err == nil {
			orgs[r.OrgID], r.OrgName = o.Name, o.Name
		} else {
			return err
		}
		if r.SystemID == 0 {
			continue
		}
		if n, ok := systems[r.SystemID]; ok {
			r.SystemName = n
		} else if sys, err := tx.System(ctx, r.SystemID); err == nil {
			systems[r.SystemID], r.SystemName = sys.Name, sys.Name
		}
	}
	return nil
}

// Get returns a finding the actor may see.
func (s *Service) Get(ctx context.Context, ac *app.Actor, id int64) (*Detail, error) {
	if err := app.Require(ac, fenghuo.PermIncidentRead); err != nil {
		return nil, err
	}
	d := &Detail{}
	err := s.core.DB().View(ctx, func(tx *store.Tx) error {
		f, err := tx.Finding(ctx, id)
		if err != nil {
			return err
		}
		org, err := tx.Org(ctx, f.OrgID)
		if err != nil {
			return err
		}
		if !canSee(ac, org) {
			return fenghuo.Errorf(fenghuo.ENOTFOUND, "Finding %d not found. / 未找到该隐患。", id)
		}
		rows := []Row{{Finding: *f}}
		if err := names(ctx, tx, rows); err != nil {
			return err
		}
		d.Row = rows[0]
		d.CanWork, d.CanDecide = canWork(ac, org), canDecide(ac, org)
		if f.OwnerUserID != 0 {
			if u, err := tx.User(ctx, f.OwnerUserID); err == nil {
				d.OwnerUserName = u.DisplayName
			}
		}
		if f.ObligationID != 0 {
			if d.Obligation, err = tx.Obligation(ctx, f.ObligationID); err != nil {
				return err
			}
			if d.Obligation.RecipientOrgID != 0 && !d.Obligation.EscalatedAt.IsZero() {
				if to, err := tx.Org(ctx, d.Obligation.RecipientOrgID); err == nil {
					d.EscalatedToName = to.Name
				}
			}
		}
		if d.CanWork && fenghuo.FindingNeedsWork(f.State) {
			res, err := tx.SubtreeUsers(ctx, org.ID, store.UserFilter{OrgID: org.ID}, store.Page{Limit: 100})
			if err != nil {
				return err
			}
			for _, u := range res.Items {
				if !u.Disabled {
					d.People = append(d.People, u)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if d.Events, err = s.core.DB().FindingEvents(ctx, id); err != nil {
		return nil, err
	}
	if d.Evidence, err = s.core.DB().FindingEvidenceOf(ctx, id); err != nil {
		return nil, err
	}
	return d, nil
}

// Filter narrows List. OrgID 0 lists the actor's whole subtree.
type Filter struct {
	OrgID    int64
	State    string // a state, "active", "work" or ""
	Severity string
	Source   string
	Overdue  bool
}

// List returns the findings of the actor's subtree (or one unit of it),
// soonest due first.
func (s *Service) List(ctx context.Context, ac *app.Actor, f Filter, p store.Page) (store.ListResult[Row], error) {
	var res store.ListResult[Row]
	if err := app.Require(ac, fenghuo.PermIncidentRead); err != nil {
		return res, err
	}
	sf := store.FindingFilter{ScopeOrgID: ac.Org.ID, State: f.State, Severity: f.Severity, Source: f.Source}
	if f.OrgID != 0 && f.OrgID != ac.Org.ID {
		org, err := s.core.DB().Org(ctx, f.OrgID)
		if err != nil || !fenghuo.InSubtree(ac.Org.Path, org.Path) {
			return res, fenghuo.FieldErrorf("org_id", "Choose a unit in your scope. / 请选择您管辖范围内的单位。")
		}
		sf.ScopeOrgID = org.ID
	}
	switch f.State {
	case "", "active", "work", fenghuo.FindingOpen, fenghuo.FindingRectifying, fenghuo.FindingSubmitted, fenghuo.FindingClosed, fenghuo.FindingAccepted:
	default:
		return res, fenghuo.FieldErrorf("state", "Unknown state %q. / 未知状态。", f.State)
	}
	if f.Severity != "" && fenghuo.SeverityRank(f.Severity) < 0 {
		return res, fenghuo.FieldErrorf("severity", "Unknown severity %q. / 未知严重程度。", f.Severity)
	}
	if f.Source != "" && !fenghuo.FindingSourceValid(f.Source) {
		return res, fenghuo.FieldErrorf("source", "Unknown source %q. / 未知来源。", f.Source)
	}
	if f.Overdue {
		sf.OverdueAt = s.core.Now()
	}
	got, err := s.core.DB().Findings(ctx, sf, p)
	if err != nil {
		return res, err
	}
	res.Total, res.Capped = got.Total, got.Capped
	res.Items = make([]Row, len(got.Items))
	for i, it := range got.Items {
		res.Items[i] = Row{Finding: it}
	}
	err = s.core.DB().View(ctx, func(tx *store.Tx) error { return names(ctx, tx, res.Items) })
	return res, err
}

// ManualInput is a finding an office records by hand (an external report:
// a tip-off, a vendor advisory, a report from another agency).
type ManualInput struct {
	OrgID, SystemID         int64
	Title, Detail, Severity string
	Reference               string // who reported it, their reference
	DueAt                   time.Time
}

// RaiseManual records a finding from an external report: only an office
// (cyberspace-affairs office or monitoring centre) with the right to act on
// incidents, for a unit of its subtree. Its key is fresh, so it never
// merges with another finding.
func (s *Service) RaiseManual(ctx context.Context, ac *app.Actor, in ManualInput) (*fenghuo.Finding, error) {
	if err := app.Require(ac, fenghuo.PermIncidentWrite); err != nil {
		return nil, err
	}
	if !isOffice(ac) {
		return nil, fenghuo.Errorf(fenghuo.EFORBIDDEN, "Only an office records findings by hand. / 仅网信部门或监测机构可手工登记隐患。")
	}
	var f *fenghuo.Finding
	err := s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		var err error
		key := fmt.Sprintf("external/%d/%d", ac.Org.ID, s.core.Now().UnixNano())
		f, _, err = s.RaiseTx(ctx, tx, ac, Input{OrgID: in.OrgID, SystemID: in.SystemID, Source: fenghuo.FindingSourceExternal,
			SourceRef: strings.TrimSpace(in.Reference), Key: key, Title: in.Title, Detail: in.Detail, Severity: in.Severity, DueAt: in.DueAt})
		return err
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// AddEvidence stores a rectification file for a finding the actor may work
// on, through the same safe upload as incident evidence (kind by
// extension and content, size, SM3, outside any served path).
func (s *Service) AddEvidence(ctx context.Context, ac *app.Actor, id int64, filename string, r io.Reader, note string) (*fenghuo.FindingEvidence, error) {
	note = strings.TrimSpace(note)
	if len([]rune(note)) > 1000 {
		return nil, fenghuo.FieldErrorf("note", "Keep the note under 1,000 characters. / 说明不超过1000字。")
	}
	if err := s.checkWork(ctx, ac, id); err != nil {
		return nil, err
	}
	sf, err := incident.SaveEvidenceFile(s.core.Config().EvidenceDir, filename, r)
	if err != nil {
		return nil, err
	}
	ev := &fenghuo.FindingEvidence{FindingID: id, Filename: sf.Name, ContentType: sf.ContentType, Size: sf.Size, SM3: sf.SM3,
		StorageKey: sf.StorageKey, Note: note, UploadedBy: ac.User.ID}
	err = s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		f, org, err := s.access(ctx, tx, ac, id)
		if err != nil {
			return err
		}
		if !canWork(ac, org) || !fenghuo.FindingNeedsWork(f.State) {
			return fenghuo.Errorf(fenghuo.ECONFLICT, "Evidence is attached while the finding is being fixed. / 仅在整改期间可上传证明材料。")
		}
		if err := tx.CreateFindingEvidence(ctx, ev); err != nil {
			return err
		}
		if err := tx.AddFindingEvent(ctx, &fenghuo.FindingEvent{FindingID: id, UserID: ac.User.ID, UserName: actorName(ac), Kind: "evidence",
			State: f.State, Body: fmt.Sprintf("上传整改证明 %s（%d 字节，SM3 %s）", sf.Name, sf.Size, sf.SM3[:16]), EvidenceID: ev.ID}); err != nil {
			return err
		}
		return s.core.Record(ctx, tx, ac, "finding.evidence", "finding", ref(id), "success",
			map[string]any{"file": sf.Name, "sm3": sf.SM3, "size": sf.Size, "evidence": ev.ID})
	})
	if err != nil {
		sf.Remove()
		return nil, err
	}
	return ev, nil
}

func (s *Service) checkWork(ctx context.Context, ac *app.Actor, id int64) error {
	d, err := s.Get(ctx, ac, id)
	if err != nil {
		return err
	}
	if !d.CanWork {
		return app.ErrForbidden
	}
	if !fenghuo.FindingNeedsWork(d.State) {
		return fenghuo.Errorf(fenghuo.ECONFLICT, "Evidence is attached while the finding is being fixed. / 仅在整改期间可上传证明材料。")
	}
	return nil
}

// OpenEvidence returns a rectification file for download to an actor who
// may see its finding; the download is audited.
func (s *Service) OpenEvidence(ctx context.Context, ac *app.Actor, evidenceID int64) (*fenghuo.FindingEvidence, *os.File, error) {
	ev, err := s.core.DB().FindingEvidence(ctx, evidenceID)
	if err != nil {
		return nil, nil, err
	}
	if _, err := s.Get(ctx, ac, ev.FindingID); err != nil {
		return nil, nil, err
	}
	f, err := os.Open(filepath.Join(s.core.Config().EvidenceDir, ev.StorageKey))
	if err != nil {
		return nil, nil, err
	}
	if err := s.core.RecordAlone(ctx, ac, "export.finding_evidence", "finding", ref(ev.FindingID), "success",
		map[string]any{"evidence": ev.ID}); err != nil {
		f.Close()
		return nil, nil, err
	}
	return ev, f, nil
}

// SLAView is the SLA that applies to an organisation and where it comes
// from.
type SLAView struct {
	SLA fenghuo.FindingSLA
	// SetBy is the organisation that set it (0: the default); SetByName
	// its name.
	SetBy     int64
	SetByName string
	// CanSet says the actor may set its own organisation's SLA.
	CanSet bool
}

// SLA returns the SLA that applies to the actor's organisation.
func (s *Service) SLA(ctx context.Context, ac *app.Actor) (*SLAView, error) {
	if err := app.Require(ac, fenghuo.PermIncidentRead); err != nil {
		return nil, err
	}
	v := &SLAView{CanSet: isOffice(ac) && ac.Can(fenghuo.PermIncidentWrite)}
	err := s.core.DB().View(ctx, func(tx *store.Tx) error {
		var err error
		if v.SLA, v.SetBy, err = s.SLATx(ctx, tx, &ac.Org); err != nil {
			return err
		}
		if v.SetBy != 0 {
			o, err := tx.Org(ctx, v.SetBy)
			if err != nil {
				return err
			}
			v.SetByName = o.Name
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// SetSLA sets the rectification time per severity for the actor's office
// and, unless they set their own, every organisation below it. It applies
// to findings raised from then on.
func (s *Service) SetSLA(ctx context.Context, ac *app.Actor, sla fenghuo.FindingSLA) error {
	if err := app.Require(ac, fenghuo.PermIncidentWrite); err != nil {
		return err
	}
	if !isOffice(ac) {
		return fenghuo.Errorf(fenghuo.EFORBIDDEN, "Only an office sets rectification times. / 仅网信部门或监测机构可设置整改时限。")
	}
	if err := sla.Validate(); err != nil {
		return err
	}
	b, err := json.Marshal(sla)
	if err != nil {
		return err
	}
	return s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		if err := tx.SetSetting(ctx, slaKey(ac.Org.ID), string(b)); err != nil {
			return err
		}
		return s.core.Record(ctx, tx, ac, "finding.sla", "org", ref(ac.Org.ID), "success", sla)
	})
}
