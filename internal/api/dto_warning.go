package api

import (
	"encoding/json"
	"errors"
	"fenghuo/internal/app/period"
	"fenghuo/internal/app/warning"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
	"time"
)

// Wire shapes of warnings (预警), protection periods and daily reports,
// duty, notification channels and website monitors.

// orgRefJSON names an org without its details.
type orgRefJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

func orgRef(o *fenghuo.Org) *orgRefJSON {
	if o == nil {
		return nil
	}
	return &orgRefJSON{ID: o.ID, Name: o.Name}
}

type measureJSON struct {
	Text  string `json:"text"`
	Hours int    `json:"hours"`
}

// targetingJSON is how a warning's targets are chosen: named orgs, whole
// subtrees, a sector or org type, or the units running a component.
type targetingJSON struct {
	OrgIDs    []int64 `json:"org_ids"`
	Subtrees  []int64 `json:"subtrees"`
	Sector    string  `json:"sector"`
	OrgType   string  `json:"org_type"`
	Component string  `json:"component"`
}

func (t targetingJSON) domain() fenghuo.Targeting {
	return fenghuo.Targeting{OrgIDs: t.OrgIDs, Subtrees: t.Subtrees, Sector: t.Sector, OrgType: t.OrgType, Component: t.Component}
}

type warningJSON struct {
	ID         int64         `json:"id"`
	OrgID      int64         `json:"org_id"`
	PlanID     string        `json:"plan_id"`
	Color      string        `json:"color"`
	Category   string        `json:"category"`
	Title      string        `json:"title"`
	StartAt    time.Time     `json:"start_at"`
	Scope      string        `json:"scope"`
	Items      string        `json:"items"`
	Measures   []measureJSON `json:"measures"`
	AckMinutes int           `json:"ack_minutes"`
	Targets    targetingJSON `json:"targets"`
	Switches   []string      `json:"switches"`
	Status     string        `json:"status"`
	ProposedTo int64         `json:"proposed_to"`
	CreatedBy  int64         `json:"created_by"`
	CreatedAt  time.Time     `json:"created_at"`
	UpdatedAt  time.Time     `json:"updated_at"`
	LiftedAt   *time.Time    `json:"lifted_at"`
}

func toWarning(w fenghuo.Warning) warningJSON {
	ms := make([]measureJSON, 0, len(w.Measures))
	for _, m := range w.Measures {
		ms = append(ms, measureJSON(m))
	}
	t := w.Targeting
	return warningJSON{ID: w.ID, OrgID: w.OrgID, PlanID: w.PlanID, Color: string(w.Color), Category: w.Category, Title: w.Title,
		StartAt: w.StartAt, Scope: w.Scope, Items: w.Items, Measures: ms, AckMinutes: w.AckMinutes,
		Targets:  targetingJSON{OrgIDs: nonNil(t.OrgIDs), Subtrees: nonNil(t.Subtrees), Sector: t.Sector, OrgType: t.OrgType, Component: t.Component},
		Switches: nonNil(w.Switches), Status: w.Status, ProposedTo: w.ProposedTo, CreatedBy: w.CreatedBy,
		CreatedAt: w.CreatedAt, UpdatedAt: w.UpdatedAt, LiftedAt: timePtr(w.LiftedAt)}
}

type warningTargetJSON struct {
	ID        int64      `json:"id"`
	WarningID int64      `json:"warning_id"`
	OrgID     int64      `json:"org_id"`
	OrgName   string     `json:"org_name"`
	Reason    string     `json:"reason"`
	AckedAt   *time.Time `json:"acked_at"`
	AckedBy   string     `json:"acked_by"`
	DoneAt    *time.Time `json:"done_at"`
	DoneNote  string     `json:"done_note"`
}

func toWarningTarget(t fenghuo.WarningTarget) warningTargetJSON {
	return warningTargetJSON{ID: t.ID, WarningID: t.WarningID, OrgID: t.OrgID, OrgName: t.OrgName, Reason: t.Reason,
		AckedAt: timePtr(t.AckedAt), AckedBy: t.AckedBy, DoneAt: timePtr(t.DoneAt), DoneNote: t.DoneNote}
}

type warningChangeJSON struct {
	At        time.Time `json:"at"`
	Actor     string    `json:"actor"`
	Action    string    `json:"action"`
	FromColor string    `json:"from_color"`
	ToColor   string    `json:"to_color"`
	Reason    string    `json:"reason"`
}

