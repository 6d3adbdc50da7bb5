package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/response"
	"fenghuo/internal/app/task"
	"fenghuo/internal/calendar"
	"fenghuo/internal/export"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// The response tab (/incidents/{id}/response): the level in force, who
// activated it under which clause, the command structure, the switches
// applied with the 24-hour duty's gaps, who is notified, the history of
// levels, and the one action this actor has — request, activate, change or
// end — with the plan's refusal when it has none.

type responsePageData struct {
	Header *incidentHeader
	V      *response.View
	// Form keeps what the user typed when the action failed.
	Form url.Values
	// Notice is the result message of the last action (?done=).
	Notice string
	// Ended is set when the last response has ended and none is open: the
	// page then leads with it, and a new activation is secondary.
	Ended bool
	// OpenTasks are the unfinished tasks: once the response ended, the
	// service's OpenAfterEnd (under "still being done"); before, the
	// activation's open tasks, listed before an officer ends it.
	OpenTasks []task.Row
	// People names the users who activated and ended the response.
	People map[int64]string
}

func (h *Handler) responsePage(w http.ResponseWriter, r *http.Request) {
	h.renderResponse(w, r, http.StatusOK, nil)
}

func (h *Handler) renderResponse(w http.ResponseWriter, r *http.Request, status int, actionErr error) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	hd, err := h.incidentHeader(r.Context(), ac, id, tabResponse)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	v, err := h.app.Response.View(r.Context(), ac, id)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	d := responsePageData{Header: hd, V: v, Form: url.Values{}, People: map[int64]string{}}
	if c := v.Current; c != nil {
		d.Ended = c.State == fenghuo.ResponseEnded
		if d.Ended || v.Primary == "end" {
			// The activation's tasks, as the task capability shows them
			// to this actor.
			b, err := h.app.Tasks.Tasks(r.Context(), ac, id)
			if err != nil {
				h.fail(w, r, ac, err)
				return
			}
			// Once ended, the response service says which tasks go on
			// (one source with the API); before, the activation's open ones.
			after := map[int64]bool{}
			for _, t := range v.OpenAfterEnd {
				after[t.ID] = true
			}
			for _, t := range b.Rows {
				if d.Ended && after[t.ID] || !d.Ended && t.ActivationID == c.ID && !fenghuo.TaskClosed(t.State) {
					d.OpenTasks = append(d.OpenTasks, t)
				}
			}
		}
		for _, uid := range []int64{c.DecidedBy, c.EndedBy} {
			if u, err := h.app.Core.DB().User(r.Context(), uid); uid != 0 && err == nil {
				d.People[uid] = u.DisplayName
			}
		}
	}
	page := &view{Actor: ac, Title: "response.title", Nav: "incidents", Data: &d}
	if actionErr != nil {
		d.Form = r.PostForm
		page.Errors, page.Error = fieldErrors(actionErr)
	} else if done := r.URL.Query().Get("done"); doneActions[done] {
		d.Notice = translate(page.Lang, "response.done."+done)
	}
	h.render(w, r, status, "response", page)
}

func (h *Handler) responseAction(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	r.ParseForm()
	level, _ := fenghuo.ParseGrade(strings.TrimSpace(r.FormValue("level")))
	if r.FormValue("action") == response.ActionRequest && strings.TrimSpace(r.FormValue("reason")) == "" {
		// A request goes to the office that decides: it must say why.
		h.renderResponse(w, r, http.StatusBadRequest,
			fenghuo.FieldErrorf("reason", "Say why the response is requested. / 请填写申请启动应急响应的理由。"))
		return
	}
	res, err := h.app.Response.Act(r.Context(), ac, id, responseInput(r.FormValue, level))
	switch {
	case err == nil:
		done := r.FormValue("action")
		if res.HandedUpTo != nil {
			done = "handup"
		}
		http.Redirect(w, r, fmt.Sprintf("/incidents/%d/response?done=%s", id, url.QueryEscape(done)), http.StatusSeeOther)
	case fenghuo.ErrorCode(err) == fenghuo.EFORBIDDEN && err != app.ErrForbidden:
		// The plan's refusal (clause, who may): shown on the page.
		h.renderResponse(w, r, http.StatusForbidden, err)
	case accessError(err):
		h.fail(w, r, ac, err)
	default:
		h.renderResponse(w, r, http.StatusBadRequest, err)
	}
}

