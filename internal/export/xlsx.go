package export

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"fenghuo/internal/fenghuo"
)

// IncidentRow is one line of the incident list.
type IncidentRow struct {
	ID           int64
	Unit         string
	Title        string
	CategoryCode string
	CategoryName string
	Grade        fenghuo.Grade
	Status       fenghuo.IncidentStatus
	OccurredAt   time.Time
	DiscoveredAt time.Time
	ReportedAt   time.Time
	// Overdue counts the incident's open obligations past their due time;
	// Late counts those fulfilled after it.
	Overdue int
	Late    int
}

// UnitRecord is a unit's reporting record (迟报/漏报 counts): its report
// obligations by how they ended.
type UnitRecord struct {
	Unit    string
	OnTime  int
	Late    int // 迟报: filed after the due time
	Overdue int // open and past the due time
	Missed  int // 漏报: closed without a report
}

type column struct {
	zh, en string
	width  float64
}

var incidentColumns = []column{
	{"编号", "ID", 8}, {"事发单位", "Unit", 24}, {"事件名称", "Title", 36}, {"事件类别", "Category", 22},
	{"事件级别", "Grade", 16}, {"状态", "Status", 10}, {"发生时间", "Occurred", 17}, {"发现时间", "Discovered", 17},
	{"报告时间", "Reported", 17}, {"超期未报", "Overdue", 10}, {"迟报", "Late", 8},
}

var recordColumns = []column{
	{"单位", "Unit", 30}, {"按时报告", "On time", 10}, {"迟报", "Late", 8}, {"超期未报", "Overdue", 10},
	{"漏报", "Missed", 8}, {"合计", "Total", 8}, {"按时率", "On-time rate", 12},
}

// gradeColors are the fills of 红橙黄蓝, the colours the plans give grades I–IV.
var gradeColors = map[fenghuo.Grade][2]string{
	fenghuo.GradeI: {"C00000", "FFFFFF"}, fenghuo.GradeII: {"FF9900", "000000"},
	fenghuo.GradeIII: {"FFFF00", "000000"}, fenghuo.GradeIV: {"0070C0", "FFFFFF"},
}

func isEnglish(lang string) bool { return strings.HasPrefix(strings.ToLower(lang), "en") }

// WriteIncidentsXLSX writes the incident list: a bold header frozen above
// the rows with a filter, grades coloured 红橙黄蓝, times in China Standard
// Time as Excel dates. lang "en…" gives English headers and names, anything
// else Chinese. Text is written as strings, so a title such as
// "=HYPERLINK(…)" stays text and never becomes a formula.
func WriteIncidentsXLSX(w io.Writer, rows []IncidentRow, lang string) error {
	en := isEnglish(lang)
	b, err := newWorkbook(map[bool]string{true: "incidents", false: "事件"}[en], incidentColumns, en)
	if err != nil {
		return err
	}
	defer b.f.Close()
	gradeStyles := map[fenghuo.Grade]int{}
	for g, c := range gradeColors {
		if gradeStyles[g], err = b.f.NewStyle(&excelize.Style{Border: thinBorder(),
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c[0]}}, Font: &excelize.Font{Color: c[1], Bold: true}}); err != nil {
			return err
		}
	}
	for i, r := range rows {
		y := i + 2
		category := r.CategoryName
		if r.CategoryCode != "" {
			category = r.CategoryCode + " " + r.CategoryName
		}
		grade, status := r.Grade.NameZH(), r.Status.NameZH()
		if en {
			grade, status = r.Grade.NameEN(), string(r.Status)
		}
		cells := []any{r.ID, r.Unit, r.Title, category, grade, status, r.OccurredAt, r.DiscoveredAt, r.ReportedAt, r.Overdue, r.Late}
		if err := b.writeRow(y, cells); err != nil {
			return err
		}
		if s, ok := gradeStyles[r.Grade]; ok {
			if err := b.f.SetCellStyle(b.sheet, cellName(5, y), cellName(5, y), s); err != nil {
				return err
			}
		}
		if r.Overdue > 0 {
			if err := b.f.SetCellStyle(b.sheet, cellName(10, y), cellName(10, y), b.alert); err != nil {
				return err
			}
		}
	}
	return b.finish(w, len(rows))
}

// WriteReportingRecordXLSX writes each unit's report obligations by
// outcome, with the on-time rate and a total line. The numbers are
// computed here: the sheet holds no formulas.
func WriteReportingRecordXLSX(w io.Writer, rows []UnitRecord, lang string) error {
	en := isEnglish(lang)
	b, err := newWorkbook(map[bool]string{true: "reporting record", false: "报告情况"}[en], recordColumns, en)
	if err != nil {
		return err
	}
	defer b.f.Close()
	var sum UnitRecord
	sum.Unit = map[bool]string{true: "Total", false: "合计"}[en]
	line := func(y int, r UnitRecord) error {
		total := r.OnTime + r.Late + r.Overdue + r.Missed
		var rate any = ""
		if total > 0 {
			rate = float64(r.OnTime) / float64(total)
		}
		if err := b.writeRow(y, []any{r.Unit, r.OnTime, r.Late, r.Overdue, r.Missed, total, rate}); err != nil {
			return err
		}
		return b.f.SetCellStyle(b.sheet, cellName(7, y), cellName(7, y), b.percent)
	}
	for i, r := range rows {
		if err := line(i+2, r); err != nil {
			return err
		}
		sum.OnTime, sum.Late, sum.Overdue, sum.Missed = sum.OnTime+r.OnTime, sum.Late+r.Late, sum.Overdue+r.Overdue, sum.Missed+r.Missed
	}
	y := len(rows) + 2
	if err := line(y, sum); err != nil {
		return err
	}
	if err := b.f.SetRowStyle(b.sheet, y, y, b.header); err != nil {
		return err
	}
	if err := b.f.SetCellStyle(b.sheet, cellName(7, y), cellName(7, y), b.percentBold); err != nil {
		return err
	}
	return b.finish(w, len(rows)) // the filter leaves the total line out
}

