package export

import (
	"strings"
	"testing"

	"fenghuo/internal/fenghuo"
)

func ticked(r formRow) []string {
	var out []string
	for _, o := range r.Options {
		if o.Ticked {
			out = append(out, o.Label)
		}
	}
	return out
}

func rowByLabel(t *testing.T, rows []formRow, label string) formRow {
	t.Helper()
	for _, r := range rows {
		if r.Label == label {
			return r
		}
	}
	t.Fatalf("no row %q", label)
	return formRow{}
}

func TestRowsStandard(t *testing.T) {
	f := ReportForm{UnitName: "某单位", Systems: []System{{"门户", 3}}, Grade: fenghuo.GradeIII, CategoryCode: "MP07", CategoryName: "勒索软件事件"}
	rows := f.rows()
	var labels []string
	for _, r := range rows {
		labels = append(labels, r.Label)
	}
	want := "发生单位 信息系统名称 信息系统安全保护等级 事件级别 事件类别 发生时间 发现时间 结束时间 事件描述 影响范围 处置措施 处置结果 报告单位 报告人 联系电话"
	if got := strings.Join(labels, " "); got != want {
		t.Errorf("labels = %s", got)
	}
	for label, want := range map[string]string{"信息系统安全保护等级": "第三级", "事件级别": "Ⅲ级（较大）", "事件类别": "恶意程序事件"} {
		if got := strings.Join(ticked(rowByLabel(t, rows, label)), ","); got != want {
			t.Errorf("%s ticks %q, want %q", label, got, want)
		}
	}
	if r := rowByLabel(t, rows, "信息系统安全保护等级"); r.Text != "" {
		t.Errorf("one system repeats its level as text: %q", r.Text)
	}
}

// TestRowsPlanForm: the 2007 categories of seed 003 附件2 tick from a 2023
// code, a plan value overrides, unknown fields are added before the
// reporter's rows, and a value outside the options is kept as text.
func TestRowsPlanForm(t *testing.T) {
	f := ReportForm{
		Grade: fenghuo.GradeI, CategoryCode: "DE01", CategoryName: "软硬件自身故障",
		CategoryOptions: []Category{{"DE", "设备设施故障事件"}},
		PlanFields: []FormValue{
			{ID: "category", Label: "事件类别", Options: []string{"有害程序事件", "设备设施故障", "其他事件"}},
			{ID: "grade", Label: "事件级别", Options: []string{"Ⅲ级", "Ⅳ级"}},
			{ID: "protection_level", Label: "信息系统安全保护等级", Options: []string{"第一级", "第二级", "第三级"}, Value: "第二级、第三级"},
			{ID: "unit", Label: "事发单位", Value: "某局"},
			{ID: "people_affected_text", Label: "影响人数", Value: "约3000人"},
			{ID: "choice_x", Label: "是否涉密", Options: []string{"是", "否"}, Value: "否"},
			{ID: "development", Label: "（三）", Value: "items are not table rows"},
		},
	}
	rows := f.rows()
	if got := ticked(rowByLabel(t, rows, "事件类别")); len(got) != 1 || got[0] != "设备设施故障" {
		t.Errorf("category ticks %v", got)
	}
	if r := rowByLabel(t, rows, "事件级别"); len(ticked(r)) != 0 || r.Text != "特别重大（Ⅰ级）" {
		t.Errorf("grade row = %+v", r)
	}
	if got := ticked(rowByLabel(t, rows, "信息系统安全保护等级")); strings.Join(got, ",") != "第二级,第三级" {
		t.Errorf("levels tick %v", got)
	}
	if r := rowByLabel(t, rows, "事发单位"); r.ID != rowUnit || r.Text != "某局" || rows[0].Label != "事发单位" {
		t.Errorf("unit row = %+v", r)
	}
	if got := ticked(rowByLabel(t, rows, "是否涉密")); len(got) != 1 || got[0] != "否" {
		t.Errorf("extra choice ticks %v", got)
	}
	n := len(rows)
	if rows[n-4].Label != "是否涉密" || rows[n-5].Label != "影响人数" || rows[n-3].Label != "报告单位" {
		t.Errorf("extra rows are not before the reporter's: %v %v %v", rows[n-5].Label, rows[n-4].Label, rows[n-3].Label)
	}
	for _, r := range rows {
		if r.Label == "（三）" {
			t.Error("an Art. 7 item became a table row")
		}
	}
}

func TestOptionMatches(t *testing.T) {
	for _, c := range []struct {
		opt, sel string
		want     bool
	}{
		{"Ⅲ级（较大）", "Ⅲ级", true}, {"Ⅱ级（重大）", "Ⅲ级", false}, {"Ⅰ级", "Ⅱ级", false},
		{"设备设施故障", "设备设施故障事件", true}, {"第二级", " 第二级 ", true}, {"第二级", "", false}, {"", "x", false},
	} {
		if got := optionMatches(c.opt, c.sel); got != c.want {
			t.Errorf("optionMatches(%q, %q) = %v", c.opt, c.sel, got)
		}
	}
}

func TestKindName(t *testing.T) {
	for _, c := range []struct {
		f    ReportForm
		want string
	}{
		{ReportForm{Kind: fenghuo.ReportInitial, Number: 1, Revision: 1}, "初报"},
		{ReportForm{Kind: fenghuo.ReportFollowUp, Number: 3}, "续报（第3次）"},
		{ReportForm{Kind: fenghuo.ReportFinal, Revision: 2}, "终报 修订第2版"},
		{ReportForm{}, ""},
	} {
		if got := c.f.kindName(); got != c.want {
			t.Errorf("kindName(%+v) = %q, want %q", c.f, got, c.want)
		}
	}
}
