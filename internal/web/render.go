package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/pii"
	"fenghuo/internal/plan"
)

//go:embed templates
var templateFS embed.FS

// view is what every page template receives.
type view struct {
	Lang  string
	Title string
	Nav   string
	Actor *app.Actor
	// Bare draws a signed-in page without the header and navigation (the
	// wall).
	Bare   bool
	Flash  string
	Error  string
	Errors map[string]string // field → message
	Data   any
	// Now is the server's clock, so that countdowns count from it and not
	// from the viewer's (possibly wrong) clock.
	Now    time.Time
	assets *assets
	path   string
	// estimate says whether an obligation's due time is a calendar
	// estimate (see estimate.go).
	estimate func(fenghuo.Obligation) (bool, plan.Text)
	// taskTitle is a task's title in a language (task.Service.TitleIn).
	taskTitle func(fenghuo.Task, string) string
	// visibleOrg asks the read rule the org and duty pages apply
	// (app.Core.VisibleOrg), so that a page links only orgs the actor
	// may open.
	visibleOrg func(id int64) bool
	// inboxUnread counts the navigation's inbox badge (live.go).
	inboxUnread func() int
	// showAlerts says whether the navigation offers 告警 (alerts.go).
	showAlerts func() bool
}

// InboxUnread is the number on the navigation's inbox link: reports
// delivered to the actor's org not yet signed for (0 hides the badge).
func (v *view) InboxUnread() int {
	if v.inboxUnread == nil {
		return 0
	}
	return v.inboxUnread()
}

// CanOpenOrg reports whether the actor may open the org id's page and its
// duty page (both apply app.Core.VisibleOrg's rule): a link to an org is
// rendered only then, else its name as plain text.
func (v *view) CanOpenOrg(id int64) bool {
	return id != 0 && v.Actor != nil && v.visibleOrg != nil && v.visibleOrg(id)
}

// T translates a catalog key into the page's language.
func (v *view) T(key string) string { return translate(v.Lang, key) }

// Colon and Comma join a label to what follows it in the page's language:
// the full-width marks between Chinese words (GB/T 15834), ": " and ", "
// in English. Templates use them instead of typing ASCII marks after a
// translated word (TestTemplatesTypeNoASCIIMarksAfterWords).
func (v *view) Colon() string { return v.pick("：", ": ") }

// Comma: see Colon.
func (v *view) Comma() string { return v.pick("，", ", ") }

// ListSep separates the items of a list: 、 in Chinese, ", " in English.
func (v *view) ListSep() string { return v.pick("、", ", ") }

func (v *view) pick(zh, en string) string {
	if v.Lang == langEN {
		return en
	}
	return zh
}

// Switch names a plan's response switch in the page's language.
func (v *view) Switch(s string) string {
	t := plan.SwitchName(s)
	if v.Lang == langEN && t.EN != "" {
		return t.EN
	}
	if t.ZH != "" {
		return t.ZH
	}
	return s
}

// Asset returns the hashed URL of a static file.
func (v *view) Asset(name string) string { return v.assets.URL(name) }

// Can reports whether the viewer holds a permission (for navigation).
func (v *view) Can(p string) bool { return v.Actor != nil && v.Actor.Can(fenghuo.Permission(p)) }

// Path is the request path, for the language switch's return address.
func (v *view) Path() string { return v.path }

// templates holds one parsed template set per page: the layout plus the page.
type templates map[string]*template.Template

var funcs = template.FuncMap{
	"time": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.In(calendar.Shanghai).Format("2006-01-02 15:04")
	},
	// date is a day in Beijing time (a drill's date held as 00:00 +08:00
	// is the day before in UTC).
	"date": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.In(calendar.Shanghai).Format("2006-01-02")
	},
	"due":       dueTime,
	"localtime": localInput, // forms: a datetime-local value
	"rfc3339":   func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"link":      func(o fenghuo.Obligation) string { return app.ObligationLink(&o) },
	"join":      strings.Join,
	"qr":        totpQR, // TOTP enrolment QR code (issue 13 item 5)
	"add":       func(a, b int) int { return a + b },
	"has": func(list []string, v string) bool {
		for _, s := range list {
			if s == v {
				return true
			}
		}
		return false
	},
	"str": func(v any) string { return fmt.Sprint(v) },
	// Personal data is masked wherever a page shows it (issue 15 item 5);
	// the full value is one reveal away (RevealLink, contacts.go).
	"maskPhone": func(v string) string { return pii.Mask(pii.Phone, v) },
	"maskEmail": func(v string) string { return pii.Mask(pii.Email, v) },
	"hasID": func(list []int64, id int64) bool {
		for _, x := range list {
			if x == id {
				return true
			}
		}
		return false
	},
	"list3": func(a, b, c string) []string { return []string{a, b, c} },
	"roles": func(rs []fenghuo.Role) []string {
		out := make([]string, len(rs))
		for i, r := range rs {
			out[i] = string(r)
		}
		return out
	},
	"kinds": func(ks []fenghuo.KeyKind) []string {
		out := make([]string, len(ks))
		for i, k := range ks {
			out[i] = string(k)
		}
		return out
	},
}

