package export

import (
	"io"
	"time"
)

// DailyRow is one unit's daily report (重要保障期每日报告) for one day.
type DailyRow struct {
	Day  string
	Unit string
	// State is on_time (平安 in time), incident (incidents in time), late,
	// missing or pending.
	State       string
	SubmittedAt time.Time
	SubmittedBy string
	Incidents   string // the listed incidents, "#12 网页篡改; …"
	Note        string
}

var dailyColumns = []column{
	{"日期", "Day", 12}, {"单位", "Unit", 30}, {"报送情况", "Status", 14}, {"报送时间", "Submitted", 17},
	{"报送人", "By", 12}, {"事件", "Incidents", 36}, {"说明", "Note", 36},
}

var dailyStates = map[string][2]string{
	"on_time": {"按时报平安", "on time, no incident"}, "incident": {"按时报告事件", "on time, incidents"},
	"late": {"迟报", "late"}, "missing": {"漏报", "missing"}, "pending": {"未到截止时间", "not yet due"},
	"contradicted": {"报平安但有未结束事件", "quiet, but an incident is open"},
}

// WriteDailyXLSX writes the daily reports of a period (one day or all),
// late and missing lines highlighted, then a count per status.
func WriteDailyXLSX(w io.Writer, rows []DailyRow, lang string) error {
	en := isEnglish(lang)
	b, err := newWorkbook(map[bool]string{true: "daily reports", false: "每日报告"}[en], dailyColumns, en)
	if err != nil {
		return err
	}
	defer b.f.Close()
	counts := map[string]int{}
	for i, r := range rows {
		y := i + 2
		name := dailyStates[r.State]
		state := name[0]
		if en {
			state = name[1]
		}
		var at any = ""
		if !r.SubmittedAt.IsZero() {
			at = r.SubmittedAt
		}
		if err := b.writeRow(y, []any{r.Day, r.Unit, state, at, r.SubmittedBy, r.Incidents, r.Note}); err != nil {
			return err
		}
		if r.State == "late" || r.State == "missing" || r.State == "contradicted" {
			if err := b.f.SetCellStyle(b.sheet, cellName(3, y), cellName(3, y), b.alert); err != nil {
				return err
			}
		}
		counts[r.State]++
	}
	y := len(rows) + 3
	for _, s := range []string{"on_time", "incident", "late", "missing", "pending", "contradicted"} {
		label := dailyStates[s][0]
		if en {
			label = dailyStates[s][1]
		}
		if err := b.writeRow(y, []any{"", label, counts[s]}); err != nil {
			return err
		}
		y++
	}
	return b.finish(w, len(rows))
}
