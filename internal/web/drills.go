package web

// Drills, training and publicity, capability score card (issue 12, P5):
// /drills shows the year's drills, the units that have not drilled (from
// the office's listing date) and a countdown to the year's end, with one
// primary action — file a drill; training and publicity are recorded
// below it. /capability is the score card with its formula and weights,
// exported as XLSX.

import (
	"bytes"
	"fenghuo/internal/phrase"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"fenghuo/internal/app/drill"
	"fenghuo/internal/app/incident"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// registerDrills adds the drill routes (called from routes).
func (h *Handler) registerDrills(mux *http.ServeMux) {
	mux.HandleFunc("GET /drills", h.authed(h.drills))
	mux.HandleFunc("POST /drills", h.authed(h.recordDrill))
	mux.HandleFunc("POST /drills/activities", h.authed(h.recordActivity))
	mux.HandleFunc("GET /drills/{id}/file", h.authed(h.downloadDrillFile))
	mux.HandleFunc("GET /capability", h.authed(h.capability))
	mux.HandleFunc("GET /capability.xlsx", h.authed(h.exportCapability))
	mux.HandleFunc("POST /capability/config", h.authed(h.setCapabilityConfig))
}

// playbookChoice is a playbook offered in the drill form.
type playbookChoice struct{ PlanID, ID, Title string }

type drillsData struct {
	Year       int
	Now        time.Time
	Deadline   time.Time // the end of the year: the drill duty's deadline
	Drills     store.ListResult[fenghuo.Drill]
	Pager      pager
	Missing    *drill.Missing
	OwnDone    bool // the viewer's org filed a drill this year
	Activities store.ListResult[fenghuo.Activity]
	OrgNames   map[int64]string
	Units      []fenghuo.Org
	Plans      []playbookChoice // plan id and name (ID empty)
	Playbooks  []playbookChoice
	// PlanNames and PlaybookNames ("plan/playbook") name what was drilled.
	PlanNames     map[string]string
	PlaybookNames map[string]string
	CanFile       bool
	Form          map[string]string
	ActForm       map[string]string
	DrillKinds    []string
	Categories    []string
}

func (h *Handler) yearOf(r *http.Request) int {
	y, err := strconv.Atoi(r.URL.Query().Get("year"))
	if err != nil || y < 2000 || y > 2100 {
		return h.app.Core.Now().In(calendar.Shanghai).Year()
	}
	return y
}

func (h *Handler) drills(w http.ResponseWriter, r *http.Request) {
	h.renderDrills(w, r, http.StatusOK, nil, nil)
}

func (h *Handler) renderDrills(w http.ResponseWriter, r *http.Request, status int, drillErr, actErr error) {
	ac := actor(r)
	ctx := r.Context()
	now := h.app.Core.Now()
	d := drillsData{Year: h.yearOf(r), Now: now, OrgNames: map[int64]string{}, Form: map[string]string{}, ActForm: map[string]string{},
		DrillKinds: fenghuo.DrillKinds, Categories: fenghuo.ActivityCategories, PlanNames: map[string]string{},
		PlaybookNames: map[string]string{}}
	d.Deadline = time.Date(d.Year+1, 1, 1, 0, 0, 0, 0, calendar.Shanghai)
	p, n := readPage(r)
	var err error
	if d.Drills, err = h.app.Drills.Drills(ctx, ac, d.Year, p); err != nil {
		h.fail(w, r, ac, err)
		return
	}
	d.Pager = newPager(r, n, d.Drills.Total).capped(d.Drills.Capped, len(d.Drills.Items) == p.Limit)
	if d.Missing, err = h.app.Drills.UnitsWithoutDrill(ctx, ac, d.Year, store.Page{Limit: store.MaxLimit}); err != nil {
		h.fail(w, r, ac, err)
		return
	}
	if d.Activities, err = h.app.Drills.Activities(ctx, ac, d.Year, store.Page{Limit: 100}); err != nil {
		h.fail(w, r, ac, err)
		return
	}
	if units, err := h.subtreeOrgs(r); err == nil {
		d.Units = units
		for _, o := range units {
			d.OrgNames[o.ID] = o.Name
		}
	}
	for _, x := range d.Drills.Items {
		if x.OrgID == ac.Org.ID {
			d.OwnDone = true
		}
	}
	d.CanFile = ac.Can(fenghuo.PermIncidentWrite)
	for _, id := range h.app.Core.Plans().IDs() {
		pl, err := h.app.Core.Plans().Get(id)
		if err != nil {
			continue
		}
		d.Plans = append(d.Plans, playbookChoice{PlanID: id, Title: pl.Name.String()})
		d.PlanNames[id] = pl.Name.String()
		for _, pb := range pl.Playbooks {
			d.PlaybookNames[id+"/"+pb.ID] = pb.Title.String()
			d.Playbooks = append(d.Playbooks, playbookChoice{PlanID: id, ID: pb.ID, Title: pl.Name.String() + " · " + pb.Title.String()})
		}
	}
	if drillErr != nil {
		for _, k := range []string{"org_id", "kind", "held_on", "title", "participants", "headcount", "plan_id", "playbook_id",
			"scenario", "result", "improvements"} {
			d.Form[k] = r.FormValue(k)
		}
	}
	if actErr != nil {
		for _, k := range []string{"org_id", "category", "held_on", "kind", "audience", "count", "summary"} {
			d.ActForm[k] = r.FormValue(k)
		}
	}
	v := &view{Actor: ac, Title: "drills.title", Nav: "drills", Data: d}
	if drillErr != nil {
		v.Errors, v.Error = fieldErrors(drillErr)
	}
	if actErr != nil {
		v.Errors, v.Error = fieldErrors(actErr)
		v.Errors["activity"] = "1"
	}
	h.render(w, r, status, "drills", v)
}

// dateOf reads a date field (YYYY-MM-DD) as noon in Asia/Shanghai, so the
// day is the same in every zone the console is read from.
func dateOf(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), calendar.Shanghai)
	if err != nil {
		return time.Time{}
	}
	return t.Add(12 * time.Hour)
}

