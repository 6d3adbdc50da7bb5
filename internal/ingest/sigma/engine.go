// Package sigma evaluates Sigma rules (github.com/bradleyjkemp/sigma-go)
// and Sigma correlation rules (thresholds over windows, written here) on
// normalised events, as an ingest.Detector. Rule sets are data: the built-in
// ones are embedded YAML under rules/<set>/, an org's own rules are uploaded
// through internal/app/detection. Which sets apply to an event is asked of
// an Enabled function given at construction, per event's org.
package sigma

import (
	"context"
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	sigmago "github.com/bradleyjkemp/sigma-go"
	"github.com/bradleyjkemp/sigma-go/evaluator"

	"fenghuo/internal/ingest"
)

//go:embed fieldmap.yml
var fieldmapYAML []byte

var (
	configOnce sync.Once
	baseConfig sigmago.Config
	configErr  error
)

// FieldConfig is the embedded Sigma configuration mapping SigmaHQ field
// names to Fenghuo's ECS-style event fields (fieldmap.yml).
func FieldConfig() (sigmago.Config, error) {
	configOnce.Do(func() {
		baseConfig, configErr = sigmago.ParseConfig(fieldmapYAML)
		if configErr == nil && len(baseConfig.FieldMappings) == 0 {
			configErr = fmt.Errorf("fieldmap.yml maps no field")
		}
	})
	return baseConfig, configErr
}

// HourLocal is a field the engine derives for rules that use it: the hour
// (0–23, a number) of Event.Time in China Standard Time. China keeps UTC+8
// all year (no daylight saving since 1991), so a fixed zone is exact and
// needs no time-zone database. Rules compare it with lt/gte (e.g. log-ins
// between 00:00 and 06:00: event.hour_local|lt: 6).
const HourLocal = "event.hour_local"

var chinaTime = time.FixedZone("CST", 8*3600)

// EnabledFunc says whether a rule set applies to the events of an org.
type EnabledFunc func(org int64, ruleSet string) bool

// Engine is an ingest.Detector over rule sets. It is safe for concurrent
// use; Replace swaps the rule sets atomically.
type Engine struct {
	enabled EnabledFunc
	sets    atomic.Pointer[[]*compiledSet]
	windows *windows
}

type compiledSet struct {
	set   *RuleSet
	rules []*compiledRule
	corrs []*compiledCorr // in dependency order
}

type compiledRule struct {
	*Rule
	eval       *evaluator.RuleEvaluator
	want       logsource
	emit       bool // false when only correlations use it (generate: false)
	correlated bool
	derived    bool // reads HourLocal
	quick      quickRule
}

type compiledCorr struct {
	*Correlation
	tags []string
	emit bool // false for a correlation that only an outer correlation uses
}

// NewEngine builds an engine over sets; enabled is asked per event and set.
func NewEngine(enabled EnabledFunc, sets ...*RuleSet) (*Engine, error) {
	if enabled == nil {
		return nil, fmt.Errorf("sigma: NewEngine needs an Enabled function")
	}
	e := &Engine{enabled: enabled, windows: newWindows()}
	if err := e.Replace(sets...); err != nil {
		return nil, err
	}
	return e, nil
}

// Replace makes sets the engine's rule sets. Windows of sets whose rules
// changed are dropped (their counts referred to the old rules).
func (e *Engine) Replace(sets ...*RuleSet) error {
	cfg, err := FieldConfig()
	if err != nil {
		return err
	}
	compiled := make([]*compiledSet, 0, len(sets))
	for _, s := range sets {
		cs, err := compileSet(s, cfg)
		if err != nil {
			return err
		}
		compiled = append(compiled, cs)
	}
	old := e.sets.Swap(&compiled)
	if old != nil {
		keep := map[*RuleSet]bool{}
		for _, s := range sets {
			keep[s] = true
		}
		for _, cs := range *old {
			if !keep[cs.set] {
				e.windows.forget(cs.set.Name)
			}
		}
	}
	return nil
}

// Sets returns the rule sets the engine evaluates.
func (e *Engine) Sets() []*RuleSet {
	p := e.sets.Load()
	out := make([]*RuleSet, 0, len(*p))
	for _, cs := range *p {
		out = append(out, cs.set)
	}
	return out
}

// WindowGroups reports the correlation groups held in memory and how many
// were evicted, for tests and monitoring.
func (e *Engine) WindowGroups() (live, evicted int) { return e.windows.size() }