// responseInput reads an act from form or JSON fields.
func responseInput(get func(string) string, level fenghuo.Grade) response.Input {
	return response.Input{Action: get("action"), Level: level, Reason: get("reason"), Approval: get("approval"),
		Commander: get("commander"), Phone: get("phone"), Liaison: get("liaison"), OnSite: get("on_site"),
		Situation: get("situation"), Requirements: get("requirements")}
}

func (h *Handler) responseNotice(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	format := r.PathValue("format")
	if format != "docx" && format != "pdf" {
		http.NotFound(w, r)
		return
	}
	n, err := h.app.Response.EndNotice(r.Context(), ac, id, formInt(r, "activation"))
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	buf := new(bytesBuffer)
	if format == "docx" {
		err = export.WriteOfficialDOCX(buf, n)
	} else {
		err = export.WriteOfficialPDF(buf, n)
	}
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	sendDocument(w, fmt.Sprintf("结束通知-事件%d.%s", id, format), format, buf.b)
}

// ResponseState names an activation's state in the page's language.
func (v *view) ResponseState(s string) string {
	return translate(v.Lang, "incident.header.response."+s)
}

// DutyGap says a stretch of the response's 24-hour duty nobody covered.
// A stretch still running (the duty holds and nobody is on it now) has no
// end: it reads "自 11:50 起无人值班，已 2 小时 10 分" and not "11:50 –
// 11:50"; a closed one shows its real end.
func (v *view) DutyGap(c response.DutyCover, g response.Gap) string {
	from := g.From.In(calendar.Shanghai).Format("2006-01-02 15:04")
	ongoing := c.Duty.EndsAt.IsZero() && c.UncoveredNow && len(c.Gaps) > 0 && c.Gaps[len(c.Gaps)-1] == g
	if ongoing {
		now := v.Now
		if now.IsZero() || now.Before(g.To) {
			now = g.To
		}
		return fmt.Sprintf(translate(v.Lang, "response.duty.gap.open"), from, v.elapsed(now.Sub(g.From)))
	}
	to := g.To.In(calendar.Shanghai)
	end := to.Format("15:04")
	if to.Format("2006-01-02") != g.From.In(calendar.Shanghai).Format("2006-01-02") {
		end = to.Format("2006-01-02 15:04")
	}
	return translate(v.Lang, "response.duty.gap") + " " + from + " – " + end
}

// elapsed puts a duration in hours and minutes ("2 小时 10 分", "2 h 10 min").
func (v *view) elapsed(d time.Duration) string {
	m := int64(d.Round(time.Minute) / time.Minute)
	h, m := m/60, m%60
	zh, en := fmt.Sprintf("%d 分", m), fmt.Sprintf("%d min", m)
	if h > 0 {
		zh, en = fmt.Sprintf("%d 小时 %d 分", h, m), fmt.Sprintf("%d h %d min", h, m)
	}
	if v.Lang == langEN {
		return en
	}
	return zh
}

// CommandRole names a command-structure position.
func (v *view) CommandRole(r string) string { return translate(v.Lang, "response.command."+r) }

// DeliveryLabel names an end notice's delivery state.
func (v *view) DeliveryLabel(d string) string { return translate(v.Lang, "response.delivery."+d) }

