package web

import (
	"fenghuo/internal/app/monitoring"
	"fenghuo/internal/store"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"
)

type monitorRow struct {
	Monitor store.Monitor
	System  string
	History template.HTML // the latest checks as a small up/down bar
	// Tampered: the newest check found tampering (a badge beside up/down).
	Tampered bool
}

func (h *Handler) monitors(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	p, n := readPage(r)
	res, err := h.app.Monitoring.Monitors(r.Context(), ac, 30, p)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	rows := make([]monitorRow, 0, len(res.Items))
	for _, m := range res.Items {
		rows = append(rows, monitorRow{Monitor: m.Monitor, System: m.SystemName,
			History: monitorHistory(r, ac, m.URL, m.Recent, true), Tampered: latestTampered(m.Recent)})
	}
	systems, _ := h.app.Directory.Systems(r.Context(), ac, store.SystemFilter{}, store.Page{Limit: store.MaxLimit})
	h.render(w, r, http.StatusOK, "monitors", &view{Actor: ac, Title: "monitor.title", Nav: "monitors",
		Data: map[string]any{"Rows": rows, "Systems": systems.Items,
			"Pager": newPager(r, n, res.Total).capped(res.Capped, len(res.Items) == p.Limit)}})
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

func (h *Handler) monitorPage(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	m, results, err := h.app.Monitoring.MonitorWithHistory(r.Context(), ac, id, 120)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	up := 0
	for _, res := range results {
		if res.OK {
			up++
		}
	}
	uptime := 0.0
	if len(results) > 0 {
		uptime = float64(up) * 100 / float64(len(results))
	}
	latency, history := monitorCharts(r, ac, m.URL, results)
	h.render(w, r, http.StatusOK, "monitor", &view{Actor: ac, Title: "monitor.title", Nav: "monitors",
		Data: map[string]any{"Monitor": m, "Results": results, "Latency": latency, "History": history, "Uptime": fmt.Sprintf("%.1f%%", uptime)}})
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
