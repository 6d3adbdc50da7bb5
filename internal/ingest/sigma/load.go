package sigma

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"path"
	"regexp"
	"sort"
	"strings"

	sigmago "github.com/bradleyjkemp/sigma-go"
	"github.com/bradleyjkemp/sigma-go/evaluator/modifiers"
	"gopkg.in/yaml.v3"
)

// Levels are the Sigma severity levels, mildest first.
var Levels = []string{"informational", "low", "medium", "high", "critical"}

// MaxRuleBytes bounds one uploaded rule file.
const MaxRuleBytes = 256 << 10

// Rule is one Sigma detection rule as loaded: the parsed sigma-go rule plus
// what Fenghuo reads from it.
type Rule struct {
	Sigma sigmago.Rule
	ID    string
	Name  string // the optional `name`, used by correlation rules to refer to it
	Title string
	// TitleEN and DescriptionEN are Fenghuo's attributes title_en and
	// description_en: the English wording of a rule whose title is Chinese
	// (the built-in rules), for English pages.
	TitleEN, DescriptionEN string
	Level                  string
	Tags                   []string
	Fields                 []string // the rule's `fields`: the first one present names the alert's entity
	// TitleFields and IDFields are Fenghuo's own attributes (title_fields,
	// rule_id_fields): when the event carries one of these fields, the
	// match takes its title from it and appends its value to the rule id,
	// so that IDS alerts keep the sensor's own signature name and group by
	// signature.
	TitleFields []string
	IDFields    []string
	File        string
	Line        int
}

// Correlation is one Sigma correlation rule (specification v2, "Sigma
// Correlation Rules Specification"): a count, a distinct-value count, a sum
// or an ordering of other rules' matches over a time window.
type Correlation struct {
	ID, Name, Title, Level string
	Description            string
	TitleEN, DescriptionEN string
	Tags                   []string
	Type                   string   // event_count, value_count, value_sum, value_avg, temporal, temporal_ordered
	Rules                  []string // ids or names of the rules it correlates
	GroupBy                []string
	Aliases                map[string]map[string]string // alias → rule name → field
	Timespan               Duration
	Condition              Condition
	Generate               bool
	File                   string
	Line                   int
}

// RuleSet is a named collection of rules and correlations, loaded from one
// directory (built in) or from an org's uploads.
type RuleSet struct {
	Name         string
	Rules        []*Rule
	Correlations []*Correlation
}

// Count is the number of rules a person would count in the set: rules
// referenced only by a correlation (generate: false) are part of it, not
// rules of their own.
func (s *RuleSet) Count() int {
	hidden := map[string]bool{}
	for _, c := range s.Correlations {
		if !c.Generate {
			for _, r := range c.Rules {
				hidden[r] = true
			}
		}
	}
	n := 0
	for _, c := range s.Correlations {
		if !hidden[c.ID] && (c.Name == "" || !hidden[c.Name]) {
			n++
		}
	}
	for _, r := range s.Rules {
		if !hidden[r.ID] && (r.Name == "" || !hidden[r.Name]) {
			n++
		}
	}
	return n
}

// RuleInfo describes one rule of a set for people: what it detects and how
// severe a match is.
type RuleInfo struct {
	ID            string
	Title         string
	Description   string
	TitleEN       string
	DescriptionEN string
	Level         string
	Tags          []string
	Threshold     bool   // a correlation rule (a count over a window)
	Window        string // the correlation's timespan, e.g. "5m"
	File          string
}

// Listing returns the rules a person counts in the set (see Count), in file
// order.
func (s *RuleSet) Listing() []RuleInfo {
	hidden := map[string]bool{}
	for _, c := range s.Correlations {
		if !c.Generate {
			for _, r := range c.Rules {
				hidden[r] = true
			}
		}
	}
	var out []RuleInfo
	for _, c := range s.Correlations {
		if !hidden[c.ID] && (c.Name == "" || !hidden[c.Name]) {
			out = append(out, RuleInfo{ID: c.ID, Title: c.Title, Description: c.Description, TitleEN: c.TitleEN,
				DescriptionEN: c.DescriptionEN, Level: c.Level, Tags: c.Tags, Threshold: true, Window: c.Timespan.String(), File: c.File})
		}
	}
	for _, r := range s.Rules {
		if !hidden[r.ID] && (r.Name == "" || !hidden[r.Name]) {
			out = append(out, RuleInfo{ID: r.ID, Title: r.Title, Description: r.Sigma.Description, TitleEN: r.TitleEN,
				DescriptionEN: r.DescriptionEN, Level: r.Level, Tags: r.Tags, File: r.File})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].File < out[j].File })
	return out
}

