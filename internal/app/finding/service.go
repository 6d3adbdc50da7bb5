// Package finding holds the findings (隐患) ledger: hidden dangers of a unit
// raised by inspections, risk notices, monitoring, incident reviews,
// exposure checks or an office's manual entry (an external report), each
// with a rectification deadline from the office's per-severity SLA, worked
// through open → rectifying → submitted → verified and closed (or sent back
// with a reason), or risk-accepted by the office until an expiry. The
// deadline is an obligation of kind "finding", so the one scheduler reminds
// the unit and escalates an overdue finding to the office above.
package finding

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// Service is the findings capability.
type Service struct {
	core *app.Core
}

// New returns the findings capability over core.
func New(core *app.Core) *Service { return &Service{core: core} }

// Input is a finding as a source raises it. DueAt zero takes the deadline
// from the unit's SLA for the severity.
type Input struct {
	OrgID, SystemID                                 int64
	Source, SourceRef, Key, Title, Detail, Severity string
	DueAt                                           time.Time
}

// slaKey is the setting holding an office's SLA (JSON fenghuo.FindingSLA).
func slaKey(orgID int64) string { return "finding_sla/" + strconv.FormatInt(orgID, 10) }

// SLATx returns the SLA that applies to org: its own, else the nearest
// ancestor's, else fenghuo.DefaultFindingSLA; setBy is the org that set it
// (0: the default).
func (s *Service) SLATx(ctx context.Context, tx *store.Tx, org *fenghuo.Org) (sla fenghuo.FindingSLA, setBy int64, err error) {
	ids := org.PathIDs()
	for i := len(ids) - 1; i >= 0; i-- {
		v, err := tx.Setting(ctx, slaKey(ids[i]))
		if fenghuo.ErrorCode(err) == fenghuo.ENOTFOUND {
			continue
		} else if err != nil {
			return sla, 0, err
		}
		if err := json.Unmarshal([]byte(v), &sla); err != nil || sla.Validate() != nil {
			s.core.Logger().Warn("finding SLA setting unreadable; ignored", "org", ids[i])
			continue
		}
		return sla, ids[i], nil
	}
	return fenghuo.DefaultFindingSLA, 0, nil
}

// remindAt is one day before the deadline, or none when that has passed.
func remindAt(now, due time.Time) time.Time {
	r := due.Add(-24 * time.Hour)
	if due.IsZero() || !r.After(now) {
		return time.Time{}
	}
	return r
}

// duty is the obligation setting of a finding of org: reminded a day
// before, escalated to the office above (the parent org) when overdue.
func duty(now time.Time, org *fenghuo.Org, due time.Time) store.Duty {
	return store.Duty{RemindAt: remindAt(now, due), RecipientOrgID: org.ParentID, Clause: "隐患整改时限"}
}

func actorName(ac *app.Actor) string {
	if ac.User.DisplayName != "" {
		return ac.User.DisplayName
	}
	return ac.User.Username
}

// RaiseTx records a finding in the caller's transaction; an active
// finding with the same OrgID+SystemID+Key is merged (occurrence count,
// history line; a higher severity raises it and may bring the deadline
// forward), not repeated. A new finding gets its obligation. The actor
// must see the unit (its org in the actor's subtree) unless it is the
// system; the caller has checked its own right to raise (a campaign, a
// notice, a check). It appends the audit entry in tx.
func (s *Service) RaiseTx(ctx context.Context, tx *store.Tx, ac *app.Actor, in Input) (f *fenghuo.Finding, merged bool, err error) {
	in.Title, in.Detail, in.Key = strings.TrimSpace(in.Title), strings.TrimSpace(in.Detail), strings.TrimSpace(in.Key)
	org, err := tx.Org(ctx, in.OrgID)
	if err != nil {
		if fenghuo.ErrorCode(err) == fenghuo.ENOTFOUND {
			return nil, false, fenghuo.FieldErrorf("org_id", "Choose the unit the finding is about. / 请选择隐患所属单位。")
		}
		return nil, false, err
	}
	if ac.Via != "system" && !fenghuo.InSubtree(ac.Org.Path, org.Path) {
		return nil, false, fenghuo.Errorf(fenghuo.ENOTFOUND, "Org %d not found. / 未找到。", in.OrgID)
	}
	if in.SystemID != 0 {
		sys, err := tx.System(ctx, in.SystemID)
		if err != nil || sys.OrgID != org.ID {
			return nil, false, fenghuo.FieldErrorf("system_id", "Choose a system of the unit. / 请选择该单位的信息系统。")
		}
	}
	now := s.core.Now()
	cand := &fenghuo.Finding{OrgID: org.ID, SystemID: in.SystemID, Source: in.Source, SourceRef: in.SourceRef, Key: in.Key,
		Title: in.Title, Detail: in.Detail, Severity: in.Severity, DueAt: in.DueAt, CreatedBy: ac.User.ID}
	if err := cand.Validate(); err != nil {
		return nil, false, err
	}
	if !in.DueAt.IsZero() && !in.DueAt.After(now) {
		return nil, false, fenghuo.FieldErrorf("due_at", "The deadline has passed: give a later one. / 整改时限须晚于当前时间。")
	}
	sla, _, err := s.SLATx(ctx, tx, org)
	if err != nil {
		return nil, false, err
	}
	slaDue := now.Add(time.Duration(sla.Days(in.Severity)) * 24 * time.Hour)

	existing, err := tx.ActiveFindingByKey(ctx, org.ID, in.SystemID, in.Key)
	switch {
	case err == nil:
		return s.merge(ctx, tx, ac, existing, org, in, slaDue)
	case fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND:
		return nil, false, err
	}
	if cand.DueAt.IsZero() {
		cand.DueAt = slaDue
	}
	if err := tx.CreateFinding(ctx, cand, duty(now, org, cand.DueAt)); err != nil {
		return nil, false, err
	}
	if err := tx.AddFindingEvent(ctx, &fenghuo.FindingEvent{FindingID: cand.ID, UserID: ac.User.ID, UserName: actorName(ac),
		Kind: "raised", State: cand.State, Body: fmt.Sprintf("发现隐患（来源：%s%s）", SourceLabel(cand.Source), refSuffix(cand.SourceRef))}); err != nil {
		return nil, false, err
	}
	if err := s.core.NotifyOrg(ctx, tx, app.Notice{OrgID: org.ID, Kind: "finding.raised",
		Title: fmt.Sprintf("新隐患：%s", cand.Title),
		Body:  fmt.Sprintf("严重程度：%s；整改时限：%s", SeverityLabel(cand.Severity), cand.DueAt.In(shanghai).Format("2006-01-02 15:04")),
		Link:  fmt.Sprintf("/findings/%d", cand.ID)}); err != nil {
		return nil, false, err
	}
	detail := map[string]any{"finding": cand.ID, "org": org.ID, "system": cand.SystemID, "source": cand.Source,
		"source_ref": cand.SourceRef, "key": cand.Key, "severity": cand.Severity, "due_at": cand.DueAt}
	if err := s.core.Record(ctx, tx, ac, "finding.raise", "finding", ref(cand.ID), "success", detail); err != nil {
		return nil, false, err
	}
	return cand, false, nil
}

