package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// warningForm is the new-warning form's state, kept on a validation error.
type warningForm struct {
	Color, Category, Title, Scope, Items, Measures, Component, Sector, OrgType, StartAt string
	AckMinutes                                                                          int
	OrgIDs, Subtrees                                                                    []int64
	MultiRegion                                                                         bool
}

func (h *Handler) warnings(w http.ResponseWriter, r *http.Request) {
	h.renderWarnings(w, r, http.StatusOK, warningForm{Color: "yellow", AckMinutes: 120}, nil)
}

func (h *Handler) renderWarnings(w http.ResponseWriter, r *http.Request, status int, form warningForm, formErr error) {
	ac := actor(r)
	page, n := readPage(r)
	list, err := h.app.Warnings(r.Context(), ac, page)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	names := map[int64]string{}
	for _, wn := range list.Items {
		if _, ok := names[wn.OrgID]; !ok {
			if o, err := h.app.DB().Org(r.Context(), wn.OrgID); err == nil {
				names[wn.OrgID] = o.Name
			}
		}
	}
	// The issuer rules for the actor's org, so the form says up front which
	// colours it may issue and to whom it proposes the others.
	type colorRule struct {
		Color   fenghuo.Color
		Allowed bool
		Refusal *app.IssuerRefusal
	}
	var rules []colorRule
	var units, offices []fenghuo.Org
	var sectors []string
	if ac.Can(fenghuo.PermWarningIssue) {
		for _, c := range fenghuo.Colors {
			ref, err := h.app.WarningIssuerCheck(r.Context(), ac, c, false)
			if err == nil {
				rules = append(rules, colorRule{Color: c, Allowed: ref == nil, Refusal: ref})
			}
		}
		res, _ := h.app.Orgs(r.Context(), ac, store.OrgFilter{}, store.Page{Limit: store.MaxLimit})
		for _, o := range res.Items {
			if o.ID == ac.Org.ID {
				continue
			}
			units = append(units, o)
			if o.Sector != "" && !slices.Contains(sectors, o.Sector) {
				sectors = append(sectors, o.Sector)
			}
			if o.Level != fenghuo.LevelUnit {
				offices = append(offices, o)
			}
		}
	}
	slices.Sort(sectors)
	v := &view{Actor: ac, Title: "warning.title", Nav: "warnings", Data: map[string]any{"List": list.Items, "Pager": newPager(r, n, list.Total),
		"Issuers": names, "Rules": rules, "Form": form, "Units": units, "Offices": offices, "Sectors": sectors}}
	if formErr != nil {
		v.Errors, v.Error = fieldErrors(formErr)
	}
	h.render(w, r, status, "warnings", v)
}

func parseMeasures(s string) []fenghuo.Measure {
	var out []fenghuo.Measure
	for _, l := range lines(s) {
		m := fenghuo.Measure{Text: l}
		// "text | 24" sets a time limit in hours.
		if text, hours, ok := strings.Cut(l, "|"); ok {
			if n, err := strconv.Atoi(strings.TrimSpace(hours)); err == nil {
				m = fenghuo.Measure{Text: strings.TrimSpace(text), Hours: n}
			}
		}
		out = append(out, m)
	}
	return out
}

func (h *Handler) createWarning(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	r.ParseForm()
	ack, _ := strconv.Atoi(r.FormValue("ack_minutes"))
	form := warningForm{Color: r.FormValue("color"), Category: r.FormValue("category"), Title: r.FormValue("title"),
		Scope: r.FormValue("scope"), Items: r.FormValue("items"), Measures: r.FormValue("measures"),
		Component: strings.TrimSpace(r.FormValue("component")), Sector: strings.TrimSpace(r.FormValue("sector")),
		OrgType: r.FormValue("org_type"), AckMinutes: ack, MultiRegion: r.FormValue("multi_region") == "1", StartAt: r.FormValue("start_at")}
	form.OrgIDs, form.Subtrees = formIDs(r, "org_ids"), formIDs(r, "subtrees")
	in := app.WarningInput{StartAt: localTime(form.StartAt), Color: fenghuo.Color(form.Color), Category: form.Category, Title: form.Title, Scope: form.Scope,
		Items: form.Items, Measures: parseMeasures(form.Measures), AckMinutes: form.AckMinutes, MultiRegion: form.MultiRegion,
		Targeting: fenghuo.Targeting{OrgIDs: form.OrgIDs, Subtrees: form.Subtrees, Component: form.Component, Sector: form.Sector, OrgType: form.OrgType}}
	var wn *fenghuo.Warning
	var err error
	if r.FormValue("propose") == "1" {
		wn, err = h.app.ProposeWarning(r.Context(), ac, in)
	} else {
		wn, err = h.app.IssueWarning(r.Context(), ac, in)
	}
	if err != nil {
		h.renderWarnings(w, r, http.StatusBadRequest, form, err)
		return
	}
	http.Redirect(w, r, "/warnings/"+strconv.FormatInt(wn.ID, 10), http.StatusSeeOther)
}

