package web

import (
	"fenghuo/internal/app/incident"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

func incidentFilter(r *http.Request) store.IncidentFilter {
	q := r.URL.Query()
	f := store.IncidentFilter{Grade: fenghuo.Grade(q.Get("grade")), Category: q.Get("category"),
		Status: fenghuo.IncidentStatus(q.Get("status")), Open: q.Get("open") == "1", Overdue: q.Get("overdue") == "1", Query: q.Get("q")}
	f.UnitID, _ = strconv.ParseInt(q.Get("unit"), 10, 64)
	// Nearest deadline first unless the reader asks for the newest.
	f.Sort = store.SortDue
	if q.Get("sort") == store.SortNew {
		f.Sort = store.SortNew
	}
	return f
}

func (h *Handler) incidents(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	p, n := readPage(r)
	f := incidentFilter(r)
	res, err := h.app.Incidents.ListIncidents(r.Context(), ac, f, p)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	h.render(w, r, http.StatusOK, "incidents", &view{Actor: ac, Title: "incident.title", Nav: "incidents",
		Data: map[string]any{"Items": res.Items, "Orgs": h.orgNames(r), "Filter": f, "Query": r.URL.Query(),
			"Statuses": fenghuo.IncidentStatuses, "Grades": fenghuo.Grades, "Pager": newPager(r, n, res.Total).capped(res.Capped, len(res.Items) == p.Limit),
			"SortDue": sortLink(r, store.SortDue), "SortNew": sortLink(r, store.SortNew), "Export": "/incidents/export.xlsx?" + r.URL.RawQuery}})
}

// sortLink is the list's URL in another order, keeping the filters and
// starting again at the first page.
func sortLink(r *http.Request, sort string) string {
	q := r.URL.Query()
	q.Del("page")
	q.Set("sort", sort)
	return "?" + q.Encode()
}

func (h *Handler) exportIncidents(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="incidents.xlsx"`)
	if err := h.app.Incidents.IncidentsXLSX(r.Context(), ac, incidentFilter(r), requestLang(r, ac.User.Locale), w); err != nil {
		h.log.Error("export incidents", "err", err)
	}
}

// factField is one incident fact as a form input, built from the catalogue
// of plan-model.md so every fact a plan can test can be entered.
type factField struct {
	Key, Label, Type string
	Values           []string
	Value            string
}

// only, when not nil, limits the fields to those keys (the facts the
// unit's plans test); a fact that already has a value is always kept, so a
// form never drops what is known.
func factFields(facts map[string]any, lang string, only []string) []factField {
	var out []factField
	for _, d := range plan.FactDefs() {
		if _, known := facts[d.Key]; only != nil && !known && !slices.Contains(only, d.Key) {
			continue
		}
		f := factField{Key: d.Key, Label: d.ZH, Type: string(d.Type), Values: d.Values}
		if lang == langEN {
			f.Label = d.EN
		}
		if v, ok := facts[d.Key]; ok {
			switch x := v.(type) {
			case float64:
				f.Value = strconv.FormatFloat(x, 'f', -1, 64)
			case bool:
				f.Value = strconv.FormatBool(x)
			case string:
				f.Value = x
			}
		}
		out = append(out, f)
	}
	return out
}

// factsFromForm reads the fact inputs ("fact.KEY"); empty means unknown.
// Every input that is not a number is reported, not only the first.
func factsFromForm(r *http.Request) (plan.Facts, error) {
	facts := plan.Facts{}
	var bad fenghuo.Invalid
	for _, d := range plan.FactDefs() {
		v := strings.TrimSpace(r.FormValue("fact." + d.Key))
		if v == "" {
			continue
		}
		switch d.Type {
		case plan.FactBool:
			facts[d.Key] = v == "true"
		case plan.FactNumber, plan.FactInteger:
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				bad.Add(fenghuo.FieldErrorf("fact."+d.Key, "%s: write a number. / %s：请填写数字。", d.EN, d.ZH))
				continue
			}
			facts[d.Key] = n
		default:
			facts[d.Key] = v
		}
	}
	for _, e := range fenghuo.FieldErrors(facts.Validate()) {
		bad.Add(&fenghuo.Error{Code: e.Code, Field: "fact." + e.Field, Message: e.Message})
	}
	return facts, bad.Err()
}

type incidentFormData struct {
	Input    incident.IncidentInput
	Units    []fenghuo.Org
	Systems  []fenghuo.System
	Facts    []factField
	Taxonomy *plan.Taxonomy
	Channels []string
	Duty     bool
	// Raw are the fact inputs as typed, shown again after an error (a
	// number that could not be read is not in Input.Facts).
	Raw map[string]string
}

// localInput formats t for a datetime-local input ("" when unset), so a
// form shown again keeps the times typed.
func localInput(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(calendar.Shanghai).Format("2006-01-02T15:04")
}

func (h *Handler) incidentForm(w http.ResponseWriter, r *http.Request, status int, d incidentFormData, err error) {
	ac := actor(r)
	v := &view{Actor: ac, Title: "incident.new", Nav: "incidents"}
	if err != nil {
		v.Errors, v.Error = fieldErrors(err)
	}
	if res, err := h.app.Directory.Orgs(r.Context(), ac, store.OrgFilter{Level: fenghuo.LevelUnit}, store.Page{Limit: store.MaxLimit}); err == nil {
		d.Units = res.Items
	}
	if ac.Org.Level == fenghuo.LevelUnit {
		d.Units = append([]fenghuo.Org{ac.Org}, d.Units...)
	}
	if d.Input.OrgID == 0 && len(d.Units) > 0 {
		d.Input.OrgID = d.Units[0].ID
	}
	if res, err := h.app.Directory.Systems(r.Context(), ac, store.SystemFilter{OrgID: d.Input.OrgID}, store.Page{Limit: store.MaxLimit}); err == nil {
		d.Systems = res.Items
	}
	d.Taxonomy, _ = h.app.Incidents.IncidentTaxonomy(r.Context(), d.Input.OrgID)
	only, ferr := h.app.Incidents.IntakeFacts(r.Context(), ac, d.Input.OrgID)
	if ferr != nil {
		only = nil // a unit out of scope: the submit will say so; ask for every fact meanwhile
	}
	d.Facts = factFields(d.Input.Facts, requestLang(r, ac.User.Locale), only)
	for i := range d.Facts {
		if v, ok := d.Raw[d.Facts[i].Key]; ok {
			d.Facts[i].Value = v
		}
	}
	d.Channels = fenghuo.IntakeChannels
	d.Duty = !ac.User.HasRole(fenghuo.RoleUnitReporter)
	v.Data = d
	h.render(w, r, status, "incident_form", v)
}

func (h *Handler) newIncident(w http.ResponseWriter, r *http.Request) {
	// An actor who may not create incidents gets the forbidden page, not a
	// form whose submit would be refused.
	if ac := actor(r); !ac.Can(fenghuo.PermIncidentWrite) {
		h.fail(w, r, ac, fenghuo.Errorf(fenghuo.EFORBIDDEN, "You may not report incidents. / 您无权报告事件。"))
		return
	}
	d := incidentFormData{Input: incident.IncidentInput{Channel: fenghuo.ChannelUnit}}
	d.Input.OrgID = formInt(r, "unit")
	h.incidentForm(w, r, http.StatusOK, d, nil)
}

func parseLocal(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02T15:04", s, calendar.Shanghai)
	if err != nil {
		return time.Time{}
	}
	return t
}

func (h *Handler) createIncident(w http.ResponseWriter, r *http.Request) {
	if ac := actor(r); !ac.Can(fenghuo.PermIncidentWrite) {
		h.fail(w, r, ac, fenghuo.Errorf(fenghuo.EFORBIDDEN, "You may not report incidents. / 您无权报告事件。"))
		return
	}
	r.ParseForm()
	in := incident.IncidentInput{OrgID: formInt(r, "org_id"), Title: r.FormValue("title"), Category: r.FormValue("category"),
		OccurredAt: parseLocal(r.FormValue("occurred_at")), DiscoveredAt: parseLocal(r.FormValue("discovered_at")),
		Description: r.FormValue("description"), Impact: r.FormValue("impact"), Measures: r.FormValue("measures"),
		Channel: r.FormValue("channel"), Caller: r.FormValue("caller")}
	for _, s := range r.Form["system_ids"] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			in.SystemIDs = append(in.SystemIDs, id)
		}
	}
	facts, err := factsFromForm(r)
	in.Facts = facts
	if err == nil {
		var inc *fenghuo.Incident
		if inc, err = h.app.Incidents.CreateIncident(r.Context(), actor(r), in); err == nil {
			http.Redirect(w, r, "/incidents/"+strconv.FormatInt(inc.ID, 10), http.StatusSeeOther)
			return
		}
		if accessError(err) {
			h.fail(w, r, actor(r), err)
			return
		}
	} else {
		// The facts could not all be read: the other fields' errors too,
		// so the person fixes everything in one round.
		var bad fenghuo.Invalid
		bad.Add(err)
		if cerr := h.app.Incidents.CheckIncident(r.Context(), actor(r), in); accessError(cerr) {
			h.fail(w, r, actor(r), cerr)
			return
		} else {
			bad.Add(cerr)
		}
		err = bad.Err()
	}
	raw := map[string]string{}
	for _, d := range plan.FactDefs() {
		if v := r.FormValue("fact." + d.Key); v != "" {
			raw[d.Key] = v
		}
	}
	h.incidentForm(w, r, http.StatusBadRequest, incidentFormData{Input: in, Raw: raw}, err)
}
