package web

// The findings (隐患) ledger (issue 12, P1): the list with filters, one
// finding with its one next step for this viewer, and the clear-to-zero
// board with the SLA and the XLSX export.

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/finding"
	"fenghuo/internal/app/incident"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// registerFindings adds the findings routes (called from routes).
func (h *Handler) registerFindings(mux *http.ServeMux) {
	mux.HandleFunc("GET /findings", h.authed(h.findings))
	mux.HandleFunc("POST /findings", h.authed(h.recordFinding))
	mux.HandleFunc("GET /findings/board", h.authed(h.findingBoard))
	mux.HandleFunc("GET /findings/board.xlsx", h.authed(h.exportFindingBoard))
	mux.HandleFunc("POST /findings/sla", h.authed(h.setFindingSLA))
	mux.HandleFunc("GET /findings/{id}", h.authed(h.findingPage))
	mux.HandleFunc("POST /findings/{id}/{action}", h.authed(h.findingAction))
	mux.HandleFunc("GET /finding-evidence/{id}", h.authed(h.downloadFindingEvidence))
}

type findingsData struct {
	Items  []finding.Row
	Filter map[string]string
	Pager  pager
	Now    time.Time
	// CanRecord: the viewer's office may record an external report; Units
	// are the organisations of its subtree to choose from.
	CanRecord bool
	Units     []fenghuo.Org
	Form      map[string]string
}

var findingFilterKeys = []string{"state", "severity", "source", "org_id", "overdue"}

func (h *Handler) findings(w http.ResponseWriter, r *http.Request) {
	h.renderFindings(w, r, http.StatusOK, nil)
}

func (h *Handler) renderFindings(w http.ResponseWriter, r *http.Request, status int, formErr error) {
	ac := actor(r)
	ctx := r.Context()
	q := r.URL.Query()
	d := findingsData{Filter: map[string]string{}, Now: h.app.Core.Now(), Form: map[string]string{}}
	for _, k := range findingFilterKeys {
		d.Filter[k] = q.Get(k)
	}
	if _, set := q["state"]; !set {
		d.Filter["state"] = "active"
	}
	orgID, _ := strconv.ParseInt(d.Filter["org_id"], 10, 64)
	p, n := readPage(r)
	res, err := h.app.Findings.List(ctx, ac, finding.Filter{OrgID: orgID, State: d.Filter["state"], Severity: d.Filter["severity"],
		Source: d.Filter["source"], Overdue: d.Filter["overdue"] == "1"}, p)
	if err != nil && !isFieldError(err) {
		h.fail(w, r, ac, err)
		return
	}
	d.Items = res.Items
	d.Pager = newPager(r, n, res.Total).capped(res.Capped, len(res.Items) == p.Limit)
	d.CanRecord = (ac.Org.Type == fenghuo.OrgRegulator || ac.Org.Type == fenghuo.OrgMonitoring) && ac.Can(fenghuo.PermIncidentWrite)
	if units, err := h.subtreeOrgs(r); err == nil {
		d.Units = units
	}
	if formErr != nil {
		for _, k := range []string{"org_id", "title", "detail", "severity", "reference", "due_at"} {
			d.Form[k] = r.FormValue(k)
		}
	}
	if d.Form["severity"] == "" {
		d.Form["severity"] = fenghuo.SeverityMedium
	}
	v := &view{Actor: ac, Title: "findings.title", Nav: "findings", Data: d}
	if err != nil {
		v.Errors, v.Error = fieldErrors(err)
	}
	if formErr != nil {
		v.Errors, v.Error = fieldErrors(formErr)
	}
	h.render(w, r, status, "findings", v)
}

func isFieldError(err error) bool { return fenghuo.ErrorCode(err) == fenghuo.EINVALID }

// subtreeOrgs lists the viewer's organisation and those below it.
func (h *Handler) subtreeOrgs(r *http.Request) ([]fenghuo.Org, error) {
	var out []fenghuo.Org
	err := h.app.Core.DB().View(r.Context(), func(tx *store.Tx) error {
		var err error
		out, err = app.AllSubtree(r.Context(), tx, actor(r).Org.ID)
		return err
	})
	return out, err
}

