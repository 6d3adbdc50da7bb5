package web

// Alerts (issue 14 item 8): the alert groups of the viewer's subtree with
// facets, one group with its triage (assign, dismiss with a reason,
// reopen, promote to a draft incident), and the event search. The intake
// sources are in alerts_sources.go.

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/intake"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

func (h *Handler) registerAlerts(mux *http.ServeMux) {
	mux.HandleFunc("GET /alerts", h.authed(h.alerts))
	mux.HandleFunc("GET /alerts/{id}", h.authed(h.alertPage))
	mux.HandleFunc("POST /alerts/{id}/{action}", h.authed(h.alertAction))
	// GET /events is the live stream (live.go): the search has its own path.
	mux.HandleFunc("GET /event-search", h.authed(h.eventSearch))
	mux.HandleFunc("GET /intake-sources", h.authed(h.intakeSources))
	mux.HandleFunc("POST /intake-sources", h.authed(h.createIntakeSource))
	mux.HandleFunc("POST /intake-sources/{id}/revoke", h.authed(h.revokeIntakeSource))
}

// alertsInNav says whether the navigation offers 告警: to an office (its
// units' alerts reach it) and to a unit that has an intake source.
func (h *Handler) alertsInNav(r *http.Request, ac *app.Actor) func() bool {
	shown, known := false, false
	return func() bool {
		if known {
			return shown
		}
		known = true
		if h.app.Intake == nil || !ac.Can(fenghuo.PermIncidentRead) {
			return false
		}
		if ac.Org.Type != fenghuo.OrgOperator {
			shown = true
			return true
		}
		res, err := h.app.Intake.Sources(r.Context(), ac, 0, true, store.Page{Limit: 1})
		shown = err == nil && len(res.Items) > 0
		return shown
	}
}

// ShowAlerts: see alertsInNav.
func (v *view) ShowAlerts() bool { return v.showAlerts != nil && v.showAlerts() }

// alertRow is one group of the list, with the names the page shows.
type alertRow struct {
	store.AlertGroup
	OrgName      string
	AssigneeName string
}

// facetItem is one value of a facet: a link that sets (or, when active,
// clears) it, keeping the other filters.
type facetItem struct {
	Facet, Value, Label string
	Count               int
	Counted             bool
	Active              bool
	Href                string
}

type facetGroup struct {
	Name  string
	Items []facetItem
}

type alertsData struct {
	Items      []alertRow
	Facets     []facetGroup
	Filter     map[string]string
	Filtered   bool
	Pager      pager
	CanTriage  bool
	HasSources bool
}

// alertFilterKeys are the list's filters, as query parameters.
var alertFilterKeys = []string{"state", "level", "kind", "rule", "org_id"}

func (h *Handler) alerts(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	ctx := r.Context()
	q := r.URL.Query()
	d := alertsData{Filter: map[string]string{}, CanTriage: ac.Can(fenghuo.PermIncidentWrite)}
	for _, k := range alertFilterKeys {
		d.Filter[k] = strings.TrimSpace(q.Get(k))
		d.Filtered = d.Filtered || d.Filter[k] != ""
	}
	orgID, _ := strconv.ParseInt(d.Filter["org_id"], 10, 64)
	p, n := readPage(r)
	res, facets, err := h.app.Intake.Groups(ctx, ac, intake.GroupFilter{OrgID: orgID, State: d.Filter["state"],
		Level: d.Filter["level"], Kind: d.Filter["kind"], RuleID: d.Filter["rule"]}, p)
	if err != nil && !isFieldError(err) {
		h.fail(w, r, ac, err)
		return
	}
	units, _ := h.subtreeOrgs(r)
	names := map[int64]string{}
	for _, o := range units {
		names[o.ID] = o.Name
	}
	people := h.userNames(r, res.Items)
	for _, g := range res.Items {
		d.Items = append(d.Items, alertRow{AlertGroup: g, OrgName: names[g.OrgID], AssigneeName: people[g.AssigneeID]})
	}
	// Triage first within the page: open before assigned before closed,
	// the most severe first, then the latest activity (the store's order).
	slices.SortStableFunc(d.Items, func(a, b alertRow) int {
		return cmp.Or(cmp.Compare(slices.Index(alertStates, a.State), slices.Index(alertStates, b.State)),
			cmp.Compare(levelRank(a.Level), levelRank(b.Level)))
	})
	d.Pager = newPager(r, n, res.Total).capped(res.Capped, len(res.Items) == p.Limit)
	d.Facets = alertFacets(q, facets, units, ac.Org.ID)
	if len(d.Items) == 0 {
		if src, err := h.app.Intake.Sources(ctx, ac, 0, true, store.Page{Limit: 1}); err == nil {
			d.HasSources = len(src.Items) > 0
		}
	}
	v := &view{Actor: ac, Title: "alerts.title", Nav: "alerts", Data: d}
	if err != nil {
		v.Errors, v.Error = fieldErrors(err)
	}
	h.render(w, r, http.StatusOK, "alerts", v)
}

