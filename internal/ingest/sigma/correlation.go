package sigma

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Correlation types this engine evaluates (Sigma Correlation Rules
// Specification v2.1, section "Correlation Types"). value_percentile is
// refused at load time: it needs the whole population of values, which a
// streaming window does not keep.
const (
	EventCount      = "event_count"
	ValueCount      = "value_count"
	ValueSum        = "value_sum"
	ValueAvg        = "value_avg"
	Temporal        = "temporal"
	TemporalOrdered = "temporal_ordered"
)

// Duration is a correlation timespan: a number and one of s, m, h, d
// (specification section "Time Selection").
type Duration time.Duration

// String writes the timespan as the specification does ("5m", "1h", "1d").
func (d Duration) String() string {
	t := time.Duration(d)
	switch {
	case t%(24*time.Hour) == 0:
		return fmt.Sprintf("%dd", t/(24*time.Hour))
	case t%time.Hour == 0:
		return fmt.Sprintf("%dh", t/time.Hour)
	case t%time.Minute == 0:
		return fmt.Sprintf("%dm", t/time.Minute)
	}
	return fmt.Sprintf("%ds", t/time.Second)
}

// ParseTimespan reads "90m", "5m", "1h", "1d".
func ParseTimespan(s string) (Duration, error) {
	if len(s) < 2 {
		return 0, fmt.Errorf("timespan %q: expected a number and s, m, h or d (e.g. 5m)", s)
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("timespan %q: expected a positive number and s, m, h or d (e.g. 5m)", s)
	}
	unit := map[byte]time.Duration{'s': time.Second, 'm': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour}[s[len(s)-1]]
	if unit == 0 {
		return 0, fmt.Errorf("timespan %q: the unit must be s, m, h or d", s)
	}
	if time.Duration(n) > 31*24*time.Hour/unit {
		return 0, fmt.Errorf("timespan %q: longer than 31 days", s)
	}
	return Duration(time.Duration(n) * unit), nil
}

// Condition is a correlation condition: every bound given must hold
// (specification section "Condition": several operators are joined by AND).
type Condition struct {
	Field string // value_count, value_sum, value_avg: the field counted or summed
	Ops   map[string]float64
}

var conditionOps = []string{"gt", "gte", "lt", "lte", "eq", "neq"}

// Holds reports whether x satisfies every bound.
func (c Condition) Holds(x float64) bool {
	for op, v := range c.Ops {
		ok := true
		switch op {
		case "gt":
			ok = x > v
		case "gte":
			ok = x >= v
		case "lt":
			ok = x < v
		case "lte":
			ok = x <= v
		case "eq":
			ok = x == v
		case "neq":
			ok = x != v
		}
		if !ok {
			return false
		}
	}
	return true
}

func parseCorrelation(file string, root *yaml.Node) (*Correlation, error) {
	title := mapValue(root, "title")
	if title == nil || strings.TrimSpace(title.Value) == "" {
		return nil, errAt(file, root, "the correlation rule has no title")
	}
	c := &Correlation{Title: title.Value, File: file, Line: root.Line, Aliases: map[string]map[string]string{}}
	if n := mapValue(root, "id"); n != nil {
		c.ID = n.Value
	}
	if n := mapValue(root, "name"); n != nil {
		c.Name = n.Value
	}
	if n := mapValue(root, "description"); n != nil {
		c.Description = n.Value
	}
	if n := mapValue(root, "title_en"); n != nil {
		c.TitleEN = n.Value
	}
	if n := mapValue(root, "description_en"); n != nil {
		c.DescriptionEN = n.Value
	}
	if c.ID == "" {
		return nil, errAt(file, root, "correlation %q has no id (Fenghuo groups alerts by rule id)", c.Title)
	}
	var err error
	if c.Level, err = checkLevel(file, mapValue(root, "level")); err != nil {
		return nil, err
	}
	if c.Tags, err = stringList(file, mapValue(root, "tags"), "tags"); err != nil {
		return nil, err
	}
	if n := mapValue(root, "generate"); n != nil {
		c.Generate = n.Value == "true"
	}
	body := mapValue(root, "correlation")
	if body.Kind != yaml.MappingNode {
		return nil, errAt(file, body, "correlation must be a mapping (type, rules, group-by, timespan, condition)")
	}
	typ := mapValue(body, "type")
	if typ == nil {
		return nil, errAt(file, body, "correlation has no type")
	}
	c.Type = typ.Value
	switch c.Type {
	case EventCount, ValueCount, ValueSum, ValueAvg, Temporal, TemporalOrdered:
	case "value_percentile":
		return nil, errAt(file, typ, "correlation type value_percentile is not supported (it needs every value of the window)")
	default:
		return nil, errAt(file, typ, "correlation type %q is not one of event_count, value_count, value_sum, value_avg, temporal, temporal_ordered", c.Type)
	}
	if c.Rules, err = stringList(file, mapValue(body, "rules"), "rules"); err != nil {
		return nil, err
	}
	if len(c.Rules) == 0 {
		return nil, errAt(file, body, "correlation names no rules")
	}
	if c.GroupBy, err = stringList(file, mapValue(body, "group-by"), "group-by"); err != nil {
		return nil, err
	}
	ts := mapValue(body, "timespan")
	if ts == nil {
		return nil, errAt(file, body, "correlation has no timespan")
	}
	if c.Timespan, err = ParseTimespan(ts.Value); err != nil {
		return nil, errAt(file, ts, "%v", err)
	}
	if al := mapValue(body, "aliases"); al != nil {
		if al.Kind != yaml.MappingNode {
			return nil, errAt(file, al, "aliases must map an alias to rule names and fields")
		}
		for i := 0; i+1 < len(al.Content); i += 2 {
			alias, per := al.Content[i].Value, al.Content[i+1]
			if per.Kind != yaml.MappingNode {
				return nil, errAt(file, per, "alias %q must map rule names to fields", alias)
			}
			c.Aliases[alias] = map[string]string{}
			for j := 0; j+1 < len(per.Content); j += 2 {
				c.Aliases[alias][per.Content[j].Value] = per.Content[j+1].Value
			}
		}
	}
	cond := mapValue(body, "condition")
	switch c.Type {
	case Temporal, TemporalOrdered:
		// The condition is optional: by default every rule must be seen.
		c.Condition = Condition{Ops: map[string]float64{"gte": float64(len(c.Rules))}}
		if c.Type == TemporalOrdered && cond != nil {
			return nil, errAt(file, cond, "temporal_ordered takes no condition: every rule must be seen, in order")
		}
	default:
		if cond == nil {
			return nil, errAt(file, body, "correlation %s needs a condition (e.g. gte: 20)", c.Type)
		}
	}
	if cond != nil {
		if cond.Kind != yaml.MappingNode {
			return nil, errAt(file, cond, "condition must be a mapping such as {gte: 20}")
		}
		c.Condition = Condition{Ops: map[string]float64{}}
		for i := 0; i+1 < len(cond.Content); i += 2 {
			k, v := cond.Content[i], cond.Content[i+1]
			if k.Value == "field" {
				c.Condition.Field = v.Value
				continue
			}
			known := false
			for _, op := range conditionOps {
				known = known || op == k.Value
			}
			if !known {
				return nil, errAt(file, k, "condition operator %q is not one of gt, gte, lt, lte, eq, neq", k.Value)
			}
			x, err := strconv.ParseFloat(v.Value, 64)
			if err != nil {
				return nil, errAt(file, v, "condition %s: %q is not a number", k.Value, v.Value)
			}
			c.Condition.Ops[k.Value] = x
		}
		if len(c.Condition.Ops) == 0 {
			return nil, errAt(file, cond, "condition has no bound (gt, gte, lt, lte, eq or neq)")
		}
		needsField := c.Type == ValueCount || c.Type == ValueSum || c.Type == ValueAvg
		if needsField && c.Condition.Field == "" {
			return nil, errAt(file, cond, "correlation %s needs condition.field", c.Type)
		}
	}
	return c, nil
}

// orderCorrelations sorts correlations so that each comes after the
// correlations it refers to (chains, specification section "Example"), and
// refuses cycles.
func orderCorrelations(cs []*Correlation) ([]*Correlation, error) {
	byRef := map[string]*Correlation{}
	for _, c := range cs {
		byRef[c.ID] = c
		if c.Name != "" {
			byRef[c.Name] = c
		}
	}
	const (
		unseen = iota
		visiting
		done
	)
	state := map[*Correlation]int{}
	var out []*Correlation
	var visit func(c *Correlation) error
	visit = func(c *Correlation) error {
		switch state[c] {
		case visiting:
			return &Error{File: c.File, Line: c.Line, Msg: fmt.Sprintf("correlation %q refers to itself through other correlations", c.Title)}
		case done:
			return nil
		}
		state[c] = visiting
		for _, ref := range c.Rules {
			if d, ok := byRef[ref]; ok {
				if err := visit(d); err != nil {
					return err
				}
			}
		}
		state[c] = done
		out = append(out, c)
		return nil
	}
	for _, c := range cs {
		if err := visit(c); err != nil {
			return nil, err
		}
	}
	return out, nil
}