// Error is a rule that cannot be loaded, with where it is.
type Error struct {
	File string
	Line int // 1-based; 0 when unknown
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

func errAt(file string, n *yaml.Node, format string, args ...any) *Error {
	line := 0
	if n != nil {
		line = n.Line
	}
	return &Error{File: file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// LoadDir loads every *.yml and *.yaml file under dir of fsys into one rule
// set named name, in file-name order. All problems are returned joined
// (each an *Error), so a person fixing rules sees them at once.
func LoadDir(fsys fs.FS, dir, name string) (*RuleSet, error) {
	var files []string
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".yaml")) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	set := &RuleSet{Name: name}
	var errs []error
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		rules, corrs, err := Parse(f, data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		set.Rules = append(set.Rules, rules...)
		set.Correlations = append(set.Correlations, corrs...)
	}
	if err := set.Check(); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return set, nil
}

// Parse reads one rule file: one or more YAML documents, each a detection
// rule (with `detection`) or a correlation rule (with `correlation`).
func Parse(file string, data []byte) ([]*Rule, []*Correlation, error) {
	if len(data) > MaxRuleBytes {
		return nil, nil, &Error{File: file, Msg: fmt.Sprintf("file larger than %d bytes", MaxRuleBytes)}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var rules []*Rule
	var corrs []*Correlation
	var errs []error
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			errs = append(errs, yamlError(file, err))
			break
		}
		if len(doc.Content) == 0 {
			continue
		}
		root := doc.Content[0]
		if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
			continue // an empty document, e.g. after a trailing ---
		}
		if root.Kind != yaml.MappingNode {
			errs = append(errs, errAt(file, root, "a rule must be a mapping of attributes (title, detection …)"))
			continue
		}
		switch {
		case mapValue(root, "correlation") != nil:
			c, err := parseCorrelation(file, root)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			corrs = append(corrs, c)
		default:
			r, err := parseRule(file, root)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			rules = append(rules, r)
		}
	}
	if len(errs) > 0 {
		return nil, nil, errors.Join(errs...)
	}
	if len(rules)+len(corrs) == 0 {
		return nil, nil, &Error{File: file, Msg: "no rule in the file"}
	}
	return rules, corrs, nil
}

// yamlError turns yaml.v3's "yaml: line N: msg" into file:N: msg.
func yamlError(file string, err error) *Error {
	msg := err.Error()
	var line int
	if _, scanErr := fmt.Sscanf(msg, "yaml: line %d:", &line); scanErr == nil {
		if i := strings.Index(msg, ": "); i >= 0 {
			rest := msg[i+2:]
			if j := strings.Index(rest, ": "); j >= 0 {
				msg = rest[j+2:]
			}
		}
		return &Error{File: file, Line: line, Msg: "not valid YAML: " + msg}
	}
	return &Error{File: file, Msg: "not valid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}

func mapValue(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func mapKey(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i]
		}
	}
	return nil
}

// stringList reads a scalar or a list of scalars.
func stringList(file string, n *yaml.Node, what string) ([]string, error) {
	if n == nil {
		return nil, nil
	}
	switch n.Kind {
	case yaml.ScalarNode:
		return []string{n.Value}, nil
	case yaml.SequenceNode:
		out := make([]string, 0, len(n.Content))
		for _, c := range n.Content {
			if c.Kind != yaml.ScalarNode {
				return nil, errAt(file, c, "%s: expected a list of names", what)
			}
			out = append(out, c.Value)
		}
		return out, nil
	}
	return nil, errAt(file, n, "%s: expected a name or a list of names", what)
}

