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
	"grid.title":                   {"保障期报送情况（单位×日）", "Daily reports by unit and day"},
	"grid.desc":                    {"%s各单位每日报送情况，颜色表示按时报平安、按时报告事件、迟报、漏报、报平安但有未结束事件、未到截止时间；各单位合计见图下表格。", "Each unit's daily report on each day of %s: on time (quiet or with incidents), late, missing, quiet but contradicted, not yet due; each unit's totals are in the table below."},
	"grid.table":                   {"各单位在保障期内各报送情况的天数。", "Days of each status per unit over the period."},
	"chart.history.recent":         {"最近检查", "Recent checks"},
	"chart.history.title":          {"%s 可用性历史", "%s availability history"},
	"chart.history.desc":           {"最近%d次检查，其中%d次正常；绿色为正常，红色为中断，灰色为检查失败，左旧右新。", "The last %d checks, %d of them up; green is up, red down, grey a failed check, oldest at the left."},
	"chart.history.down":           {"中断", "down"},
	"chart.latency.desc":           {"%s 最近%d次检查的响应时间（毫秒），中断时记为0，左旧右新。", "Response times of %s over the last %d checks in milliseconds (0 when down), oldest at the left."},
	"chart.latency.ms":             {"响应时间（毫秒）", "Response time (ms)"},
	"stats.table.show":             {"查看数据表", "Show the numbers"},
	"stats.usual":                  {"常用通报", "Usual bulletins"},
	"stats.usual.month":            {"上月（%s）统计通报", "Last month's (%s) bulletin"},
	"stats.usual.year":             {"%s年度统计通报", "%s annual bulletin"},
	"stats.usual.xlsx":             {"（Excel表格）", "(Excel)"},
	"stats.none":                   {"统计区间内暂无数据。", "Nothing in this period."},
}

func init() {
	for k, m := range chartMessages {
		messages[k] = m
	}
	pages = append(pages, "statistics")
}
