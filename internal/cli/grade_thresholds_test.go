package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestGradeCountyThresholds: `fenghuo grade` on wushen-county reads the
// numbers of clause 1.4(3)① as thresholds that must all be met (issue 10
// item 14), and a wrong fact names its key once.
func TestGradeCountyThresholds(t *testing.T) {
	for _, tc := range []struct {
		minutes      string
		grade, color string
		clause       bool
	}{
		{"29", "IV", "blue", false},
		{"30", "III", "yellow", true},
	} {
		facts := `{"important_system":true,"system_loss":"significant","outage_minutes":` + tc.minutes + `,"people_affected":20000}`
		code, out, errOut := runCLI(t, "", "grade", "--plan", "wushen-county", "--facts", facts)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var res struct {
			Grade        string `json:"grade"`
			WarningColor string `json:"warning_color"`
			Clauses      []struct{ ID string }
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatal(err)
		}
		has := false
		for _, c := range res.Clauses {
			has = has || c.ID == "1.4(3)①"
		}
		if res.Grade != tc.grade || res.WarningColor != tc.color || has != tc.clause {
			t.Errorf("%s minutes: grade %s %s, clauses %v; want %s %s, 1.4(3)① %v\n%s", tc.minutes, res.Grade, res.WarningColor, res.Clauses, tc.grade, tc.color, tc.clause, out)
		}
	}
	code, _, errOut := runCLI(t, "", "grade", "--plan", "wushen-county", "--facts", `{"outage_minutes":"30"}`)
	if code != 2 || !strings.Contains(errOut, `outage_minutes: must be a number, got "30"`) || strings.Count(errOut, "outage_minutes") != 1 {
		t.Errorf("exit %d, stderr %q: want the key named once", code, errOut)
	}
}