func compileSet(s *RuleSet, cfg sigmago.Config) (*compiledSet, error) {
	cs := &compiledSet{set: s}
	order, err := orderCorrelations(s.Correlations)
	if err != nil {
		return nil, err
	}
	hidden, used := map[string]bool{}, map[string]bool{}
	for _, c := range order {
		for _, r := range c.Rules {
			used[r] = true
			if !c.Generate {
				hidden[r] = true
			}
		}
	}
	byRef := map[string]*Rule{}
	targets := func(field string) []string {
		return append(append([]string(nil), cfg.FieldMappings[field].TargetNames...), field)
	}
	for _, r := range s.Rules {
		ev := evaluator.ForRule(r.Sigma, evaluator.WithConfig(cfg, identityConfig(r.Sigma)))
		cr := &compiledRule{
			Rule: r,
			eval: ev,
			want: logsource{
				product:  add(nil, r.Sigma.Logsource.Product),
				service:  add(nil, r.Sigma.Logsource.Service),
				category: add(nil, r.Sigma.Logsource.Category),
			},
			correlated: used[r.ID] || (r.Name != "" && used[r.Name]),
			quick:      compileQuick(r.Sigma, targets),
		}
		cr.emit = !(hidden[r.ID] || (r.Name != "" && hidden[r.Name]))
		for _, f := range ruleFields(r.Sigma) {
			cr.derived = cr.derived || f == HourLocal
		}
		cs.rules = append(cs.rules, cr)
		byRef[r.ID] = r
		if r.Name != "" {
			byRef[r.Name] = r
		}
	}
	for _, c := range order {
		cc := &compiledCorr{Correlation: c, tags: c.Tags, emit: !(hidden[c.ID] || (c.Name != "" && hidden[c.Name]))}
		if len(cc.tags) == 0 { // inherit the correlated rules' tags (for the ATT&CK → category mapping)
			for _, ref := range c.Rules {
				if r := byRef[ref]; r != nil {
					for _, t := range r.Tags {
						if !has(cc.tags, t) {
							cc.tags = append(cc.tags, t)
						}
					}
				}
			}
		}
		cs.corrs = append(cs.corrs, cc)
	}
	return cs, nil
}

// ruleFields lists the field names a rule's searches read.
func ruleFields(r sigmago.Rule) []string {
	var out []string
	for _, s := range r.Detection.Searches {
		for _, m := range s.EventMatchers {
			for _, f := range m {
				out = append(out, f.Field)
			}
		}
	}
	return out
}

// identityConfig maps every field a rule reads to its own name (sigma-go
// adds these targets to those of the field configuration). Going through a mapping makes sigma-go spread multi-valued
// fields ([]string, such as event.category) into their values, and keeps
// rules written with our own ECS names working.
func identityConfig(r sigmago.Rule) sigmago.Config {
	out := sigmago.Config{FieldMappings: map[string]sigmago.FieldMapping{}}
	for _, f := range ruleFields(r) {
		out.FieldMappings[f] = sigmago.FieldMapping{TargetNames: []string{f}}
	}
	return out
}

// lookup reads a field by its Sigma or ECS name: the mapped ECS names
// first, then the name as written.
func lookup(ev *ingest.Event, name string) string {
	cfg, _ := FieldConfig()
	for _, t := range cfg.FieldMappings[name].TargetNames {
		if v := ev.Str(t); v != "" {
			return v
		}
	}
	return ev.Str(name)
}

func ecsName(name string) string {
	cfg, _ := FieldConfig()
	if t := cfg.FieldMappings[name].TargetNames; len(t) > 0 {
		return t[0]
	}
	return name
}

// DefaultEntity is what an alert is about when a rule names no `fields`:
// the first of these present in the event.
var DefaultEntity = []string{"source.ip", "user.name", "host.name"}

func entityOf(ev *ingest.Event, fields []string) string {
	for _, list := range [][]string{fields, DefaultEntity} {
		for _, f := range list {
			if v := lookup(ev, f); v != "" {
				return ecsName(f) + "=" + v
			}
		}
	}
	return ""
}

