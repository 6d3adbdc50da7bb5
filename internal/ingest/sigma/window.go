package sigma

import (
	"sync"
	"time"
)

// Windows keep the state of correlation rules: for each (org, rule set,
// correlation, group-by values) the recent matches within the rule's
// timespan, over event time (Event.Time), not the clock of the machine.
//
// Bounds: a group keeps at most maxEntries entries (the oldest go first);
// groups idle for longer than their timespan are evicted by a sweep every
// sweepEvery observations; beyond maxGroups the sweep also drops the groups
// seen least recently. The windows live in memory only: a restart forgets
// partial counts, so at most one timespan of events before the restart is
// not counted towards a threshold (events themselves are stored; only the
// running counts are lost).
type windows struct {
	mu         sync.Mutex
	groups     map[groupKey]*group
	seen       int
	maxGroups  int
	maxEntries int
	evicted    int
}

const (
	sweepEvery        = 4096
	defaultMaxGroups  = 200_000
	defaultMaxEntries = 10_000
)

type groupKey struct {
	org  int64
	set  string
	corr string
	key  string
}

type sample struct {
	t time.Time
	v float64
}

type group struct {
	span    time.Duration
	latest  time.Time
	samples []sample             // event_count (v unused), value_sum, value_avg
	values  map[string]time.Time // value_count: last time each distinct value was seen
	steps   []time.Time          // temporal: last time each rule matched; temporal_ordered: start of the chain completed up to each step
}

func newWindows() *windows {
	return &windows{groups: map[groupKey]*group{}, maxGroups: defaultMaxGroups, maxEntries: defaultMaxEntries}
}

// observation is one match of a correlated rule.
type observation struct {
	step  int       // index of the matching rule in Correlation.Rules
	t     time.Time // event time
	value string    // value_count: the value of condition.field
	num   float64   // value_sum, value_avg: the number in condition.field
}

// observe records o and reports whether the correlation's condition now
// holds for this group, with the measure compared (count, distinct values,
// sum or average). When it holds the group starts afresh, so a burst of 40
// failed log-ins against a threshold of 20 yields two matches, not 21.
func (w *windows) observe(k groupKey, c *Correlation, o observation) (bool, float64, time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.seen++
	if w.seen%sweepEvery == 0 || len(w.groups) > w.maxGroups {
		w.sweep(o.t)
	}
	g := w.groups[k]
	span := time.Duration(c.Timespan)
	if g == nil {
		g = &group{span: span}
		w.groups[k] = g
	}
	if o.t.After(g.latest) {
		g.latest = o.t
	}
	from := g.latest.Add(-span)
	if o.t.Before(from) {
		return false, 0, time.Time{} // older than the window: too late to count
	}
	var measure float64
	switch c.Type {
	case EventCount, ValueSum, ValueAvg:
		g.samples = append(g.samples, sample{o.t, o.num})
		g.samples = pruneSamples(g.samples, from, w.maxEntries)
		switch c.Type {
		case EventCount:
			measure = float64(len(g.samples))
		default:
			for _, s := range g.samples {
				measure += s.v
			}
			if c.Type == ValueAvg {
				measure /= float64(len(g.samples))
			}
		}
	case ValueCount:
		if g.values == nil {
			g.values = map[string]time.Time{}
		}
		if o.value != "" {
			if prev, ok := g.values[o.value]; !ok || o.t.After(prev) {
				g.values[o.value] = o.t
			}
		}
		for v, t := range g.values {
			if t.Before(from) {
				delete(g.values, v)
			}
		}
		if len(g.values) > w.maxEntries {
			for v := range g.values { // drop arbitrary values to stay bounded
				delete(g.values, v)
				if len(g.values) <= w.maxEntries {
					break
				}
			}
		}
		measure = float64(len(g.values))
	case Temporal:
		if g.steps == nil {
			g.steps = make([]time.Time, len(c.Rules))
		}
		if o.t.After(g.steps[o.step]) {
			g.steps[o.step] = o.t
		}
		for _, t := range g.steps {
			if !t.IsZero() && !t.Before(from) {
				measure++
			}
		}
	case TemporalOrdered:
		if g.steps == nil {
			g.steps = make([]time.Time, len(c.Rules))
		}
		for i, t := range g.steps {
			if !t.IsZero() && t.Before(from) {
				g.steps[i] = time.Time{}
			}
		}
		if o.step == 0 {
			g.steps[0] = o.t // the latest start leaves the most room for the rest
		} else if prev := g.steps[o.step-1]; !prev.IsZero() && !o.t.Before(prev) && o.t.Sub(prev) <= span {
			if prev.After(g.steps[o.step]) {
				g.steps[o.step] = prev
			}
		}
		for _, t := range g.steps {
			if t.IsZero() {
				break
			}
			measure++
		}
		if measure < float64(len(c.Rules)) {
			return false, measure, time.Time{}
		}
	}
	if !c.Condition.Holds(measure) {
		return false, measure, time.Time{}
	}
	since := g.earliest(from)
	delete(w.groups, k)
	return true, measure, since
}

// earliest is the time of the oldest observation still in the window (from
// on) that the group holds: where a fired correlation's story begins.
func (g *group) earliest(from time.Time) time.Time {
	var t0 time.Time
	take := func(t time.Time) {
		if !t.IsZero() && !t.Before(from) && (t0.IsZero() || t.Before(t0)) {
			t0 = t
		}
	}
	for _, s := range g.samples {
		take(s.t)
	}
	for _, t := range g.values {
		take(t)
	}
	for _, t := range g.steps {
		take(t)
	}
	return t0
}

func pruneSamples(s []sample, from time.Time, max int) []sample {
	i := 0
	for i < len(s) && s[i].t.Before(from) {
		i++
	}
	if len(s)-i > max {
		i = len(s) - max
	}
	if i == 0 {
		return s
	}
	return append(s[:0], s[i:]...)
}

// sweep drops idle groups; now is the newest event time observed.
func (w *windows) sweep(now time.Time) {
	for k, g := range w.groups {
		if g.latest.Before(now.Add(-g.span)) {
			delete(w.groups, k)
			w.evicted++
		}
	}
	if len(w.groups) <= w.maxGroups {
		return
	}
	// Still too many live groups (a flood of distinct sources): drop the
	// least recently seen until a tenth of the room is free again.
	target := w.maxGroups - w.maxGroups/10
	for len(w.groups) > target {
		var oldestK groupKey
		var oldest time.Time
		first := true
		n := 0
		for k, g := range w.groups { // sample, not a full sort: bounded work
			if first || g.latest.Before(oldest) {
				oldestK, oldest, first = k, g.latest, false
			}
			if n++; n == 64 {
				break
			}
		}
		delete(w.groups, oldestK)
		w.evicted++
	}
}

// size reports the live groups and the groups evicted so far.
func (w *windows) size() (live, evicted int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.groups), w.evicted
}

// forget drops every window of a rule set for an org (when a set is
// disabled or its rules change).
func (w *windows) forget(set string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for k := range w.groups {
		if k.set == set {
			delete(w.groups, k)
		}
	}
}
