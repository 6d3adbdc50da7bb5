package api_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/phrase"
	"fenghuo/internal/plan"
)

// The API gives what the English console shows: a timeline entry the
// platform wrote carries body_en (no Chinese outside quoted names), a
// playbook task its English title_en, and a task due in working days into
// a year whose holiday notice is not held says calendar_estimated with the
// note; a task due in hours does not.
func TestTaskEstimateAndEnglishFields(t *testing.T) {
	e := newEnv(t)
	reg := e.App.Core.Plans()
	orig, err := reg.Get("wushen-county")
	if err != nil {
		t.Fatal(err)
	}
	p := *orig
	p.Playbooks = append([]plan.Playbook(nil), orig.Playbooks...)
	var stepID string
	for i, pb := range p.Playbooks {
		if pb.ID != "ransomware" {
			continue
		}
		steps := append([]plan.Step(nil), pb.Steps...)
		for j := range steps {
			if steps[j].Due == "" && stepID == "" {
				steps[j].Due, stepID = "3wd", steps[j].ID
			}
		}
		p.Playbooks[i].Steps = steps
	}
	reg.PutStored(&p)
	e.Clock.Set(time.Date(2026, 12, 30, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)))
	if e.App.Core.Calendar().Covers(2027) {
		t.Skip("the calendar holds the 2027 notice: pick a later year")
	}
	e.user(t, "rep", "school", fenghuo.RoleUnitReporter)
	rep := e.login(t, "rep")
	var inc incidentOut
	e.do(t, rep, "POST", "/api/v1/incidents", map[string]any{"org_id": e.Orgs["school"].ID, "title": "服务器被勒索病毒加密", "category": "OMI",
		"facts": map[string]any{"social_impact": "serious"}}).want(t, 201).json(t, &inc)

	var list struct {
		Items []struct {
			taskOut
			TitleEN   string `json:"title_en"`
			Estimated bool   `json:"calendar_estimated"`
			Note      string `json:"calendar_note"`
		}
	}
	e.do(t, rep, "GET", fmt.Sprintf("/api/v1/incidents/%d/tasks", inc.ID), nil).want(t, 200).json(t, &list)
	var est, hours bool
	for _, tk := range list.Items {
		if tk.PlaybookID != "ransomware" {
			continue
		}
		if tk.TitleEN == "" || phrase.HasHan(tk.TitleEN) {
			t.Errorf("task %s: title_en %q", tk.StepID, tk.TitleEN)
		}
		switch tk.StepID {
		case stepID:
			est = true
			if !tk.Estimated || !strings.Contains(tk.Note, "2027 年节假日安排尚未公布") {
				t.Errorf("the 3wd task: calendar_estimated %v, note %q", tk.Estimated, tk.Note)
			}
		case "switch-to-standby":
			hours = true
			if tk.Estimated || tk.Note != "" {
				t.Errorf("the 2 h task says estimated: %q", tk.Note)
			}
		}
	}
	if !est || !hours {
		t.Fatalf("tasks: %+v", list.Items)
	}

	var tl struct {
		Items []struct {
			Kind   string `json:"kind"`
			Body   string `json:"body"`
			BodyEN string `json:"body_en"`
		} `json:"items"`
	}
	e.do(t, rep, "GET", fmt.Sprintf("/api/v1/incidents/%d/timeline", inc.ID), nil).want(t, 200).json(t, &tl)
	if len(tl.Items) == 0 {
		t.Fatal("no timeline")
	}
	for _, it := range tl.Items {
		if it.BodyEN == "" || phrase.HasHan(phrase.OutsideQuotes(it.BodyEN)) || !phrase.HasHan(it.Body) {
			t.Errorf("%s entry: body %q, body_en %q", it.Kind, it.Body, it.BodyEN)
		}
	}
}
