package web

import (
	"fenghuo/internal/app/notification"
	"fenghuo/internal/app/period"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/notify"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// --- duty ---

func (h *Handler) duty(w http.ResponseWriter, r *http.Request) {
	h.renderDuty(w, r, http.StatusOK, nil)
}

func (h *Handler) renderDuty(w http.ResponseWriter, r *http.Request, status int, formErr error) {
	ac := actor(r)
	v, err := h.app.Periods.Duty(r.Context(), ac, formInt(r, "org_id"))
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	now := h.app.Core.Now().In(calendar.Shanghai)
	start := time.Date(now.Year(), now.Month(), now.Day(), 8, 30, 0, 0, calendar.Shanghai)
	canWrite := ac.CanAt(fenghuo.PermDutyWrite, v.Org.Path)
	var accounts []fenghuo.User
	if canWrite {
		accounts, _ = h.app.Periods.DutyAccounts(r.Context(), ac, v.Org.ID)
	}
	page := &view{Actor: ac, Title: "duty.title", Nav: "duty", Data: map[string]any{"V": v,
		"CanWrite": canWrite, "Accounts": accounts, "Form": r.PostForm,
		"Start": start.Format("2006-01-02T15:04"), "End": start.Add(24 * time.Hour).Format("2006-01-02T15:04")}}
	if formErr != nil {
		page.Errors, page.Error = fieldErrors(formErr)
	}
	h.render(w, r, status, "duty", page)
}

// localTime reads a datetime-local field as Asia/Shanghai.
func localTime(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02T15:04", strings.TrimSpace(s), calendar.Shanghai)
	if err != nil {
		return time.Time{}
	}
	return t
}

func (h *Handler) dutyAction(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	r.ParseForm()
	orgID := formInt(r, "org_id")
	var err error
	switch r.PathValue("action") {
	case "shifts":
		_, err = h.app.Periods.AddShift(r.Context(), ac, period.ShiftInput{OrgID: orgID, StartAt: localTime(r.FormValue("start_at")),
			EndAt: localTime(r.FormValue("end_at")), OfficerID: formInt(r, "officer_id"), LeaderID: formInt(r, "leader_id"), Phone: r.FormValue("phone")})
	case "delete":
		err = h.app.Periods.DeleteShift(r.Context(), ac, orgID, formInt(r, "shift_id"))
	case "log":
		_, err = h.app.Periods.AddDutyLog(r.Context(), ac, orgID, r.FormValue("kind"), r.FormValue("body"))
	default:
		http.NotFound(w, r)
		return
	}
	back := "/duty"
	if orgID != 0 && orgID != ac.Org.ID {
		back += "?org_id=" + strconv.FormatInt(orgID, 10)
	}
	h.finishAction(w, r, err, back, func(err error) { h.renderDuty(w, r, http.StatusBadRequest, err) })
}

// --- notification channels and the delivery log ---

func (h *Handler) channels(w http.ResponseWriter, r *http.Request) {
	h.renderChannels(w, r, http.StatusOK, nil)
}

func (h *Handler) renderChannels(w http.ResponseWriter, r *http.Request, status int, formErr error) {
	ac := actor(r)
	orgID := formInt(r, "org_id")
	if orgID == 0 {
		orgID = ac.Org.ID
	}
	org, err := h.app.Directory.Org(r.Context(), ac, orgID)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	list, err := h.app.Notifications.Channels(r.Context(), ac, orgID)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	log, err := h.app.Notifications.DeliveryLog(r.Context(), ac, 50)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	v := &view{Actor: ac, Title: "channel.title", Nav: "channels", Data: map[string]any{"Org": org, "List": list, "Log": log,
		"CanOrg": ac.CanAt(fenghuo.PermOrgWrite, org.Path), "Events": fenghuo.NotifyEvents,
		"Kinds": []string{notify.KindEmail, notify.KindWeCom, notify.KindDingTalk, notify.KindFeishu, notify.KindWebhook}}}
	if formErr != nil {
		v.Errors, v.Error = fieldErrors(formErr)
	}
	h.render(w, r, status, "channels", v)
}

func (h *Handler) channelAction(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	r.ParseForm()
	var err error
	switch r.PathValue("action") {
	case "create":
		_, err = h.app.Notifications.CreateChannel(r.Context(), ac, notification.ChannelInput{OrgID: formInt(r, "org_id"), Personal: r.FormValue("personal") == "1",
			Kind: r.FormValue("kind"), Name: r.FormValue("name"), Target: r.FormValue("target"), Secret: r.FormValue("secret"),
			Events: r.Form["events"]})
	case "delete":
		err = h.app.Notifications.DeleteChannel(r.Context(), ac, formInt(r, "channel_id"))
	default:
		http.NotFound(w, r)
		return
	}
	h.finishAction(w, r, err, "/channels?org_id="+url.QueryEscape(r.FormValue("org_id")), func(err error) {
		h.renderChannels(w, r, http.StatusBadRequest, err)
	})
}
