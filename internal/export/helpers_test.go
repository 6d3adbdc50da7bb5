package export

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
)

// sampleForm is the scenario: a school's portal defaced, graded II
// under wushen-county, reported under the dandong-broadcast 附件2 form.
func sampleForm() ReportForm {
	at := func(h, m int) time.Time { return time.Date(2025, 11, 3, h, m, 0, 0, chinaTime) }
	return ReportForm{
		IncidentID:    42,
		IncidentTitle: "门户网站首页被篡改",
		UnitName:      "乌审旗第一中学",
		Systems:       []System{{Name: "学校门户网站", Level: 2}, {Name: "教务管理系统", Level: 3}},
		CategoryCode:  "NA09",
		CategoryName:  "网页篡改事件",
		Grade:         fenghuo.GradeII,
		OccurredAt:    at(8, 5),
		DiscoveredAt:  at(8, 40),
		Description:   "首页被植入违法信息，持续约3小时。",
		Impact:        "门户网站首页对公众可见，浏览量约2000次。",
		Measures:      "已断开网站外网访问，保留日志和页面快照。",
		Kind:          fenghuo.ReportFollowUp,
		Number:        2,
		Revision:      1,
		Items: map[string]string{
			ItemUnitAndSystem: "乌审旗第一中学，学校门户网站（第二级）。",
			ItemEventDetails:  "11月3日8时40分发现首页被篡改。\n已下线网站并报告旗委网信办。",
			ItemDevelopment:   "暂未发现扩散。",
		},
		PlanFormTitle:  "辽宁省广电网络安全事件报告单",
		PlanFormClause: "附件2",
		PlanFields: []FormValue{
			{ID: "department", Label: "发生部门", Value: "信息中心"},
			{ID: "grade", Label: "事件级别", Options: []string{"Ⅲ级", "Ⅳ级"}},
			{ID: "duty_officer", Label: "值班领导", Value: "王主任"},
			{ID: "event_details", Label: "（二）事件情况", Value: "不应重复出现"},
		},
		Signer:        "李校长",
		Reporter:      "张老师",
		Phone:         "0477-7654321",
		ReportingUnit: "乌审旗第一中学",
		SubmittedAt:   at(9, 10),
		Recipients:    []string{"乌审旗委网信办", "乌审旗公安局网安大队"},
	}
}

// hostile is user text that breaks naive XML, CDATA and spreadsheets.
const hostile = `<script>alert("x")</script> & 'q' ]]> <w:t>`

// squash removes all white space, as PDF text extraction inserts some.
func squash(s string) string { return strings.Join(strings.Fields(s), "") }

// needTool skips the test when a command-line tool is missing.
func needTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s not installed (Debian poppler-utils / libreoffice-writer-nogui)", name)
	}
	return path
}

// writeTemp writes data into the test's temporary directory.
func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// pdfText extracts a PDF's text with pdftotext.
func pdfText(t *testing.T, data []byte) string {
	t.Helper()
	bin := needTool(t, "pdftotext")
	path := writeTemp(t, "report.pdf", data)
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// keepArtifact copies an export into $EXPORT_ARTIFACTS, when set, to look
// at by hand.
func keepArtifact(t *testing.T, name string, data []byte) {
	t.Helper()
	dir := os.Getenv("EXPORT_ARTIFACTS")
	if dir == "" {
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func mustPDF(t *testing.T, f ReportForm) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteReportPDF(&buf, f); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func mustDOCX(t *testing.T, f ReportForm) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteReportDOCX(&buf, f); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