// Detect evaluates the enabled rule sets of src.Org on ev.
func (e *Engine) Detect(ctx context.Context, src ingest.Source, ev *ingest.Event) []ingest.Match {
	sets := *e.sets.Load()
	var out []ingest.Match
	var ls *logsource
	var derived map[string]any
	quick := quickEvent{fields: ev.Fields}
	var quickDerived *quickEvent
	for _, cs := range sets {
		if !e.enabled(src.Org, cs.set.Name) {
			continue
		}
		if ls == nil {
			l := logsourceOf(ev)
			ls = &l
		}
		var matched map[string]bool
		for _, r := range cs.rules {
			if !ls.meets(&r.want) {
				continue
			}
			fields, q := ev.Fields, &quick
			if r.derived {
				if derived == nil {
					derived = withDerived(ev)
					quickDerived = &quickEvent{fields: derived, lower: quick.lower}
				}
				fields, q = derived, quickDerived
			}
			if !r.quick.mayMatch(q) {
				continue
			}
			res, err := r.eval.Matches(ctx, fields)
			if err != nil || !res.Match {
				continue
			}
			if r.emit {
				out = append(out, sigmaMatch(cs.set.Name, r.Rule, ev))
			}
			if r.correlated {
				if matched == nil {
					matched = map[string]bool{}
				}
				matched[r.ID] = true
				if r.Name != "" {
					matched[r.Name] = true
				}
			}
		}
		if matched == nil {
			continue
		}
		for _, c := range cs.corrs {
			if m, ok := e.correlate(src, cs.set.Name, c, ev, matched); ok {
				if c.emit {
					out = append(out, m)
				}
				matched[c.ID] = true
				if c.Name != "" {
					matched[c.Name] = true
				}
			}
		}
	}
	return out
}

func withDerived(ev *ingest.Event) map[string]any {
	m := make(map[string]any, len(ev.Fields)+1)
	for k, v := range ev.Fields {
		m[k] = v
	}
	t := ev.Time
	if t.IsZero() {
		t = ev.Received
	}
	m[HourLocal] = float64(t.In(chinaTime).Hour())
	return m
}

func sigmaMatch(set string, r *Rule, ev *ingest.Event) ingest.Match {
	m := ingest.Match{
		Kind: ingest.MatchSigma, RuleSet: set, RuleID: r.ID, Title: r.Title,
		Level: r.Level, Tags: r.Tags, Entity: entityOf(ev, r.Fields),
	}
	for _, f := range r.TitleFields {
		if v := lookup(ev, f); v != "" {
			m.Title = v
			break
		}
	}
	for _, f := range r.IDFields {
		if v := lookup(ev, f); v != "" {
			m.RuleID = r.ID + ":" + v
			break
		}
	}
	return m
}

// correlate feeds the event to one correlation for every rule it refers to
// that matched, and returns a threshold match when its condition holds.
func (e *Engine) correlate(src ingest.Source, set string, c *compiledCorr, ev *ingest.Event, matched map[string]bool) (ingest.Match, bool) {
	t := ev.Time
	if t.IsZero() {
		t = ev.Received
	}
	for step, ref := range c.Rules {
		if !matched[ref] {
			continue
		}
		key, entity := groupOf(c.Correlation, ref, ev)
		o := observation{step: step, t: t}
		if f := c.Condition.Field; f != "" {
			o.value = lookup(ev, f)
			o.num, _ = strconv.ParseFloat(o.value, 64)
		}
		fired, measure, since := e.windows.observe(groupKey{org: src.Org, set: set, corr: c.ID, key: key}, c.Correlation, o)
		if !fired {
			continue
		}
		if entity == "" {
			entity = entityOf(ev, nil)
		}
		return ingest.Match{
			Kind: ingest.MatchThreshold, RuleSet: set, RuleID: c.ID, Title: c.Title,
			Level: c.Level, Tags: c.tags, Entity: entity, Since: since, Count: thresholdCount(c.Correlation, measure),
		}, true
	}
	return ingest.Match{}, false
}

// groupOf returns the group-by key of an event for a correlation and the
// entity text naming it ("source.ip=203.0.113.9"). Aliases (specification
// section "Field Name Aliases") pick the field per correlated rule name.
func groupOf(c *Correlation, ref string, ev *ingest.Event) (key, entity string) {
	parts := make([]string, 0, len(c.GroupBy))
	for _, g := range c.GroupBy {
		field := g
		if per, ok := c.Aliases[g]; ok {
			field = per[ref]
		}
		v := ""
		if field != "" {
			v = lookup(ev, field)
		}
		name := g
		if _, ok := c.Aliases[g]; !ok {
			name = ecsName(g)
		}
		parts = append(parts, name+"="+v)
	}
	s := strings.Join(parts, ",")
	return s, s
}

// thresholdCount is how many events a fired correlation stands for: the
// events it counted (event_count), the distinct values (value_count: at
// least one event each) or the rules seen (temporal); 1 for the sums and
// averages, whose measure is not a number of events.
func thresholdCount(c *Correlation, measure float64) int {
	switch c.Type {
	case EventCount, ValueCount, Temporal, TemporalOrdered:
		if measure >= 1 && measure < 1e9 {
			return int(measure)
		}
	}
	return 1
}