// SwitchDetail says in words what an applied switch did.
func (v *view) SwitchDetail(s fenghuo.ResponseSwitch) string {
	var d struct {
		Offices []struct {
			Name string `json:"name"`
		} `json:"offices"`
		Hours   int `json:"hours_per_day"`
		Standby []struct {
			Org struct {
				Name string `json:"name"`
			} `json:"org"`
			Task string `json:"task"`
		} `json:"standby"`
		Every string `json:"every"`
		From  struct {
			Name string `json:"name"`
		} `json:"from"`
		To struct {
			Name string `json:"name"`
		} `json:"to"`
		Body string `json:"body"`
	}
	json.Unmarshal(s.Detail, &d)
	en := v.Lang == langEN
	var parts []string
	switch {
	case len(d.Offices) > 0:
		var names []string
		for _, o := range d.Offices {
			names = append(names, o.Name)
		}
		if en {
			parts = append(parts, fmt.Sprintf("%s keep duty %d hours a day", strings.Join(names, ", "), d.Hours))
		} else {
			parts = append(parts, fmt.Sprintf("%s每日%d小时值班", strings.Join(names, "、"), d.Hours))
		}
	case len(d.Standby) > 0:
		for _, sb := range d.Standby {
			// A standby without a task is the team's name alone: no
			// colon with nothing after it.
			if strings.TrimSpace(sb.Task) == "" {
				parts = append(parts, sb.Org.Name)
				continue
			}
			parts = append(parts, sb.Org.Name+v.colon()+sb.Task)
		}
	case d.Every != "":
		if en {
			parts = append(parts, fmt.Sprintf("%s reports to %s every %s", d.From.Name, d.To.Name, d.Every))
		} else {
			parts = append(parts, fmt.Sprintf("%s每%s向%s续报", d.From.Name, v.spanLabel(d.Every), d.To.Name))
		}
	case d.Body != "":
		parts = append(parts, d.Body)
	}
	return strings.Join(parts, v.sep())
}

// doneActions are the results the page confirms after an action
// (?done=), in fixed words: a link cannot put other text on the page.
var doneActions = map[string]bool{"request": true, "activate": true, "change": true, "end": true, "handup": true}