type warningDetailJSON struct {
	warningJSON
	Issuer      *orgRefJSON         `json:"issuer"`
	TargetOrgs  []warningTargetJSON `json:"target_orgs"`
	Changes     []warningChangeJSON `json:"changes"`
	Obligations []obligationJSON    `json:"obligations"`
	CanManage   bool                `json:"can_manage"`
	Acked       int                 `json:"acked"`
	Done        int                 `json:"done"`
	Overdue     int                 `json:"overdue"`
	// Signature is the issuing office's SM2 signature, checked.
	Signature *signatureJSON `json:"signature"`
}

func warningDetail(d *warning.WarningDetail, now time.Time) warningDetailJSON {
	out := warningDetailJSON{warningJSON: toWarning(*d.Warning), Issuer: orgRef(d.Issuer), TargetOrgs: []warningTargetJSON{},
		Changes: []warningChangeJSON{}, Obligations: []obligationJSON{}, CanManage: d.CanManage, Acked: d.Acked, Done: d.Done, Overdue: d.Overdue}
	for _, t := range d.Targets {
		out.TargetOrgs = append(out.TargetOrgs, toWarningTarget(t))
	}
	for _, c := range d.Changes {
		out.Changes = append(out.Changes, warningChangeJSON{At: c.At, Actor: c.Actor, Action: c.Action, FromColor: string(c.FromColor),
			ToColor: string(c.ToColor), Reason: c.Reason})
	}
	for _, o := range d.Obligations {
		out.Obligations = append(out.Obligations, toObligation(o, now))
	}
	return out
}

type issuerCheckJSON struct {
	Color       string      `json:"color"`
	MultiRegion bool        `json:"multi_region"`
	Allowed     bool        `json:"allowed"`
	PlanID      string      `json:"plan_id"`
	Clause      string      `json:"clause"`
	Rule        string      `json:"rule"`
	ProposeTo   *orgRefJSON `json:"propose_to"`
}

type periodJSON struct {
	ID         int64     `json:"id"`
	OrgID      int64     `json:"org_id"`
	Name       string    `json:"name"`
	FirstDay   string    `json:"first_day"`
	LastDay    string    `json:"last_day"`
	Cutoff     string    `json:"cutoff"`
	LeaderDuty bool      `json:"leader_duty"`
	RoundClock bool      `json:"round_clock"`
	UnitIDs    []int64   `json:"unit_ids"`
	CreatedBy  int64     `json:"created_by"`
	CreatedAt  time.Time `json:"created_at"`
}

func toPeriod(p fenghuo.Period) periodJSON {
	return periodJSON{ID: p.ID, OrgID: p.OrgID, Name: p.Name, FirstDay: p.FirstDay, LastDay: p.LastDay, Cutoff: p.Cutoff,
		LeaderDuty: p.LeaderDuty, RoundClock: p.RoundClock, UnitIDs: nonNil(p.UnitIDs), CreatedBy: p.CreatedBy, CreatedAt: p.CreatedAt}
}

// chaseJSON says whom a chase (催报) reached: the unit's accounts (in-app
// notice), its channels that carry period notices, and its report address.
type chaseJSON struct {
	PeriodID int64     `json:"period_id"`
	OrgID    int64     `json:"org_id"`
	Unit     string    `json:"unit"`
	Day      string    `json:"day"`
	At       time.Time `json:"at"`
	Accounts []string  `json:"accounts"`
	Channels []string  `json:"channels"`
	Email    string    `json:"email"`
	Reached  string    `json:"reached"`
}

func toChase(c *period.ChaseResult) chaseJSON {
	return chaseJSON{PeriodID: c.PeriodID, OrgID: c.OrgID, Unit: c.Unit, Day: c.Day, At: c.At, Accounts: nonNil(c.Accounts),
		Channels: nonNil(c.Channels), Email: c.Email, Reached: c.Reached}
}

type dailyReportJSON struct {
	ID          int64     `json:"id"`
	PeriodID    int64     `json:"period_id"`
	OrgID       int64     `json:"org_id"`
	Day         string    `json:"day"`
	Quiet       bool      `json:"quiet"`
	IncidentIDs []int64   `json:"incident_ids"`
	Note        string    `json:"note"`
	SubmittedAt time.Time `json:"submitted_at"`
	SubmittedBy string    `json:"submitted_by"`
	Late        bool      `json:"late"`
}

