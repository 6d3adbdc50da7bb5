package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"

	"fenghuo/internal/fenghuo"
)

// FactType is the type of an incident fact.
type FactType string

const (
	FactBool    FactType = "bool"
	FactNumber  FactType = "number"
	FactInteger FactType = "integer"
	// FactEnum values are unordered: conditions may test equality only.
	FactEnum FactType = "enum"
	// FactOrdinal values are ordered from least to most severe: conditions
	// may also ask for "at least" a value.
	FactOrdinal FactType = "ordinal"
)

// FactDef describes one incident fact of plan-model.md. The names are a
// public contract shared by the API, the CLI and exports.
type FactDef struct {
	Key    string
	Type   FactType
	Values []string // enum and ordinal values; ordinals from least to most severe
	ZH, EN string
	Unit   string
	// Sector, when set, is the only sector whose units are asked for the
	// fact on the intake form (a school is not asked about broadcast
	// signals).
	Sector string
}

var (
	lossLevels   = []string{"minor", "significant", "serious", "especially_serious"}
	threatLevels = []string{"general", "relatively_serious", "serious", "especially_serious"}
	scopes       = []string{"county", "city", "multi_city", "province", "multi_province", "national"}
)

// factDefs is the catalogue of plan-model.md, in its order.
var factDefs = []FactDef{
	{Key: "important_system", Type: FactBool, ZH: "重要网络和信息系统", EN: "important network and information system"},
	{Key: "cii", Type: FactBool, ZH: "涉及关键信息基础设施", EN: "critical information infrastructure involved"},
	{Key: "operator_type", Type: FactEnum, Values: []string{"cii", "central_organ", "other"}, ZH: "运营者类型", EN: "operator type"},
	{Key: "outage_minutes", Type: FactNumber, Unit: "min", ZH: "系统整体中断时长", EN: "whole-system outage"},
	{Key: "main_function_outage_minutes", Type: FactNumber, Unit: "min", ZH: "主要功能中断时长", EN: "main-function outage"},
	{Key: "people_affected", Type: FactInteger, ZH: "影响人数", EN: "people affected"},
	{Key: "population_share_pct", Type: FactNumber, Unit: "%", ZH: "受影响人口占比", EN: "share of population affected"},
	{Key: "population_region_level", Type: FactOrdinal, Values: []string{"prefecture", "province"}, ZH: "受影响人口所在区域级别", EN: "region level of that share"},
	{Key: "personal_info_people", Type: FactInteger, ZH: "个人信息泄露人数", EN: "people whose personal information leaked"},
	{Key: "economic_loss_cny", Type: FactNumber, Unit: "CNY", ZH: "直接经济损失（元）", EN: "direct economic loss (yuan)"},
	{Key: "system_loss", Type: FactOrdinal, Values: lossLevels, ZH: "系统损失程度", EN: "system loss"},
	{Key: "data_threat", Type: FactOrdinal, Values: threatLevels, ZH: "数据丢失、窃取、篡改、假冒造成的威胁", EN: "threat from data loss, theft, tampering or forgery"},
	{Key: "social_impact", Type: FactOrdinal, Values: threatLevels, ZH: "其他威胁或影响", EN: "other threat or impact"},
	{Key: "site_unreachable_minutes", Type: FactNumber, Unit: "min", ZH: "网站无法访问时长", EN: "site unreachable"},
	{Key: "site_tier", Type: FactEnum, Values: []string{"provincial_gov_portal", "central_news", "city_gov_portal", "enterprise_portal", "provincial_news", "gov_portal", "news", "platform"}, ZH: "网站类别", EN: "site tier"},
	{Key: "defacement_homepage_minutes", Type: FactNumber, Unit: "min", ZH: "首页被篡改时长", EN: "homepage defaced"},
	{Key: "defacement_other_page_minutes", Type: FactNumber, Unit: "min", ZH: "其他页面被篡改时长", EN: "other page defaced"},
	{Key: "defacement_reposts", Type: FactInteger, ZH: "篡改信息转发量", EN: "reposts of the defaced content"},
	{Key: "defacement_views", Type: FactInteger, ZH: "篡改信息浏览量", EN: "views of the defaced content"},
	{Key: "broadcast_interruption_scope", Sector: "broadcast", Type: FactOrdinal, Values: scopes, ZH: "广播电视信号中断范围", EN: "scope of broadcast signal interruption"},
	{Key: "harmful_info_scope", Sector: "broadcast", Type: FactOrdinal, Values: scopes, ZH: "有害信息传播范围", EN: "scope of harmful-information spread"},
	// Extension for seed 003 §1.4: the level of the broadcast administration
	// (总局 / 省局 / 市县) whose government website, or the website of a unit
	// directly under it, was damaged.
	{Key: "broadcast_site_level", Sector: "broadcast", Type: FactOrdinal, Values: []string{"county", "city", "province", "national"}, ZH: "受损网站所属广电行政部门级别", EN: "level of the broadcast administration owning the damaged website"},
}

var factIndex = func() map[string]*FactDef {
	m := make(map[string]*FactDef, len(factDefs))
	for i := range factDefs {
		m[factDefs[i].Key] = &factDefs[i]
	}
	return m
}()