// levelRank orders levels most severe first (unknown levels last).
func levelRank(l string) int {
	if i := slices.Index(alertLevels, l); i >= 0 {
		return i
	}
	return len(alertLevels)
}

// alertFacets builds the facet links: state, level and kind with the
// service's counts (every value, 0 included, so the list does not jump),
// the rule filtered on, and the units directly below the viewer's org.
func alertFacets(q url.Values, f store.AlertFacets, units []fenghuo.Org, own int64) []facetGroup {
	link := func(key, value string) (string, bool) {
		nq := url.Values{}
		for _, k := range alertFilterKeys {
			if v := q.Get(k); v != "" && k != key {
				nq.Set(k, v)
			}
		}
		active := q.Get(key) == value
		if !active {
			nq.Set(key, value)
		}
		if len(nq) == 0 {
			return "/alerts", active
		}
		return "/alerts?" + nq.Encode(), active
	}
	counted := func(name string, values []string, counts map[string]int) facetGroup {
		g := facetGroup{Name: name}
		for _, v := range values {
			href, active := link(name, v)
			g.Items = append(g.Items, facetItem{Facet: name, Value: v, Count: counts[v], Counted: true, Active: active, Href: href})
		}
		return g
	}
	out := []facetGroup{counted("state", alertStates, f.State), counted("level", alertLevels, f.Level), counted("kind", alertKinds, f.Kind)}
	if rule := q.Get("rule"); rule != "" {
		href, _ := link("rule", rule)
		out = append(out, facetGroup{Name: "rule", Items: []facetItem{{Facet: "rule", Value: rule, Label: rule, Active: true, Href: href}}})
	}
	var parent string
	for _, o := range units {
		if o.ID == own {
			parent = o.Path
		}
	}
	ug := facetGroup{Name: "unit"}
	for _, o := range units {
		if o.ID == own || o.ParentID == 0 || !strings.HasPrefix(o.Path, parent) || strings.Count(o.Path, "/") != strings.Count(parent, "/")+1 {
			continue
		}
		href, active := link("org_id", strconv.FormatInt(o.ID, 10))
		ug.Items = append(ug.Items, facetItem{Facet: "unit", Value: strconv.FormatInt(o.ID, 10), Label: o.Name, Active: active, Href: href})
	}
	if len(ug.Items) > 0 {
		out = append(out, ug)
	}
	return out
}

// FacetLabel is a facet value in words.
func (v *view) FacetLabel(it facetItem) string {
	switch it.Facet {
	case "state":
		return v.AlertStateLabel(it.Value)
	case "level":
		return v.AlertLevelLabel(it.Value)
	case "kind":
		return v.AlertKindLabel(it.Value)
	}
	return it.Label
}

// userNames looks up the display names of the groups' assignees.
func (h *Handler) userNames(r *http.Request, groups []store.AlertGroup) map[int64]string {
	out := map[int64]string{}
	h.app.Core.DB().View(r.Context(), func(tx *store.Tx) error {
		for _, g := range groups {
			if g.AssigneeID == 0 || out[g.AssigneeID] != "" {
				continue
			}
			if u, err := tx.User(r.Context(), g.AssigneeID); err == nil {
				out[g.AssigneeID] = cmp.Or(u.DisplayName, u.Username)
			}
		}
		return nil
	})
	return out
}

