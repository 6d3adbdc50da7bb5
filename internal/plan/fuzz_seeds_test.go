package plan

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"fenghuo/internal/fuzzseed"
)

// Hostile plan documents and facts: they seed FuzzParse and FuzzParseFacts
// (testdata/fuzz/, written by TestWritePlanFuzzSeeds) and
// TestHostilePlans checks each is refused with a located error or parsed.

// caseTraps are characters whose case mapping has another length in UTF-8
// or folds onto ASCII (Ω ohm sign, K kelvin sign).
var caseTraps = []string{"Ⱥ", "\xff", "İ", "ẞ", "\u2126", "\u212A", "ﬀ", "ΐ"}

func hostilePlans() map[string][]byte {
	out := map[string][]byte{}
	for i, t := range caseTraps {
		// The trap in ids, keys, enum values, fact names and text.
		doc := strings.NewReplacer(
			"id: test-plan", "id: test-"+t,
			"outage_minutes", "outage_minutes"+t,
			"color: red", "color: r"+t+"d",
			"中断2小时以上。", t+"中断2小时以上。"+t,
			"role: operator", "role: OPERATOR"+t,
			"due: 2h", "due: 2"+t+"h",
			"categories: [MI]", "categories: [M"+t+"]",
		).Replace(minimalPlan)
		out[fmt.Sprintf("trap-%d", i)] = []byte(doc)
		out[fmt.Sprintf("trap-key-%d", i)] = []byte(strings.Replace(minimalPlan, "version:", "versİon"+t+":", 1))
		out[fmt.Sprintf("trap-text-%d", i)] = []byte(strings.Replace(minimalPlan, "中断2小时以上。", strings.Repeat(t, 50), 1))
	}
	out["invalid-utf8"] = []byte(strings.Replace(minimalPlan, "测试预案", "\xff\xfe\xc0\xaf\xed\xa0\x80", 1))
	out["invalid-utf8-key"] = []byte("\xff: 1\n" + minimalPlan)
	out["nul-bytes"] = []byte(strings.Replace(minimalPlan, "version: \"1\"", "version: \"1\x00\"\n\x00: \x00", 1))
	out["nul-only"] = bytes.Repeat([]byte{0}, 1024)
	out["entities"] = []byte(strings.Replace(minimalPlan, "中断2小时以上。", "'&#xZZ; &am &#99999999999; \\u00'", 1))
	out["deep-flow-20000"] = []byte("id: " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "\n")
	out["deep-flow-open"] = []byte("grading: " + strings.Repeat("{a: ", 20000) + "\n")
	// 20,000 nested conditions are refused by the YAML parser (depth
	// 10,000), 4,000 (8,000 YAML levels) by Parse (maxPlanDepth), 40
	// reach validation and grading.
	for _, n := range []int{20000, 4000, 40} {
		var nested strings.Builder
		nested.WriteString(strings.SplitAfter(minimalPlan, "      when:\n")[0] + "        ")
		for i := 0; i < n; i++ {
			nested.WriteString("{all: [")
		}
		nested.WriteString("{fact: outage_minutes, gte: 1}")
		nested.WriteString(strings.Repeat("]}", n))
		nested.WriteString("\n")
		out[fmt.Sprintf("deep-all-%d", n)] = []byte(nested.String())
	}
	var many strings.Builder
	many.WriteString(strings.SplitAfter(minimalPlan, "  clauses:\n")[0])
	for i := 0; i < 3000; i++ {
		fmt.Fprintf(&many, "    - {id: c%d, grade: I, text: t, when: {fact: people_affected, gte: %d}}\n", i, i)
	}
	out["clauses-3000"] = []byte(many.String())
	out["laughs"] = []byte("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n")
	out["big-text"] = []byte(strings.Replace(minimalPlan, "中断2小时以上。", strings.Repeat("中断2小时以上ȺİẞΩ", 1<<13), 1))
	out["big-numbers"] = []byte(strings.NewReplacer("gte: 120", "gte: 1e999", "within_minutes: 60", "within_minutes: 99999999999999999999", "within_minutes: 30", "within_minutes: -0").Replace(minimalPlan))
	out["tabs"] = []byte(strings.ReplaceAll(minimalPlan, "  ", "\t"))
	return out
}

