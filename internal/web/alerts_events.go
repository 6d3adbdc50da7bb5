package web

// The event search (issue 14 item 8): stored events of the viewer's
// subtree by field and value and time range, newest first, paged by the
// service's cursor (keyset), each expandable to all its fields and the raw
// record.

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"fenghuo/internal/app/intake"
	"fenghuo/internal/fenghuo"
)

type eventSearchData struct {
	Form   map[string]string
	Fields []string
	Units  []fenghuo.Org
	Events []eventRow
	// First is the search without its cursor (shown on a later page),
	// More the next page's link ("" on the last).
	First, More string
}

var eventSearchKeys = []string{"field", "name", "value", "from", "to", "org_id"}

func (h *Handler) eventSearch(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	q := r.URL.Query()
	d := eventSearchData{Form: map[string]string{}, Fields: searchFields}
	for _, k := range eventSearchKeys {
		d.Form[k] = strings.TrimSpace(q.Get(k))
	}
	if _, set := q["field"]; !set {
		d.Form["field"] = "source.ip"
	}
	d.Units, _ = h.subtreeOrgs(r)
	v := &view{Actor: ac, Title: "events.title", Nav: "alerts"}
	v.Lang = requestLang(r, actorLocale(ac))

	query := intake.EventQuery{Cursor: q.Get("cursor")}
	query.OrgID, _ = strconv.ParseInt(d.Form["org_id"], 10, 64)
	var bad fenghuo.Invalid
	field := d.Form["field"]
	if field == "other" {
		field = d.Form["name"]
		if field == "" && d.Form["value"] != "" {
			bad.Add(fenghuo.FieldErrorf("name", "Type the name of the field to look in. / 请填写要查找的字段名。"))
		}
	}
	if d.Form["value"] != "" {
		if field == "" {
			bad.Add(fenghuo.FieldErrorf("field", "Choose the field to look in. / 请选择要查找的字段。"))
		} else {
			query.Match = map[string]string{field: d.Form["value"]}
		}
	}
	for _, k := range []string{"from", "to"} {
		if s := d.Form[k]; s != "" {
			t := localTime(s)
			if t.IsZero() {
				bad.Add(fenghuo.FieldErrorf(k, "Give a date and time. / 请按日期和时间填写。"))
			} else if k == "from" {
				query.From = t
			} else {
				query.To = t
			}
		}
	}
	err := bad.Err()
	if err == nil {
		var page intake.EventPage
		page, err = h.app.Intake.Events(r.Context(), ac, query)
		if err != nil && !isFieldError(err) {
			h.fail(w, r, ac, err)
			return
		}
		d.Events = h.eventRows(r, v, page.Items)
		base := url.Values{}
		for _, k := range eventSearchKeys {
			if d.Form[k] != "" {
				base.Set(k, d.Form[k])
			}
		}
		if query.Cursor != "" {
			d.First = "/event-search?" + base.Encode()
		}
		if page.Next != "" {
			base.Set("cursor", page.Next)
			d.More = "/event-search?" + base.Encode()
		}
	}
	status := http.StatusOK
	if err != nil {
		v.Errors, v.Error = fieldErrors(err)
		// The service names the field it could not read "field"; a name
		// typed by hand is shown beside its own box.
		if m, ok := v.Errors["field"]; ok && d.Form["field"] == "other" {
			delete(v.Errors, "field")
			v.Errors["name"] = m
		}
		status = http.StatusBadRequest
	}
	v.Data = d
	h.render(w, r, status, "event_search", v)
}
