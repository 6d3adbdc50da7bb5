package web

import (
	"fenghuo/internal/app/period"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
	"net/http"
	"strconv"
	"time"
)

// Protection periods and the daily reports units file during them.

func (h *Handler) periods(w http.ResponseWriter, r *http.Request) {
	h.renderPeriods(w, r, http.StatusOK, nil)
}

func (h *Handler) renderPeriods(w http.ResponseWriter, r *http.Request, status int, formErr error) {
	ac := actor(r)
	list, err := h.app.Periods.Periods(r.Context(), ac)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	var units []fenghuo.Org
	if ac.Can(fenghuo.PermWarningIssue) {
		res, _ := h.app.Directory.Orgs(r.Context(), ac, store.OrgFilter{Type: fenghuo.OrgOperator}, store.Page{Limit: store.MaxLimit})
		units = res.Items
	}
	today := h.app.Core.Now().In(calendar.Shanghai)
	v := &view{Actor: ac, Title: "period.title", Nav: "periods", Data: map[string]any{"List": list, "Units": units,
		"Form": r.PostForm, "Today": today.Format("2006-01-02"), "Week": today.AddDate(0, 0, 7).Format("2006-01-02")}}
	if formErr != nil {
		v.Errors, v.Error = fieldErrors(formErr)
	}
	h.render(w, r, status, "periods", v)
}

func (h *Handler) createPeriod(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	r.ParseForm()
	in := period.PeriodInput{Name: r.FormValue("name"), FirstDay: r.FormValue("first_day"), LastDay: r.FormValue("last_day"),
		Cutoff: r.FormValue("cutoff"), LeaderDuty: r.FormValue("leader_duty") == "1", RoundClock: r.FormValue("round_clock") == "1"}
	in.UnitIDs = formIDs(r, "unit_ids")
	p, err := h.app.Periods.CreatePeriod(r.Context(), ac, in)
	if err != nil {
		h.renderPeriods(w, r, http.StatusBadRequest, err)
		return
	}
	http.Redirect(w, r, "/periods/"+strconv.FormatInt(p.ID, 10), http.StatusSeeOther)
}

func (h *Handler) periodPage(w http.ResponseWriter, r *http.Request) {
	h.renderPeriod(w, r, http.StatusOK, "", nil)
}

func (h *Handler) renderPeriod(w http.ResponseWriter, r *http.Request, status int, flash string, actionErr error) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	b, err := h.app.Periods.DailyBoard(r.Context(), ac, id, r.URL.Query().Get("day"))
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	// A participating unit gets the report form for its next open day and
	// its own incidents to list.
	var reportDay string
	var incidents []store.IncidentRow
	participant := false
	for _, u := range b.Period.UnitIDs {
		participant = participant || u == ac.Org.ID
	}
	if participant && ac.Can(fenghuo.PermIncidentWrite) {
		reportDay, _ = h.app.Periods.ReportDay(r.Context(), b.Period, ac.Org.ID)
		since := h.app.Core.Now().Add(-72 * time.Hour)
		res, _ := h.app.Incidents.Incidents(r.Context(), ac, store.IncidentFilter{UnitID: ac.Org.ID}, store.Page{Limit: 50})
		for _, inc := range res.Items {
			if inc.OrgID == ac.Org.ID && inc.DiscoveredAt.After(since) {
				incidents = append(incidents, inc)
			}
		}
	}
	v := &view{Actor: ac, Title: "period.title", Nav: "periods", Flash: flash, Data: map[string]any{"B": b,
		"Participant": participant, "ReportDay": reportDay, "Incidents": incidents,
		// The office side chases missing units (催报).
		"MayChase": ac.Can(fenghuo.PermIncidentReceive) && fenghuo.InSubtree(ac.Org.Path, b.Office.Path), "MaxChases": period.MaxChasesPerDay,
		// What the unit typed, kept when the report is refused.
		"Note": r.PostFormValue("note"), "Checked": formIDs(r, "incident_ids"),
		"Grid": h.periodGrid(r, ac, id)}} // unit × day grid (issue 13 item 4)
	if actionErr != nil {
		v.Errors, v.Error = fieldErrors(actionErr)
	}
	h.render(w, r, status, "period", v)
}

func (h *Handler) fileDailyReport(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	r.ParseForm()
	in := period.DailyReportInput{PeriodID: id, Day: r.FormValue("day"), Quiet: r.FormValue("quiet") == "1", Note: r.FormValue("note")}
	in.IncidentIDs = formIDs(r, "incident_ids")
	rep, err := h.app.Periods.FileDailyReport(r.Context(), ac, in)
	next := "/periods/" + strconv.FormatInt(id, 10)
	if err == nil {
		next += "?day=" + rep.Day
	}
	h.finishAction(w, r, err, next, func(err error) { h.renderPeriod(w, r, http.StatusBadRequest, "", err) })
}

func (h *Handler) exportDaily(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	day := r.URL.Query().Get("day")
	if day == "" {
		day = "all"
	}
	var buf bytesBuffer
	if err := h.app.Periods.DailyXLSX(r.Context(), ac, id, day, requestLang(r, actorLocale(ac)), &buf); err != nil {
		h.fail(w, r, ac, err)
		return
	}
	name := "daily-" + strconv.FormatInt(id, 10) + "-" + day + ".xlsx"
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Write(buf.b)
}

// chaseUnit sends a missing unit a reminder (催报) and says on the board
// whom it reached.
func (h *Handler) chaseUnit(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	r.ParseForm()
	res, err := h.app.Periods.Chase(r.Context(), ac, id, formInt(r, "org_id"), r.URL.Query().Get("day"))
	switch {
	case err == nil:
		h.renderPeriod(w, r, http.StatusOK, chaseFlash(requestLang(r, actorLocale(ac)), res), nil)
	case accessError(err):
		h.fail(w, r, ac, err)
	case fenghuo.ErrorCode(err) == fenghuo.ETOOMANY:
		h.renderPeriod(w, r, http.StatusTooManyRequests, "", err)
	default:
		h.renderPeriod(w, r, http.StatusBadRequest, "", err)
	}
}
