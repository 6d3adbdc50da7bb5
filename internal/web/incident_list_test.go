package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/app/incident"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
)

// Issue 13 item 5: the incident list leads with the nearest deadline
// (overdue in red with how long), shows the category in words, and sorts
// by discovery on request.
func TestIncidentListDeadlineOrder(t *testing.T) {
	e, srv := console(t)
	u, _ := e.User(t, "duty", "county", fenghuo.RoleDutyOfficer)
	ctx := context.Background()
	ac := e.Actor(t, u)
	now := e.Clock.Now()
	mk := func(title string, discovered time.Duration) *fenghuo.Incident {
		inc, err := e.App.Incidents.CreateIncident(ctx, ac, incident.IncidentInput{OrgID: e.Orgs["school"].ID, Title: title,
			Category: "IAI", Channel: "phone", Caller: "李老师", DiscoveredAt: now.Add(-discovered),
			Facts: plan.Facts{"social_impact": "relatively_serious"}})
		if err != nil {
			t.Fatal(err)
		}
		return inc
	}
	old := mk("早发现的门户篡改", 6*time.Hour) // its duty is the nearest (overdue by now)
	mk("刚发现的门户篡改", 5*time.Minute)
	c := browser(t)
	login(t, c, srv, "duty", apptest.Password)

	_, page := get(t, c, srv, "/incidents")
	list := section(t, page, `id="incident-list"`, `</table>`)
	if i, j := strings.Index(list, "早发现的门户篡改"), strings.Index(list, "刚发现的门户篡改"); i < 0 || j < 0 || i > j {
		t.Errorf("the default list is not nearest deadline first (%d, %d)", i, j)
	}
	row := section(t, list, "早发现的门户篡改", "</tr>")
	if !strings.Contains(row, `class="countdown overdue"`) || !strings.Contains(row, "已逾期 2小时") {
		t.Errorf("the overdue incident's deadline is not red with how long: %s", row)
	}
	if strings.Contains(list, ">IAI<") || strings.Contains(list, "mono code") || !strings.Contains(list, "信息篡改事件") {
		t.Errorf("the category is not in words: %s", row)
	}

	_, page = get(t, c, srv, "/incidents?sort=new")
	list = section(t, page, `id="incident-list"`, `</table>`)
	if i, j := strings.Index(list, "早发现的门户篡改"), strings.Index(list, "刚发现的门户篡改"); i < 0 || j < 0 || j > i {
		t.Errorf("sort=new is not newest first (%d, %d)", i, j)
	}
	_ = old
}
