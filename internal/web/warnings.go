package web

import (
	"fenghuo/internal/app/warning"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
	"net/http"
	"slices"
	"strconv"
	"strings"
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
	list, err := h.app.Warnings.Warnings(r.Context(), ac, page)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	names := map[int64]string{}
	for _, wn := range list.Items {
		if _, ok := names[wn.OrgID]; !ok {
			if o, err := h.app.Core.DB().Org(r.Context(), wn.OrgID); err == nil {
				names[wn.OrgID] = o.Name
			}
		}
	}
	// The issuer rules for the actor's org, so the form says up front which
	// colours it may issue and to whom it proposes the others.
	type colorRule struct {
		Color   fenghuo.Color
		Allowed bool
		Refusal *warning.IssuerRefusal
	}
	var rules []colorRule
	var units, offices []fenghuo.Org
	var sectors []string
	if ac.Can(fenghuo.PermWarningIssue) {
		for _, c := range fenghuo.Colors {
			ref, err := h.app.Warnings.WarningIssuerCheck(r.Context(), ac, c, false)
			if err == nil {
				rules = append(rules, colorRule{Color: c, Allowed: ref == nil, Refusal: ref})
			}
		}
		res, _ := h.app.Directory.Orgs(r.Context(), ac, store.OrgFilter{}, store.Page{Limit: store.MaxLimit})
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
	in := warning.WarningInput{StartAt: localTime(form.StartAt), Color: fenghuo.Color(form.Color), Category: form.Category, Title: form.Title, Scope: form.Scope,
		Items: form.Items, Measures: parseMeasures(form.Measures), AckMinutes: form.AckMinutes, MultiRegion: form.MultiRegion,
		Targeting: fenghuo.Targeting{OrgIDs: form.OrgIDs, Subtrees: form.Subtrees, Component: form.Component, Sector: form.Sector, OrgType: form.OrgType}}
	var wn *fenghuo.Warning
	var err error
	if r.FormValue("propose") == "1" {
		wn, err = h.app.Warnings.ProposeWarning(r.Context(), ac, in)
	} else {
		wn, err = h.app.Warnings.IssueWarning(r.Context(), ac, in)
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
	d, err := h.app.Warnings.Warning(r.Context(), ac, id)
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
		if o, err := h.app.Core.DB().Org(r.Context(), d.Warning.ProposedTo); err == nil {
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
		_, err = h.app.Warnings.ChangeWarningColor(r.Context(), ac, id, fenghuo.Color(r.FormValue("color")), r.FormValue("reason"))
	case "lift":
		_, err = h.app.Warnings.LiftWarning(r.Context(), ac, id, r.FormValue("reason"))
	case "issue", "decline":
		_, err = h.app.Warnings.DecideProposal(r.Context(), ac, id, r.PathValue("action") == "issue", r.FormValue("reason"))
	case "ack":
		_, err = h.app.Warnings.AckWarning(r.Context(), ac, formInt(r, "target_id"))
	case "done":
		_, err = h.app.Warnings.ReportMeasuresDone(r.Context(), ac, formInt(r, "target_id"), r.FormValue("note"))
	default:
		http.NotFound(w, r)
		return
	}
	h.finishAction(w, r, err, "/warnings/"+strconv.FormatInt(id, 10), func(err error) {
		h.renderWarning(w, r, http.StatusBadRequest, err)
	})
}

// warningNotice downloads the warning as a notice (预警通报), DOCX or PDF.
func (h *Handler) warningNotice(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	format := r.PathValue("format")
	buf := new(bytesBuffer)
	name, err := h.app.Warnings.WarningNotice(r.Context(), ac, id, format, buf)
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
	link, err := h.app.Warnings.OpenAckLink(r.Context(), r.PathValue("token"))
	v := &view{Title: "warning.ack.title", Flash: flash, Data: map[string]any{"Link": link, "Token": r.PathValue("token")}}
	if err != nil {
		_, v.Error = fieldErrors(err)
		v.Data = map[string]any{}
		status = http.StatusBadRequest
	} else if actionErr != nil {
		v.Errors, v.Error = fieldErrors(actionErr)
	}
	h.render(w, r, status, "ack", v)
}

func (h *Handler) ack(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	if _, err := h.app.Warnings.AckByLink(r.Context(), r.PathValue("token"), r.FormValue("name")); err != nil {
		h.renderAck(w, r, http.StatusBadRequest, "", err)
		return
	}
	h.renderAck(w, r, http.StatusOK, translate(requestLang(r, ""), "warning.ack.done"), nil)
}