func toDailyReport(r fenghuo.DailyReport) dailyReportJSON {
	return dailyReportJSON{ID: r.ID, PeriodID: r.PeriodID, OrgID: r.OrgID, Day: r.Day, Quiet: r.Quiet, IncidentIDs: nonNil(r.IncidentIDs),
		Note: r.Note, SubmittedAt: r.SubmittedAt, SubmittedBy: r.SubmittedBy, Late: r.Late}
}

type boardRowJSON struct {
	OrgID   int64            `json:"org_id"`
	OrgName string           `json:"org_name"`
	State   string           `json:"state"`
	Report  *dailyReportJSON `json:"report"`
}

type boardJSON struct {
	Period    periodJSON     `json:"period"`
	Office    *orgRefJSON    `json:"office"`
	Day       string         `json:"day"`
	Cutoff    time.Time      `json:"cutoff"`
	Days      []string       `json:"days"`
	Rows      []boardRowJSON `json:"rows"`
	OnTime    int            `json:"on_time"`
	Incidents int            `json:"incidents"`
	Late      int            `json:"late"`
	Missing   int            `json:"missing"`
	Pending   int            `json:"pending"`
}

func toBoard(b *period.Board) boardJSON {
	out := boardJSON{Period: toPeriod(*b.Period), Office: orgRef(b.Office), Day: b.Day, Cutoff: b.Cutoff, Days: nonNil(b.Days),
		Rows: []boardRowJSON{}, OnTime: b.OnTime, Incidents: b.Incidents, Late: b.Late, Missing: b.Missing, Pending: b.Pending}
	for _, r := range b.Rows {
		row := boardRowJSON{OrgID: r.Org.ID, OrgName: r.Org.Name, State: r.State}
		if r.Report != nil {
			rep := toDailyReport(*r.Report)
			row.Report = &rep
		}
		out.Rows = append(out.Rows, row)
	}
	return out
}

type shiftJSON struct {
	ID      int64     `json:"id"`
	OrgID   int64     `json:"org_id"`
	StartAt time.Time `json:"start_at"`
	EndAt   time.Time `json:"end_at"`
	Officer string    `json:"officer"`
	Leader  string    `json:"leader"`
	Phone   string    `json:"phone"`
	// 0: rostered by name only (before accounts were chosen) or no leader.
	OfficerID int64 `json:"officer_id"`
	LeaderID  int64 `json:"leader_id"`
}

func toShift(s fenghuo.DutyShift) shiftJSON {
	return shiftJSON{ID: s.ID, OrgID: s.OrgID, StartAt: s.StartAt, EndAt: s.EndAt, Officer: s.Officer, Leader: s.Leader, Phone: maskPhone(s.Phone),
		OfficerID: s.OfficerID, LeaderID: s.LeaderID}
}

type dutyLogJSON struct {
	ID     int64     `json:"id"`
	OrgID  int64     `json:"org_id"`
	At     time.Time `json:"at"`
	Author string    `json:"author"`
	Kind   string    `json:"kind"`
	Body   string    `json:"body"`
}

func toDutyLog(e fenghuo.DutyLogEntry) dutyLogJSON {
	return dutyLogJSON{ID: e.ID, OrgID: e.OrgID, At: e.At, Author: e.Author, Kind: e.Kind, Body: e.Body}
}

type onDutyJSON struct {
	Org   orgRefJSON `json:"org"`
	Shift *shiftJSON `json:"shift"`
	Gaps  []string   `json:"gaps"`
}

func toOnDuty(d period.OnDuty) onDutyJSON {
	out := onDutyJSON{Org: orgRefJSON{ID: d.Org.ID, Name: d.Org.Name}, Gaps: nonNil(d.Gaps)}
	if d.Shift != nil {
		s := toShift(*d.Shift)
		out.Shift = &s
	}
	return out
}

type dutyViewJSON struct {
	Org      *orgRefJSON   `json:"org"`
	Now      onDutyJSON    `json:"now"`
	Upcoming []shiftJSON   `json:"upcoming"`
	Log      []dutyLogJSON `json:"log"`
	Below    []onDutyJSON  `json:"below"`
}

func toDutyView(v *period.DutyView) dutyViewJSON {
	out := dutyViewJSON{Org: orgRef(v.Org), Now: toOnDuty(v.Now), Upcoming: []shiftJSON{}, Log: []dutyLogJSON{}, Below: []onDutyJSON{}}
	for _, s := range v.Upcoming {
		out.Upcoming = append(out.Upcoming, toShift(s))
	}
	for _, e := range v.Log {
		out.Log = append(out.Log, toDutyLog(e))
	}
	for _, d := range v.Below {
		out.Below = append(out.Below, toOnDuty(d))
	}
	return out
}

