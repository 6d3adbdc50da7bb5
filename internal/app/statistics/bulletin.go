package statistics

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"fenghuo/internal/app"
	"fenghuo/internal/calendar"
	"fenghuo/internal/export"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/svgchart"
)

// GradeColors are the chart colours of grades I–IV (红橙黄蓝, darkened to
// 3:1 on white).
var GradeColors = map[string]string{"I": svgchart.Red, "II": svgchart.Orange, "III": svgchart.Gold, "IV": svgchart.Blue}

// Bulletin writes the statistics of r as the office's 统计通报: format
// "docx" (official layout with the charts as images), "pdf" (the same) or
// "xlsx" (the tables with native charts). It audits the export and returns
// the file name.
func (s *Service) Bulletin(ctx context.Context, ac *app.Actor, r Range, format string, w io.Writer) (string, error) {
	if format != "docx" && format != "pdf" && format != "xlsx" {
		return "", fenghuo.FieldErrorf("format", "Choose docx, pdf or xlsx. / 格式应为docx、pdf或xlsx。")
	}
	rep, err := s.Statistics(ctx, ac, r)
	if err != nil {
		return "", err
	}
	b := BulletinOf(rep, r)
	// A bulletin is headed by the office's name alone (not 「…文件」).
	b.Header = export.DocumentHeader{IssuerOffice: ac.Org.Name, Masthead: ac.Org.Name, Date: s.core.Now()}
	switch format {
	case "docx":
		err = export.WriteOfficialDOCX(w, b)
	case "pdf":
		err = export.WriteOfficialPDF(w, b)
	default:
		err = export.WriteStatisticsXLSX(w, b)
	}
	if err != nil {
		return "", err
	}
	if err := s.core.RecordAlone(ctx, ac, "export.statistics."+format, "org", strconv.FormatInt(ac.Org.ID, 10), "success",
		map[string]any{"from": rep.From, "to": rep.To, "by": rep.By, "incidents": rep.Incidents}); err != nil {
		return "", err
	}
	return fmt.Sprintf("statistics-%s-%s.%s", rep.From, rep.To, format), nil
}

// BulletinOf turns a report into the bulletin's numbers, in Chinese.
func BulletinOf(rep *Report, r Range) export.StatisticsBulletin {
	b := export.StatisticsBulletin{PeriodLabel: PeriodLabel(r), Buckets: rep.Buckets, Incidents: rep.Incidents,
		BucketLabel: map[string]string{ByDay: "日期", ByWeek: "周（起始日）", ByMonth: "月份"}[r.By]}
	for _, l := range rep.Grades {
		b.Grades = append(b.Grades, export.StatLine{Name: l.Name.ZH, Color: GradeColors[l.Key], Values: l.Values, Total: l.Total})
	}
	for _, l := range rep.Categories {
		b.Categories = append(b.Categories, export.StatLine{Name: l.Name.ZH, Values: l.Values, Total: l.Total})
	}
	for _, u := range rep.Units {
		b.Units = append(b.Units, export.StatUnit{Name: u.Name, Incidents: u.Incidents, Punctuality: statPunctuality(u.Punctuality)})
	}
	for _, p := range rep.Punctuality {
		b.Punctuality = append(b.Punctuality, statPunctuality(p))
	}
	return b
}

func statPunctuality(p Punctuality) export.StatPunctuality {
	return export.StatPunctuality{OnTime: p.OnTime, Late: p.Late, Missed: p.Missed, Overdue: p.Overdue}
}

// PeriodLabel names the range in Chinese: 2026年, 2026年12月, or
// 2026年10月1日至2026年11月30日.
func PeriodLabel(r Range) string {
	from, last := r.From.In(calendar.Shanghai), r.To.AddDate(0, 0, -1).In(calendar.Shanghai)
	switch {
	case from.Month() == 1 && from.Day() == 1 && last.Month() == 12 && last.Day() == 31 && from.Year() == last.Year():
		return fmt.Sprintf("%d年", from.Year())
	case from.Day() == 1 && r.To.Day() == 1 && from.AddDate(0, 1, 0).Equal(r.To):
		return fmt.Sprintf("%d年%d月", from.Year(), int(from.Month()))
	}
	return fmt.Sprintf("%d年%d月%d日至%d年%d月%d日", from.Year(), int(from.Month()), from.Day(), last.Year(), int(last.Month()), last.Day())
}
