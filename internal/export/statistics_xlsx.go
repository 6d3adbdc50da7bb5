package export

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// WriteStatisticsXLSX writes the bulletin's numbers as a workbook: one
// sheet per table of the document (by grade, by category, by unit,
// punctuality), each with a native Excel chart of its numbers beside it
// (the chart reads the cells, so it follows any correction made in
// Excel). Headers are Chinese; the numbers are plain values, no formulas.
func WriteStatisticsXLSX(w io.Writer, b StatisticsBulletin) error {
	f := excelize.NewFile()
	defer f.Close()
	var err error
	sheet := func(name string, cols []column, rows [][]any) error {
		if err != nil {
			return err
		}
		if name != "" && f.SheetCount == 1 && f.GetSheetName(0) == "Sheet1" {
			err = f.SetSheetName("Sheet1", name)
		} else {
			_, err = f.NewSheet(name)
		}
		if err != nil {
			return err
		}
		bw := &workbook{f: f, sheet: name, cols: len(cols)}
		if err = styleWorkbook(bw, cols); err != nil {
			return err
		}
		for i, r := range rows {
			if err = bw.writeRow(i+2, r); err != nil {
				return err
			}
		}
		return nil
	}
	n := len(b.Buckets)

	// 按级别: bucket × grade, a stacked column chart.
	cols := []column{{b.BucketLabel, "", 14}}
	for _, l := range b.Grades {
		cols = append(cols, column{l.Name, "", 12})
	}
	cols = append(cols, column{"合计", "", 10})
	var rows [][]any
	for i, k := range b.Buckets {
		row, sum := []any{k}, 0
		for _, l := range b.Grades {
			row = append(row, at(l.Values, i))
			sum += at(l.Values, i)
		}
		rows = append(rows, append(row, sum))
	}
	_ = sheet("按级别", cols, rows)
	if err == nil {
		var series []excelize.ChartSeries
		for j, l := range b.Grades {
			c := colName(j + 2)
			series = append(series, excelize.ChartSeries{Name: ref("按级别", c+"1"), Categories: ref("按级别", fmt.Sprintf("A2:A%d", n+1)),
				Values: ref("按级别", fmt.Sprintf("%s2:%s%d", c, c, n+1)), Fill: solid(colorOr(l.Color, j))})
		}
		err = addChart(f, "按级别", colName(len(cols)+2)+"2", excelize.ColStacked, b.PeriodLabel+"事件数量（按级别）", series)
	}

	// 按类别: category totals, a bar chart.
	rows = nil
	for _, l := range b.Categories {
		rows = append(rows, []any{l.Name, l.Total})
	}
	_ = sheet("按类别", []column{{"事件类别", "", 30}, {"事件数", "", 10}}, rows)
	if err == nil && len(b.Categories) > 0 {
		err = addChart(f, "按类别", "D2", excelize.Bar, b.PeriodLabel+"事件数量（按类别）", []excelize.ChartSeries{{
			Name: ref("按类别", "B1"), Categories: ref("按类别", fmt.Sprintf("A2:A%d", len(b.Categories)+1)),
			Values: ref("按类别", fmt.Sprintf("B2:B%d", len(b.Categories)+1)), Fill: solid("#1e63b8")}})
	}

	// 按单位: each unit's incidents and punctuality.
	rows = nil
	for _, u := range b.Units {
		p := u.Punctuality
		rows = append(rows, []any{u.Name, u.Incidents, p.OnTime, p.Late, p.Missed, p.Overdue, p.RateText()})
	}
	_ = sheet("按单位", []column{{"单位", "", 30}, {"事件数", "", 10}, {"按时报告", "", 10}, {"迟报", "", 8}, {"漏报", "", 8},
		{"超期未报", "", 10}, {"按时率", "", 10}}, rows)

	// 报告及时性: per bucket, a stacked column chart.
	rows = nil
	for i, k := range b.Buckets {
		var p StatPunctuality
		if i < len(b.Punctuality) {
			p = b.Punctuality[i]
		}
		rows = append(rows, []any{k, p.OnTime, p.Late, p.Missed, p.Overdue, p.RateText()})
	}
	_ = sheet("报告及时性", []column{{b.BucketLabel, "", 14}, {"按时报告", "", 10}, {"迟报", "", 8}, {"漏报", "", 8},
		{"超期未报", "", 10}, {"按时率", "", 10}}, rows)
	if err == nil {
		var series []excelize.ChartSeries
		for j, c := range []string{"#1e7b3c", "#b35c00", "#b3261e", "#6a3d9a"} {
			col := colName(j + 2)
			series = append(series, excelize.ChartSeries{Name: ref("报告及时性", col+"1"), Categories: ref("报告及时性", fmt.Sprintf("A2:A%d", n+1)),
				Values: ref("报告及时性", fmt.Sprintf("%s2:%s%d", col, col, n+1)), Fill: solid(c)})
		}
		err = addChart(f, "报告及时性", "H2", excelize.ColStacked, b.PeriodLabel+"事件报告及时性", series)
	}
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}

// styleWorkbook gives a sheet the shared header and cell styles.
func styleWorkbook(b *workbook, cols []column) error {
	nb, err := newWorkbookOn(b.f, b.sheet, cols, false)
	if err != nil {
		return err
	}
	*b = *nb
	return nil
}

func ref(sheet, cells string) string {
	var out []string
	for _, c := range strings.Split(cells, ":") {
		col := strings.TrimRight(c, "0123456789")
		out = append(out, "$"+col+"$"+c[len(col):])
	}
	return "'" + sheet + "'!" + strings.Join(out, ":")
}

func colName(i int) string {
	c, _ := excelize.ColumnNumberToName(i)
	return c
}

func solid(hex string) excelize.Fill {
	return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{strings.TrimPrefix(hex, "#")}}
}

func addChart(f *excelize.File, sheet, cell string, kind excelize.ChartType, title string, series []excelize.ChartSeries) error {
	return f.AddChart(sheet, cell, &excelize.Chart{Type: kind, Series: series,
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: title, Font: &excelize.Font{Family: "黑体", Size: 12}}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		Dimension: excelize.ChartDimension{Width: 640, Height: 360}})
}
