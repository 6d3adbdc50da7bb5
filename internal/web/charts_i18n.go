package web

// Words of the statistics page, the period grid and the monitors' charts
// (issue 13 items 4 and 8), in Chinese and English.
var chartMessages = map[string][2]string{
	"nav.statistics": {"统计分析", "Statistics"},

	"stats.title":    {"统计分析", "Statistics"},
	"stats.choose":   {"选择统计区间", "Choose the period"},
	"stats.month":    {"月份", "Month"},
	"stats.year":     {"年度", "Year"},
	"stats.from":     {"起始日期", "From"},
	"stats.to":       {"截止日期", "To"},
	"stats.by":       {"统计粒度", "Count by"},
	"stats.by.auto":  {"自动", "Automatic"},
	"stats.by.day":   {"按日", "Day"},
	"stats.by.week":  {"按周", "Week"},
	"stats.by.month": {"按月", "Month"},
	"stats.show":     {"查看", "Show"},
	"stats.summary": {"%s，共发生网络安全事件%d起；应报告事项%d项，按时报告%d项，按时报告率%s。",
		"%s: %d incidents; %d report duties fell due, %d filed on time (%s)."},
	"stats.bulletin.docx": {"下载统计通报（Word）", "Download the bulletin (Word)"},
	"stats.bulletin.xlsx": {"下载统计表（Excel）", "Download the tables (Excel)"},
	"stats.bulletin.pdf":  {"下载统计通报（PDF）", "Download the bulletin (PDF)"},

	"stats.chart.grades":           {"事件数量（按级别）", "Incidents by grade"},
	"stats.chart.grades.desc":      {"%s各时段的事件数量，按事件级别分色堆叠；数值见图下表格。", "Incidents in each part of %s, stacked by grade; the numbers are in the table below."},
	"stats.chart.categories":       {"事件数量（按类别）", "Incidents by category"},
	"stats.chart.categories.desc":  {"%s各类别的事件数量；数值见图下表格。", "Incidents of each category in %s; the numbers are in the table below."},
	"stats.chart.punctuality":      {"事件报告及时性", "Reporting punctuality"},
	"stats.chart.punctuality.desc": {"%s各时段到期的报告义务：按时报告、迟报、漏报、超期未报；数值见图下表格。", "Report duties due in each part of %s: on time, late, missed, overdue; the numbers are in the table below."},
	"stats.chart.units":            {"各单位报告情况", "Reporting by unit"},
	"stats.chart.units.desc":       {"%s各单位各时段报告情况：全部按时、有迟报、有漏报或超期未报；数值见图下表格。", "Each unit's reporting in each part of %s: all on time, some late, some missed or overdue; the numbers are in the table below."},
	"stats.cell.on_time":           {"全部按时", "All on time"},
	"stats.cell.late":              {"有迟报", "Some late"},
	"stats.cell.missed":            {"有漏报或超期", "Missed or overdue"},
	"stats.table.same":             {"与上图数值相同。", "The numbers of the chart above."},
	"stats.table.units":            {"各单位在统计区间内的事件数与报告及时性合计。", "Each unit's incidents and reporting over the whole period."},
	"stats.bucket.day":             {"日期", "Day"},
	"stats.bucket.week":            {"周（起始日）", "Week (from)"},
	"stats.bucket.month":           {"月份", "Month"},
	"stats.total":                  {"合计", "Total"},
	"stats.category":               {"事件类别", "Category"},
	"stats.incidents":              {"事件数", "Incidents"},
	"stats.unit":                   {"单位", "Unit"},
	"stats.on_time":                {"按时报告", "On time"},
	"stats.late":                   {"迟报", "Late"},
	"stats.missed":                 {"漏报", "Missed"},
	"stats.overdue":                {"超期未报", "Overdue"},
	"stats.rate":                   {"按时率", "On-time rate"},
	"stats.none":                   {"统计区间内暂无数据。", "Nothing in this period."},
}

func init() {
	for k, m := range chartMessages {
		messages[k] = m
	}
	pages = append(pages, "statistics")
}