// shownSamples is how many of a group's sample events its page shows.
const shownSamples = 10

// person is an account the group can be assigned to.
type person struct {
	ID            int64
	Name, OrgName string
}

type alertPageData struct {
	G          alertRow
	Tags       []tagWord
	Samples    []eventRow
	People     []person
	CanTriage  bool
	Form       map[string]string
	SearchHref string
	// SamplesKept is how many samples the group keeps when more than
	// the page shows.
	SamplesKept int
	// Category is the GB/T 20986-2023 code a promotion would give ("":
	// the unit chooses).
	Category string
}

func (h *Handler) alertPage(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	h.renderAlert(w, r, id, http.StatusOK, nil)
}

func (h *Handler) renderAlert(w http.ResponseWriter, r *http.Request, id int64, status int, actionErr error) {
	ac := actor(r)
	ctx := r.Context()
	d, err := h.app.Intake.Group(ctx, ac, id)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	v := &view{Actor: ac, Title: "alert.title", Nav: "alerts"}
	v.Lang = requestLang(r, actorLocale(ac))
	pd := alertPageData{G: alertRow{AlertGroup: d.Group, OrgName: d.OrgName, AssigneeName: d.Assignee},
		CanTriage: ac.Can(fenghuo.PermIncidentWrite), Form: map[string]string{}, Category: d.Category}
	pd.Tags = v.tagWords(d.Group.Tags, nil)
	// The newest samples; the search (linked) has them all.
	samples := d.Samples
	if len(samples) > shownSamples {
		pd.SamplesKept, samples = len(samples), samples[:shownSamples]
	}
	pd.Samples = h.eventRows(r, v, samples)
	if pd.CanTriage {
		pd.People = h.assignable(r, ac, d.Group.OrgID)
	}
	pd.Form["user_id"] = strconv.FormatInt(cmp.Or(d.Group.AssigneeID, ac.User.ID), 10)
	if actionErr != nil {
		pd.Form["reason"] = r.FormValue("reason")
		if s := r.FormValue("user_id"); s != "" {
			pd.Form["user_id"] = s
		}
		v.Errors, v.Error = fieldErrors(actionErr)
		if fenghuo.ErrorCode(actionErr) == fenghuo.ECONFLICT {
			v.Errors = map[string]string{"promote": fenghuo.ErrorMessage(actionErr)}
		}
	}
	if field, value, ok := strings.Cut(d.Group.Entity, "="); ok && field != "" && value != "" {
		pd.SearchHref = "/event-search?" + url.Values{"field": {field}, "value": {value}, "org_id": {strconv.FormatInt(d.Group.OrgID, 10)},
			"from": {localInput(d.Group.FirstSeen.Add(-time.Minute))}}.Encode()
		if !slices.Contains(searchFields, field) {
			pd.SearchHref = "/event-search?" + url.Values{"field": {"other"}, "name": {field}, "value": {value},
				"org_id": {strconv.FormatInt(d.Group.OrgID, 10)}, "from": {localInput(d.Group.FirstSeen.Add(-time.Minute))}}.Encode()
		}
	}
	if done := r.URL.Query().Get("done"); actionErr == nil && slices.Contains([]string{"take", "assign", "dismiss", "reopen"}, done) {
		v.Flash = v.T("alert." + done + ".done") // after a redirect: what happened
	}
	v.Data = pd
	h.render(w, r, status, "alert", v)
}

