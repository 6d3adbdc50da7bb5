package web

import (
	"context"
	"strconv"
	"strings"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/fenghuo"
)

// The incident page is a header over tabs (design/console.md, after TheHive
// and DFIR-IRIS): the header says at a glance what the incident is and what
// is urgent — grade, status, response level, the unit that owns it and the
// next open deadline as a large countdown from the server's clock — and the
// tabs below split the work: facts, reports, tasks, response, timeline,
// evidence and aftermath documents.
//
// How a tab page uses them (every page under /incidents/{id}/…):
//
//  1. In the handler, build the header first; it loads the incident with
//     the actor's rights (an incident outside the actor's scope is
//     ENOTFOUND, so h.fail answers 404):
//
//     hd, err := h.incidentHeader(r.Context(), ac, id, tabTasks)
//     if err != nil {
//     	h.fail(w, r, ac, err)
//     	return
//     }
//
//  2. Give the page's data a field named Header holding it (the templates
//     read .Data.Header), and use hd.Incident rather than loading the
//     incident again:
//
//     type taskPageData struct {
//     	Header *incidentHeader
//     	Tasks  []fenghuo.Task
//     }
//     v := &view{Actor: ac, Title: "incident.title", Nav: "incidents", Data: taskPageData{Header: hd, …}}
//
//  3. In the page template, before the tab's own content:
//
//     {{define "content"}}
//     {{template "incident_header" .}}
//     {{template "incident_tabs" .}}
//     … the tab: one primary action for this actor, then its lists …
//     {{end}}
//
// The header's countdown uses the console's countdown script (app.js,
// elements with data-due), which counts from the server's clock given in
// <body data-now>; a deadline past due turns red and shows how long ago.

// Incident tabs: the value of incidentHeader.Tab and the last path
// segment of the tab's address (the facts tab is the incident's own page).
const (
	tabFacts     = "facts"
	tabReports   = "reports"
	tabTasks     = "tasks"
	tabResponse  = "response"
	tabTimeline  = "timeline"
	tabEvidence  = "evidence"
	tabDocuments = "documents"
)

// incidentTab is one tab of the incident page.
type incidentTab struct {
	Key   string // tabFacts …
	Label string // message key of its name
	Path  string // its address
}

// incidentHeader is what the incident_header and incident_tabs templates
// show; build it with Handler.incidentHeader.
type incidentHeader struct {
	Incident *fenghuo.Incident
	// Unit names the unit the incident belongs to (事发单位).
	Unit string
	// Response is the incident's open response activation (requested or
	// active), or nil; LastResponse the newest activation of any state (an
	// ended response still shows as ended), or nil when there was none.
	Response     *fenghuo.ResponseActivation
	LastResponse *fenghuo.ResponseActivation
	// Next is the open obligation due soonest (the most overdue first),
	// nil when nothing with a due time is open; Overdue counts the open
	// obligations past their due time, Immediate the open ones the plan
	// gives no number but says 立即 or 及时 (no countdown, but urgent), and
	// Untimed the open ones with no due time at all (a playbook or ad-hoc
	// task without a deadline): to do, not urgent.
	Next      *fenghuo.Obligation
	Overdue   int
	Immediate int
	Untimed   int
	// Now is the server's clock when the header was built.
	Now  time.Time
	Tab  string
	Tabs []incidentTab
}

// NextOverdue reports whether the next deadline has passed.
func (hd *incidentHeader) NextOverdue() bool { return hd.Next != nil && hd.Next.Overdue(hd.Now) }

// Left is the time to the next deadline in the countdown's own format
// (see countdownText), so that the header reads right before the script
// ticks and without script.
func (hd *incidentHeader) Left(lang string) string {
	if hd.Next == nil {
		return ""
	}
	return countdownText(lang, hd.Next.DueAt.Sub(hd.Now))
}

// countdownText formats d as app.js does: "h:mm:ss" within a day,
// "29天 09:35" ("29 d 09:35") beyond, and once overdue how long in words,
// "已逾期 3小时11分" ("overdue 3 h 11 min", "已逾期 2天3小时" past a day).
func countdownText(lang string, d time.Duration) string {
	en := lang == langEN
	s := int64(d.Round(time.Second) / time.Second)
	if s < 0 {
		m := -s / 60
		days, hours, mins := m/1440, m/60%24, m%60
		var b strings.Builder
		if en {
			b.WriteString("overdue ")
		} else {
			b.WriteString("已逾期 ")
		}
		part := func(n int64, zh, enu string) {
			if en {
				if b.Len() > len("overdue ") {
					b.WriteString(" ")
				}
				b.WriteString(strconv.FormatInt(n, 10) + " " + enu)
				return
			}
			b.WriteString(strconv.FormatInt(n, 10) + zh)
		}
		switch {
		case days > 0:
			part(days, "天", "d")
			part(hours, "小时", "h")
		case hours > 0:
			part(hours, "小时", "h")
			part(mins, "分", "min")
		default:
			part(mins, "分钟", "min")
		}
		return b.String()
	}
	if s >= 86400 {
		unit := "天 "
		if en {
			unit = " d "
		}
		return strconv.FormatInt(s/86400, 10) + unit + pad2(s/3600%24) + ":" + pad2(s/60%60)
	}
	return strconv.FormatInt(s/3600, 10) + ":" + pad2(s/60%60) + ":" + pad2(s%60)
}

