package web

import (
	"html/template"
	"time"

	"fenghuo/internal/calendar"
)

// Due shows a deadline the one way every list does (console.md rule 2):
// while the obligation is open, one countdown from the server's clock,
// red with how long when overdue, and the absolute time once, as its
// title and a secondary line; once closed, the absolute time alone (past
// items stop ticking). A zero time shows as a dash.
func (v *view) Due(due time.Time, open bool) template.HTML {
	if due.IsZero() {
		return "—"
	}
	abs := template.HTMLEscapeString(due.In(calendar.Shanghai).Format("2006-01-02 15:04"))
	stamp := due.UTC().Format(time.RFC3339)
	if !open {
		return template.HTML(`<time class="due-at" datetime="` + stamp + `">` + abs + `</time>`)
	}
	class := "countdown"
	if !v.Now.IsZero() && due.Before(v.Now) {
		class += " overdue"
	}
	label := template.HTMLEscapeString(translate(v.Lang, "incident.header.due"))
	return template.HTML(`<span class="` + class + `" role="timer" data-due="` + stamp + `" title="` + label + ` ` + abs + `">` +
		countdownText(due.Sub(v.Now)) + `</span><br><time class="due-at hint" datetime="` + stamp + `">` + label + ` ` + abs + `</time>`)
}