// merge counts another occurrence of an active finding. A higher severity
// raises the finding's and brings an open deadline forward to that
// severity's SLA when sooner.
func (s *Service) merge(ctx context.Context, tx *store.Tx, ac *app.Actor, f *fenghuo.Finding, org *fenghuo.Org, in Input, slaDue time.Time) (*fenghuo.Finding, bool, error) {
	now := s.core.Now()
	f.Occurrences++
	f.LastSeenAt = now
	body := fmt.Sprintf("再次发现（第%d次，来源：%s%s）", f.Occurrences, SourceLabel(in.Source), refSuffix(in.SourceRef))
	raised := fenghuo.SeverityRank(in.Severity) < fenghuo.SeverityRank(f.Severity)
	if raised {
		body += fmt.Sprintf("；严重程度由%s升为%s", SeverityLabel(f.Severity), SeverityLabel(in.Severity))
		f.Severity = in.Severity
		due := slaDue
		if !in.DueAt.IsZero() {
			due = in.DueAt
		}
		if fenghuo.FindingNeedsWork(f.State) && due.Before(f.DueAt) {
			f.DueAt = due
			body += "；整改时限提前至" + due.In(shanghai).Format("2006-01-02 15:04")
		}
	}
	if err := tx.UpdateFinding(ctx, f); err != nil {
		return nil, false, err
	}
	if raised {
		if err := tx.MoveFindingDuty(ctx, f, remindAt(now, f.DueAt)); err != nil {
			return nil, false, err
		}
	}
	if err := tx.AddFindingEvent(ctx, &fenghuo.FindingEvent{FindingID: f.ID, UserID: ac.User.ID, UserName: actorName(ac),
		Kind: "merged", State: f.State, Body: body}); err != nil {
		return nil, false, err
	}
	detail := map[string]any{"finding": f.ID, "org": org.ID, "source": in.Source, "source_ref": in.SourceRef,
		"occurrences": f.Occurrences, "severity": f.Severity}
	if err := s.core.Record(ctx, tx, ac, "finding.merge", "finding", ref(f.ID), "success", detail); err != nil {
		return nil, false, err
	}
	return f, true, nil
}

func refSuffix(r string) string {
	if r == "" {
		return ""
	}
	if _, n, ok := InternalRef(r); ok {
		return "#" + n // 来源：风险通报#3, not 风险通报,risk_notice:3
	}
	return "，" + r
}

// InternalRef reads a source reference the platform wrote itself:
// risk_notice:N (a risk notice), inspection:N/item (a campaign's item),
// exposure-check:N (an exposure check). It returns the kind and the
// number; ok is false for a reference an office typed (an external
// report's), which is shown as typed.
func InternalRef(r string) (kind, n string, ok bool) {
	kind, rest, found := strings.Cut(r, ":")
	if !found {
		return "", "", false
	}
	n, _, _ = strings.Cut(rest, "/")
	if _, err := strconv.ParseInt(n, 10, 64); err != nil {
		return "", "", false
	}
	switch kind {
	case "risk_notice", "inspection", "exposure-check":
		return kind, n, true
	}
	return "", "", false
}

func ref(id int64) string { return strconv.FormatInt(id, 10) }

// SeverityLabel is a severity in Chinese.
func SeverityLabel(s string) string {
	return map[string]string{fenghuo.SeverityCritical: "严重", fenghuo.SeverityHigh: "高", fenghuo.SeverityMedium: "中",
		fenghuo.SeverityLow: "低"}[s]
}

// SourceLabel is a source in Chinese.
func SourceLabel(s string) string {
	return map[string]string{fenghuo.FindingSourceInspection: "检查", fenghuo.FindingSourceRiskNotice: "风险通报",
		fenghuo.FindingSourceMonitoring: "监测", fenghuo.FindingSourceAftermath: "事件复盘",
		fenghuo.FindingSourceExposure: "暴露面检测", fenghuo.FindingSourceExternal: "外部报告"}[s]
}

// shanghai is the zone deadlines are shown in.
var shanghai = calendar.Shanghai