func checkLevel(file string, n *yaml.Node) (string, error) {
	if n == nil {
		return "medium", nil
	}
	for _, l := range Levels {
		if n.Value == l {
			return l, nil
		}
	}
	return "", errAt(file, n, "level %q is not one of %s", n.Value, strings.Join(Levels, ", "))
}

func parseRule(file string, root *yaml.Node) (*Rule, error) {
	title := mapValue(root, "title")
	if title == nil || strings.TrimSpace(title.Value) == "" {
		return nil, errAt(file, root, "the rule has no title")
	}
	if len(title.Value) > 256 {
		return nil, errAt(file, title, "title longer than 256 characters")
	}
	id := mapValue(root, "id")
	if id == nil || strings.TrimSpace(id.Value) == "" {
		return nil, errAt(file, root, "rule %q has no id (Fenghuo groups alerts by rule id)", title.Value)
	}
	det := mapValue(root, "detection")
	if det == nil {
		return nil, errAt(file, root, "rule %q has no detection", title.Value)
	}
	if det.Kind != yaml.MappingNode {
		return nil, errAt(file, det, "detection must be a mapping of searches and a condition")
	}
	if mapValue(det, "condition") == nil {
		return nil, errAt(file, det, "detection has no condition")
	}
	var r sigmago.Rule
	if err := root.Decode(&r); err != nil {
		return nil, errAt(file, det, "%s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	// Collect every problem of the rule, so one pass fixes them all.
	var errs []error
	level, err := checkLevel(file, mapValue(root, "level"))
	if err != nil {
		errs = append(errs, err)
	}
	out := &Rule{Sigma: r, ID: r.ID, Title: r.Title, Level: level, Tags: r.Tags, File: file, Line: root.Line}
	if n := mapValue(root, "name"); n != nil {
		out.Name = n.Value
	}
	if n := mapValue(root, "title_en"); n != nil {
		out.TitleEN = n.Value
	}
	if n := mapValue(root, "description_en"); n != nil {
		out.DescriptionEN = n.Value
	}
	if out.Fields, err = stringList(file, mapValue(root, "fields"), "fields"); err != nil {
		errs = append(errs, err)
	}
	if out.TitleFields, err = stringList(file, mapValue(root, "title_fields"), "title_fields"); err != nil {
		errs = append(errs, err)
	}
	if out.IDFields, err = stringList(file, mapValue(root, "rule_id_fields"), "rule_id_fields"); err != nil {
		errs = append(errs, err)
	}
	if err := checkDetection(file, det, &out.Sigma); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(flatten(errs)...)
	}
	return out, nil
}

// flatten spreads joined errors and orders located ones by line.
func flatten(errs []error) []error {
	var out []error
	var walk func(error)
	walk = func(err error) {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		out = append(out, err)
	}
	for _, e := range errs {
		walk(e)
	}
	line := func(e error) int {
		if le, ok := e.(*Error); ok {
			return le.Line
		}
		return 0
	}
	sort.SliceStable(out, func(i, j int) bool { return line(out[i]) < line(out[j]) })
	return out
}

// checkDetection rejects at load time what sigma-go would only fail on
// while evaluating (so that a bad rule never silently matches nothing), and
// turns `field: null` into sigma-go's spelling of "field absent".
func checkDetection(file string, det *yaml.Node, r *sigmago.Rule) error {
	var errs []error
	fail := func(e *Error) { errs = append(errs, e) }
	for name, search := range r.Detection.Searches {
		keyNode := mapKey(det, name)
		if len(search.Keywords) > 0 {
			fail(errAt(file, keyNode, "search %q: keyword lists are not supported; name the field (e.g. message|contains)", name))
			continue
		}
		for mi := range search.EventMatchers {
			for fi := range search.EventMatchers[mi] {
				fm := &search.EventMatchers[mi][fi]
				line, _ := fm.Position()
				at := &yaml.Node{Line: line + 1}
				mods := fm.Modifiers
				if len(mods) > 0 && mods[len(mods)-1] == "all" {
					mods = mods[:len(mods)-1]
				}
				if _, err := modifiers.GetComparator(fm.Field, nil, mods...); err != nil {
					fail(errAt(file, at, "%s: %v", fm.Field, err))
					continue
				}
				for vi, v := range fm.Values {
					switch v := v.(type) {
					case nil:
						if len(mods) > 0 {
							fail(errAt(file, at, "%s: null cannot take a modifier", fm.Field))
							continue
						}
						fm.Values[vi] = "null"
					case string:
						if strings.HasPrefix(v, "%") && strings.HasSuffix(v, "%") && len(v) > 1 {
							fail(errAt(file, at, "%s: placeholders (%s) are not supported", fm.Field, v))
						}
						if has(mods, "re") {
							if _, err := regexp.Compile(v); err != nil {
								fail(errAt(file, at, "%s: not a regular expression: %v", fm.Field, err))
							}
						}
						if has(mods, "cidr") {
							if _, _, err := net.ParseCIDR(v); err != nil {
								fail(errAt(file, at, "%s: not an address range: %v", fm.Field, err))
							}
						}
					case int, float64, bool:
					default:
						fail(errAt(file, at, "%s: value must be a string, number or boolean", fm.Field))
					}
				}
			}
		}
	}
	condNode := mapValue(det, "condition")
	if len(r.Detection.Conditions) == 0 {
		fail(errAt(file, condNode, "detection has no condition"))
	}
	for _, c := range r.Detection.Conditions {
		if c.Aggregation != nil {
			fail(errAt(file, condNode, "aggregations in conditions (| count() …) are obsolete; write a correlation rule instead"))
		}
		if err := checkIdentifiers(c.Search, r.Detection.Searches); err != nil {
			fail(errAt(file, condNode, "%v", err))
		}
	}
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].(*Error).Line < errs[j].(*Error).Line })
	return errors.Join(errs...)
}

