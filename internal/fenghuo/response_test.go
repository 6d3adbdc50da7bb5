package fenghuo

import "testing"

// Every pair of states is checked against the table: a transition not
// listed must be refused.
func TestResponseTransitions(t *testing.T) {
	allowed := map[[2]string]bool{
		{ResponseRequested, ResponseActive}:     true,
		{ResponseRequested, ResponseRefused}:    true,
		{ResponseRequested, ResponseSuperseded}: true,
		{ResponseActive, ResponseEnded}:         true,
		{ResponseActive, ResponseSuperseded}:    true,
	}
	for _, from := range ResponseStates {
		for _, to := range append(ResponseStates, "", "bogus") {
			if got := ResponseTransitionAllowed(from, to); got != allowed[[2]string{from, to}] {
				t.Errorf("ResponseTransitionAllowed(%q, %q) = %v", from, to, got)
			}
		}
	}
	for _, s := range ResponseStates {
		if want := s == ResponseRequested || s == ResponseActive; ResponseOpen(s) != want {
			t.Errorf("ResponseOpen(%q) = %v", s, !want)
		}
	}
}

func TestCommandMemberValidate(t *testing.T) {
	for _, c := range []struct {
		m     CommandMember
		field string
	}{
		{CommandMember{Role: CommandCommander, Name: "王强"}, ""},
		{CommandMember{Role: CommandOnsiteTeam, Name: "现场工作组"}, ""},
		{CommandMember{Role: "boss", Name: "王强"}, "role"},
		{CommandMember{Role: CommandExpert, Name: "  "}, "name"},
	} {
		err := c.m.Validate()
		var field string
		if e, ok := err.(*Error); ok {
			field = e.Field
		} else if err != nil {
			t.Fatalf("%+v: %v", c.m, err)
		}
		if field != c.field {
			t.Errorf("%+v: field %q, want %q (%v)", c.m, field, c.field, err)
		}
	}
}
