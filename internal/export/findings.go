package export

import (
	"io"
	"time"
)

// FindingUnitRow is one organisation's active findings on the clear-to-zero
// board: to fix (by severity critical, high, medium, low and by age under 7
// days, 7–30, 30–90, over 90), overdue, awaiting re-check, risk accepted.
type FindingUnitRow struct {
	Unit       string
	Open       int
	BySeverity [4]int
	ByAge      [4]int
	Overdue    int
	Submitted  int
	Accepted   int
}

// FindingWeekRow is one week of the trend toward zero.
type FindingWeekRow struct {
	End      time.Time
	Unclosed int
	Raised   int
	Closed   int
}

var findingColumns = []column{
	{"单位", "Unit", 30}, {"待整改", "To fix", 10}, {"严重", "Critical", 8}, {"高", "High", 8}, {"中", "Medium", 8},
	{"低", "Low", 8}, {"7天内", "< 7 days", 9}, {"7-30天", "7-30 days", 9}, {"30-90天", "30-90 days", 10},
	{"90天以上", "> 90 days", 10}, {"已超期", "Overdue", 9}, {"待复核", "Awaiting re-check", 10}, {"已接受风险", "Risk accepted", 11},
}

// WriteFindingsXLSX writes the clear-to-zero board of a subtree (root):
// one line per organisation with active findings, overdue counts
// highlighted, a total line, then the weekly trend (unclosed at the week's
// end, raised and closed during it).
func WriteFindingsXLSX(w io.Writer, root string, rows []FindingUnitRow, weeks []FindingWeekRow, lang string) error {
	en := isEnglish(lang)
	b, err := newWorkbook(map[bool]string{true: "findings", false: "隐患清零"}[en], findingColumns, en)
	if err != nil {
		return err
	}
	defer b.f.Close()
	var total FindingUnitRow
	line := func(y int, r FindingUnitRow) error {
		cells := []any{r.Unit, r.Open}
		for _, n := range r.BySeverity {
			cells = append(cells, n)
		}
		for _, n := range r.ByAge {
			cells = append(cells, n)
		}
		cells = append(cells, r.Overdue, r.Submitted, r.Accepted)
		if err := b.writeRow(y, cells); err != nil {
			return err
		}
		if r.Overdue > 0 {
			return b.f.SetCellStyle(b.sheet, cellName(11, y), cellName(11, y), b.alert)
		}
		return nil
	}
	for i, r := range rows {
		if err := line(i+2, r); err != nil {
			return err
		}
		total.Open += r.Open
		for j := range 4 {
			total.BySeverity[j] += r.BySeverity[j]
			total.ByAge[j] += r.ByAge[j]
		}
		total.Overdue += r.Overdue
		total.Submitted += r.Submitted
		total.Accepted += r.Accepted
	}
	total.Unit = map[bool]string{true: "Total: " + root, false: "合计：" + root}[en]
	y := len(rows) + 2
	if err := line(y, total); err != nil {
		return err
	}
	y += 2
	head := map[bool][]any{true: {"Week ending", "Unclosed", "Raised", "Closed"}, false: {"周截止", "未销号", "新增", "销号"}}[en]
	if err := b.writeRow(y, head); err != nil {
		return err
	}
	if err := b.f.SetCellStyle(b.sheet, cellName(1, y), cellName(4, y), b.header); err != nil {
		return err
	}
	for _, wk := range weeks {
		y++
		if err := b.writeRow(y, []any{wk.End, wk.Unclosed, wk.Raised, wk.Closed}); err != nil {
			return err
		}
	}
	return b.finish(w, len(rows))
}