func pad2(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

// incidentTabs lists the tabs of an incident in their order.
func incidentTabs(id int64) []incidentTab {
	base := "/incidents/" + strconv.FormatInt(id, 10)
	return []incidentTab{
		{tabFacts, "incident.tab.facts", base},
		{tabReports, "incident.tab.reports", base + "/reports"},
		{tabTasks, "incident.tab.tasks", base + "/tasks"},
		{tabResponse, "incident.tab.response", base + "/response"},
		{tabTimeline, "incident.tab.timeline", base + "/timeline"},
		{tabEvidence, "incident.tab.evidence", base + "/evidence"},
		{tabDocuments, "incident.tab.documents", base + "/documents"},
	}
}

// incidentHeader loads the incident id with the actor's rights and what
// its header shows; tab is the tab being shown (tabFacts …).
func (h *Handler) incidentHeader(ctx context.Context, ac *app.Actor, id int64, tab string) (*incidentHeader, error) {
	// One audited view per visit to the page, not per tab (see
	// incident.ViewIncidentPage).
	inc, err := h.app.Incidents.ViewIncidentPage(ctx, ac, id)
	if err != nil {
		return nil, err
	}
	hd := &incidentHeader{Incident: inc, Now: h.app.Core.Now(), Tab: tab, Tabs: incidentTabs(inc.ID)}
	db := h.app.Core.DB()
	if o, err := db.Org(ctx, inc.OrgID); err == nil {
		hd.Unit = o.Name
	}
	// The incident was read with the actor's rights above; its response
	// rows and obligations belong to it.
	acts, err := db.Activations(ctx, inc.ID)
	if err != nil {
		return nil, err
	}
	for i := range acts {
		a := &acts[i]
		hd.LastResponse = a
		if fenghuo.ResponseOpen(a.State) {
			hd.Response = a
		}
	}
	obs, err := h.app.Incidents.IncidentObligations(ctx, ac, inc.ID)
	if err != nil {
		return nil, err
	}
	hd.Next, hd.Immediate, hd.Untimed, hd.Overdue = nextDeadline(obs, hd.Now)
	return hd, nil
}

// nextDeadline picks the open obligation due soonest (so the most overdue
// one while any is overdue) and counts the overdue ones and those without
// a due time: immediate when the plan says 立即 or 及时, untimed when
// nothing sets a time (a task without a deadline is not urgent).
func nextDeadline(obs []fenghuo.Obligation, now time.Time) (next *fenghuo.Obligation, immediate, untimed, overdue int) {
	for i := range obs {
		o := &obs[i]
		if o.State != fenghuo.ObligationOpen {
			continue
		}
		if o.Overdue(now) {
			overdue++
		}
		if o.DueAt.IsZero() {
			if o.Urgency != "" {
				immediate++
			} else {
				untimed++
			}
			continue
		}
		if next == nil || o.DueAt.Before(next.DueAt) {
			next = o
		}
	}
	return next, immediate, untimed, overdue
}

// ResponseLabel names an incident's response in the header: the level and
// whether it is requested, in force or ended ("Ⅱ级响应（已启动）"), or
// 未启动 when none was asked for.
func (v *view) ResponseLabel(hd *incidentHeader) string {
	a := hd.Response
	if a == nil {
		a = hd.LastResponse
	}
	if a == nil {
		return translate(v.Lang, "incident.header.response.none")
	}
	if a.State != fenghuo.ResponseActive && a.State != fenghuo.ResponseRequested && a.State != fenghuo.ResponseEnded {
		// The newest row was refused or superseded and nothing is open.
		return translate(v.Lang, "incident.header.response.none")
	}
	level := v.ResponseLevelLabel(a.Level)
	state := translate(v.Lang, "incident.header.response."+a.State)
	if v.Lang == langEN {
		return level + " (" + state + ")"
	}
	return level + "（" + state + "）"
}

// HeaderGrade names the grade in force for the header: "重大(Ⅱ级)",
// "Grade II, major".
func (v *view) HeaderGrade(g fenghuo.Grade) string {
	if g == "" {
		return ""
	}
	if v.Lang == langEN {
		return v.GradeLabel(g) + ", " + strings.TrimSuffix(g.NameEN(), " ("+string(g)+")")
	}
	return g.NameZH()
}

// ResponseLevelLabel names a response level: "Ⅱ级响应", "Level II response".
func (v *view) ResponseLevelLabel(g fenghuo.Grade) string {
	if g == "" {
		return ""
	}
	if v.Lang == langEN {
		return "Level " + string(g) + " response"
	}
	if r, ok := romanGrades[g]; ok {
		return r + "级响应"
	}
	return string(g) + "级响应"
}

// Words of the incident header and tabs (kept here, beside the page they
// serve, and merged into the console's messages at start-up).
var incidentPageMessages = map[string][2]string{
	"incident.tab.facts":                  {"事件要素", "Facts"},
	"incident.tab.reports":                {"报告", "Reports"},
	"incident.tab.tasks":                  {"处置任务", "Tasks"},
	"incident.tab.response":               {"应急响应", "Response"},
	"incident.tab.timeline":               {"时间线", "Timeline"},
	"incident.tab.evidence":               {"证据", "Evidence"},
	"incident.tab.documents":              {"后续文档", "Documents"},
	"incident.tabs":                       {"事件页面", "Incident pages"},
	"incident.header.grade":               {"事件级别", "Grade"},
	"incident.header.response":            {"响应级别", "Response"},
	"incident.header.owner":               {"事发单位", "Unit"},
	"incident.header.next":                {"下一时限", "Next deadline"},
	"incident.header.due":                 {"截止", "due"},
	"incident.header.overdue":             {"已超时", "Overdue"},
	"incident.header.overdue.count":       {"项已超时", "overdue"},
	"incident.status.change":              {"变更状态", "Change status"},
	"incident.receive":                    {"签收报告", "Acknowledge the report"},
	"incident.reports.none":               {"尚未提交报告。", "No report has been filed yet."},
	"incident.deliveries":                 {"报送情况", "Where the reports went"},
	"incident.delivery.unreceived":        {"未签收", "not acknowledged"},
	"incident.note.add":                   {"添加处置记录", "Add the note"},
	"incident.timeline.intact":            {"记录链完整（SM3校验通过）", "Record chain intact (SM3 verified)"},
	"incident.timeline.seq":               {"序号", "No."},
	"incident.timeline.at":                {"时间", "Time"},
	"incident.timeline.who":               {"记录人", "By"},
	"incident.timeline.what":              {"内容", "Entry"},
	"incident.evidence.file":              {"文件", "File"},
	"incident.evidence.note":              {"说明", "Note"},
	"incident.evidence.size":              {"大小", "Size"},
	"incident.evidence.digest":            {"SM3摘要", "SM3 digest"},
	"incident.evidence.at":                {"上传时间", "Uploaded"},
	"incident.evidence.upload":            {"上传证据", "Upload evidence"},
	"incident.evidence.none":              {"尚无证据材料。", "No evidence yet."},
	"incident.header.summary":             {"事件概况", "Incident summary"},
	"incident.header.nodeadline":          {"无待完成的时限", "No open deadline"},
	"incident.header.response.none":       {"未启动", "none"},
	"incident.header.response.requested":  {"已申请，待决定", "requested, awaiting decision"},
	"incident.header.response.active":     {"已启动", "in force"},
	"incident.header.response.ended":      {"已结束", "ended"},
	"incident.header.response.refused":    {"未获批准", "refused"},
	"incident.header.response.superseded": {"已调整", "changed"},
	"incident.header.immediate":           {"项须立即办理", "to do at once"},
	"incident.header.untimed":             {"待办 %d 项，无时限", "%d to do, no due time"},
}

func init() {
	for k, m := range incidentPageMessages {
		messages[k] = m
	}
}

// ReportTitle names a report by kind, number and revision: "续报（第2次）",
// "初报（第2版）", "follow-up report no. 2".
func (v *view) ReportTitle(r fenghuo.Report) string {
	s := v.ReportKindLabel(r.Kind)
	var parts []string
	if v.Lang == langEN {
		if r.Number > 1 {
			parts = append(parts, "no. "+strconv.Itoa(r.Number))
		}
		if r.Revision > 1 {
			parts = append(parts, "revision "+strconv.Itoa(r.Revision))
		}
		if len(parts) > 0 {
			s += " (" + strings.Join(parts, ", ") + ")"
		}
		return s
	}
	if r.Number > 1 {
		parts = append(parts, "第"+strconv.Itoa(r.Number)+"次")
	}
	if r.Revision > 1 {
		parts = append(parts, "第"+strconv.Itoa(r.Revision)+"版")
	}
	if len(parts) > 0 {
		s += "（" + strings.Join(parts, "，") + "）"
	}
	return s
}

// SizeLabel puts a file size in words: "512 字节", "1.5 KB", "20.0 MB".
func (v *view) SizeLabel(n int64) string {
	switch {
	case n < 1024:
		if v.Lang == langEN {
			return strconv.FormatInt(n, 10) + " bytes"
		}
		return strconv.FormatInt(n, 10) + " 字节"
	case n < 1<<20:
		return strconv.FormatFloat(float64(n)/1024, 'f', 1, 64) + " KB"
	}
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
}
