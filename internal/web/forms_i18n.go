package web

// Words of the forms and lists of issue 13 item 5 (intake, initial
// report, incident list, inbox, protection-period board, duty), in
// Chinese and English.
var formsMessages = map[string][2]string{
	"incident.col.deadline": {"最近时限", "Next deadline"},
	"incident.sort":         {"排序", "Order"},
	"incident.sort.due":     {"时限最近优先", "Nearest deadline first"},
	"incident.sort.new":     {"最新发现优先", "Newest first"},
	"incident.due.none":     {"无待办时限", "No open deadline"},

	"report.sent.to":      {"%s已报送：%s。", "The %s went to %s."},
	"report.sent.nowhere": {"%s已保存，但平台上没有应接收的上级单位，请按预案以电话或传真报告。", "The %s is saved, but no office on the platform receives it: report it by phone or fax as the plans require."},
	"report.went.to":      {"报送至", "Sent to"},
	"report.clocks":       {"本报告的法定时限", "This report's statutory deadline"},
	"report.prefilled":    {"已按接报信息预填，请核对后提交。", "Filled in from what intake recorded: check it before sending."},

	"chase.button":           {"催报", "Chase"},
	"chase.done":             {"已向%s催报：%s。", "Chased %s: %s."},
	"chase.accounts":         {"站内通知%d个账号（%s）", "in-app notice to %d accounts (%s)"},
	"chase.noaccounts":       {"该单位没有平台账号，请电话联系", "the unit has no accounts on the platform: call it"},
	"chase.channels":         {"渠道：", "channels: "},
	"chase.email":            {"邮件：", "e-mail: "},
	"chase.sent":             {"已催报 %s", "Chased at %s"},
	"chase.limit":            {"今日催报已达上限", "Chase limit reached today"},
	"board.closed":           {"已截止", "Closed"},
	"audit.act.period.chase": {"催报日报", "daily report chased"},

	"duty.choose":     {"请选择本单位账号", "Choose an account of the office"},
	"duty.noleader":   {"（不指定）", "(none)"},
	"duty.noaccounts": {"本单位还没有账号：请先在用户管理中为值班人员建立账号。", "The office has no accounts yet: create the duty staff's accounts under Users first."},
	"duty.phone.hint": {"留空则用值班员账号的手机号", "left empty: the officer's mobile from the account"},

	"inbox.onward":         {"本级上报时限", "Our onward deadline"},
	"inbox.onward.done":    {"本级已上报", "Sent on"},
	"inbox.onward.none":    {"本级无上报时限", "No onward deadline of ours"},
	"inbox.forwarded.line": {"已上报 %s 至 %s", "Forwarded %s to %s"},
}

func init() {
	for k, m := range formsMessages {
		messages[k] = m
	}
}
