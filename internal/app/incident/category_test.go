package incident

import (
	"testing"

	"fenghuo/internal/plan"
)

// An incident filed under GB/T 20986-2023 is translated into each plan's
// taxonomy: ransomware (MP07) and cryptomining (MP08) were split out of the
// old "other malware" (OMI), so a plan on GB/Z 20986-2007 sees OMI and its
// ransomware playbook, not the parent MI; a new subcategory with no old
// code still falls back to its parent's.
func TestTranslateCategorySplitCodes(t *testing.T) {
	w, err := plan.Builtin().Get("wushen-county")
	if err != nil {
		t.Fatal(err)
	}
	cac, err := plan.Builtin().Get("cac-2025")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		code, from string
		p          *plan.Plan
		want       string
	}{
		{"MP07", "gbt-20986-2023", w, "OMI"},
		{"MP08", "gbt-20986-2023", w, "OMI"},
		{"MP01", "gbt-20986-2023", w, "CVI"},
		{"MP06", "gbt-20986-2023", w, "MI"},
		{"OMI", "gbz-20986-2007", cac, "MP99"},
		{"OMI", "gbz-20986-2007", w, "OMI"},
	} {
		if got := translateCategory(tc.code, tc.from, tc.p); got != tc.want {
			t.Errorf("%s (%s) under %s = %q, want %q", tc.code, tc.from, tc.p.ID, got, tc.want)
		}
	}
}
