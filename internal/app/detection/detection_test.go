package detection_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/detection"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/ingest"
	"fenghuo/internal/store"
)

func actor(t *testing.T, e *apptest.Env, name, org string, role fenghuo.Role) *app.Actor {
	u, _ := e.User(t, name, org, role)
	return e.Actor(t, u)
}

func code(t *testing.T, err error, want string) {
	t.Helper()
	if got := fenghuo.ErrorCode(err); got != want {
		t.Fatalf("error code %q, want %q (%v)", got, want, err)
	}
}

func audited(t *testing.T, e *apptest.Env, action string) int {
	t.Helper()
	entries, err := e.DB.AuditEntries(context.Background(), store.AuditFilter{ActionPrefix: action}, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	return len(entries.Items)
}

const nightRule = `title: 深夜登录 VPN
id: 11111111-2222-4333-8444-555555555555
logsource:
    product: vpn
detection:
    selection:
        event.action: login
        user.name|startswith: admin
    condition: selection
level: high
tags:
    - attack.initial_access
`

func vpnLogin(user string) *ingest.Event {
	ev := &ingest.Event{Time: time.Date(2026, 11, 20, 1, 0, 0, 0, time.UTC), Kind: ingest.KindGeneric, Fields: map[string]any{}}
	ev.Set("observer.product", "VPN")
	ev.Set("event.action", "login")
	ev.Set("user.name", user)
	return ev
}

func detectionInput(org int64, body string) detection.UploadInput {
	return detection.UploadInput{OrgID: org, Body: body}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func errorsAs(err error, target **fenghuo.Error) bool { return errors.As(err, target) }

func TestRuleSetsPerOrgAndUploadedRules(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	s := e.App.Detection
	county := actor(t, e, "county_analyst", "county", fenghuo.RoleAnalyst)
	schoolViewer := actor(t, e, "school_viewer", "school", fenghuo.RoleViewer)
	schoolRep := actor(t, e, "school_rep", "school", fenghuo.RoleUnitReporter)
	other := actor(t, e, "county2_analyst", "county2", fenghuo.RoleAnalyst)
	school, hospital, school2 := e.Orgs["school"], e.Orgs["hospital"], e.Orgs["school2"]

	sets, err := s.RuleSets(ctx, schoolViewer, school.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(sets) != 3 || sets[0].Name != "egress" || sets[2].Name != "mail" || !sets[2].Enabled || sets[2].RuleCount != 7 || len(sets[2].Rules) != 7 {
		t.Fatalf("built-in sets: %+v", sets)
	}
	// The mail set is on by default: a night-time mail log-in matches.
	night := &ingest.Event{Time: time.Date(2026, 11, 19, 19, 0, 0, 0, time.UTC), Kind: ingest.KindSyslog, Fields: map[string]any{}}
	night.Set("process.name", "dovecot")
	night.Set("event.category", []string{"authentication"})
	night.Set("event.outcome", "success")
	night.Set("user.name", "wang")
	detect := func(org int64, ev *ingest.Event) []ingest.Match {
		return s.Detector().Detect(ctx, ingest.Source{Org: org}, ev)
	}
	if ms := detect(school.ID, night); len(ms) != 1 || ms[0].RuleSet != "mail" {
		t.Fatalf("mail on: %+v", ms)
	}

	// A viewer cannot change it; another county cannot see or change the school.
	code(t, s.SetEnabled(ctx, schoolViewer, school.ID, "mail", false), fenghuo.EFORBIDDEN)
	code(t, s.SetEnabled(ctx, other, school.ID, "mail", false), fenghuo.ENOTFOUND)
	_, err = s.RuleSets(ctx, other, school.ID)
	code(t, err, fenghuo.ENOTFOUND)
	code(t, s.SetEnabled(ctx, schoolRep, school.ID, "nosuch", false), fenghuo.EINVALID)

	if err := s.SetEnabled(ctx, schoolRep, school.ID, "mail", false); err != nil {
		t.Fatal(err)
	}
	if ms := detect(school.ID, night); len(ms) != 0 {
		t.Fatalf("mail off for the school: %+v", ms)
	}
	if ms := detect(hospital.ID, night); len(ms) != 1 {
		t.Fatalf("the hospital keeps mail on: %+v", ms)
	}
	if audited(t, e, "rule_set.disable") != 1 {
		t.Error("disable not audited")
	}

	// A county uploads a rule: it runs for the county's units, not county2's.
	bad := "title: 坏规则\nid: x-1\ndetection:\n    selection:\n        message|containz: a\n    condition: selection and missing\nlevel: severe\n"
	_, err = s.UploadRule(ctx, county, detectionInput(e.Orgs["county"].ID, bad))
	code(t, err, fenghuo.EINVALID)
	var fe *fenghuo.Error
	if !errorsAs(err, &fe) || fe.Field != "body" || !strings.Contains(fe.Message, "line 5: message: unknown modifier containz") ||
		!strings.Contains(fe.Message, "line 7: level \"severe\"") || !strings.Contains(fe.Message, "line 6: condition names \"missing\"") {
		t.Fatalf("bad rule: %#v", err)
	}
	_, err = s.UploadRule(ctx, schoolViewer, detectionInput(school.ID, nightRule))
	code(t, err, fenghuo.EFORBIDDEN)
	row, err := s.UploadRule(ctx, county, detectionInput(e.Orgs["county"].ID, nightRule))
	if err != nil {
		t.Fatal(err)
	}
	if row.Title != "深夜登录 VPN" || row.Level != "high" || audited(t, e, "custom_rule.create") != 1 {
		t.Fatalf("row %+v", row)
	}
	_, err = s.UploadRule(ctx, county, detectionInput(e.Orgs["county"].ID, nightRule))
	code(t, err, fenghuo.EINVALID) // same id twice
	if ms := detect(hospital.ID, vpnLogin("admin-li")); len(ms) != 1 || ms[0].RuleSet != "custom:"+itoa(e.Orgs["county"].ID) || ms[0].Title != "深夜登录 VPN" {
		t.Fatalf("county rule at the hospital: %+v", ms)
	}
	if ms := detect(school2.ID, vpnLogin("admin-li")); len(ms) != 0 {
		t.Fatalf("county rule at county2's school: %+v", ms)
	}
	sets, err = s.RuleSets(ctx, schoolViewer, school.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(sets) != 4 || sets[3].Owner == nil || sets[3].Owner.ID != e.Orgs["county"].ID || sets[3].RuleCount != 1 || sets[3].Rules[0].Level != "high" {
		t.Fatalf("sets with the county's: %+v", sets)
	}
	if sets[2].Enabled {
		t.Error("the school's mail set shows on")
	}
	// The school may turn the county's set off for itself.
	if err := s.SetEnabled(ctx, schoolRep, school.ID, sets[3].Name, false); err != nil {
		t.Fatal(err)
	}
	if ms := detect(school.ID, vpnLogin("admin-li")); len(ms) != 0 {
		t.Fatalf("county set off at the school: %+v", ms)
	}
	code(t, s.SetEnabled(ctx, other, e.Orgs["county2"].ID, sets[3].Name, false), fenghuo.EINVALID)

	code(t, s.DeleteRule(ctx, schoolRep, row.ID), fenghuo.ENOTFOUND)
	if err := s.DeleteRule(ctx, county, row.ID); err != nil {
		t.Fatal(err)
	}
	if ms := detect(hospital.ID, vpnLogin("admin-li")); len(ms) != 0 {
		t.Fatalf("deleted rule still runs: %+v", ms)
	}
	if audited(t, e, "custom_rule.delete") != 1 {
		t.Error("delete not audited")
	}
}

// A second process (another service over the same database) sees the
// change within RefreshEvery.
func TestAnotherProcessCatchesUp(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	school := e.Orgs["school"]
	rep := actor(t, e, "school_rep", "school", fenghuo.RoleUnitReporter)
	second := detection.New(e.App.Core) // its own snapshot, as another process would hold
	if !second.Enabled(school.ID, "mail") {
		t.Fatal("mail off before any choice")
	}
	if err := e.App.Detection.SetEnabled(ctx, rep, school.ID, "mail", false); err != nil {
		t.Fatal(err)
	}
	if !second.Enabled(school.ID, "mail") {
		t.Fatal("the other process saw the change before its refresh")
	}
	e.Clock.Advance(31 * time.Second)
	second.Enabled(school.ID, "mail") // this call refreshes
	if second.Enabled(school.ID, "mail") {
		t.Fatal("the other process still runs mail after RefreshEvery")
	}
}
