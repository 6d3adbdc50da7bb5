package inspection_test

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/inspection"
	"fenghuo/internal/app/services"
	"fenghuo/internal/apptest"
	"fenghuo/internal/checklist"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

var ctx = context.Background()

// raised records what the campaign asked the findings ledger to record.
type raised struct {
	inputs []inspection.FindingInput
}

func (r *raised) raise(_ context.Context, tx *store.Tx, _ *app.Actor, in inspection.FindingInput) (int64, error) {
	if tx == nil {
		return 0, fenghuo.Errorf(fenghuo.EINTERNAL, "no transaction")
	}
	r.inputs = append(r.inputs, in)
	return int64(1000 + len(r.inputs)), nil
}

type fixture struct {
	e                         *apptest.Env
	s                         *inspection.Service
	county, school, hospital  *app.Actor
	school2, viewer, cityDuty *app.Actor
	found                     *raised
}

func newFixture(t *testing.T) *fixture {
	e := apptest.New(t)
	cfg := app.DefaultConfig()
	cfg.EvidenceDir = filepath.Join(e.Dir, "evidence")
	e.App = services.New(app.Deps{DB: e.DB, Plans: e.App.Core.Plans(), Calendar: e.App.Core.Calendar(),
		Audit: apptest.TestChain(t), Sealer: e.App.Core.Sealer(), Config: cfg})
	e.App.SetClock(e.Clock.Now)
	f := &fixture{e: e, s: e.App.Inspections, found: &raised{}}
	actor := func(name, org string, role fenghuo.Role) *app.Actor {
		u, _ := e.User(t, name, org, role)
		return e.Actor(t, u)
	}
	f.county = actor("county_cmd", "county", fenghuo.RoleCommander)
	f.school = actor("school_rep", "school", fenghuo.RoleUnitReporter)
	f.hospital = actor("hospital_rep", "hospital", fenghuo.RoleUnitReporter)
	f.school2 = actor("school2_rep", "school2", fenghuo.RoleUnitReporter)
	f.viewer = actor("school_viewer", "school", fenghuo.RoleViewer)
	f.cityDuty = actor("city_duty", "city", fenghuo.RoleDutyOfficer)
	return f
}

