package web

import (
	"html/template"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
)

// A working-day deadline that reaches a year whose State Council holiday
// notice the calendar does not hold is an estimate (app.Incidents.
// CalendarEstimate). Every page that shows such a deadline puts a small
// "估算" mark beside it with the note as text, so that an officer reading
// "2027-01-xx" knows the date may move when the notice is published.

var estimateMessages = map[string][2]string{
	"deadline.estimate": {"估算", "estimate"},
}

func init() {
	for k, m := range estimateMessages {
		messages[k] = m
	}
}

// Estimate is the mark and note for an obligation's due time, "" when the
// date is not estimated (or the page has no calendar).
func (v *view) Estimate(o fenghuo.Obligation) template.HTML {
	if v.estimate == nil {
		return ""
	}
	est, note := v.estimate(o)
	return v.estimateMark(est, note)
}

// EstimateAny is Estimate for the first estimated one of the open
// obligations (a document's deadlines shown as one due date).
func (v *view) EstimateAny(os []fenghuo.Obligation) template.HTML {
	for _, o := range os {
		if o.State != fenghuo.ObligationOpen {
			continue
		}
		if m := v.Estimate(o); m != "" {
			return m
		}
	}
	return ""
}

func (v *view) estimateMark(est bool, note plan.Text) template.HTML {
	text := v.CalendarNote(est, note)
	if text == "" {
		return ""
	}
	return template.HTML(` <span class="estimate"><span class="badge estimate-mark">` + template.HTMLEscapeString(v.T("deadline.estimate")) +
		`</span> <small class="estimate-note">` + template.HTMLEscapeString(text) + `</small></span>`)
}
