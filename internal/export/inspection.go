package export

import (
	"io"
	"time"
)

// InspectionHead is what the closing summary of an inspection campaign is
// about: the campaign, its window and its close.
type InspectionHead struct {
	Title, Issuer, Checklist string
	StartsAt, DueAt          time.Time
	ClosedAt                 time.Time
	CloseReason              string
}

// InspectionUnitRow is one unit in a campaign's closing summary: its state
// in words (按时提交, 逾期提交, 未完成), items answered, when it submitted,
// whether it was overdue, non-compliant answers and the findings raised by
// severity (critical, high, medium, low).
type InspectionUnitRow struct {
	Unit         string
	State        string
	Answered     int
	Items        int
	SubmittedAt  time.Time
	Overdue      bool
	NonCompliant int
	BySeverity   [4]int
}

var inspectionColumns = []column{
	{"单位", "Unit", 30}, {"状态", "State", 12}, {"已填报", "Answered", 9}, {"检查项", "Items", 8}, {"提交时间", "Submitted", 18},
	{"逾期", "Overdue", 8}, {"不符合", "Non-compliant", 10}, {"严重", "Critical", 8}, {"高", "High", 8}, {"中", "Medium", 8}, {"低", "Low", 8},
}

// WriteInspectionXLSX writes a campaign's closing summary: one line per
// unit (overdue ones highlighted), a total line, then the campaign's
// window and close.
func WriteInspectionXLSX(w io.Writer, head InspectionHead, rows []InspectionUnitRow, lang string) error {
	en := isEnglish(lang)
	b, err := newWorkbook(map[bool]string{true: "inspection summary", false: "检查总结"}[en], inspectionColumns, en)
	if err != nil {
		return err
	}
	defer b.f.Close()
	yes := map[bool]map[bool]string{true: {true: "yes", false: ""}, false: {true: "是", false: ""}}[en]
	var total InspectionUnitRow
	overdue := 0
	for i, r := range rows {
		y := i + 2
		cells := []any{r.Unit, r.State, r.Answered, r.Items, r.SubmittedAt, yes[r.Overdue], r.NonCompliant}
		for _, n := range r.BySeverity {
			cells = append(cells, n)
		}
		if err := b.writeRow(y, cells); err != nil {
			return err
		}
		if r.Overdue {
			overdue++
			if err := b.f.SetCellStyle(b.sheet, cellName(1, y), cellName(6, y), b.alert); err != nil {
				return err
			}
		}
		total.Answered += r.Answered
		total.Items += r.Items
		total.NonCompliant += r.NonCompliant
		for j := range 4 {
			total.BySeverity[j] += r.BySeverity[j]
		}
	}
	y := len(rows) + 2
	cells := []any{map[bool]string{true: "Total", false: "合计"}[en], "", total.Answered, total.Items, time.Time{}, overdue, total.NonCompliant}
	for _, n := range total.BySeverity {
		cells = append(cells, n)
	}
	if err := b.writeRow(y, cells); err != nil {
		return err
	}
	if err := b.f.SetRowStyle(b.sheet, y, y, b.header); err != nil {
		return err
	}
	labels := map[bool][]string{true: {"Campaign", "Issued by", "Checklist", "Starts", "Due", "Closed", "Reason for closing"},
		false: {"检查名称", "发起单位", "检查表", "开始时间", "截止时间", "结束时间", "结束理由"}}[en]
	values := []any{head.Title, head.Issuer, head.Checklist, head.StartsAt, head.DueAt, head.ClosedAt, head.CloseReason}
	y += 2
	for i, l := range labels {
		if err := b.writeRow(y+i, []any{l, values[i]}); err != nil {
			return err
		}
		if err := b.f.SetCellStyle(b.sheet, cellName(1, y+i), cellName(1, y+i), b.header); err != nil {
			return err
		}
	}
	return b.finish(w, len(rows))
}
