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
	abs := template.HTMLEscapeString(dueTime(due))
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
		countdownText(v.Lang, due.Sub(v.Now)) + `</span><br><time class="due-at hint" datetime="` + stamp + `">` + label + ` ` + abs + `</time>`)
}

// dueTime is the one way the console writes a due time: Beijing time,
// and a deadline at local midnight as the end of the day before
// ("2027-01-06 24:00", not "2027-01-07 00:00", which reads as a day
// late). A zero time is a dash.
func dueTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	l := t.In(calendar.Shanghai)
	if l.Hour() == 0 && l.Minute() == 0 && l.Second() == 0 && l.Nanosecond() == 0 {
		return l.AddDate(0, 0, -1).Format("2006-01-02") + " 24:00"
	}
	return l.Format("2006-01-02 15:04")
}
