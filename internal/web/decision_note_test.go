package web

import "testing"

// An approval reads "同意" once: the comment follows only when it says
// more than the decision word.
func TestDecisionNote(t *testing.T) {
	zh, en := &view{Lang: langZH}, &view{Lang: langEN}
	for _, c := range []struct {
		v              *view
		decision, note string
		want           string
	}{
		{zh, "approve", "同意", ""},
		{zh, "approve", "同意。", ""},
		{en, "approve", "Approved", ""},
		{zh, "approve", "同意，请按期整改", "同意，请按期整改"},
		{zh, "approve", "", ""},
		{zh, "return", "原因分析不充分", "原因分析不充分"},
	} {
		if got := c.v.DecisionNote(c.decision, c.note); got != c.want {
			t.Errorf("%s %q: %q, want %q", c.decision, c.note, got, c.want)
		}
	}
}
