package plan

import "testing"

func BenchmarkParseWushen(b *testing.B) {
	p, _ := Builtin().Get("wushen-county")
	raw := p.Raw()
	for b.Loop() {
		if _, err := Parse("w.yaml", raw); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGrade(b *testing.B) {
	p, _ := Builtin().Get("cac-2025")
	f := Facts{"operator_type": "other", "economic_loss_cny": 6e6, "people_affected": 1e5, "cii": true, "outage_minutes": 30.0}
	for b.Loop() {
		if _, err := p.Grade(f, ""); err != nil {
			b.Fatal(err)
		}
	}
}
