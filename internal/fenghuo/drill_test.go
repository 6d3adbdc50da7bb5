package fenghuo

import "testing"

func TestScoreLeavesUnmeasuredTermsOut(t *testing.T) {
	w := ScoreWeights{TermReporting: 30, TermDrill: 20, TermWarnings: 20, TermDaily: 15, TermFindings: 15}
	ms := []TermMeasure{
		{Term: TermReporting, Met: 3, Due: 4}, // 0.75
		{Term: TermDrill, Met: 1, Due: 1},     // 1
		{Term: TermWarnings, Met: 0, Due: 0},  // not measured: left out
		{Term: TermDaily, Met: 0, Due: 2},     // 0
		{Term: TermFindings, Met: 1, Due: 2},  // 0.5
	}
	// (30×0.75 + 20×1 + 15×0 + 15×0.5) / 80 × 100 = 50/80×100 = 62.5
	got, ok := Score(w, ms)
	if !ok || got != 62.5 {
		t.Fatalf("Score = %v, %v; want 62.5", got, ok)
	}
	// A term weighted 0 does not count even when measured.
	w[TermDaily] = 0
	// (22.5 + 20 + 7.5) / 65 × 100 = 76.92…
	if got, _ := Score(w, ms); got != 76.9 {
		t.Fatalf("Score without daily = %v, want 76.9", got)
	}
	if _, ok := Score(w, []TermMeasure{{Term: TermWarnings}}); ok {
		t.Fatal("nothing measured must give no score")
	}
	if f := w.Formula(func(s string) string { return s }); f != "(30×reporting_on_time + 20×drill_done + 20×warnings_on_time + 15×findings_cleared) ÷ 85 × 100" {
		t.Fatalf("formula %q", f)
	}
}

func TestScoreWeightsValidate(t *testing.T) {
	for _, tc := range []struct {
		w  ScoreWeights
		ok bool
	}{
		{DefaultScoreWeights(), true},
		{ScoreWeights{TermDrill: 0}, false},
		{ScoreWeights{"charm": 10}, false},
		{ScoreWeights{TermDrill: 101}, false},
		{ScoreWeights{TermDrill: -1, TermDaily: 5}, false},
	} {
		if err := tc.w.Validate(); (err == nil) != tc.ok {
			t.Errorf("%v: %v", tc.w, err)
		}
	}
}
