package plan

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"fenghuo/internal/fenghuo"
)

// minimalPlan is a small valid plan the validation tests break one key at a
// time.
const minimalPlan = `id: test-plan
version: "1"
name: {zh: 测试预案}
taxonomy: gbz-20986-2007
grades:
  - {grade: I, name: {zh: 特别重大}, color: red}
  - {grade: IV, name: {zh: 一般}, color: blue}
grading:
  default: IV
  clauses:
    - id: c1
      grade: I
      text: 中断2小时以上。
      when:
        all:
          - {fact: outage_minutes, gte: 120}
reporting:
  - id: first
    grades: [I]
    from: {role: operator}
    to: [{role: cyberspace_office, level: county}]
    within_minutes: 60
    counted_from: discovery
  - id: second
    grades: [I]
    from: {role: cyberspace_office, level: county}
    to: [{role: cyberspace_office, level: city}]
    within_minutes: 30
    counted_from: upstream_receipt
    after: first
playbooks:
  - id: pb
    title: {zh: 手册}
    categories: [MI]
    steps:
      - {id: s1, title: {zh: 第一步}, role: operator, due: 2h, mandatory: true}
`

func TestMinimalPlanIsValid(t *testing.T) {
	p, err := Parse("test.yaml", []byte(minimalPlan))
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Grade(Facts{"outage_minutes": 120.0}, "")
	if err != nil || res.Grade != fenghuo.GradeI || res.WarningColor != fenghuo.ColorRed {
		t.Fatalf("grade %+v %v", res, err)
	}
}

