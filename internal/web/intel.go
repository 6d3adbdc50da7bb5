package web

// The IOC library (威胁情报, issue 14 item 5): what the actor's unit may see
// under TLP, filters, adding one indicator, importing a STIX or MISP file
// with a summary, export, revoke.

import (
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"fenghuo/internal/app/intel"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/ingest/ioc"
	"fenghuo/internal/store"
)

func (h *Handler) registerIntel(mux *http.ServeMux) {
	mux.HandleFunc("GET /intel", h.authed(h.intelPage))
	mux.HandleFunc("POST /intel", h.authed(h.addIndicator))
	mux.HandleFunc("POST /intel/import", h.authed(h.importIndicators))
	mux.HandleFunc("GET /intel/export.json", h.authed(h.exportIndicators))
	mux.HandleFunc("POST /intel/{id}/revoke", h.authed(h.revokeIndicator))
}

// intelForm is the add form's state, kept on an error.
type intelForm struct {
	Type, Value, TLP, Source, Description, ValidUntil string
	Confidence                                        int
}

type intelRow struct {
	store.Indicator
	CanRevoke bool
}

func (h *Handler) intelPage(w http.ResponseWriter, r *http.Request) {
	h.renderIntel(w, r, http.StatusOK, intelForm{Type: string(ioc.TypeDomain), TLP: string(ioc.TLPAmber), Confidence: 70}, nil, nil)
}

func intelFilter(r *http.Request) store.IndicatorFilter {
	q := r.URL.Query()
	f := store.IndicatorFilter{}
	if t := ioc.Type(q.Get("type")); ioc.ValidType(t) {
		f.Type = t
	}
	if t, ok := ioc.ParseTLP(q.Get("tlp")); ok {
		f.TLP = t
	}
	f.OwnerID, _ = strconv.ParseInt(q.Get("owner"), 10, 64)
	return f
}

func (h *Handler) renderIntel(w http.ResponseWriter, r *http.Request, status int, form intelForm, result *intel.ImportResult, formErr error) {
	ac := actor(r)
	page, n := readPage(r)
	f := intelFilter(r)
	list, err := h.app.Intel.List(r.Context(), ac, f, page)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	owners, err := h.app.Intel.Owners(r.Context(), ac)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	paths := map[int64]string{}
	rows := make([]intelRow, len(list.Items))
	for i, in := range list.Items {
		p, ok := paths[in.OwnerOrg]
		if !ok {
			if o, err := h.app.Core.DB().Org(r.Context(), in.OwnerOrg); err == nil {
				p = o.Path
			}
			paths[in.OwnerOrg] = p
		}
		rows[i] = intelRow{Indicator: in, CanRevoke: p != "" && intel.CanManage(ac, p)}
	}
	export := url.Values{}
	if f.Type != "" {
		export.Set("indicator_type", string(f.Type))
	}
	if f.TLP != "" {
		export.Set("tlp", string(f.TLP))
	}
	if f.OwnerID != 0 {
		export.Set("owner_id", strconv.FormatInt(f.OwnerID, 10))
	}
	v := &view{Actor: ac, Title: "intel.title", Nav: "intel", Data: map[string]any{"List": rows, "Total": list.Total,
		"Pager": newPager(r, n, list.Total), "Filter": f, "Owners": owners, "Types": ioc.Types, "TLPs": ioc.TLPs,
		"Form": form, "Result": result, "Status": h.app.Intel.Status(), "ExportQuery": export.Encode()}}
	if formErr != nil {
		v.Errors, v.Error = fieldErrors(formErr)
	}
	if r.URL.Query().Get("done") == "revoked" {
		v.Flash = translate(requestLang(r, ac.User.Locale), "intel.revoked")
	} else if r.URL.Query().Get("done") == "added" {
		v.Flash = translate(requestLang(r, ac.User.Locale), "intel.added")
	}
	h.render(w, r, status, "intel", v)
}

func (h *Handler) addIndicator(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	r.ParseForm()
	conf, convErr := strconv.Atoi(strings.TrimSpace(r.FormValue("confidence")))
	form := intelForm{Type: r.FormValue("type"), Value: r.FormValue("value"), TLP: r.FormValue("tlp"), Source: r.FormValue("source"),
		Description: r.FormValue("description"), ValidUntil: strings.TrimSpace(r.FormValue("valid_until")), Confidence: conf}
	in := intel.Input{Type: ioc.Type(form.Type), Value: form.Value, TLP: ioc.TLP(form.TLP), Source: form.Source,
		Description: form.Description, Confidence: conf}
	var v fenghuo.Invalid
	if convErr != nil {
		v.Add(fenghuo.FieldErrorf("confidence", "Confidence is a number from 0 to 100. / 可信度为0到100之间的数。"))
	}
	if form.ValidUntil != "" {
		d, err := time.ParseInLocation("2006-01-02", form.ValidUntil, calendar.Shanghai)
		if err != nil {
			v.Add(fenghuo.FieldErrorf("valid_until", "Write the date as YYYY-MM-DD. / 日期格式为YYYY-MM-DD。"))
		}
		in.ValidUntil = d.AddDate(0, 0, 1) // to the end of that day
	}
	if v.Err() != nil {
		// Report the other fields' problems with these, all at once.
		probe := ioc.Indicator{Type: in.Type, Value: in.Value, TLP: in.TLP, Source: in.Source, Description: in.Description}
		v.Add(probe.Validate())
	}
	err := v.Err()
	if err == nil {
		_, err = h.app.Intel.Create(r.Context(), ac, in)
	}
	if err != nil {
		if accessError(err) {
			h.fail(w, r, ac, err)
			return
		}
		h.renderIntel(w, r, http.StatusBadRequest, form, nil, err)
		return
	}
	http.Redirect(w, r, "/intel?done=added", http.StatusSeeOther)
}

