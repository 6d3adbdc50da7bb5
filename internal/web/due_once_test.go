package web_test

import (
	"regexp"
	"strings"
	"testing"

	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
)

// A task's due time shows once per row: one countdown, with the absolute
// time as its title and secondary line, never the time twice; a closed
// task shows the time alone.
func TestTaskDueShownOnce(t *testing.T) {
	e, srv := taskConsole(t)
	inc := ransomwareIncident(t, e)
	e.User(t, "county-duty", "county", fenghuo.RoleDutyOfficer)
	c := browser(t)
	login(t, c, srv, "county-duty", apptest.Password)
	_, body := get(t, c, srv, "/incidents/"+itoa(inc.ID)+"/tasks")
	cells := regexp.MustCompile(`(?s)<td class="task-due">(.*?)</td>`).FindAllStringSubmatch(body, -1)
	if len(cells) == 0 {
		t.Fatal("no task rows")
	}
	stamp := regexp.MustCompile(`\d{4}-\d{2}-\d{2} \d{2}:\d{2}`)
	timed := 0
	for _, m := range cells {
		cell := m[1]
		text := pageText(cell)
		if strings.Contains(cell, "无时限") {
			continue
		}
		timed++
		if n := strings.Count(cell, `class="countdown`); n != 1 {
			t.Errorf("%d countdowns in a row's due cell: %s", n, cell)
		}
		if n := len(stamp.FindAllString(text, -1)); n != 1 {
			t.Errorf("the due time shows %d times in a row: %q", n, strings.Join(strings.Fields(text), " "))
		}
	}
	if timed == 0 {
		t.Error("no task with a due time to check")
	}
}