var responseMessages = map[string][2]string{
	"response.done.request":        {"已提出申请，等待有权机构决定。", "Requested: waiting for the office the plan names."},
	"response.done.activate":       {"已启动应急响应，相关单位已收到通报。", "Response activated; those concerned were told."},
	"response.done.change":         {"响应级别已调整。", "Response level changed."},
	"response.done.end":            {"应急响应已结束，结束通知已发送。", "Response ended; the end notice was sent."},
	"response.done.handup":         {"超出本单位权限，已提请上级机构决定。", "Beyond your office's authority: handed up for decision."},
	"response.title":               {"应急响应", "Emergency response"},
	"response.current":             {"当前响应", "Current response"},
	"response.ended":               {"应急响应已结束", "The emergency response has ended"},
	"response.ended_by":            {"结束", "Ended by"},
	"response.open_after_end":      {"响应结束后仍在办理的任务", "Tasks still being done after the response ended"},
	"response.open_after_end.none": {"本次响应的任务均已办结。", "Every task of this response is finished."},
	"response.end.open_tasks":      {"本次响应尚未办结的任务", "Tasks of this response still open"},
	"response.reactivate":          {"再次启动应急响应", "Activate a response again"},
	"response.none":                {"该事件尚未启动应急响应。", "No emergency response has been started for this incident."},
	"response.level":               {"响应级别", "Level"},
	"response.state":               {"状态", "State"},
	"response.activated_by":        {"启动机构", "Activated by"},
	"response.activated_at":        {"启动时间", "Activated"},
	"response.requested_by":        {"申请单位", "Requested by"},
	"response.waiting_for":         {"待决定机构", "Waiting for"},
	"response.ended_at":            {"结束时间", "Ended"},
	"response.clause":              {"依据条款", "Clause"},
	"response.approval":            {"批准", "Approval"},
	"response.reason":              {"理由", "Reason"},
	"response.command":             {"指挥机构", "Command structure"},
	"response.command.commander":   {"指挥长", "Commander"},
	"response.command.deputy":      {"副指挥长", "Deputy commander"},
	"response.command.member":      {"成员", "Member"},
	"response.command.liaison":     {"联络员", "Liaison"},
	"response.command.onsite_team": {"现场工作组", "On-site team"},
	"response.command.expert":      {"专家", "Expert"},
	"response.switches":            {"响应措施", "Measures switched on"},
	"response.duty":                {"24小时值班", "24-hour duty"},
	"response.duty.gap":            {"无人值班时段", "Uncovered"},
	"response.duty.gap.open":       {"自 %s 起无人值班，已 %s", "Nobody on duty since %s (%s so far)"},
	"response.duty.uncovered_now":  {"当前无人值班", "nobody on duty now"},
	"response.duty.covered":        {"值班已覆盖", "covered"},
	"response.duty.ended.covered":  {"响应期间全程有人值班", "on duty throughout the response"},
	"response.duty.ended.gaps":     {"响应期间有无人值班时段", "uncovered for part of the response"},
	"response.recipients":          {"通报对象（结束通知发送对象）", "Notified (they get the end notice)"},
	"response.notified_at":         {"通报时间", "Notified"},
	"response.end_sent_at":         {"结束通知发送", "End notice sent"},
	"response.delivery":            {"送达", "Delivery"},
	"response.delivery.pending":    {"待送达", "pending"},
	"response.delivery.delivered":  {"已送达", "delivered"},
	"response.delivery.failed":     {"送达失败", "failed"},
	"response.history":             {"响应记录", "History"},
	"response.notice":              {"结束通知", "End notice"},
	"response.action.request":      {"申请启动应急响应", "Request an emergency response"},
	"response.action.activate":     {"启动应急响应", "Activate emergency response"},
	"response.action.change":       {"调整响应级别", "Change the response level"},
	"response.action.end":          {"结束应急响应", "End emergency response"},
	"response.blocked":             {"你单位无权办理", "Your organisation may not act"},
	"response.field.level":         {"响应级别", "Level"},
	"response.field.reason":        {"理由", "Reason"},
	"response.field.approval":      {"批准文号、会议或时间", "Approval (document number, meeting or time)"},
	"response.field.commander":     {"指挥长姓名", "Commander's name"},
	"response.field.phone":         {"指挥长电话", "Commander's phone"},
	"response.field.liaison":       {"联络员", "Liaison"},
	"response.field.on_site":       {"现场工作组负责人", "Head of the on-site team"},
	"response.field.situation":     {"事件处置情况", "How the incident was handled"},
	"response.field.requirements":  {"后续工作要求", "Follow-up requirements"},
	"response.approval.needed":     {"预案要求经以下机构批准：", "The plan requires the approval of:"},
	"response.queue":               {"待本单位决定的应急响应", "Emergency responses waiting for your decision"},
	"response.queue.item":          {"级应急响应申请", "response requested"},
	"response.notice.docx":         {"下载结束通知（DOCX）", "End notice (DOCX)"},
	"response.notice.pdf":          {"下载结束通知（PDF）", "End notice (PDF)"},
}

func init() {
	for k, m := range responseMessages {
		messages[k] = m
	}
}

// responseQueueItem is an activation waiting for the viewer's office.
type responseQueueItem struct {
	Activation fenghuo.ResponseActivation
	Title      string // the incident's
	From       string // the org that asked
}

// responseQueue lists the responses waiting for the actor's office, for
// the dashboard; it is empty when there are none or on error.
func (h *Handler) responseQueue(r *http.Request, ac *app.Actor) []responseQueueItem {
	list, err := h.app.Response.HandedUp(r.Context(), ac, store.Page{Limit: 20})
	if err != nil {
		return nil
	}
	out := make([]responseQueueItem, 0, len(list))
	for _, a := range list {
		it := responseQueueItem{Activation: a}
		if inc, err := h.app.Incidents.Incident(r.Context(), ac, a.IncidentID); err == nil {
			it.Title = inc.Title
		} else {
			continue
		}
		if o, err := h.app.Core.DB().Org(r.Context(), a.RequestedOrgID); err == nil {
			it.From = o.Name
		}
		out = append(out, it)
	}
	return out
}
