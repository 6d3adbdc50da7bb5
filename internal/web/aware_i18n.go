package web

// Words of the situational-awareness screens, the unit's home and the wall
// (issue 13 items 1 and 2), in Chinese and English.
var awareMessages = map[string][2]string{
	"aware.level.unit":     {"本单位态势", "Unit overview"},
	"aware.level.county":   {"县级态势感知", "County situational awareness"},
	"aware.level.city":     {"市级态势感知", "City situational awareness"},
	"aware.level.province": {"省级态势感知", "Provincial situational awareness"},
	"aware.level.national": {"全国态势感知", "National situational awareness"},
	"aware.level.sector":   {"行业态势感知", "Sector situational awareness"},

	"aware.clocks":      {"法定时限", "Statutory deadlines"},
	"aware.clocks.none": {"暂无待履行的时限。", "No deadline is running."},
	"aware.overdue":     {"已逾期", "Overdue"},

	"aware.open":     {"未结束事件", "Open incidents"},
	"aware.ungraded": {"未定级", "Not graded"},
	"aware.category": {"事件类别", "Category"},
	"aware.count":    {"数量", "Count"},

	"aware.trend":            {"新增事件趋势", "New incidents"},
	"aware.trend.today":      {"今日", "Today"},
	"aware.trend.week":       {"近7天", "Last 7 days"},
	"aware.trend.month":      {"近30天", "Last 30 days"},
	"aware.trend.prev.day":   {"昨日", "yesterday"},
	"aware.trend.prev.week":  {"前7天", "7 days before"},
	"aware.trend.prev.month": {"前30天", "30 days before"},
	"aware.trend.up":         {"上升", "up"},
	"aware.trend.down":       {"下降", "down"},
	"aware.trend.same":       {"持平", "same"},
	"aware.trend.days":       {"近30天每日新增", "New incidents per day, last 30 days"},

	"aware.warnings":      {"生效中的预警", "Active warnings"},
	"aware.warnings.none": {"暂无生效中的预警。", "No active warning."},
	"aware.acked":         {"已签收", "Acknowledged"},

	"aware.compliance":      {"今日日报报送", "Today's daily reports"},
	"aware.compliance.none": {"今日没有进行中的重要保障期。", "No protection period is in progress today."},
	"aware.cutoff":          {"截止", "cut-off"},
	"aware.filed":           {"已报送", "Filed"},
	"aware.missing":         {"逾时未报", "Missing after the cut-off"},
	"aware.pending":         {"尚未报送", "Not filed yet"},

	"aware.monitoring":   {"网站监测", "Website monitoring"},
	"aware.mon.up":       {"正常", "Up"},
	"aware.mon.down":     {"无法访问", "Down"},
	"aware.mon.tampered": {"疑似篡改", "Tampered"},
	"aware.mon.alerts":   {"未处理告警", "Open alerts"},
	"aware.mon.none":     {"尚未添加监测：在“网站监测”页为重要系统添加第一个监测。", "No monitor yet: add the first one on the Monitoring page."},

	"aware.alerts":             {"告警待处置", "Alerts to triage"},
	"aware.alerts.open":        {"待处置告警", "To triage"},
	"aware.alerts.critical":    {"其中严重", "Critical"},
	"aware.alerts.high":        {"其中高危", "High"},
	"aware.findings":           {"隐患整改", "Findings"},
	"aware.findings.open":      {"未整改", "Not cleared"},
	"aware.findings.overdue":   {"逾期未整改", "Overdue"},
	"aware.findings.submitted": {"待复核", "Awaiting check"},

	"aware.drills":        {"年度演练", "Yearly drills"},
	"aware.drills.units":  {"家单位本年度尚未演练", "units without a drill this year"},
	"aware.drills.notyet": {"尚未到列出未演练单位的时间。", "Units without a drill are not listed yet."},

	"aware.duty":        {"当前值班", "On duty now"},
	"aware.duty.leader": {"带班领导", "leader"},
	"aware.duty.nobody": {"当前无人值班", "Nobody on duty"},

	"aware.tree":          {"机构态势", "Organisations by state"},
	"aware.state.red":     {"紧急", "Urgent"},
	"aware.state.orange":  {"关注", "Attention"},
	"aware.state.green":   {"正常", "Normal"},
	"aware.legend.red":    {"（有逾期时限或Ⅰ、Ⅱ级事件）", " (an overdue deadline or a grade I/II incident)"},
	"aware.legend.orange": {"（有未结束事件、日报未报或网站异常）", " (an open incident, a missing daily report or a site down or tampered)"},
	"aware.legend.green":  {"（无待处置事项）", " (nothing open)"},
	"aware.tree.open":     {"未结束事件", "open"},
	"aware.tree.overdue":  {"逾期", "overdue"},
	"aware.tree.missing":  {"今日日报未报", "daily report missing"},
	"aware.tree.down":     {"网站无法访问", "sites down"},
	"aware.tree.tampered": {"网站疑似篡改", "sites tampered"},
	"aware.tree.capped":   {"机构较多，仅列出前400个。", "Only the first 400 organisations are listed."},

	"aware.unit.report":      {"上报事件", "Report an incident"},
	"aware.unit.quiet":       {"报平安", "Report all quiet"},
	"aware.unit.incidents":   {"本单位未结束事件", "Your open incidents"},
	"aware.unit.incident":    {"事件", "Incident"},
	"aware.unit.grade":       {"级别", "Grade"},
	"aware.unit.next":        {"下一项时限", "Next deadline"},
	"aware.unit.nodue":       {"暂无时限", "No deadline"},
	"aware.unit.noincidents": {"本单位暂无未结束事件。", "Your organisation has no open incident."},
	"aware.unit.later":       {"份后续日报（未到报送日）", "later daily reports (not due yet)"},

	"aware.wall.title":    {"态势大屏", "Wall"},
	"aware.wall.open":     {"未结束事件", "Open incidents"},
	"aware.wall.overdue":  {"逾期时限", "Overdue deadlines"},
	"aware.wall.warnings": {"预警签收率", "Warnings acknowledged"},
	"aware.wall.daily":    {"今日日报报送率", "Daily reports filed"},
	"aware.wall.down":     {"网站无法访问", "Sites down"},
	"aware.wall.tampered": {"网站疑似篡改", "Sites tampered"},
	"aware.wall.none":     {"无", "none"},
	"aware.wall.updated":  {"更新于", "Updated"},
}

func init() {
	for k, m := range awareMessages {
		messages[k] = m
	}
	pages = append(pages, "wall")
}