func TestValidationNamesLineAndKey(t *testing.T) {
	tests := []struct {
		name, old, new string
		line           int
		key, msg       string
	}{
		{"misspelt fact", "fact: outage_minutes", "fact: outage_minuts", 16, "grading.clauses[0].when.all[0].fact", `unknown fact "outage_minuts"; did you mean "outage_minutes"?`},
		{"unknown key", "    - id: c1\n", "    - id: c1\n      grde: I\n", 12, "grading.clauses[0].grde", `unknown key "grde"`},
		{"unknown category", "categories: [MI]", "categories: [MX]", 34, "playbooks[0].categories[0]", `unknown category "MX"`},
		{"grade with no colour", "  - {grade: IV, name: {zh: 一般}, color: blue}\n", "", 5, "grades", "grade IV is used but has no entry here"},
		{"colour missing", "color: red}", "color: \"\"}", 6, "grades[0].color", "grade I has no warning colour"},
		{"cycle", "    counted_from: discovery\n", "    counted_from: upstream_receipt\n    after: second\n", 0, "reporting[0].after", "cycle"},
		{"wrong operator", "{fact: outage_minutes, gte: 120}", "{fact: outage_minutes, at_least: serious}", 16, "grading.clauses[0].when.all[0].at_least", "cannot be tested with at_least"},
		{"bad span", "due: 2h", "due: 2 hours", 36, "playbooks[0].steps[0].due", "is not a span"},
		{"bad grade", "grade: I\n      text", "grade: V\n      text", 12, "grading.clauses[0].grade", `"V" is not a grade`},
		{"unknown after", "after: first", "after: frist", 30, "reporting[1].after", `unknown route "frist"; did you mean "first"?`},
		{"wrong type", "within_minutes: 60", "within_minutes: sixty", 22, "", "wrong type"},
		{"bad yaml", "grading:\n", "grading: [\n", 0, "", "not valid YAML"},
		{"unknown taxonomy", "taxonomy: gbz-20986-2007", "taxonomy: gbz-2007", 4, "taxonomy", `unknown taxonomy "gbz-2007"`},
		{"unknown role", "from: {role: operator}", "from: {role: operater}", 20, "reporting[0].from.role", `unknown role "operater"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(minimalPlan, tc.old) {
				t.Fatalf("test edit %q not found", tc.old)
			}
			doc := strings.Replace(minimalPlan, tc.old, tc.new, 1)
			_, err := Parse("test.yaml", []byte(doc))
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v, want a ValidationError", err)
			}
			if fenghuo.ErrorCode(err) != fenghuo.EINVALID {
				t.Errorf("code = %s", fenghuo.ErrorCode(err))
			}
			found := false
			for _, p := range ve.Problems {
				if strings.Contains(p.Message, tc.msg) && (tc.key == "" || p.Key == tc.key) && (tc.line == 0 || p.Line == tc.line) && p.File == "test.yaml" {
					found = true
				}
			}
			if !found {
				t.Errorf("no problem with line %d, key %q, message %q in:\n%s", tc.line, tc.key, tc.msg, err)
			}
		})
	}
}

func TestProblemsAreAllReported(t *testing.T) {
	doc := strings.Replace(minimalPlan, "fact: outage_minutes", "fact: outage_minuts", 1)
	doc = strings.Replace(doc, "categories: [MI]", "categories: [MX]", 1)
	_, err := Parse("test.yaml", []byte(doc))
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) != 2 {
		t.Fatalf("want both problems, got %v", err)
	}
}

func TestRoundTripExportEditCheckGrade(t *testing.T) {
	orig, _ := Builtin().Get("wushen-county")
	edited := bytes.Replace(orig.Raw(), []byte("id: wushen-county"), []byte("id: wushen-county-local"), 1)
	// Clause 1.4(2)①: outage of 1 hour → 45 minutes in the region's copy.
	edited = bytes.Replace(edited, []byte("{fact: outage_minutes, gte: 60}"), []byte("{fact: outage_minutes, gte: 45}"), 1)
	reg := Builtin()
	p, err := reg.Add("my-plan.yaml", edited)
	if err != nil {
		t.Fatal(err)
	}
	facts := Facts{"important_system": true, "system_loss": "significant", "outage_minutes": 50.0, "people_affected": 150000.0}
	before, _ := orig.Grade(facts, "")
	after, _ := p.Grade(facts, "")
	if before.Grade != fenghuo.GradeIII || after.Grade != fenghuo.GradeII {
		t.Fatalf("original graded %s, edited %s; want III then II", before.Grade, after.Grade)
	}
	if p.Digest == orig.Digest {
		t.Error("an edited plan must have a new digest")
	}
	changes := Diff(orig, p)
	var threshold bool
	for _, c := range changes {
		if c.Key == "grading.clause[1.4(2)①].when" && strings.Contains(c.New, "outage_minutes ≥ 45") {
			threshold = true
		}
	}
	if !threshold {
		t.Errorf("diff does not show the threshold change: %v", changes)
	}
	if _, err := reg.Add("copy.yaml", orig.Raw()); err == nil {
		t.Error("adding a plan with a built-in id must fail")
	}
}

// The grade never goes down when a loss, an outage, a number of people or
// an ordinal level goes up: every condition is monotone.
func TestGradeIsMonotone(t *testing.T) {
	plans := Builtin().Plans()
	numeric := []string{"outage_minutes", "main_function_outage_minutes", "people_affected", "population_share_pct",
		"personal_info_people", "economic_loss_cny", "site_unreachable_minutes", "defacement_homepage_minutes",
		"defacement_other_page_minutes", "defacement_reposts", "defacement_views"}
	ordinals := []string{"system_loss", "data_threat", "social_impact", "broadcast_interruption_scope",
		"harmful_info_scope", "population_region_level", "broadcast_site_level"}
	rapid.Check(t, func(t *rapid.T) {
		facts := Facts{}
		for _, k := range numeric {
			if rapid.Bool().Draw(t, k+"?") {
				v := float64(rapid.IntRange(0, 200_000_000).Draw(t, k))
				if k == "population_share_pct" {
					v = float64(rapid.IntRange(0, 100).Draw(t, k))
				}
				facts[k] = v
			}
		}
		for _, k := range ordinals {
			if rapid.Bool().Draw(t, k+"?") {
				facts[k] = rapid.SampledFrom(factIndex[k].Values).Draw(t, k)
			}
		}
		for _, k := range []string{"important_system", "cii"} {
			if rapid.Bool().Draw(t, k+"?") {
				facts[k] = rapid.Bool().Draw(t, k)
			}
		}
		if rapid.Bool().Draw(t, "tier?") {
			facts["site_tier"] = rapid.SampledFrom(factIndex["site_tier"].Values).Draw(t, "site_tier")
		}
		more := Facts{}
		for k, v := range facts {
			more[k] = v
		}
		key := rapid.SampledFrom(append(append([]string{}, numeric...), ordinals...)).Draw(t, "raise")
		def := factIndex[key]
		if def.Type == FactOrdinal {
			lo := -1
			if v, ok := facts[key]; ok {
				lo = def.rank(v.(string))
			}
			if lo+1 >= len(def.Values) {
				return
			}
			more[key] = def.Values[rapid.IntRange(lo+1, len(def.Values)-1).Draw(t, "to")]
		} else {
			v, _ := facts[key].(float64)
			limit := 200_000_000.0
			if key == "population_share_pct" {
				limit = 100
			}
			more[key] = v + float64(rapid.IntRange(1, 100_000_000).Draw(t, "by"))
			if more[key].(float64) > limit {
				more[key] = limit
			}
		}
		for _, p := range plans {
			a, err := p.Grade(facts, "")
			if err != nil {
				t.Fatal(err)
			}
			b, err := p.Grade(more, "")
			if err != nil {
				t.Fatal(err)
			}
			if b.Grade.Severity() < a.Grade.Severity() {
				t.Fatalf("%s: raising %s lowered the grade from %s to %s (facts %v → %v)", p.ID, key, a.Grade, b.Grade, facts, more)
			}
		}
	})
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(minimalPlan))
	for _, p := range Builtin().Plans() {
		f.Add(p.Raw())
	}
	f.Add([]byte("id: [\n"))
	f.Add([]byte("taxonomy: {categories: [{code: A, subcategories: [{code: A}]}]}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse("fuzz.yaml", data)
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) == 0 {
				t.Fatalf("error is not a located validation error: %v", err)
			}
			return
		}
		if _, err := p.Grade(Facts{}, ""); err != nil {
			t.Fatalf("a valid plan failed to grade: %v", err)
		}
		var buf bytes.Buffer
		if err := WriteSummary(&buf, p, "en"); err != nil {
			t.Fatal(err)
		}
		_ = Diff(p, p)
	})
}

// FuzzParseFacts reads facts as the API and `fenghuo grade` do: either an
// error naming what is wrong, or facts every built-in plan grades.
func FuzzParseFacts(f *testing.F) {
	f.Add([]byte(`{"important_system":true,"outage_minutes":90,"people_affected":150000}`))
	f.Add([]byte(`{"system_loss":"significant","social_impact":"general","site_tier":"news","population_share_pct":100}`))
	f.Add([]byte(`{"outage_minutes":null}`))
	f.Add([]byte(`[1]`))
	plans := Builtin().Plans()
	f.Fuzz(func(t *testing.T, data []byte) {
		facts, err := ParseFacts(data)
		if err != nil {
			var fe *fenghuo.Error
			if !errors.As(err, &fe) || fe.Code != fenghuo.EINVALID || fe.Message == "" {
				t.Fatalf("not an EINVALID error with a message: %#v", err)
			}
			return
		}
		for _, p := range plans {
			res, err := p.Grade(facts, "")
			if err != nil {
				t.Fatalf("%s: parsed facts do not grade: %v", p.ID, err)
			}
			if res.Grade == "" || res.WarningColor == "" {
				t.Fatalf("%s: empty grade %+v", p.ID, res)
			}
		}
	})
}