func (h *Handler) recordDrill(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	r.Body = http.MaxBytesReader(w, r.Body, incident.MaxEvidenceBytes+1<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil && err != http.ErrNotMultipart {
		h.renderDrills(w, r, http.StatusBadRequest, fenghuo.FieldErrorf("file", "The file is too large (at most %d MB). / 文件过大。", incident.MaxEvidenceBytes>>20), nil)
		return
	}
	headcount, _ := strconv.Atoi(strings.TrimSpace(r.FormValue("headcount")))
	in := drill.DrillInput{OrgID: formInt(r, "org_id"), Kind: r.FormValue("kind"), HeldOn: dateOf(r.FormValue("held_on")),
		Title: r.FormValue("title"), Participants: r.FormValue("participants"), Headcount: headcount, PlanID: r.FormValue("plan_id"),
		PlaybookID: r.FormValue("playbook_id"), Scenario: r.FormValue("scenario"), Result: r.FormValue("result"),
		Improvements: r.FormValue("improvements")}
	if file, hdr, err := r.FormFile("file"); err == nil {
		defer file.Close()
		if hdr.Size > 0 {
			in.Filename, in.File = hdr.Filename, file
		}
	}
	_, err := h.app.Drills.RecordDrill(r.Context(), ac, in)
	h.finishAction(w, r, err, "/drills", func(err error) { h.renderDrills(w, r, http.StatusBadRequest, err, nil) })
}

func (h *Handler) recordActivity(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	r.ParseForm()
	count, _ := strconv.Atoi(strings.TrimSpace(r.FormValue("count")))
	_, err := h.app.Drills.RecordActivity(r.Context(), ac, drill.ActivityInput{OrgID: formInt(r, "org_id"), Category: r.FormValue("category"),
		HeldOn: dateOf(r.FormValue("held_on")), Kind: r.FormValue("kind"), Audience: r.FormValue("audience"), Count: count,
		Summary: r.FormValue("summary")})
	h.finishAction(w, r, err, "/drills#activities", func(err error) { h.renderDrills(w, r, http.StatusBadRequest, nil, err) })
}

func (h *Handler) downloadDrillFile(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	d, f, err := h.app.Drills.OpenDrillFile(r.Context(), ac, id)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": d.File.Name}))
	io.Copy(w, f)
}

type capabilityData struct {
	Card      *drill.ScoreCard
	FormulaZH string
	FormulaEN string
	Terms     []string
	CanSet    bool
	SetByName string
}

func (h *Handler) capability(w http.ResponseWriter, r *http.Request) {
	h.renderCapability(w, r, http.StatusOK, nil)
}

func (h *Handler) renderCapability(w http.ResponseWriter, r *http.Request, status int, formErr error) {
	ac := actor(r)
	card, err := h.app.Drills.ScoreCard(r.Context(), ac, h.yearOf(r))
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	d := capabilityData{Card: card, Terms: fenghuo.ScoreTerms,
		FormulaZH: phrase.FullWidth(card.Config.Weights.Formula(func(t string) string { return drill.TermNameZH[t] })),
		FormulaEN: card.Config.Weights.Formula(func(t string) string { return drill.TermNameEN[t] }),
		CanSet:    ac.Org.Type == fenghuo.OrgRegulator && ac.Can(fenghuo.PermWarningIssue)}
	if card.Config.OrgID != 0 {
		if o, err := h.app.Core.DB().Org(r.Context(), card.Config.OrgID); err == nil {
			d.SetByName = o.Name
		}
	}
	v := &view{Actor: ac, Title: "capability.title", Nav: "capability", Data: d}
	if formErr != nil {
		v.Errors, v.Error = fieldErrors(formErr)
	}
	h.render(w, r, status, "capability", v)
}

func (h *Handler) exportCapability(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	y := h.yearOf(r)
	var buf bytes.Buffer
	if err := h.app.Drills.ExportScoreCard(r.Context(), ac, y, &buf); err != nil {
		h.fail(w, r, ac, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="capability-%d.xlsx"`, y))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}

func (h *Handler) setCapabilityConfig(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	r.ParseForm()
	c := drill.Config{Weights: fenghuo.ScoreWeights{}}
	for _, t := range fenghuo.ScoreTerms {
		n, err := strconv.Atoi(strings.TrimSpace(r.FormValue("w_" + t)))
		if err != nil {
			n = -1
		}
		c.Weights[t] = n
	}
	c.ListingMonth, _ = strconv.Atoi(r.FormValue("listing_month"))
	c.ListingDay, _ = strconv.Atoi(r.FormValue("listing_day"))
	_, err := h.app.Drills.SetConfig(r.Context(), ac, c)
	h.finishAction(w, r, err, "/capability", func(err error) { h.renderCapability(w, r, http.StatusBadRequest, err) })
}

// DaysLeft is whole days (rounded up) from now until the deadline, 0 when past.
func (d drillsData) DaysLeft() int {
	left := d.Deadline.Sub(d.Now)
	if left <= 0 {
		return 0
	}
	return int((left + 24*time.Hour - 1) / (24 * time.Hour))
}

// Overdue reports whether the year's deadline has passed.
func (d drillsData) Overdue() bool { return !d.Now.Before(d.Deadline) }

// Pct formats a rate as a percentage with one decimal.
func (d capabilityData) Pct(m fenghuo.TermMeasure) string {
	if m.Due == 0 {
		return ""
	}
	return fmt.Sprintf("%.1f%%", m.Rate()*100)
}