func (f *fixture) issue(t *testing.T, kind fenghuo.CampaignKind) *fenghuo.Campaign {
	t.Helper()
	c, targets, err := f.s.Issue(ctx, f.county, inspection.CampaignInput{Kind: kind, Title: "元旦前网络安全自查",
		ChecklistID: "seed000-self-inspection", DueAt: f.e.Clock.Now().Add(10 * 24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if len(targets) != 2 {
		t.Fatalf("targets %+v", targets)
	}
	return c
}

// answerAll answers every item of the seed 000 list compliant, except the
// given items non-compliant.
func answerAll(non ...string) []inspection.AnswerInput {
	c, _ := checklist.BuiltinChecklist("seed000-self-inspection")
	var out []inspection.AnswerInput
	for _, it := range c.Items {
		a := inspection.AnswerInput{ItemID: it.ID, Answer: fenghuo.AnswerCompliant, Evidence: "核查记录见运维台账"}
		for _, n := range non {
			if n == it.ID {
				a.Answer, a.Evidence = fenghuo.AnswerNonCompliant, "后台仍用admin/admin123"
			}
		}
		if it.ID == "wlan" && len(non) == 0 {
			a.Answer, a.Reason = fenghuo.AnswerNotApplicable, "本单位未建设无线局域网"
		}
		out = append(out, a)
	}
	return out
}

// files are the evidence files the seed 000 list asks for (items with
// evidence_file), one text file each.
func files() []inspection.Upload {
	c, _ := checklist.BuiltinChecklist("seed000-self-inspection")
	var out []inspection.Upload
	for _, it := range c.Items {
		if it.EvidenceFile {
			out = append(out, inspection.Upload{ItemID: it.ID, Filename: it.ID + ".txt", Body: strings.NewReader("核查结果：" + it.Text.ZH + "\n")})
		}
	}
	return out
}

// Issue 12 acceptance: a self-inspection campaign with the seed 000
// checklist yields findings for two units.
func TestSelfInspectionYieldsFindingsForTwoUnits(t *testing.T) {
	f := newFixture(t)
	c := f.issue(t, fenghuo.CampaignSelf)
	if c.ChecklistVersion == "" || !strings.Contains(c.ChecklistYAML, "weak-passwords") {
		t.Fatalf("campaign %+v", c)
	}
	// Each unit was told and owes an answer by the window's end.
	for _, unit := range []string{"school", "hospital"} {
		ns, err := f.e.DB.Notifications(ctx, f.e.Orgs[unit].ID, 0, 10)
		if err != nil || len(ns) == 0 || ns[0].Kind != "inspection.issued" || !strings.Contains(ns[0].Link, "/inspections/") {
			t.Errorf("%s notified: %+v %v", unit, ns, err)
		}
	}
	// The school answers a part, then the rest with submission.
	all := answerAll("weak-passwords", "zombie-systems")
	if _, err := f.s.Answer(ctx, f.school, c.ID, f.e.Orgs["school"].ID, all[:3], false); err != nil {
		t.Fatal(err)
	}
	// Submitting with items missing is refused and names them.
	_, err := f.s.Answer(ctx, f.school, c.ID, f.e.Orgs["school"].ID, nil, true)
	if fenghuo.ErrorCode(err) != fenghuo.EINVALID || !strings.Contains(err.Error(), "还有12项未填报") {
		t.Fatalf("incomplete submit: %v", err)
	}
	form, err := f.s.AnswerWithFiles(ctx, f.school, c.ID, f.e.Orgs["school"].ID, all[3:], files(), true)
	if err != nil {
		t.Fatal(err)
	}
	if !form.Target.Submitted() || form.CanAnswer || form.Answered != len(all) {
		t.Errorf("school form after submit: %+v", form.Target)
	}
	if _, err := f.s.Answer(ctx, f.school, c.ID, f.e.Orgs["school"].ID, all[:1], false); fenghuo.ErrorCode(err) != fenghuo.ECONFLICT {
		t.Errorf("answer after submit: %v", err)
	}
	if _, err := f.s.AnswerWithFiles(ctx, f.hospital, c.ID, f.e.Orgs["hospital"].ID, answerAll("default-passwords"), files(), true); err != nil {
		t.Fatal(err)
	}
	// Three findings in the ledger: two of the school, one of the hospital,
	// each citing the clause and the unit's own words.
	b0, err := f.s.Form(ctx, f.county, c.ID, f.e.Orgs["school"].ID)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, it := range b0.Items {
		if it.Answer.Answer == fenghuo.AnswerNonCompliant {
			ids = append(ids, it.Answer.FindingID)
		}
	}
	h, err := f.s.Form(ctx, f.county, c.ID, f.e.Orgs["hospital"].ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range h.Items {
		if it.Answer.Answer == fenghuo.AnswerNonCompliant {
			ids = append(ids, it.Answer.FindingID)
		}
	}
	if len(ids) != 3 {
		t.Fatalf("finding ids %v", ids)
	}
	var got []*fenghuo.Finding
	for _, id := range ids {
		fd, err := f.e.DB.Finding(ctx, id)
		if err != nil {
			t.Fatalf("finding %d: %v", id, err)
		}
		got = append(got, fd)
	}
	weak := got[0]
	if weak.OrgID != f.e.Orgs["school"].ID || weak.Source != fenghuo.FindingSourceInspection || weak.Key != "checklist:seed000-self-inspection/weak-passwords" ||
		weak.Severity != "high" || weak.Title != "不符合：无弱口令" || !strings.Contains(weak.Detail, "杜绝弱口令") || !strings.Contains(weak.Detail, "admin/admin123") ||
		weak.DueAt.IsZero() || weak.SourceRef != "inspection:"+itoa(c.ID)+"/weak-passwords" {
		t.Errorf("school finding %+v", weak)
	}
	if got[2].OrgID != f.e.Orgs["hospital"].ID || got[2].Severity != "critical" {
		t.Errorf("hospital finding %+v", got[2])
	}
	// The same point found by a later campaign merges into the open finding.
	c2 := f.issue(t, fenghuo.CampaignSelf)
	if _, err := f.s.AnswerWithFiles(ctx, f.school, c2.ID, f.e.Orgs["school"].ID, answerAll("weak-passwords"), files(), true); err != nil {
		t.Fatal(err)
	}
	again, err := f.e.DB.Finding(ctx, weak.ID)
	if err != nil || again.Occurrences != 2 {
		t.Errorf("merged: %+v %v", again, err)
	}
	// The issuer's board: both submitted, three findings, none overdue.
	b, err := f.s.Campaign(ctx, f.county, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !b.IssuerView || len(b.Units) != 2 || b.Submitted != 2 || b.Findings != 3 || b.Overdue != 0 {
		t.Fatalf("board %+v", b)
	}
	for _, u := range b.Units {
		if u.Answered != 15 || u.Items != 15 {
			t.Errorf("unit %s answered %d of %d", u.OrgName, u.Answered, u.Items)
		}
	}
	// The obligations are done on time.
	obs, err := f.e.DB.Obligations(ctx, store.ObligationFilter{Kind: fenghuo.ObligationKindInspection}, store.Page{Limit: 10})
	if err != nil || len(obs.Items) != 4 {
		t.Fatalf("obligations %+v %v", obs, err)
	}
	for _, o := range obs.Items {
		if o.SubjectID != c.ID {
			continue
		}
		if o.State != fenghuo.ObligationOnTime || o.SubjectID != c.ID || o.IncidentID != 0 || o.RecipientOrgID != f.e.Orgs["county"].ID {
			t.Errorf("obligation %+v", o)
		}
	}
}

// Without a ledger a non-compliant answer cannot be submitted (no finding
// is ever lost); compliant answers can.
func TestSubmitNeedsTheLedgerForFindings(t *testing.T) {
	f := newFixture(t)
	f.s.SetFindingRaiser(nil)
	defer f.s.SetFindingRaiser(f.found.raise)
	c := f.issue(t, fenghuo.CampaignSelf)
	if _, err := f.s.AnswerWithFiles(ctx, f.school, c.ID, f.e.Orgs["school"].ID, answerAll("wlan"), files(), true); fenghuo.ErrorCode(err) != fenghuo.EINTERNAL {
		t.Errorf("no ledger: %v", err)
	}
	form, err := f.s.Form(ctx, f.school, c.ID, f.e.Orgs["school"].ID)
	if err != nil || form.Answered != 0 || form.Target.Submitted() {
		t.Errorf("the failed submission left answers: %+v %v", form, err)
	}
	if _, err := f.s.AnswerWithFiles(ctx, f.hospital, c.ID, f.e.Orgs["hospital"].ID, answerAll(), files(), true); err != nil {
		t.Errorf("compliant answers: %v", err)
	}
	f.s.SetFindingRaiser(f.found.raise)
	if _, err := f.s.AnswerWithFiles(ctx, f.school, c.ID, f.e.Orgs["school"].ID, answerAll("wlan"), files(), true); err != nil || len(f.found.inputs) != 1 || f.found.inputs[0].Severity != "medium" {
		t.Errorf("with a raiser: %+v %v", f.found.inputs, err)
	}
}

func TestRightsAndVisibility(t *testing.T) {
	f := newFixture(t)
	now := f.e.Clock.Now()
	// A unit cannot issue; a county cannot target outside its subtree.
	_, _, err := f.s.Issue(ctx, f.school, inspection.CampaignInput{Kind: fenghuo.CampaignSelf, Title: "x", ChecklistID: "seed000-self-inspection", DueAt: now.Add(time.Hour)})
	if fenghuo.ErrorCode(err) != fenghuo.EFORBIDDEN {
		t.Errorf("unit issues: %v", err)
	}
	_, _, err = f.s.Issue(ctx, f.county, inspection.CampaignInput{Kind: fenghuo.CampaignSelf, Title: "x", ChecklistID: "seed000-self-inspection",
		DueAt: now.Add(time.Hour), Scope: fenghuo.Targeting{OrgIDs: []int64{f.e.Orgs["school2"].ID}}})
	if fenghuo.ErrorCode(err) != fenghuo.EINVALID {
		t.Errorf("outside subtree: %v", err)
	}
	_, _, err = f.s.Issue(ctx, f.county, inspection.CampaignInput{Kind: fenghuo.CampaignSelf, Title: "x", ChecklistID: "nope", DueAt: now.Add(time.Hour)})
	if fenghuo.ErrorCode(err) != fenghuo.EINVALID {
		t.Errorf("unknown checklist: %v", err)
	}
	// Scope by sector: only the hospital.
	c, targets, err := f.s.Issue(ctx, f.county, inspection.CampaignInput{Kind: fenghuo.CampaignSelf, Title: "卫生行业自查",
		ChecklistID: "seed004-ransomware-hardening", DueAt: now.Add(48 * time.Hour), Scope: fenghuo.Targeting{Sector: "health"}})
	if err != nil || len(targets) != 1 || targets[0].OrgID != f.e.Orgs["hospital"].ID {
		t.Fatalf("sector scope: %+v %v", targets, err)
	}
	// The school neither sees nor answers the hospital's campaign; the
	// sibling county's unit does not see it; the city does.
	if _, err := f.s.Campaign(ctx, f.school, c.ID); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		t.Errorf("school sees the hospital's campaign: %v", err)
	}
	if _, err := f.s.Form(ctx, f.school, c.ID, f.e.Orgs["hospital"].ID); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		t.Errorf("school sees the hospital's form: %v", err)
	}
	if b, err := f.s.Campaign(ctx, f.cityDuty, c.ID); err != nil || !b.IssuerView || len(b.Units) != 1 {
		t.Errorf("city: %+v %v", b, err)
	}
	list, err := f.s.Campaigns(ctx, f.school2, store.Page{})
	if err != nil || list.Total != 0 {
		t.Errorf("school2 list: %+v %v", list, err)
	}
	list, err = f.s.Campaigns(ctx, f.hospital, store.Page{})
	if err != nil || list.Total != 1 || list.Items[0].IssuerName != "甲县委网信办" {
		t.Errorf("hospital list: %+v %v", list, err)
	}
	// In a self-inspection the office does not answer for the unit; a
	// viewer of the unit cannot answer either.
	one := []inspection.AnswerInput{{ItemID: "antivirus", Answer: fenghuo.AnswerCompliant, Evidence: "杀毒软件控制台截图"}}
	if _, err := f.s.Answer(ctx, f.county, c.ID, f.e.Orgs["hospital"].ID, one, false); fenghuo.ErrorCode(err) != fenghuo.EFORBIDDEN {
		t.Errorf("office answers a self-inspection: %v", err)
	}
	hv, _ := f.e.User(t, "hospital_viewer", "hospital", fenghuo.RoleViewer)
	if _, err := f.s.Answer(ctx, f.e.Actor(t, hv), c.ID, f.e.Orgs["hospital"].ID, one, false); fenghuo.ErrorCode(err) != fenghuo.EFORBIDDEN {
		t.Errorf("viewer answers: %v", err)
	}
	form, err := f.s.Form(ctx, f.county, c.ID, f.e.Orgs["hospital"].ID)
	if err != nil || form.CanAnswer || form.Why == "" {
		t.Errorf("county's view of the form: %+v %v", form, err)
	}
	// Bad answers: unknown item, not applicable without a reason.
	if _, err := f.s.Answer(ctx, f.hospital, c.ID, f.e.Orgs["hospital"].ID, []inspection.AnswerInput{{ItemID: "nope", Answer: "compliant"}}, false); fenghuo.ErrorCode(err) != fenghuo.EINVALID {
		t.Errorf("unknown item: %v", err)
	}
	if _, err := f.s.Answer(ctx, f.hospital, c.ID, f.e.Orgs["hospital"].ID, []inspection.AnswerInput{{ItemID: "antivirus", Answer: "not_applicable"}}, false); fenghuo.ErrorCode(err) != fenghuo.EINVALID {
		t.Errorf("no reason: %v", err)
	}

	// In an inspection by the office the county answers; the unit cannot.
	oc, _, err := f.s.Issue(ctx, f.county, inspection.CampaignInput{Kind: fenghuo.CampaignOffice, Title: "县网信办现场检查",
		ChecklistID: "seed004-ransomware-hardening", DueAt: now.Add(48 * time.Hour), Scope: fenghuo.Targeting{Sector: "health"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Answer(ctx, f.hospital, oc.ID, f.e.Orgs["hospital"].ID, one, false); fenghuo.ErrorCode(err) != fenghuo.EFORBIDDEN {
		t.Errorf("unit answers the office's inspection: %v", err)
	}
	shot := []inspection.Upload{{ItemID: "antivirus", Filename: "console.txt", Body: strings.NewReader("病毒库版本 2026-12-01")}}
	if _, err := f.s.AnswerWithFiles(ctx, f.county, oc.ID, f.e.Orgs["hospital"].ID, one, shot, false); err != nil {
		t.Errorf("office answers its inspection: %v", err)
	}
}

// A unit that does not answer by the window's end is overdue on the
// issuer's board, and the scheduler tells the issuer.
func TestUnansweredCampaignEscalatesToTheIssuer(t *testing.T) {
	f := newFixture(t)
	c := f.issue(t, fenghuo.CampaignSelf)
	if _, err := f.s.AnswerWithFiles(ctx, f.school, c.ID, f.e.Orgs["school"].ID, answerAll(), files(), true); err != nil {
		t.Fatal(err)
	}
	f.e.Clock.Advance(9*24*time.Hour + time.Hour)
	if res, err := f.e.App.Scheduler.Tick(ctx); err != nil || res.Reminded == 0 {
		t.Fatalf("reminder: %+v %v", res, err)
	}
	f.e.Clock.Advance(24 * time.Hour)
	if res, err := f.e.App.Scheduler.Tick(ctx); err != nil || res.Escalated != 1 {
		t.Fatalf("escalation: %+v %v", res, err)
	}
	ns, err := f.e.DB.Notifications(ctx, f.e.Orgs["county"].ID, 0, 20)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, n := range ns {
		if n.Kind == "obligation.overdue" && strings.Contains(n.Title, "元旦前网络安全自查") && n.Link == "/inspections/"+itoa(c.ID) {
			found = true
		}
	}
	if !found {
		t.Errorf("the county was not told: %+v", ns)
	}
	b, err := f.s.Campaign(ctx, f.county, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if b.Overdue != 1 || b.Submitted != 1 {
		t.Errorf("board: overdue %d submitted %d", b.Overdue, b.Submitted)
	}
	for _, u := range b.Units {
		if u.OrgID == f.e.Orgs["hospital"].ID && (!u.Overdue || u.EscalatedAt.IsZero()) {
			t.Errorf("hospital %+v", u)
		}
	}
	// The generic "mark done" of duties does not close it: the checklist must be answered.
	for _, u := range b.Units {
		if u.OrgID == f.e.Orgs["hospital"].ID {
			if err := f.e.App.Incidents.CompleteObligation(ctx, f.hospital, u.ObligationID, "已自查"); fenghuo.ErrorCode(err) != fenghuo.ECONFLICT {
				t.Errorf("generic completion: %v", err)
			}
		}
	}
	// Submitting late closes the duty as late.
	form, err := f.s.AnswerWithFiles(ctx, f.hospital, c.ID, f.e.Orgs["hospital"].ID, answerAll(), files(), true)
	if err != nil {
		t.Fatal(err)
	}
	err = f.e.DB.View(ctx, func(tx *store.Tx) error {
		o, err := tx.Obligation(ctx, form.Target.ObligationID)
		if err == nil && o.State != fenghuo.ObligationLate {
			t.Errorf("late answer: %+v", o)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestUploadedChecklistVersions(t *testing.T) {
	f := newFixture(t)
	doc := "id: county-holiday\nversion: \"2026.1\"\ntitle: {zh: 节前自查表}\nitems:\n  - id: backups\n    text: {zh: 有离线备份}\n    category: data\n    severity: critical\n    verify: {zh: 看备份记录}\n    evidence: {zh: 备份记录}\n"
	if _, err := f.s.UploadChecklist(ctx, f.school, []byte(doc), ""); fenghuo.ErrorCode(err) != fenghuo.EFORBIDDEN {
		t.Errorf("unit uploads: %v", err)
	}
	v1, err := f.s.UploadChecklist(ctx, f.county, []byte(doc), "首版")
	if err != nil || v1.Version != 1 || !strings.HasPrefix(v1.Label, "2026.1+") {
		t.Fatalf("upload: %+v %v", v1, err)
	}
	v2, err := f.s.UploadChecklist(ctx, f.county, []byte(strings.Replace(doc, "2026.1", "2026.2", 1)), "")
	if err != nil || v2.Version != 2 {
		t.Fatalf("second upload: %+v %v", v2, err)
	}
	// Another county may not take over the id; a built-in id is refused; a broken document names its line.
	c2, _ := f.e.User(t, "county2_cmd", "county2", fenghuo.RoleCommander)
	if _, err := f.s.UploadChecklist(ctx, f.e.Actor(t, c2), []byte(doc), ""); fenghuo.ErrorCode(err) != fenghuo.ECONFLICT {
		t.Errorf("other county: %v", err)
	}
	if _, err := f.s.UploadChecklist(ctx, f.county, []byte(strings.Replace(doc, "county-holiday", "seed000-self-inspection", 1)), ""); fenghuo.ErrorCode(err) != fenghuo.EINVALID {
		t.Errorf("built-in id: %v", err)
	}
	if _, err := f.s.UploadChecklist(ctx, f.county, []byte(strings.Replace(doc, "severity: critical", "severity: urgent", 1)), ""); err == nil || !strings.Contains(err.Error(), "upload:8: items[0].severity") {
		t.Errorf("bad document: %v", err)
	}
	rows, err := f.s.Checklists(ctx, f.school)
	if err != nil || len(rows) != 3 || rows[2].ID != "county-holiday" || rows[2].Version != 2 || rows[2].OrgName != "甲县委网信办" {
		t.Fatalf("checklists: %+v %v", rows, err)
	}
	// A campaign keeps the version it was issued with.
	c, _, err := f.s.Issue(ctx, f.county, inspection.CampaignInput{Kind: fenghuo.CampaignSelf, Title: "节前自查", ChecklistID: "county-holiday",
		ChecklistVersion: 1, DueAt: f.e.Clock.Now().Add(72 * time.Hour)})
	if err != nil || c.ChecklistVersion != v1.Label {
		t.Fatalf("campaign on v1: %+v %v", c, err)
	}
	if _, err := f.s.UploadChecklist(ctx, f.county, []byte(strings.Replace(doc, "有离线备份", "有离线和异地备份", 1)), ""); err != nil {
		t.Fatal(err)
	}
	form, err := f.s.Form(ctx, f.school, c.ID, f.e.Orgs["school"].ID)
	if err != nil || len(form.Items) != 1 || form.Items[0].Text.ZH != "有离线备份" || !form.CanAnswer {
		t.Errorf("form keeps v1: %+v %v", form, err)
	}
	// Every change is audited.
	for prefix, want := range map[string]int{"checklist.upload": 3, "inspection.issue": 1} {
		res, err := f.e.DB.AuditEntries(ctx, store.AuditFilter{ActionPrefix: prefix}, store.Page{Limit: 10})
		if err != nil || res.Total != want {
			t.Errorf("audit %s: %d entries, want %d (%v)", prefix, res.Total, want, err)
		}
	}
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