// workbook is one sheet with a styled header row.
type workbook struct {
	f                                          *excelize.File
	sheet                                      string
	cols                                       int
	header, text, date, number, alert, percent int
	percentBold                                int
}

func newWorkbook(sheet string, cols []column, en bool) (*workbook, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	return newWorkbookOn(f, sheet, cols, en)
}

// newWorkbookOn styles an existing sheet of f and writes its header row.
func newWorkbookOn(f *excelize.File, sheet string, cols []column, en bool) (*workbook, error) {
	b := &workbook{f: f, sheet: sheet, cols: len(cols)}
	var err error
	font := &excelize.Font{Family: "宋体", Size: 11}
	styles := []struct {
		dst *int
		s   excelize.Style
	}{
		{&b.header, excelize.Style{Font: &excelize.Font{Family: "黑体", Size: 11, Bold: true}, Border: thinBorder(),
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9D9D9"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&b.text, excelize.Style{Font: font, Border: thinBorder(), Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}},
		{&b.date, excelize.Style{Font: font, Border: thinBorder(), CustomNumFmt: ptr("yyyy-mm-dd hh:mm"), Alignment: &excelize.Alignment{Vertical: "top"}}},
		{&b.number, excelize.Style{Font: font, Border: thinBorder(), Alignment: &excelize.Alignment{Vertical: "top"}}},
		{&b.alert, excelize.Style{Font: &excelize.Font{Family: "宋体", Size: 11, Bold: true, Color: "C00000"}, Border: thinBorder(), Alignment: &excelize.Alignment{Vertical: "top"}}},
		{&b.percent, excelize.Style{Font: font, Border: thinBorder(), NumFmt: 10}},
		{&b.percentBold, excelize.Style{Font: &excelize.Font{Family: "黑体", Size: 11, Bold: true}, Border: thinBorder(), NumFmt: 10,
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9D9D9"}}}},
	}
	for _, s := range styles {
		if err != nil {
			break
		}
		*s.dst, err = f.NewStyle(&s.s)
	}
	for i, c := range cols {
		if err != nil {
			break
		}
		label := c.zh
		if en {
			label = c.en
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		err = errors.Join(f.SetCellStr(sheet, cellName(i+1, 1), label), f.SetColWidth(sheet, col, col, c.width))
	}
	if err == nil {
		err = errors.Join(f.SetCellStyle(sheet, "A1", cellName(len(cols), 1), b.header), f.SetRowHeight(sheet, 1, 22))
	}
	if err == nil {
		// Freeze the header so it stays in view while scrolling.
		err = f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	}
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	return b, nil
}

// writeRow writes one row: strings with SetCellStr (never parsed as a
// formula), times converted to China Standard Time, zero times left blank.
func (b *workbook) writeRow(y int, cells []any) error {
	for i, v := range cells {
		cell := cellName(i+1, y)
		style := b.number
		var err error
		switch v := v.(type) {
		case string:
			style = b.text
			if v != "" {
				err = b.f.SetCellStr(b.sheet, cell, v)
			}
		case time.Time:
			style = b.date
			if !v.IsZero() {
				// Excel dates carry no zone: write the wall clock in Beijing.
				c := v.In(chinaTime)
				err = b.f.SetCellValue(b.sheet, cell, time.Date(c.Year(), c.Month(), c.Day(), c.Hour(), c.Minute(), c.Second(), 0, time.UTC))
			}
		default:
			err = b.f.SetCellValue(b.sheet, cell, v)
		}
		if err == nil {
			err = b.f.SetCellStyle(b.sheet, cell, cell, style)
		}
		if err != nil {
			return fmt.Errorf("xlsx: %s: %w", cell, err)
		}
	}
	return nil
}

// finish adds the header's filter and writes the workbook.
func (b *workbook) finish(w io.Writer, rows int) error {
	if err := b.f.AutoFilter(b.sheet, "A1:"+cellName(b.cols, max(rows+1, 2)), nil); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	if err := b.f.Write(w); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}

func thinBorder() []excelize.Border {
	var out []excelize.Border
	for _, side := range []string{"left", "right", "top", "bottom"} {
		out = append(out, excelize.Border{Type: side, Color: "808080", Style: 1})
	}
	return out
}

func cellName(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

func ptr[T any](v T) *T { return &v }