func (h *Handler) recordFinding(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	r.ParseForm()
	in := finding.ManualInput{OrgID: formInt(r, "org_id"), Title: r.FormValue("title"), Detail: r.FormValue("detail"),
		Severity: r.FormValue("severity"), Reference: r.FormValue("reference")}
	var err error
	if s := strings.TrimSpace(r.FormValue("due_at")); s != "" {
		if in.DueAt = localTime(s); in.DueAt.IsZero() {
			err = fenghuo.FieldErrorf("due_at", "Give the deadline as date and time. / 请按日期和时间填写整改时限。")
		}
	}
	var f *fenghuo.Finding
	if err == nil {
		f, err = h.app.Findings.RaiseManual(r.Context(), ac, in)
	}
	next := "/findings"
	if f != nil {
		next = fmt.Sprintf("/findings/%d", f.ID)
	}
	h.finishAction(w, r, err, next, func(err error) { h.renderFindings(w, r, http.StatusBadRequest, err) })
}

type findingPageData struct {
	D   *finding.Detail
	Now time.Time
	// Step is the viewer's one next step: start, upload, submit, decide or
	// "" (nothing to do).
	Step string
}

func (h *Handler) findingPage(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	h.renderFinding(w, r, id, http.StatusOK, nil)
}

func (h *Handler) renderFinding(w http.ResponseWriter, r *http.Request, id int64, status int, actionErr error) {
	ac := actor(r)
	d, err := h.app.Findings.Get(r.Context(), ac, id)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	pd := findingPageData{D: d, Now: h.app.Core.Now()}
	switch {
	case d.CanWork && d.State == fenghuo.FindingOpen:
		pd.Step = "start"
	case d.CanWork && d.State == fenghuo.FindingRectifying && len(d.Evidence) == 0:
		pd.Step = "upload"
	case d.CanWork && d.State == fenghuo.FindingRectifying:
		pd.Step = "submit"
	case d.CanDecide && d.State == fenghuo.FindingSubmitted:
		pd.Step = "decide"
	}
	v := &view{Actor: ac, Title: "finding.title", Nav: "findings", Data: pd}
	if actionErr != nil {
		v.Errors, v.Error = fieldErrors(actionErr)
	}
	h.render(w, r, status, "finding", v)
}

func (h *Handler) findingAction(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	ctx := r.Context()
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var err error
	switch r.PathValue("action") {
	case "evidence":
		r.Body = http.MaxBytesReader(w, r.Body, incident.MaxEvidenceBytes+1<<20)
		file, hdr, ferr := r.FormFile("file")
		if ferr != nil {
			err = fenghuo.FieldErrorf("file", "Choose a file (at most %d MB). / 请选择文件（不超过%dMB）。", incident.MaxEvidenceBytes>>20, incident.MaxEvidenceBytes>>20)
			break
		}
		defer file.Close()
		_, err = h.app.Findings.AddEvidence(ctx, ac, id, hdr.Filename, file, r.FormValue("note"))
	case "start":
		_, err = h.app.Findings.Start(ctx, ac, id, formInt(r, "owner_user_id"), r.FormValue("note"))
	case "submit":
		_, err = h.app.Findings.Submit(ctx, ac, id, r.FormValue("note"))
	case "verify":
		_, err = h.app.Findings.Verify(ctx, ac, id, r.FormValue("note"))
	case "reject":
		var due time.Time
		if s := strings.TrimSpace(r.FormValue("due_at")); s != "" {
			if due = localTime(s); due.IsZero() {
				err = fenghuo.FieldErrorf("due_at", "Give the deadline as date and time. / 请按日期和时间填写整改时限。")
			}
		}
		if err == nil {
			_, err = h.app.Findings.Reject(ctx, ac, id, r.FormValue("reason"), due)
		}
	case "accept":
		until, perr := time.ParseInLocation("2006-01-02", strings.TrimSpace(r.FormValue("until")), calendar.Shanghai)
		if perr != nil {
			err = fenghuo.FieldErrorf("until", "Give the date the acceptance expires. / 请填写风险接受期限。")
			break
		}
		_, err = h.app.Findings.Accept(ctx, ac, id, r.FormValue("reason"), until.Add(24*time.Hour-time.Second))
	case "comment":
		_, err = h.app.Findings.Comment(ctx, ac, id, r.FormValue("body"))
	default:
		h.fail(w, r, ac, fenghuo.Errorf(fenghuo.ENOTFOUND, "No such action. / 未找到。"))
		return
	}
	h.finishAction(w, r, err, fmt.Sprintf("/findings/%d", id), func(err error) {
		h.renderFinding(w, r, id, http.StatusBadRequest, err)
	})
}

func (h *Handler) downloadFindingEvidence(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	ev, f, err := h.app.Findings.OpenEvidence(r.Context(), ac, id)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	defer f.Close()
	// An opaque attachment, never rendered in our origin.
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": ev.Filename}))
	io.Copy(w, f)
}