func checkIdentifiers(e sigmago.SearchExpr, searches map[string]sigmago.Search) error {
	switch s := e.(type) {
	case sigmago.And:
		for _, n := range s {
			if err := checkIdentifiers(n, searches); err != nil {
				return err
			}
		}
	case sigmago.Or:
		for _, n := range s {
			if err := checkIdentifiers(n, searches); err != nil {
				return err
			}
		}
	case sigmago.Not:
		return checkIdentifiers(s.Expr, searches)
	case sigmago.SearchIdentifier:
		if _, ok := searches[s.Name]; !ok {
			return fmt.Errorf("condition names %q, which is not a search of this rule", s.Name)
		}
	case sigmago.OneOfPattern:
		if _, err := path.Match(s.Pattern, ""); err != nil {
			return fmt.Errorf("condition pattern %q: %v", s.Pattern, err)
		}
	case sigmago.AllOfPattern:
		if _, err := path.Match(s.Pattern, ""); err != nil {
			return fmt.Errorf("condition pattern %q: %v", s.Pattern, err)
		}
	}
	return nil
}

// Check verifies references across the set: unique ids, correlations
// naming rules that exist, no reference cycles.
func (s *RuleSet) Check() error {
	var errs []error
	byRef := map[string]bool{}
	seen := map[string]string{}
	note := func(id, file string, line int) {
		if prev, ok := seen[id]; ok {
			errs = append(errs, &Error{File: file, Line: line, Msg: fmt.Sprintf("id %q already used in %s", id, prev)})
		}
		seen[id] = fmt.Sprintf("%s:%d", file, line)
	}
	for _, r := range s.Rules {
		note(r.ID, r.File, r.Line)
		byRef[r.ID] = true
		if r.Name != "" {
			byRef[r.Name] = true
		}
	}
	for _, c := range s.Correlations {
		if c.ID != "" {
			note(c.ID, c.File, c.Line)
			byRef[c.ID] = true
		}
		if c.Name != "" {
			byRef[c.Name] = true
		}
	}
	for _, c := range s.Correlations {
		for _, ref := range c.Rules {
			if !byRef[ref] {
				errs = append(errs, &Error{File: c.File, Line: c.Line, Msg: fmt.Sprintf("correlation %q refers to rule %q, which is not in the rule set", c.Title, ref)})
			}
		}
	}
	if len(errs) == 0 {
		if _, err := orderCorrelations(s.Correlations); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
