package incident

import (
	"fmt"
	"strings"

	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// CalendarEstimate says whether an obligation's due time is counted in
// working days into a year whose State Council holiday notice the calendar
// does not hold: the date then counts weekends and the fixed-date statutory
// holidays only, and may move when the notice (春节, 调休) is published. The
// note names the year, e.g. "2027 年节假日安排尚未公布，按周末和法定节日估算".
// A deadline in hours or calendar days, or one without a due time, is never
// estimated.
func (a *Service) CalendarEstimate(o fenghuo.Obligation) (bool, plan.Text) {
	if o.DueAt.IsZero() || !a.workingDays(o) {
		return false, plan.Text{}
	}
	return EstimateNote(a.core.Calendar(), o)
}

// EstimateNote is CalendarEstimate for an obligation known to be counted in
// working days on cal.
func EstimateNote(cal *calendar.Calendar, o fenghuo.Obligation) (bool, plan.Text) {
	// The due date's year is the latest the count reached; a count that
	// started in an uncovered year ends in one too.
	y := o.DueAt.In(calendar.Shanghai).Year()
	if o.DueAt.IsZero() || cal.Covers(y) {
		return false, plan.Text{}
	}
	return true, plan.Text{
		ZH: fmt.Sprintf("%d 年节假日安排尚未公布，按周末和法定节日估算", y),
		EN: fmt.Sprintf("The %d holiday schedule has not been published: the date counts weekends and the fixed statutory holidays only, and may move", y),
	}
}

// workingDays reports whether the plan rule behind o counts in working
// days: a deadline after the incident ("20wd") or a playbook step's due.
func (a *Service) workingDays(o fenghuo.Obligation) bool {
	p, err := a.core.Plans().Get(o.PlanID)
	if err != nil {
		return false
	}
	switch o.Kind {
	case KindDeadline:
		for _, d := range p.Deadlines {
			if d.ID == o.RuleID {
				return strings.HasSuffix(d.Within, "wd")
			}
		}
	case store.ObligationKindTask:
		playbook, step, ok := strings.Cut(o.RuleID, "/")
		if !ok {
			return false
		}
		for _, pb := range p.Playbooks {
			if pb.ID != playbook {
				continue
			}
			for _, st := range pb.Steps {
				if st.ID == step {
					return strings.HasSuffix(st.Due, "wd")
				}
			}
		}
	}
	return false
}
