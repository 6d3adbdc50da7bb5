package web

import (
	"fenghuo/internal/app/monitoring"
	"fenghuo/internal/store"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

type monitorRow struct {
	Monitor store.Monitor
	System  string
}

func (h *Handler) monitors(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	ms, err := h.app.Monitoring.Monitors(r.Context(), ac)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	rows := make([]monitorRow, 0, len(ms))
	for _, m := range ms {
		name := ""
		if s, err := h.app.Directory.System(r.Context(), ac, m.SystemID); err == nil {
			name = s.Name
		}
		rows = append(rows, monitorRow{Monitor: m, System: name})
	}
	systems, _ := h.app.Directory.Systems(r.Context(), ac, store.SystemFilter{}, store.Page{Limit: store.MaxLimit})
	h.render(w, r, http.StatusOK, "monitors", &view{Actor: ac, Title: "monitor.title", Nav: "monitors",
		Data: map[string]any{"Rows": rows, "Systems": systems.Items}})
}

func (h *Handler) createMonitor(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	r.ParseForm()
	minutes, _ := strconv.Atoi(r.FormValue("interval"))
	agreement, _ := strconv.Atoi(r.FormValue("agreement"))
	if _, err := h.app.Monitoring.CreateMonitor(r.Context(), ac, monitoring.MonitorSpec{SystemID: formInt(r, "system_id"), URL: strings.TrimSpace(r.FormValue("url")),
		Interval: time.Duration(minutes) * time.Minute, Content: r.FormValue("content") == "1",
		Resolvers: lines(strings.ReplaceAll(r.FormValue("resolvers"), ",", "\n")), Agreement: agreement}); err != nil {
		h.fail(w, r, ac, err)
		return
	}
	http.Redirect(w, r, "/monitors", http.StatusSeeOther)
}

// uptimeBar is one check drawn in the history chart.
type uptimeBar struct {
	X, H, Y int
	OK      bool
	Title   string
}

func (h *Handler) monitorPage(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	m, results, err := h.app.Monitoring.MonitorWithHistory(r.Context(), ac, id, 120)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	// Response times as an SVG bar chart drawn here: no script, no library.
	var bars []uptimeBar
	maxMS, up := 1, 0
	for _, res := range results {
		maxMS = max(maxMS, int(res.Latency/time.Millisecond))
		if res.OK {
			up++
		}
	}
	for i := range results {
		res := results[len(results)-1-i]
		hgt := 4
		if res.OK {
			hgt = max(2, int(res.Latency/time.Millisecond)*100/maxMS)
		}
		bars = append(bars, uptimeBar{X: i * 5, H: hgt, Y: 100 - hgt, OK: res.OK,
			Title: fmt.Sprintf("%s %dms %s", res.At.Format(time.RFC3339), res.Latency/time.Millisecond, res.Error)})
	}
	uptime := 0.0
	if len(results) > 0 {
		uptime = float64(up) * 100 / float64(len(results))
	}
	h.render(w, r, http.StatusOK, "monitor", &view{Actor: ac, Title: "monitor.title", Nav: "monitors",
		Data: map[string]any{"Monitor": m, "Results": results, "Bars": bars, "Width": max(len(bars)*5, 100), "Uptime": fmt.Sprintf("%.1f%%", uptime), "MaxMS": maxMS}})
}

func (h *Handler) acceptChange(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := h.app.Monitoring.AcceptChange(r.Context(), ac, id); err != nil {
		h.fail(w, r, ac, err)
		return
	}
	http.Redirect(w, r, "/monitors/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}
