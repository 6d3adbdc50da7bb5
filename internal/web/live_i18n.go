package web

// Words of pushed updates (issue 13 item 3, live.go and static/live.js),
// in Chinese and English: the line each event kind shows, the inbox badge
// and the desktop notification switch.
var liveMessages = map[string][2]string{
	"live.kind.report.initial":       {"收到新的初报", "New initial report"},
	"live.kind.report.follow_up":     {"收到续报", "Follow-up report received"},
	"live.kind.report.final":         {"收到终报", "Final report received"},
	"live.kind.report.received":      {"收到上报的报告", "Report received"},
	"live.kind.report.filed":         {"报告已报送", "Report filed"},
	"live.kind.report.signed":        {"报告已签收", "Report acknowledged"},
	"live.kind.report.forwarded":     {"报告已上报", "Report forwarded"},
	"live.kind.incident.created":     {"新事件已登记", "New incident recorded"},
	"live.kind.incident.status":      {"事件状态已更新", "Incident status changed"},
	"live.kind.incident.grade":       {"事件级别已更新", "Incident grade changed"},
	"live.kind.obligation.met":       {"时限义务已完成", "Deadline met"},
	"live.kind.obligation.overdue":   {"时限义务已逾期", "Deadline overdue"},
	"live.kind.obligation.reminder":  {"时限即将到期", "Deadline approaching"},
	"live.kind.deadline":             {"时限即将到期", "Deadline approaching"},
	"live.kind.daily_report.filed":   {"日报已报送", "Daily report filed"},
	"live.kind.daily_report":         {"日报提醒", "Daily report reminder"},
	"live.kind.warning.issued":       {"收到预警", "Warning issued"},
	"live.kind.warning.acknowledged": {"预警已确认", "Warning acknowledged"},
	"live.kind.warning.done":         {"预警措施已落实", "Warning measures done"},
	"live.kind.warning.lifted":       {"预警已解除", "Warning lifted"},
	"live.kind.warning.proposed":     {"收到预警建议", "Warning proposed"},
	"live.kind.warning.declined":     {"预警建议未采纳", "Warning proposal declined"},
	"live.kind.warning.response":     {"预警响应已更新", "Warning response updated"},
	"live.kind.period.created":       {"重要时期已设立", "Protection period set up"},
	"live.kind.monitor.alert":        {"网站监测告警", "Website monitoring alert"},
	"live.kind.response.activated":   {"应急响应已启动", "Emergency response activated"},
	"live.kind.response.ended":       {"应急响应已结束", "Emergency response ended"},
	"live.kind.response.requested":   {"收到应急响应请求", "Emergency response requested"},
	"live.kind.risk_notice.issued":   {"收到风险提示", "Risk notice issued"},
	"live.kind.risk_notice.answered": {"风险提示已回复", "Risk notice answered"},
	"live.kind.other":                {"有新的变化", "Something changed"},
	"live.missed":                    {"断线期间有较多变化，页面已刷新，请查看收件箱。", "Many changes happened while the connection was down; the page has been refreshed. Check the inbox."},
	"live.inbox.unread":              {"待签收的报告数", "Reports awaiting acknowledgement"},
	"live.notify.title":              {"桌面通知", "Desktop notifications"},
	"live.notify.explain":            {"收到新的初报时，在桌面弹出通知并播放提示音。", "When a new initial report arrives, show a desktop notification and play a sound."},
	"live.notify.enable":             {"开启桌面通知", "Turn on desktop notifications"},
	"live.notify.on":                 {"桌面通知已开启。", "Desktop notifications are on."},
	"live.notify.denied":             {"浏览器已拒绝桌面通知，请在浏览器设置中允许本站通知。", "The browser blocks notifications for this site; allow them in the browser's settings."},
	"live.notify.unsupported":        {"此浏览器不支持桌面通知。", "This browser does not support desktop notifications."},
	"live.toast.open":                {"查看", "Open"},
	"live.toast.close":               {"关闭", "Dismiss"},
}

func init() {
	for k, m := range liveMessages {
		messages[k] = m
	}
}
