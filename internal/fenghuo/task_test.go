package fenghuo

import "testing"

func TestTaskTransitions(t *testing.T) {
	type key struct {
		from, to  string
		mandatory bool
	}
	allowed := map[key]bool{}
	for _, m := range []bool{false, true} {
		for _, from := range []string{TaskOpen, TaskInProgress} {
			for _, to := range []string{TaskOpen, TaskInProgress, TaskDone} {
				if from != to {
					allowed[key{from, to, m}] = true
				}
			}
			// A mandatory step cannot be set aside.
			allowed[key{from, TaskNotApplicable, false}] = true
		}
	}
	for _, m := range []bool{false, true} {
		for _, from := range TaskStates {
			for _, to := range append(TaskStates, "bogus") {
				if got := TaskTransitionAllowed(from, to, m); got != allowed[key{from, to, m}] {
					t.Errorf("TaskTransitionAllowed(%q, %q, mandatory=%v) = %v", from, to, m, got)
				}
			}
		}
	}
}

func TestTaskValidate(t *testing.T) {
	ok := Task{Title: "切换备用系统", OwnerOrgID: 7, Anchor: AnchorDiscovery}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for field, tk := range map[string]Task{
		"title":        {OwnerOrgID: 7},
		"owner_org_id": {Title: "x"},
		"anchor":       {Title: "x", OwnerOrgID: 7, Anchor: "midnight"},
		"state":        {Title: "x", OwnerOrgID: 7, State: TaskDone},
	} {
		err := tk.Validate()
		if e, isErr := err.(*Error); !isErr || e.Field != field {
			t.Errorf("%s: got %v", field, err)
		}
	}
}