// assignable lists the active accounts that may take a group of unit
// orgID: those of the viewer's subtree whose org holds the unit and who
// can read incidents (the service checks the same).
func (h *Handler) assignable(r *http.Request, ac *app.Actor, orgID int64) []person {
	var out []person
	h.app.Core.DB().View(r.Context(), func(tx *store.Tx) error {
		unit, err := tx.Org(r.Context(), orgID)
		if err != nil {
			return err
		}
		res, err := tx.SubtreeUsers(r.Context(), ac.Org.ID, store.UserFilter{}, store.Page{Limit: store.MaxLimit})
		if err != nil {
			return err
		}
		orgs := map[int64]*fenghuo.Org{}
		for _, u := range res.Items {
			if u.Disabled || !u.Can(fenghuo.PermIncidentRead) {
				continue
			}
			o, ok := orgs[u.OrgID]
			if !ok {
				if o, err = tx.Org(r.Context(), u.OrgID); err != nil {
					continue
				}
				orgs[u.OrgID] = o
			}
			if !fenghuo.InSubtree(o.Path, unit.Path) {
				continue
			}
			out = append(out, person{ID: u.ID, Name: cmp.Or(u.DisplayName, u.Username), OrgName: o.Name})
		}
		return nil
	})
	// The viewer first: taking it oneself is the common case.
	slices.SortStableFunc(out, func(a, b person) int {
		return cmp.Compare(b2i(b.ID == ac.User.ID), b2i(a.ID == ac.User.ID))
	})
	return out
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (h *Handler) alertAction(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	ctx := r.Context()
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	r.ParseForm()
	action := r.PathValue("action")
	next := fmt.Sprintf("/alerts/%d?done=%s", id, action)
	var err error
	switch action {
	case "take": // the list's one button: the viewer takes the group
		_, err = h.app.Intake.Assign(ctx, ac, id, ac.User.ID)
	case "assign":
		_, err = h.app.Intake.Assign(ctx, ac, id, formInt(r, "user_id"))
	case "dismiss":
		_, err = h.app.Intake.Dismiss(ctx, ac, id, r.FormValue("reason"))
	case "reopen":
		_, err = h.app.Intake.Reopen(ctx, ac, id)
	case "promote":
		var inc *fenghuo.Incident
		if _, inc, err = h.app.Intake.Promote(ctx, ac, id); err == nil && inc != nil {
			next = fmt.Sprintf("/incidents/%d", inc.ID)
		}
	default:
		h.fail(w, r, ac, fenghuo.Errorf(fenghuo.ENOTFOUND, "No such action. / 未找到。"))
		return
	}
	h.finishAction(w, r, err, next, func(err error) { h.renderAlert(w, r, id, http.StatusBadRequest, err) })
}

// eventRows turns stored events into table rows: the columns a person
// reads first, every field, the raw record, and the unit's and sensor's
// names.
func (h *Handler) eventRows(r *http.Request, v *view, evs []store.StoredEvent) []eventRow {
	out := make([]eventRow, 0, len(evs))
	orgs, sensors := map[int64]string{}, map[int64]string{}
	h.app.Core.DB().View(r.Context(), func(tx *store.Tx) error {
		for _, e := range evs {
			if _, ok := orgs[e.OrgID]; !ok {
				if o, err := tx.Org(r.Context(), e.OrgID); err == nil {
					orgs[e.OrgID] = o.Name
				}
			}
			if _, ok := sensors[e.SourceID]; !ok && e.SourceID != 0 {
				if s, err := tx.IntakeSource(r.Context(), e.SourceID); err == nil {
					sensors[e.SourceID] = s.Name
				}
			}
		}
		return nil
	})
	for _, e := range evs {
		fields := map[string]any{}
		json.Unmarshal([]byte(e.Fields), &fields)
		out = append(out, eventRow{ID: e.ID, At: e.At, Received: e.Received, OrgName: orgs[e.OrgID], SensorName: sensors[e.SourceID],
			Kind: e.Kind, Source: cmp.Or(e.SourceIP, firstOf(fields, "source.ip", "client.ip")),
			User: cmp.Or(e.UserName, firstOf(fields, "user.name", "email.from.address")), Host: cmp.Or(e.HostName, firstOf(fields, "host.name", "observer.name")),
			Message: firstOf(fields, "message", "rule.name", "event.action"), Fields: v.fieldRows(fields), Raw: e.Raw, RawTruncated: e.RawTruncated})
	}
	return out
}
