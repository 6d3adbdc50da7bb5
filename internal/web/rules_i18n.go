package web

// Words of the detection-rules page (issue 14 item 3), in Chinese and
// English.
var rulesMessages = map[string][2]string{
	"nav.rules":   {"检测规则", "Detection rules"},
	"rules.title": {"检测规则", "Detection rules"},
	"rules.intro": {"接入的日志和告警（系统日志、Wazuh、Suricata 等）逐条经过下列规则集。命中单条规则或在时间窗口内达到阈值即生成告警，同一规则、同一对象的告警归为一组。规则采用 Sigma 格式，可停用整个规则集，也可上传本单位的规则，对本单位及下级单位生效。",
		"Every event that comes in (syslog, Wazuh, Suricata and others) passes the rule sets below. A rule that matches one event, or a count that passes its threshold within its window, raises an alert; alerts of the same rule about the same thing are grouped. Rules are Sigma rules: turn a whole set off, or upload your own rules, which apply to your organisation and every one below it."},
	"rules.org":            {"单位", "Organisation"},
	"rules.show":           {"查看", "Show"},
	"rules.on":             {"已启用", "On"},
	"rules.off":            {"已停用", "Off"},
	"rules.turn_on":        {"启用规则集", "Turn the set on"},
	"rules.turn_off":       {"停用规则集", "Turn the set off"},
	"rules.count":          {"共%d条规则", "%d rules"},
	"rules.col.rule":       {"规则", "Rule"},
	"rules.col.level":      {"级别", "Severity"},
	"rules.col.kind":       {"判定方式", "How it decides"},
	"rules.col.tactics":    {"攻击阶段", "Attack stage"},
	"rules.kind.event":     {"单条事件命中", "One event matches"},
	"rules.kind.threshold": {"时间窗口内达到阈值", "A count within a window"},
	"rules.window":         {"窗口", "window"},
	"rules.none":           {"该规则集没有规则。", "This set has no rules."},

	"rules.level.informational": {"提示", "Informational"},
	"rules.level.low":           {"低", "Low"},
	"rules.level.medium":        {"中", "Medium"},
	"rules.level.high":          {"高", "High"},
	"rules.level.critical":      {"严重", "Critical"},

	"rules.set.mail":                    {"邮件系统", "Mail system"},
	"rules.set.mail.about":              {"落实000号文第四部分（一）：核查异常地址、异常时段登录和批量下载邮件，发现登录爆破和自动转发规则。", "Seed 000 §4(一): log-ins from unusual places and hours, bulk mail downloads, log-in bursts and automatic forwarding rules."},
	"rules.set.egress":                  {"数据外传", "Data egress"},
	"rules.set.egress.about":            {"落实000号文第四部分（三）：发现大流量数据异常外传。", "Seed 000 §4(三): large outbound data transfers."},
	"rules.set.ids":                     {"入侵检测告警", "Intrusion detection alerts"},
	"rules.set.ids.about":               {"Suricata 一、二级告警和 Wazuh 十级以上告警，保留原告警名称。", "Suricata alerts of severity 1 and 2 and Wazuh alerts of level 10 and above, under their own titles."},
	"rules.set.custom":                  {"%s上传的规则", "Uploaded by %s"},
	"rules.set.custom.about":            {"对上传单位及其下级单位生效。", "They apply to the uploading organisation and every one below it."},
	"rules.uploads":                     {"上传的规则文件", "Uploaded rule files"},
	"rules.delete":                      {"删除", "Delete"},
	"rules.upload":                      {"上传规则", "Upload a rule"},
	"rules.upload.help":                 {"粘贴 Sigma 规则（YAML），或选择规则文件。一个文件可含多条规则，以 --- 分隔；关联规则（“event_count”“value_count”“temporal”等）用于时间窗口内的阈值。规则须有 id 和 title。", "Paste a Sigma rule (YAML) or choose a rule file. A file may hold several rules separated by ---; correlation rules (event_count, value_count, temporal …) set thresholds over a window. Every rule needs an id and a title."},
	"rules.upload.body":                 {"规则内容", "Rule"},
	"rules.upload.file":                 {"或选择文件", "Or choose a file"},
	"rules.upload.submit":               {"上传规则", "Upload the rule"},
	"rules.upload.invalid":              {"规则无法加载，请按下列各行修改。", "The rule does not load: correct the lines below."},
	"rules.upload.line":                 {"第%s行：", "Line %s: "},
	"rules.tactic.reconnaissance":       {"侦察", "Reconnaissance"},
	"rules.tactic.resource_development": {"资源开发", "Resource development"},
	"rules.tactic.initial_access":       {"初始访问", "Initial access"},
	"rules.tactic.execution":            {"执行", "Execution"},
	"rules.tactic.persistence":          {"持久化", "Persistence"},
	"rules.tactic.privilege_escalation": {"权限提升", "Privilege escalation"},
	"rules.tactic.defense_evasion":      {"防御规避", "Defense evasion"},
	"rules.tactic.credential_access":    {"凭据窃取", "Credential access"},
	"rules.tactic.discovery":            {"探测发现", "Discovery"},
	"rules.tactic.lateral_movement":     {"横向移动", "Lateral movement"},
	"rules.tactic.collection":           {"数据收集", "Collection"},
	"rules.tactic.command_and_control":  {"命令与控制", "Command and control"},
	"rules.tactic.exfiltration":         {"数据外传", "Exfiltration"},
	"rules.tactic.impact":               {"破坏影响", "Impact"},

	"audit.act.rule_set.enable":    {"启用规则集", "rule set turned on"},
	"audit.act.rule_set.disable":   {"停用规则集", "rule set turned off"},
	"audit.act.custom_rule.create": {"上传检测规则", "detection rule uploaded"},
	"audit.act.custom_rule.delete": {"删除检测规则", "detection rule deleted"},
}

func init() {
	for k, m := range rulesMessages {
		messages[k] = m
	}
	pages = append(pages, "rules")
}