func (h *Handler) importIndicators(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	form := intelForm{Type: string(ioc.TypeDomain), TLP: string(ioc.TLPAmber), Confidence: 70}
	r.Body = http.MaxBytesReader(w, r.Body, intel.MaxImportBytes+1<<20)
	file, _, err := r.FormFile("file")
	if err != nil {
		h.renderIntel(w, r, http.StatusBadRequest, form, nil, fenghuo.FieldErrorf("file", "Choose a STIX or MISP file of at most 32 MB. / 请选择不超过32MB的STIX或MISP文件。"))
		return
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, intel.MaxImportBytes+1))
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	res, err := h.app.Intel.Import(r.Context(), ac, 0, data, ioc.TLP(r.FormValue("tlp")))
	if err != nil {
		if accessError(err) {
			h.fail(w, r, ac, err)
			return
		}
		h.renderIntel(w, r, http.StatusBadRequest, form, nil, err)
		return
	}
	h.renderIntel(w, r, http.StatusOK, form, res, nil)
}

func (h *Handler) exportIndicators(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	q := r.URL.Query()
	f := store.IndicatorFilter{}
	if t := ioc.Type(q.Get("indicator_type")); ioc.ValidType(t) {
		f.Type = t
	}
	if t, ok := ioc.ParseTLP(q.Get("tlp")); ok {
		f.TLP = t
	}
	f.OwnerID, _ = strconv.ParseInt(q.Get("owner_id"), 10, 64)
	doc, name, err := h.app.Intel.Export(r.Context(), ac, q.Get("format"), f)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(doc)
}

func (h *Handler) revokeIndicator(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	err := h.app.Intel.Revoke(r.Context(), ac, id)
	h.finishAction(w, r, err, "/intel?done=revoked", func(err error) {
		h.renderIntel(w, r, http.StatusBadRequest, intelForm{Type: string(ioc.TypeDomain), TLP: string(ioc.TLPAmber), Confidence: 70}, nil, err)
	})
}

// IndicatorType is a type's name in the page's language.
func (v *view) IndicatorType(t ioc.Type) string { return v.T("intel.type." + string(t)) }

// TLPBadge is a TLP label as a coloured badge with its word (TLP 2.0
// colours: the label's colour on black).
func (v *view) TLPBadge(t ioc.TLP) template.HTML {
	class := "tlp tlp-" + strings.ToLower(strings.ReplaceAll(string(t), "+", "-"))
	return template.HTML(`<span class="` + class + `" title="` + template.HTMLEscapeString(v.T("intel.tlp."+string(t))) + `">TLP:` +
		template.HTMLEscapeString(string(t)) + `</span> <span class="tlp-word">` + template.HTMLEscapeString(v.T("intel.tlp."+string(t))) + `</span>`)
}

// Expiry is an indicator's expiry as a relative time from the server's
// clock, with the absolute time as its title.
func (v *view) Expiry(until time.Time) template.HTML {
	if until.IsZero() {
		return template.HTML(template.HTMLEscapeString(v.T("intel.expiry.never")))
	}
	d := until.Sub(v.Now)
	key := "intel.expiry.in"
	if d <= 0 {
		key, d = "intel.expiry.ago", -d
	}
	var span string
	switch {
	case d >= 48*time.Hour:
		span = fmt.Sprintf(v.T("intel.days"), int(d/(24*time.Hour)))
	case d >= 2*time.Hour:
		span = fmt.Sprintf(v.T("intel.hours"), int(d/time.Hour))
	default:
		span = fmt.Sprintf(v.T("intel.minutes"), max(1, int(d/time.Minute)))
	}
	class := "expiry"
	if key == "intel.expiry.ago" {
		class += " expired"
	}
	return template.HTML(`<time class="` + class + `" datetime="` + until.UTC().Format(time.RFC3339) + `" title="` +
		template.HTMLEscapeString(dueTime(until)) + `">` + template.HTMLEscapeString(fmt.Sprintf(v.T(key), span)) + `</time>`)
}

// IntelStatus is the matcher's state in words.
func (v *view) IntelStatus(st intel.Status) string {
	if st.LoadedAt.IsZero() {
		return v.T("intel.matcher.none")
	}
	return fmt.Sprintf(v.T("intel.matcher"), st.Total, dueTime(st.LoadedAt))
}
