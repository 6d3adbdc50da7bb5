package inspection_test

import (
	"bytes"
	"encoding/hex"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm3"
	"github.com/xuri/excelize/v2"

	"fenghuo/internal/app"
	"fenghuo/internal/app/inspection"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// An answer carries a note and, where the item asks for it, a file: a
// compliant answer without the file is refused naming the item; the files
// are listed with the answer with their SM3, and downloaded by the
// issuer's side and the unit, not by another unit.
func TestAnswersCarryEvidence(t *testing.T) {
	f := newFixture(t)
	c := f.issue(t, fenghuo.CampaignSelf)
	school := f.e.Orgs["school"].ID
	weak := []inspection.AnswerInput{{ItemID: "weak-passwords", Answer: fenghuo.AnswerCompliant, Evidence: "口令策略已启用"}}
	_, err := f.s.Answer(ctx, f.school, c.ID, school, weak, false)
	if fenghuo.ErrorCode(err) != fenghuo.EINVALID || !strings.Contains(err.Error(), "检查项“无弱口令”要求上传证明材料") {
		t.Fatalf("compliant without the file: %v", err)
	}
	// The note is required too.
	noNote := []inspection.AnswerInput{{ItemID: "default-passwords", Answer: fenghuo.AnswerCompliant}}
	if _, err := f.s.Answer(ctx, f.school, c.ID, school, noNote, false); fenghuo.ErrorCode(err) != fenghuo.EINVALID || !strings.Contains(err.Error(), "无默认口令") {
		t.Errorf("compliant without a note: %v", err)
	}
	// A non-compliant answer needs no file.
	non := []inspection.AnswerInput{{ItemID: "weak-passwords", Answer: fenghuo.AnswerNonCompliant, Evidence: "OA后台口令为admin123"}}
	if _, err := f.s.Answer(ctx, f.school, c.ID, school, non, false); err != nil {
		t.Fatalf("non-compliant: %v", err)
	}
	// A file of the wrong kind is refused by the same checks as incident evidence.
	bad := []inspection.Upload{{ItemID: "weak-passwords", Filename: "policy.png", Body: strings.NewReader("not a png")}}
	if _, err := f.s.AnswerWithFiles(ctx, f.school, c.ID, school, weak, bad, false); fenghuo.ErrorCode(err) != fenghuo.EINVALID {
		t.Errorf("a text file named .png: %v", err)
	}
	content := "密码策略：长度≥12，90天更换\n"
	up := []inspection.Upload{{ItemID: "weak-passwords", Filename: "policy.txt", Body: strings.NewReader(content), Note: "域控策略导出"}}
	form, err := f.s.AnswerWithFiles(ctx, f.school, c.ID, school, weak, up, false)
	if err != nil {
		t.Fatal(err)
	}
	h := sm3.Sum([]byte(content))
	it := form.Items[0]
	if it.ID != "weak-passwords" || len(it.Files) != 1 || it.Files[0].SM3 != hex.EncodeToString(h[:]) || it.Files[0].Note != "域控策略导出" ||
		it.Answer.Answer != fenghuo.AnswerCompliant {
		t.Fatalf("answer with its file: %+v", it)
	}
	// Listed again on a fresh read, for the county as for the unit.
	cf, err := f.s.Form(ctx, f.county, c.ID, school)
	if err != nil || len(cf.Items[0].Files) != 1 {
		t.Fatalf("county's view: %+v %v", cf, err)
	}
	ev := cf.Items[0].Files[0]
	for name, ok := range map[string]bool{"county": true, "school": true, "city": true, "school2": false, "hospital": false} {
		ac := map[string]*app.Actor{"county": f.county, "school": f.school, "city": f.cityDuty, "school2": f.school2, "hospital": f.hospital}[name]
		got, file, err := f.s.OpenEvidence(ctx, ac, ev.ID)
		if !ok {
			if fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
				t.Errorf("%s downloads: %v", name, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s downloads: %v", name, err)
		}
		body, _ := io.ReadAll(file)
		file.Close()
		if string(body) != content || got.Filename != "policy.txt" {
			t.Errorf("%s got %q %+v", name, body, got)
		}
	}
	res, err := f.e.DB.AuditEntries(ctx, store.AuditFilter{ActionPrefix: "export.inspection_evidence"}, store.Page{Limit: 10})
	if err != nil || res.Total != 3 {
		t.Errorf("downloads audited: %d %v", res.Total, err)
	}
	// The file proves the answer in the finding it raises.
	if _, err := f.s.AnswerWithFiles(ctx, f.school, c.ID, school, answerAll("unpatched-vulnerabilities"), files(), true); err != nil {
		t.Fatal(err)
	}
	got, err := f.e.DB.Findings(ctx, store.FindingFilter{ScopeOrgID: school}, store.Page{Limit: 10})
	if err != nil || got.Total != 1 || !strings.Contains(got.Items[0].Detail, "证明材料：unpatched-vulnerabilities.txt") {
		t.Errorf("finding: %+v %v", got.Items, err)
	}
	// No file after the answers are submitted.
	late := []inspection.Upload{{ItemID: "weak-passwords", Filename: "more.txt", Body: strings.NewReader("x")}}
	if _, err := f.s.AnswerWithFiles(ctx, f.school, c.ID, school, nil, late, false); fenghuo.ErrorCode(err) != fenghuo.ECONFLICT {
		t.Errorf("file after submit: %v", err)
	}
}

// The issuer sends a unit's answers back (退回重填) with a note: the unit
// answers again under a new duty, findings already raised are not raised
// twice.
func TestReturnAnswersToTheUnit(t *testing.T) {
	f := newFixture(t)
	c := f.issue(t, fenghuo.CampaignSelf)
	school := f.e.Orgs["school"].ID
	if _, err := f.s.Return(ctx, f.county, c.ID, school, "请补充"); fenghuo.ErrorCode(err) != fenghuo.ECONFLICT {
		t.Errorf("return before submit: %v", err)
	}
	first, err := f.s.AnswerWithFiles(ctx, f.school, c.ID, school, answerAll("weak-passwords"), files(), true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Return(ctx, f.school, c.ID, school, "自己退回"); fenghuo.ErrorCode(err) != fenghuo.EFORBIDDEN {
		t.Errorf("the unit returns its own answers: %v", err)
	}
	if _, err := f.s.Return(ctx, f.county, c.ID, school, "  "); fenghuo.ErrorCode(err) != fenghuo.EINVALID {
		t.Errorf("return without a note: %v", err)
	}
	form, err := f.s.Return(ctx, f.county, c.ID, school, "弱口令项未写明涉及系统，请补充")
	if err != nil {
		t.Fatal(err)
	}
	if form.Target.Submitted() || form.Target.ReturnNote != "弱口令项未写明涉及系统，请补充" || form.Target.ObligationID == first.Target.ObligationID ||
		form.Answered != len(form.Items) {
		t.Fatalf("returned: %+v", form.Target)
	}
	ns, _ := f.e.DB.Notifications(ctx, school, 0, 5)
	if len(ns) == 0 || ns[0].Kind != "inspection.returned" || !strings.Contains(ns[0].Body, "请补充") {
		t.Errorf("school told: %+v", ns)
	}
	sf, err := f.s.Form(ctx, f.school, c.ID, school)
	if err != nil || !sf.CanAnswer {
		t.Fatalf("school may answer again: %+v %v", sf, err)
	}
	// Answer again and submit: the finding is not raised a second time.
	again := []inspection.AnswerInput{{ItemID: "shared-passwords", Answer: fenghuo.AnswerCompliant, Evidence: "已逐一核对账号"}}
	if _, err := f.s.Answer(ctx, f.school, c.ID, school, again, true); err != nil {
		t.Fatal(err)
	}
	got, err := f.e.DB.Findings(ctx, store.FindingFilter{ScopeOrgID: school}, store.Page{Limit: 10})
	if err != nil || got.Total != 1 || got.Items[0].Occurrences != 1 {
		t.Errorf("findings after resubmission: %+v %v", got.Items, err)
	}
	err = f.e.DB.View(ctx, func(tx *store.Tx) error {
		o, err := tx.Obligation(ctx, form.Target.ObligationID)
		if err == nil && (o.State != fenghuo.ObligationOnTime || o.OwnerOrgID != school) {
			t.Errorf("new duty: %+v", o)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.e.DB.AuditEntries(ctx, store.AuditFilter{ActionPrefix: "inspection.return"}, store.Page{Limit: 10})
	if err != nil || res.Total != 1 {
		t.Errorf("return audited: %d %v", res.Total, err)
	}
}

// The issuer closes a campaign: early only with a reason; no answers
// after; units not submitted are 未完成 with their duty missed; the
// summary counts findings by severity and overdue units, and exports.
func TestCloseCampaign(t *testing.T) {
	f := newFixture(t)
	c := f.issue(t, fenghuo.CampaignSelf)
	school, hospital := f.e.Orgs["school"].ID, f.e.Orgs["hospital"].ID
	if _, err := f.s.AnswerWithFiles(ctx, f.school, c.ID, school, answerAll("weak-passwords", "default-passwords", "wlan"), files(), true); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Close(ctx, f.county, c.ID, ""); fenghuo.ErrorCode(err) != fenghuo.EINVALID {
		t.Errorf("early close without a reason: %v", err)
	}
	if _, err := f.s.Close(ctx, f.school, c.ID, "结束"); fenghuo.ErrorCode(err) != fenghuo.EFORBIDDEN {
		t.Errorf("a unit closes: %v", err)
	}
	if _, err := f.s.Close(ctx, f.school2, c.ID, "结束"); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		t.Errorf("another county's unit closes: %v", err)
	}
	// The hospital is half-way when the window ends.
	if _, err := f.s.Answer(ctx, f.hospital, c.ID, hospital, answerAll()[3:5], false); err != nil {
		t.Fatal(err)
	}
	f.e.Clock.Advance(11 * 24 * time.Hour)
	sum, err := f.s.Close(ctx, f.county, c.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if !sum.Campaign.Closed() || sum.Campaign.ClosedAt.IsZero() || sum.OnTime != 1 || sum.Unfinished != 1 || sum.Overdue != 1 ||
		sum.Findings != 3 || sum.BySeverity != [4]int{1, 1, 1, 0} {
		t.Fatalf("summary: %+v", sum)
	}
	for _, u := range sum.Units {
		if u.OrgID == hospital && (u.State != inspection.UnitUnfinished || u.Answered != 2 || !u.Overdue) {
			t.Errorf("hospital: %+v", u)
		}
	}
	if _, err := f.s.Close(ctx, f.county, c.ID, "again"); fenghuo.ErrorCode(err) != fenghuo.ECONFLICT {
		t.Errorf("closed twice: %v", err)
	}
	// No answers, files or returns after the close.
	if _, err := f.s.Answer(ctx, f.hospital, c.ID, hospital, answerAll(), true); fenghuo.ErrorCode(err) != fenghuo.ECONFLICT || !strings.Contains(err.Error(), "不再接受填报") {
		t.Errorf("answer after close: %v", err)
	}
	if _, err := f.s.Return(ctx, f.county, c.ID, school, "补充"); fenghuo.ErrorCode(err) != fenghuo.ECONFLICT {
		t.Errorf("return after close: %v", err)
	}
	b, err := f.s.Campaign(ctx, f.county, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range b.Units {
		if u.Unfinished != (u.OrgID == hospital) || u.CanAnswer {
			t.Errorf("board unit %+v", u)
		}
		if u.OrgID == hospital {
			err = f.e.DB.View(ctx, func(tx *store.Tx) error {
				o, err := tx.Obligation(ctx, u.ObligationID)
				if err == nil && o.State != fenghuo.ObligationMissed {
					t.Errorf("hospital's duty: %+v", o)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	ns, _ := f.e.DB.Notifications(ctx, hospital, 0, 5)
	if len(ns) == 0 || ns[0].Kind != "inspection.closed" {
		t.Errorf("hospital told: %+v", ns)
	}
	// The summary is the issuer's: a unit does not read it.
	if _, err := f.s.Summary(ctx, f.school, c.ID); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		t.Errorf("school reads the summary: %v", err)
	}
	var buf bytes.Buffer
	if err := f.s.WriteSummaryXLSX(ctx, f.county, c.ID, &buf, "zh"); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := x.GetRows("检查总结")
	if err != nil {
		t.Fatal(err)
	}
	text := ""
	for _, r := range rows {
		text += strings.Join(r, "|") + "\n"
	}
	if !strings.Contains(text, "甲县人民医院|未完成|2|15") && !strings.Contains(text, "|未完成|2|15|") {
		t.Errorf("xlsx:\n%s", text)
	}
	if !strings.Contains(text, "合计||") || !strings.Contains(text, "|按时提交|15|15|") {
		t.Errorf("xlsx:\n%s", text)
	}
	for prefix, want := range map[string]int{"inspection.close": 1, "export.inspection_summary": 1} {
		res, err := f.e.DB.AuditEntries(ctx, store.AuditFilter{ActionPrefix: prefix}, store.Page{Limit: 10})
		if err != nil || res.Total != want {
			t.Errorf("audit %s: %d, want %d (%v)", prefix, res.Total, want, err)
		}
	}
}
