package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/app/incident"
	"fenghuo/internal/app/response"
	"fenghuo/internal/fenghuo"
)

// TestDeadlineEstimateAndNames: a response ended in mid-December 2026
// gives a 20-working-day summary report due in 2027, a year whose State
// Council holiday notice the calendar does not hold: the API says the date
// is estimated, naming the year; the 30-day investigation report (calendar
// days) is not. Duty titles name the plan by its title, never its id. The
// grading history names the person by display name, the username apart.
func TestDeadlineEstimateAndNames(t *testing.T) {
	e := newEnv(t)
	if e.App.Core.Calendar().Covers(2027) {
		t.Skip("the calendar holds the 2027 notice: pick a later year")
	}
	e.Clock.Set(time.Date(2026, 12, 14, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)))
	u := e.user(t, "rep", "school", fenghuo.RoleUnitReporter)
	u.DisplayName = "李报告"
	if err := e.DB.UpdateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	cmdUser := e.user(t, "cmd", "county", fenghuo.RoleCommander)
	rep := e.login(t, "rep")
	var inc incidentOut
	e.do(t, rep, "POST", "/api/v1/incidents", map[string]any{"org_id": e.Orgs["school"].ID, "title": "服务器被勒索病毒加密",
		"category": "OMI", "facts": map[string]any{"social_impact": "serious"}}).want(t, 201).json(t, &inc)
	content := map[string]string{}
	for _, id := range []string{"unit_and_system", "event_details", "development", "preliminary_cause", "tracing_leads",
		"further_measures", "scene_protection", "other", "occurred_time", "unit", "people_affected_text", "expected_loss",
		"system_overview", "department", "system_name", "protection_level", "grade", "category", "occurred_at", "ended_at",
		"description", "scope", "measures", "result", "reporting_unit", "reporter", "phone"} {
		content[id] = "内容:" + id
	}
	if _, err := e.App.Incidents.SubmitReport(context.Background(), e.Actor(t, u), inc.ID, incident.ReportInput{Kind: fenghuo.ReportInitial,
		Content: content, Signer: "张经理", ReporterName: "李工", ReporterPhone: "0477-7581234"}); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/api/v1/incidents/%d", inc.ID)
	for _, in := range []response.Input{
		{Action: response.ActionActivate, Level: fenghuo.GradeII, Approval: "网信委批准", Commander: "指挥长"},
		{Action: response.ActionEnd, Approval: "指挥部批准", Situation: "已恢复"},
	} {
		if _, err := e.App.Response.Act(context.Background(), e.Actor(t, cmdUser), inc.ID, in); err != nil {
			t.Fatalf("%s: %v", in.Action, err)
		}
		e.Clock.Advance(time.Hour)
	}
	cmd := e.login(t, "cmd")

	var obs struct {
		Items []struct {
			Kind, Rule, Title string
			PlanID            string     `json:"plan_id"`
			DueAt             *time.Time `json:"due_at"`
			Estimated         bool       `json:"calendar_estimated"`
			Note              string     `json:"calendar_note"`
		}
	}
	e.do(t, cmd, "GET", path+"/obligations?limit=200", nil).want(t, 200).json(t, &obs)
	var summary, investigation, reports int
	for _, o := range obs.Items {
		if o.PlanID == "" {
			t.Errorf("obligation without its plan id: %+v", o)
		}
		if strings.Contains(o.Title, o.PlanID) || strings.Contains(o.Title, "cac-2025") || strings.Contains(o.Title, "wushen-county") {
			t.Errorf("title names the plan by id: %q", o.Title)
		}
		switch {
		case o.Kind == "deadline" && o.Rule == "summary-report":
			summary++
			if o.DueAt == nil || o.DueAt.Year() != 2027 || !o.Estimated || o.Note != "2027 年节假日安排尚未公布，按周末和法定节日估算" {
				t.Errorf("summary report: due %v estimated %v note %q", o.DueAt, o.Estimated, o.Note)
			}
			if !strings.Contains(o.Title, "20个工作日内,《") {
				t.Errorf("summary title %q does not name the span in words and the plan by title", o.Title)
			}
		case o.Kind == "deadline" && strings.HasPrefix(o.Rule, "investigation"):
			investigation++
			if o.Estimated || o.Note != "" {
				t.Errorf("a calendar-day deadline is estimated: %+v", o)
			}
			if !strings.Contains(o.Title, "30天内,《") {
				t.Errorf("investigation title %q", o.Title)
			}
		case o.Kind == "report":
			reports++
			if !strings.Contains(o.Title, "《") {
				t.Errorf("report duty title %q does not name the plan", o.Title)
			}
		}
	}
	if summary == 0 || investigation == 0 || reports == 0 {
		t.Fatalf("summary %d, investigation %d, report duties %d: %+v", summary, investigation, reports, obs.Items)
	}

	var hist struct {
		Items []struct {
			Actor    string `json:"actor"`
			Username string `json:"actor_username"`
		}
	}
	e.do(t, cmd, "GET", path+"/grades", nil).want(t, 200).json(t, &hist)
	if len(hist.Items) == 0 || hist.Items[0].Actor != "李报告" || hist.Items[0].Username != "rep" {
		t.Errorf("grading history: %+v", hist.Items)
	}
}