// parseTemplates parses every page with the layout; a missing or broken
// template fails start-up, not a request.
func parseTemplates() (templates, error) {
	pages, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	out := templates{}
	for _, p := range pages {
		name := strings.TrimSuffix(strings.TrimPrefix(p, "templates/pages/"), ".html")
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials/*.html", p)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		out[name] = t
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no page templates embedded")
	}
	return out, nil
}

// render writes a page with status.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, page string, v *view) {
	t, ok := h.tpl[page]
	if !ok {
		h.log.Error("missing template", "page", page)
		http.Error(w, "Internal error. / 内部错误。", http.StatusInternalServerError)
		return
	}
	v.assets, v.path, v.Now = h.assets, r.URL.Path, h.app.Core.Now()
	if h.app.Incidents != nil {
		v.estimate = h.app.Incidents.CalendarEstimate
	}
	if h.app.Tasks != nil {
		v.taskTitle = h.app.Tasks.TitleIn
	}
	if v.Actor != nil {
		ctx, ac := r.Context(), v.Actor
		v.visibleOrg = func(id int64) bool { _, err := h.app.Core.VisibleOrg(ctx, ac, id); return err == nil }
		n, counted := 0, false
		v.inboxUnread = func() int {
			if !counted {
				n, _ = h.inboxUnread(r, ac)
				counted = true
			}
			return n
		}
		v.showAlerts = h.alertsInNav(r, ac) // alerts (issue 14 item 8)
	}
	if v.Lang == "" {
		v.Lang = requestLang(r, actorLocale(v.Actor))
	}
	// Every message reaches the page in its language only, whichever
	// template shows it (console.md rule 1).
	v.Error = v.InLang(v.Error)
	for k, m := range v.Errors {
		v.Errors[k] = v.InLang(m)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, v); err != nil {
		h.log.Error("render", "page", page, "err", err)
		http.Error(w, "Internal error. / 内部错误。", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func actorLocale(ac *app.Actor) string {
	if ac == nil {
		return ""
	}
	return ac.User.Locale
}

// statusClientClosedRequest is nginx's status for a request the client
// abandoned before the answer; it never reaches the client.
const statusClientClosedRequest = 499

// fail renders the error page matching err's code: 404 for objects outside
// the actor's scope, 403, 400 with the message, 500 without detail.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, ac *app.Actor, err error) {
	if r.Context().Err() != nil {
		// The client went away (its context is cancelled): not a failure
		// of ours, and nobody reads the page. The access log shows 499.
		w.WriteHeader(statusClientClosedRequest)
		return
	}
	status := http.StatusInternalServerError
	switch fenghuo.ErrorCode(err) {
	case fenghuo.ENOTFOUND:
		status = http.StatusNotFound
	case fenghuo.EFORBIDDEN:
		status = http.StatusForbidden
	case fenghuo.EINVALID, fenghuo.ECONFLICT:
		status = http.StatusBadRequest
	case fenghuo.EUNAUTHORIZED:
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	case fenghuo.ETOOMANY:
		status = http.StatusTooManyRequests
	}
	if status == http.StatusInternalServerError {
		h.log.Error("request failed", "path", r.URL.Path, "err", err)
	}
	_, msg := fieldErrors(err)
	v := &view{Actor: ac, Title: "error.title", Error: msg}
	if status == http.StatusNotFound {
		v.Error = translate(requestLang(r, actorLocale(ac)), "error.notfound")
	}
	h.render(w, r, status, "error", v)
}