// channelJSON is a notification channel. Its secret is write-only: it is
// sealed in the store and never leaves the server.
type channelJSON struct {
	ID       int64    `json:"id"`
	OrgID    int64    `json:"org_id"`
	UserID   int64    `json:"user_id"`
	Personal bool     `json:"personal"`
	Kind     string   `json:"kind"`
	Name     string   `json:"name"`
	Target   string   `json:"target"`
	Events   []string `json:"events"`
	Enabled  bool     `json:"enabled"`
}

func toChannel(c fenghuo.Channel) channelJSON {
	return channelJSON{ID: c.ID, OrgID: c.OrgID, UserID: c.UserID, Personal: c.UserID != 0, Kind: c.Kind, Name: c.Name,
		Target: c.Target, Events: nonNil(c.Events), Enabled: c.Enabled}
}

type sendAttemptJSON struct {
	ID             int64     `json:"id"`
	NotificationID int64     `json:"notification_id"`
	ChannelID      int64     `json:"channel_id"`
	Kind           string    `json:"kind"`
	Target         string    `json:"target"`
	Title          string    `json:"title"`
	Attempt        int       `json:"attempt"`
	Status         string    `json:"status"`
	Error          string    `json:"error"`
	At             time.Time `json:"at"`
}

func toSendAttempt(d store.SendAttempt) sendAttemptJSON {
	return sendAttemptJSON(d)
}

type monitorJSON struct {
	ID                int64      `json:"id"`
	SystemID          int64      `json:"system_id"`
	URL               string     `json:"url"`
	Checks            []string   `json:"checks"`
	IntervalSeconds   int64      `json:"interval_seconds"`
	Enabled           bool       `json:"enabled"`
	NextDueAt         *time.Time `json:"next_due_at"`
	Status            string     `json:"status"`
	LastCheckedAt     *time.Time `json:"last_checked_at"`
	LastLatencyMS     int64      `json:"last_latency_ms"`
	LastError         string     `json:"last_error"`
	DownSince         *time.Time `json:"down_since"`
	BaselineSnapshots int        `json:"baseline_snapshots"`
	Resolvers         []string   `json:"resolvers"`
	Agreement         int        `json:"agreement"`
	CreatedAt         time.Time  `json:"created_at"`
}

func toMonitor(m store.Monitor) monitorJSON {
	return monitorJSON{ID: m.ID, SystemID: m.SystemID, URL: m.URL, Checks: nonNil(m.Checks), IntervalSeconds: int64(m.Interval / time.Second),
		Enabled: m.Enabled, NextDueAt: timePtr(m.NextDueAt), Status: m.Status, LastCheckedAt: timePtr(m.LastCheckedAt),
		LastLatencyMS: m.LastLatency.Milliseconds(), LastError: m.LastError, DownSince: timePtr(m.DownSince),
		BaselineSnapshots: m.BaselineSnapshots, Resolvers: nonNil(m.Resolvers), Agreement: m.Agreement, CreatedAt: m.CreatedAt}
}

type monitorResultJSON struct {
	ID         int64           `json:"id"`
	At         time.Time       `json:"at"`
	OK         bool            `json:"ok"`
	HTTPStatus int             `json:"http_status"`
	LatencyMS  int64           `json:"latency_ms"`
	Error      string          `json:"error"`
	Verdict    string          `json:"verdict"`
	Findings   json.RawMessage `json:"findings"`
}

func toMonitorResult(r store.MonitorResult) monitorResultJSON {
	findings := json.RawMessage(r.Findings)
	if !json.Valid(findings) {
		findings = json.RawMessage("[]")
	}
	return monitorResultJSON{ID: r.ID, At: r.At, OK: r.OK, HTTPStatus: r.HTTPStatus, LatencyMS: r.Latency.Milliseconds(),
		Error: r.Error, Verdict: r.Verdict, Findings: findings}
}

type monitorDetailJSON struct {
	monitorJSON
	Results []monitorResultJSON `json:"results"`
}

// renameField names the request's field in an app error that calls it
// otherwise (the app validates an interval as a duration; the request gives
// interval_seconds).
func renameField(err error, names map[string]string) error {
	var fe *fenghuo.Error
	if !errors.As(err, &fe) || names[fe.Field] == "" {
		return err
	}
	return &fenghuo.Error{Code: fe.Code, Message: fe.Message, Field: names[fe.Field]}
}