type findingBoardData struct {
	B     *finding.Board
	SLA   *finding.SLAView
	Units []fenghuo.Org
	// Max is the largest weekly count, for the bars of the trend.
	Max int
}

func (h *Handler) findingBoard(w http.ResponseWriter, r *http.Request) {
	h.renderFindingBoard(w, r, http.StatusOK, nil)
}

func (h *Handler) renderFindingBoard(w http.ResponseWriter, r *http.Request, status int, formErr error) {
	ac := actor(r)
	ctx := r.Context()
	orgID, _ := strconv.ParseInt(r.URL.Query().Get("org_id"), 10, 64)
	b, err := h.app.Findings.Board(ctx, ac, orgID)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	sla, err := h.app.Findings.SLA(ctx, ac)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	d := findingBoardData{B: b, SLA: sla}
	for _, wk := range b.Weeks {
		d.Max = max(d.Max, wk.Unclosed)
	}
	if units, err := h.subtreeOrgs(r); err == nil {
		d.Units = units
	}
	v := &view{Actor: ac, Title: "findings.board.title", Nav: "findings", Data: d}
	if formErr != nil {
		v.Errors, v.Error = fieldErrors(formErr)
	}
	h.render(w, r, status, "findings_board", v)
}

func (h *Handler) exportFindingBoard(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	orgID, _ := strconv.ParseInt(r.URL.Query().Get("org_id"), 10, 64)
	lang := requestLang(r, actorLocale(ac))
	var buf bytes.Buffer
	if err := h.app.Findings.WriteBoardXLSX(r.Context(), ac, orgID, &buf, lang); err != nil {
		h.fail(w, r, ac, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="findings.xlsx"`)
	w.Write(buf.Bytes())
}

func (h *Handler) setFindingSLA(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	sla := fenghuo.FindingSLA{Critical: int(formInt(r, "critical")), High: int(formInt(r, "high")),
		Medium: int(formInt(r, "medium")), Low: int(formInt(r, "low"))}
	err := h.app.Findings.SetSLA(r.Context(), actor(r), sla)
	h.finishAction(w, r, err, "/findings/board", func(err error) { h.renderFindingBoard(w, r, http.StatusBadRequest, err) })
}

// FindingStateLabel, SeverityLabel and FindingSourceLabel are the words of
// a finding's state, severity and source.
func (v *view) FindingStateLabel(s string) string  { return v.vocab("finding.state", s) }
func (v *view) SeverityLabel(s string) string      { return v.vocab("finding.severity", s) }
func (v *view) FindingSourceLabel(s string) string { return v.vocab("finding.source", s) }

// findingRef is what raised a finding, in words, with a link to it.
type findingRef struct{ Href, Text string }

// FindingRef is a finding's source reference for its page: the notice,
// campaign or exposure check that raised it by number with a link (not the
// stored risk_notice:3), or an external report's reference as the office
// typed it; nil without one.
func (v *view) FindingRef(ref string, systemID int64) *findingRef {
	if ref == "" {
		return nil
	}
	kind, n, ok := finding.InternalRef(ref)
	if !ok {
		return &findingRef{Text: ref}
	}
	switch kind {
	case "risk_notice":
		return &findingRef{Href: "/risk-notices/" + n, Text: "#" + n}
	case "inspection":
		return &findingRef{Href: "/inspections/" + n, Text: "#" + n}
	}
	if systemID != 0 { // exposure-check: the system's exposure page
		return &findingRef{Href: fmt.Sprintf("/exposure/systems/%d", systemID), Text: "#" + n}
	}
	return &findingRef{Text: "#" + n}
}

// AgeLabel names an age bucket of the board.
func (v *view) AgeLabel(i int) string { return v.T("findings.age." + strconv.Itoa(i)) }

// DaysLeft says how long is left until due ("还剩3天4小时", "3 d 4 h left")
// or how long it is overdue.
func (v *view) DaysLeft(due, now time.Time) string {
	d := due.Sub(now)
	key := "findings.left"
	if d < 0 {
		key, d = "findings.overdue.by", -d
	}
	days, hours := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour)
	return fmt.Sprintf(v.T(key), days, hours)
}

// Severities, FindingStates and FindingSources are the vocabularies for
// the filters and forms.
func (v *view) Severities() []string     { return fenghuo.FindingSeverities }
func (v *view) FindingStates() []string  { return fenghuo.FindingStates }
func (v *view) FindingSources() []string { return fenghuo.FindingSources }