// FactDefs returns the catalogue of incident facts.
func FactDefs() []FactDef { return slices.Clone(factDefs) }

// FactsUsed returns the keys of the facts the plan's grading clauses and
// reporting routes test, in catalogue order: the facts worth asking for
// when an incident of a unit under this plan is entered.
func (p *Plan) FactsUsed() []string {
	used := map[string]bool{}
	var walk func(c *Condition)
	walk = func(c *Condition) {
		if c == nil {
			return
		}
		if c.Fact != "" {
			used[c.Fact] = true
		}
		for i := range c.All {
			walk(&c.All[i])
		}
		for i := range c.Any {
			walk(&c.Any[i])
		}
	}
	for i := range p.Grading.Clauses {
		walk(&p.Grading.Clauses[i].When)
	}
	for i := range p.Reporting {
		walk(p.Reporting[i].When)
	}
	var out []string
	for _, d := range factDefs {
		if used[d.Key] {
			out = append(out, d.Key)
		}
	}
	return out
}

// LookupFact returns the definition of a fact key.
func LookupFact(key string) (FactDef, bool) {
	d, ok := factIndex[key]
	if !ok {
		return FactDef{}, false
	}
	return *d, true
}

// rank returns the position of an ordinal or enum value, or -1.
func (d *FactDef) rank(v string) int { return slices.Index(d.Values, v) }

// Facts are the known facts of an incident. A missing key is unknown and
// satisfies no condition. Values are bool, float64 (numbers and integers)
// or string (enums and ordinals).
type Facts map[string]any

// ParseFacts reads a JSON object of facts, checking every key against the
// catalogue and every value against its type. The error names the key.
func ParseFacts(data []byte) (Facts, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var raw map[string]any
	if err := dec.Decode(&raw); err != nil {
		return nil, fenghuo.Errorf(fenghuo.EINVALID, "facts are not a JSON object: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fenghuo.Errorf(fenghuo.EINVALID, "facts: unexpected data after the JSON object")
	}
	facts := make(Facts, len(raw))
	for _, k := range sortedKeys(raw) {
		v, err := normalizeFact(k, raw[k])
		if err != nil {
			return nil, err
		}
		if v != nil {
			facts[k] = v
		}
	}
	return facts, nil
}

// Validate checks facts built in code (not parsed from JSON).
func (f Facts) Validate() error {
	var bad fenghuo.Invalid
	for _, k := range sortedKeys(f) {
		if _, err := normalizeFact(k, f[k]); err != nil {
			bad.Add(err)
		}
	}
	return bad.Err()
}

// normalizeFact checks one value and converts numbers to float64. A JSON
// null means "unknown" and is dropped.
func normalizeFact(key string, v any) (any, error) {
	def, ok := factIndex[key]
	if !ok {
		return nil, &fenghuo.Error{Code: fenghuo.EINVALID, Field: key,
			Message: "unknown fact" + suggest(key, factKeys())}
	}
	if v == nil {
		return nil, nil
	}
	// The error names the key in Field; Error() prints "key: message", so
	// the message does not repeat it.
	wrong := func(want string) error {
		return &fenghuo.Error{Code: fenghuo.EINVALID, Field: key,
			Message: fmt.Sprintf("must be %s, got %s", want, describeJSON(v))}
	}
	switch def.Type {
	case FactBool:
		b, ok := v.(bool)
		if !ok {
			return nil, wrong("true or false")
		}
		return b, nil
	case FactNumber, FactInteger:
		n, ok := toFloat(v)
		if !ok {
			return nil, wrong("a number")
		}
		if math.IsNaN(n) || math.IsInf(n, 0) || n < 0 {
			return nil, wrong("a number ≥ 0")
		}
		if def.Type == FactInteger && n != math.Trunc(n) {
			return nil, wrong("a whole number")
		}
		if key == "population_share_pct" && n > 100 {
			return nil, wrong("a percentage between 0 and 100")
		}
		return n, nil
	default:
		s, ok := v.(string)
		if !ok || def.rank(s) < 0 {
			return nil, wrong("one of " + strings.Join(def.Values, ", "))
		}
		return s, nil
	}
}

func toFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case float64:
		return n, true
	case float32:
		return float64(n), true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case uint64:
		return float64(n), true
	}
	return 0, false
}

func describeJSON(v any) string {
	switch t := v.(type) {
	case bool:
		return fmt.Sprintf("%t", t)
	case string:
		return fmt.Sprintf("%q", t)
	case json.Number:
		return t.String()
	case float64, int, int64:
		return fmt.Sprint(t)
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	}
	return fmt.Sprintf("%v", v)
}

func factKeys() []string {
	keys := make([]string, len(factDefs))
	for i, d := range factDefs {
		keys[i] = d.Key
	}
	return keys
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// suggest returns `; did you mean "x"?` for the closest candidate within a
// small edit distance, or "".
func suggest(s string, candidates []string) string {
	best, bestD := "", 4
	for _, c := range candidates {
		if d := editDistance(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