func (h *Handler) warningPage(w http.ResponseWriter, r *http.Request) {
	h.renderWarning(w, r, http.StatusOK, nil)
}

func (h *Handler) renderWarning(w http.ResponseWriter, r *http.Request, status int, actionErr error) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	d, err := h.app.Warning(r.Context(), ac, id)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	due := map[int64][]fenghuo.Obligation{}
	for _, o := range d.Obligations {
		due[o.OwnerOrgID] = append(due[o.OwnerOrgID], o)
	}
	proposedTo := ""
	if d.Warning.ProposedTo != 0 {
		if o, err := h.app.DB().Org(r.Context(), d.Warning.ProposedTo); err == nil {
			proposedTo = o.Name
		}
	}
	v := &view{Actor: ac, Title: "warning.title", Nav: "warnings", Data: map[string]any{"D": d, "Due": due, "ProposedTo": proposedTo,
		"Colors": fenghuo.Colors}}
	if actionErr != nil {
		v.Errors, v.Error = fieldErrors(actionErr)
	}
	h.render(w, r, status, "warning", v)
}

func (h *Handler) warningAction(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	r.ParseForm()
	var err error
	switch r.PathValue("action") {
	case "color":
		_, err = h.app.ChangeWarningColor(r.Context(), ac, id, fenghuo.Color(r.FormValue("color")), r.FormValue("reason"))
	case "lift":
		_, err = h.app.LiftWarning(r.Context(), ac, id, r.FormValue("reason"))
	case "issue", "decline":
		_, err = h.app.DecideProposal(r.Context(), ac, id, r.PathValue("action") == "issue", r.FormValue("reason"))
	case "ack":
		_, err = h.app.AckWarning(r.Context(), ac, formInt(r, "target_id"))
	case "done":
		_, err = h.app.ReportMeasuresDone(r.Context(), ac, formInt(r, "target_id"), r.FormValue("note"))
	default:
		http.NotFound(w, r)
		return
	}
	if err != nil {
		if accessError(err) {
			h.fail(w, r, ac, err)
			return
		}
		h.renderWarning(w, r, http.StatusBadRequest, err)
		return
	}
	http.Redirect(w, r, "/warnings/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// warningNotice downloads the warning as a notice (预警通报), DOCX or PDF.
func (h *Handler) warningNotice(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	format := r.PathValue("format")
	buf := new(bytesBuffer)
	name, err := h.app.WarningNotice(r.Context(), ac, id, format, buf)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	sendDocument(w, name, format, buf.b)
}

// ackPage is the acknowledge link from an e-mail or a chat message: it
// works on a phone without logging in. GET only shows the warning (link
// previews must not acknowledge); the button posts.
func (h *Handler) ackPage(w http.ResponseWriter, r *http.Request) {
	h.renderAck(w, r, http.StatusOK, "", nil)
}

func (h *Handler) renderAck(w http.ResponseWriter, r *http.Request, status int, flash string, actionErr error) {
	link, err := h.app.OpenAckLink(r.Context(), r.PathValue("token"))
	v := &view{Title: "warning.ack.title", Flash: flash, Data: map[string]any{"Link": link, "Token": r.PathValue("token")}}
	if err != nil {
		v.Error, v.Data = fenghuo.ErrorMessage(err), map[string]any{}
		status = http.StatusBadRequest
	} else if actionErr != nil {
		v.Errors, v.Error = fieldErrors(actionErr)
	}
	h.render(w, r, status, "ack", v)
}

func (h *Handler) ack(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	if _, err := h.app.AckByLink(r.Context(), r.PathValue("token"), r.FormValue("name")); err != nil {
		h.renderAck(w, r, http.StatusBadRequest, "", err)
		return
	}
	h.renderAck(w, r, http.StatusOK, translate(requestLang(r, ""), "warning.ack.done"), nil)
}

// --- protection periods and daily reports ---

func (h *Handler) periods(w http.ResponseWriter, r *http.Request) {
	h.renderPeriods(w, r, http.StatusOK, nil)
}

func (h *Handler) renderPeriods(w http.ResponseWriter, r *http.Request, status int, formErr error) {
	ac := actor(r)
	list, err := h.app.Periods(r.Context(), ac)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	var units []fenghuo.Org
	if ac.Can(fenghuo.PermWarningIssue) {
		res, _ := h.app.Orgs(r.Context(), ac, store.OrgFilter{Type: fenghuo.OrgOperator}, store.Page{Limit: store.MaxLimit})
		units = res.Items
	}
	today := h.app.Now().In(calendar.Shanghai)
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
	in := app.PeriodInput{Name: r.FormValue("name"), FirstDay: r.FormValue("first_day"), LastDay: r.FormValue("last_day"),
		Cutoff: r.FormValue("cutoff"), LeaderDuty: r.FormValue("leader_duty") == "1", RoundClock: r.FormValue("round_clock") == "1"}
	in.UnitIDs = formIDs(r, "unit_ids")
	p, err := h.app.CreatePeriod(r.Context(), ac, in)
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
	b, err := h.app.DailyBoard(r.Context(), ac, id, r.URL.Query().Get("day"))
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	// A participating unit gets the report form for its next open day and
	// its own incidents to list.
	var reportDay string
	var incidents []fenghuo.Incident
	participant := false
	for _, u := range b.Period.UnitIDs {
		participant = participant || u == ac.Org.ID
	}
	if participant && ac.Can(fenghuo.PermIncidentWrite) {
		reportDay, _ = h.app.ReportDay(r.Context(), b.Period, ac.Org.ID)
		since := h.app.Now().Add(-72 * time.Hour)
		res, _ := h.app.Incidents(r.Context(), ac, store.IncidentFilter{OrgPath: ac.Org.Path}, store.Page{Limit: 50})
		for _, inc := range res.Items {
			if inc.OrgID == ac.Org.ID && inc.DiscoveredAt.After(since) {
				incidents = append(incidents, inc)
			}
		}
	}
	v := &view{Actor: ac, Title: "period.title", Nav: "periods", Flash: flash, Data: map[string]any{"B": b,
		"Participant": participant, "ReportDay": reportDay, "Incidents": incidents}}
	if actionErr != nil {
		v.Errors, v.Error = fieldErrors(actionErr)
	}
	h.render(w, r, status, "period", v)
}

func (h *Handler) fileDailyReport(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	r.ParseForm()
	in := app.DailyReportInput{PeriodID: id, Day: r.FormValue("day"), Quiet: r.FormValue("quiet") == "1", Note: r.FormValue("note")}
	in.IncidentIDs = formIDs(r, "incident_ids")
	rep, err := h.app.FileDailyReport(r.Context(), ac, in)
	if err != nil {
		if accessError(err) {
			h.fail(w, r, ac, err)
			return
		}
		h.renderPeriod(w, r, http.StatusBadRequest, "", err)
		return
	}
	http.Redirect(w, r, "/periods/"+strconv.FormatInt(id, 10)+"?day="+rep.Day, http.StatusSeeOther)
}

func (h *Handler) exportDaily(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	day := r.URL.Query().Get("day")
	if day == "" {
		day = "all"
	}
	var buf bytesBuffer
	if err := h.app.DailyXLSX(r.Context(), ac, id, day, requestLang(r, actorLocale(ac)), &buf); err != nil {
		h.fail(w, r, ac, err)
		return
	}
	name := "daily-" + strconv.FormatInt(id, 10) + "-" + day + ".xlsx"
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Write(buf.b)
}