func hostileFacts() map[string][]byte {
	out := map[string][]byte{
		"nul":            []byte("{\"outage_minutes\x00\": 5, \"\x00\": null}"),
		"invalid-utf8":   []byte("{\"\xff\": 1, \"system_loss\": \"\xc0\xaf\"}"),
		"big-number":     []byte(`{"outage_minutes": 1e999, "people_affected": 99999999999999999999999}`),
		"negative-zero":  []byte(`{"outage_minutes": -0, "people_affected": 0.0000001}`),
		"deep-20000":     []byte(`{"important_system": ` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}`),
		"entities":       []byte(`{"system_loss": "&#xZZ;&am&#99999999999;", "site_tier": "\u0000"}`),
		"duplicate-keys": []byte(`{"outage_minutes": 5, "outage_minutes": "5"}`),
		"trailing":       []byte(`{"outage_minutes": 5} {}`),
	}
	for i, t := range caseTraps {
		out[fmt.Sprintf("trap-%d", i)] = []byte(`{"outage_minutes` + t + `": 5, "system_loss": "` + strings.ToUpper("significant") + t + `", "important_system": true}`)
	}
	var many strings.Builder
	many.WriteString("{")
	for i := 0; i < 10000; i++ {
		fmt.Fprintf(&many, `"k%d": %d,`, i, i)
	}
	many.WriteString(`"outage_minutes": 1}`)
	out["keys-10000"] = []byte(many.String())
	return out
}

// TestHostilePlans: each hostile document is refused with located problems
// or parsed into a plan that grades.
func TestHostilePlans(t *testing.T) {
	for name, doc := range hostilePlans() {
		p, err := Parse(name+".yaml", doc)
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) == 0 {
				t.Errorf("%s: error is not a located validation error: %v", name, err)
			}
			continue
		}
		if _, err := p.Grade(Facts{}, ""); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, data := range hostileFacts() {
		if f, err := ParseFacts(data); err == nil {
			for _, p := range Builtin().Plans() {
				if _, err := p.Grade(f, ""); err != nil {
					t.Errorf("%s: parsed facts do not grade: %v", name, err)
				}
			}
		}
	}
}

// TestWritePlanFuzzSeeds checks that the committed seed corpora are what
// the generators make (a changed generator fails until the seeds are
// rewritten and committed). To rewrite them:
//
//	FENGHUO_WRITE_FUZZ_SEEDS=1 go test ./internal/plan/ -run TestWritePlanFuzzSeeds
func TestWritePlanFuzzSeeds(t *testing.T) {
	for name, doc := range hostilePlans() {
		fuzzseed.Check(t, "FuzzParse", name, doc)
	}
	for name, data := range hostileFacts() {
		fuzzseed.Check(t, "FuzzParseFacts", name, data)
	}
}

// TestDeepPlanRefused: a document nested thousands of levels is refused
// with its line before the key walk, which was quadratic in memory on it.
func TestDeepPlanRefused(t *testing.T) {
	_, err := Parse("deep.yaml", hostilePlans()["deep-all-4000"])
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) != 1 || ve.Problems[0].Line != 15 || !strings.Contains(ve.Problems[0].Message, "nests more than 100 levels") {
		t.Fatalf("err = %v", err)
	}
	p, err := Parse("deep.yaml", hostilePlans()["deep-all-40"])
	if err != nil {
		t.Fatal(err)
	}
	if res, err := p.Grade(Facts{"outage_minutes": 1.0}, ""); err != nil || res.Grade != "I" {
		t.Fatalf("40 nested all: %v %v", res, err)
	}
	for _, bp := range Builtin().Plans() {
		if _, err := Parse(bp.ID+".yaml", bp.Raw()); err != nil {
			t.Errorf("%s: %v", bp.ID, err)
		}
	}
}
