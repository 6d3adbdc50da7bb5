package api

import (
	"fenghuo/internal/app/monitoring"
	"fenghuo/internal/app/notification"
	"fenghuo/internal/app/period"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
	"net/http"
	"time"
)

// Duty (值班), notification channels and the delivery log, and website
// monitors. ?org_id= names an org of the caller's subtree; without it the
// caller's own org is meant.

func (h *Handler) getDuty(w http.ResponseWriter, r *http.Request) {
	orgID, err := queryInt(r, "org_id", 1, 1<<62)
	if err != nil {
		h.error(w, r, err)
		return
	}
	v, err := h.app.Periods.Duty(r.Context(), actor(r), orgID)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toDutyView(v))
}

type shiftCreate struct {
	OrgID   int64     `json:"org_id"`
	StartAt time.Time `json:"start_at"`
	EndAt   time.Time `json:"end_at"`
	// OfficerID and LeaderID choose accounts of the org; officer (a name)
	// is read only when officer_id is absent (clients written before).
	OfficerID int64  `json:"officer_id"`
	LeaderID  int64  `json:"leader_id"`
	Officer   string `json:"officer"`
	Leader    string `json:"leader"`
	Phone     string `json:"phone"`
}

func (h *Handler) addShift(w http.ResponseWriter, r *http.Request) {
	var in shiftCreate
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	s, err := h.app.Periods.AddShift(r.Context(), actor(r), period.ShiftInput{OrgID: in.OrgID, StartAt: in.StartAt, EndAt: in.EndAt,
		Officer: in.Officer, Leader: in.Leader, Phone: in.Phone, OfficerID: in.OfficerID, LeaderID: in.LeaderID})
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toShift(*s))
}

func (h *Handler) deleteShift(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	orgID, err := queryInt(r, "org_id", 1, 1<<62)
	if err != nil {
		h.error(w, r, err)
		return
	}
	if err := h.app.Periods.DeleteShift(r.Context(), actor(r), orgID, id); err != nil {
		h.error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type dutyLogCreate struct {
	OrgID int64  `json:"org_id"`
	Kind  string `json:"kind"`
	Body  string `json:"body"`
}

func (h *Handler) addDutyLog(w http.ResponseWriter, r *http.Request) {
	var in dutyLogCreate
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	e, err := h.app.Periods.AddDutyLog(r.Context(), actor(r), in.OrgID, in.Kind, in.Body)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toDutyLog(*e))
}

// Notification channels. The secret (a webhook's or a robot's signing key)
// is write-only: sealed in the store, never answered.

type channelCreate struct {
	OrgID    int64    `json:"org_id"`
	Personal bool     `json:"personal"`
	Kind     string   `json:"kind"`
	Name     string   `json:"name"`
	Target   string   `json:"target"`
	Secret   string   `json:"secret"`
	Events   []string `json:"events"`
}

func (h *Handler) listChannels(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	orgID, err := queryInt(r, "org_id", 1, 1<<62)
	if err != nil {
		h.error(w, r, err)
		return
	}
	ac := actor(r)
	if orgID == 0 {
		orgID = ac.Org.ID
	}
	all, err := h.app.Notifications.Channels(r.Context(), ac, orgID)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, pageSlice(all, p, toChannel))
}

func (h *Handler) createChannel(w http.ResponseWriter, r *http.Request) {
	var in channelCreate
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	ac := actor(r)
	if in.OrgID == 0 && !in.Personal {
		in.OrgID = ac.Org.ID
	}
	c, err := h.app.Notifications.CreateChannel(r.Context(), ac, notification.ChannelInput{OrgID: in.OrgID, Personal: in.Personal, Kind: in.Kind,
		Name: in.Name, Target: in.Target, Secret: in.Secret, Events: in.Events})
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toChannel(*c)) // toChannel leaves the sealed secret out
}

func (h *Handler) deleteChannel(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		if err = h.app.Notifications.DeleteChannel(r.Context(), actor(r), id); err == nil {
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	h.error(w, r, err)
}

// listDeliveries lists the latest delivery attempts of notifications to
// the caller's subtree, newest first (?limit=, at most 500).
func (h *Handler) listDeliveries(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	all, err := h.app.Notifications.DeliveryLog(r.Context(), actor(r), p.Limit)
	if err != nil {
		h.error(w, r, err)
		return
	}
	p.Offset = 0
	writeJSON(w, http.StatusOK, pageSlice(all, p, toSendAttempt))
}

// Website monitors of the systems in the caller's subtree.

type monitorCreate struct {
	SystemID        int64    `json:"system_id"`
	URL             string   `json:"url"`
	IntervalSeconds int64    `json:"interval_seconds"`
	Content         bool     `json:"content"`
	Resolvers       []string `json:"resolvers"`
	Agreement       int      `json:"agreement"`
}

func (h *Handler) listMonitors(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	res, err := h.app.Monitoring.Monitors(r.Context(), actor(r), 0, p)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, pageOf(res, p, func(m store.MonitorRow) monitorJSON { return toMonitor(m.Monitor) }))
}

func (h *Handler) createMonitor(w http.ResponseWriter, r *http.Request) {
	var in monitorCreate
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	if in.IntervalSeconds == 0 {
		in.IntervalSeconds = 300
	}
	if in.IntervalSeconds < 0 || in.IntervalSeconds > 24*3600 {
		h.error(w, r, fenghuo.FieldErrorf("interval_seconds", "Check between every minute (60) and once a day (86400). / 检查间隔应为60至86400秒。"))
		return
	}
	m, err := h.app.Monitoring.CreateMonitor(r.Context(), actor(r), monitoring.MonitorSpec{SystemID: in.SystemID, URL: in.URL,
		Interval: time.Duration(in.IntervalSeconds) * time.Second, Content: in.Content, Resolvers: in.Resolvers, Agreement: in.Agreement})
	if err != nil {
		h.error(w, r, renameField(err, map[string]string{"interval": "interval_seconds"}))
		return
	}
	created(w, Prefix+"/monitors/"+itoa(m.ID), toMonitor(*m))
}

// getMonitor returns a monitor with its latest checks (?results=, default
// 20, newest first).
func (h *Handler) getMonitor(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	n, err := queryInt(r, "results", 1, store.MaxLimit)
	if err != nil {
		h.error(w, r, err)
		return
	}
	if n == 0 {
		n = 20
	}
	m, res, err := h.app.Monitoring.MonitorWithHistory(r.Context(), actor(r), id, int(n))
	if err != nil {
		h.error(w, r, err)
		return
	}
	out := monitorDetailJSON{monitorJSON: toMonitor(*m), Results: make([]monitorResultJSON, 0, len(res))}
	for _, x := range res {
		out.Results = append(out.Results, toMonitorResult(x))
	}
	writeJSON(w, http.StatusOK, out)
}

// acceptMonitorChange accepts the site's current content as its new
// normal: the monitor learns its baseline again.
func (h *Handler) acceptMonitorChange(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		if err = h.app.Monitoring.AcceptChange(r.Context(), actor(r), id); err == nil {
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	h.error(w, r, err)
}
