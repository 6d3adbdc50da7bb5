package plan

import (
	"strings"
	"testing"
)

func TestReviewDocument(t *testing.T) {
	current := mustPlan(t, "wushen-county")
	edit := func(pairs ...string) []byte {
		doc := string(current.Raw())
		for i := 0; i < len(pairs); i += 2 {
			if !strings.Contains(doc, pairs[i]) {
				t.Fatalf("edit %q not found", pairs[i])
			}
			doc = strings.Replace(doc, pairs[i], pairs[i+1], 1)
		}
		return []byte(doc)
	}

	r := ReviewDocument("upload.yaml", edit(
		"every: 24h", "every: 12h",
		"    activated_by: {role: cyberspace_office, level: county, name: {zh: 旗委网信办, en: Banner cyberspace office}}\n    approval:",
		"    activated_by: {role: information_committee, level: county, name: {zh: 旗委网信委, en: Banner cyberspace committee}}\n    approval:",
		"        owner: unit\n        due: 2h", "        owner: unit\n        due: 1h",
		"        title: {zh: 不向攻击者支付赎金, en: Do not pay the ransom}", "        title: {zh: 不支付赎金, en: Do not pay}",
	), current)
	if !r.OK() || !r.SameID {
		t.Fatalf("review %+v", r.Problems)
	}
	want := map[string][2]string{
		"response_level[I].situation_interval":             {"24h", "12h"},
		"response_level[II].activated_by":                  {"旗委网信办", "旗委网信委"},
		"playbook[ransomware].step[switch-to-standby].due": {"2h from discovery", "1h from discovery"},
		"playbook[ransomware].step[do-not-pay].title":      {"不向攻击者支付赎金", "不支付赎金"},
	}
	if len(r.Changes) != len(want) {
		t.Errorf("changes %v", r.Changes)
	}
	for _, c := range r.Changes {
		if w, ok := want[c.Key]; !ok || c.Old != w[0] || c.New != w[1] {
			t.Errorf("change %v, want %v", c, w)
		}
	}

	r = ReviewDocument("upload.yaml", edit("every: 24h", "every: daily", "trigger: activation", "trigger: activated"), current)
	if r.OK() || r.Plan != nil || len(r.Problems) != 2 || r.Changes != nil {
		t.Fatalf("review of a broken upload: %+v", r)
	}
	lines := strings.Split(string(edit("every: 24h", "every: daily", "trigger: activation", "trigger: activated")), "\n")
	for _, p := range r.Problems {
		if p.File != "upload.yaml" || p.Line < 1 || p.Line > len(lines) || !strings.Contains(lines[p.Line-1], strings.TrimPrefix(p.Key[strings.LastIndex(p.Key, ".")+1:], "")) {
			t.Errorf("problem %v does not point at its key", p)
		}
	}

	if _, problems := Check("x.yaml", []byte("id: [")); len(problems) != 1 || !strings.Contains(problems[0].Message, "not valid YAML") {
		t.Errorf("broken YAML: %v", problems)
	}
	r = ReviewDocument("new.yaml", []byte(levelsPlan), nil)
	if !r.OK() || !r.SameID || r.Changes != nil {
		t.Errorf("a new plan: %+v", r)
	}
	if r = ReviewDocument("other.yaml", []byte(levelsPlan), current); r.SameID || !r.OK() {
		t.Errorf("another plan id: %+v", r.SameID)
	}
}
