package web

import (
	"net/http"
	"strings"
)

// Languages of the console: Chinese by default, English second.
const (
	langZH = "zh"
	langEN = "en"
)

// messages holds the console's words: key → {zh, en}. Templates call
// {{.T "key"}}; a missing key shows the key itself, which the template test
// catches.
var messages = map[string][2]string{
	"app.name":        {"烽火 网络安全事件应急平台", "Fenghuo incident response platform"},
	"app.short":       {"烽火", "Fenghuo"},
	"nav.home":        {"工作台", "Dashboard"},
	"nav.orgs":        {"组织机构", "Organisations"},
	"nav.systems":     {"重要系统", "Systems"},
	"nav.users":       {"用户与权限", "Users"},
	"nav.audit":       {"审计日志", "Audit log"},
	"nav.plans":       {"应急预案", "Plans"},
	"nav.profile":     {"个人设置", "Profile"},
	"nav.group.work":  {"业务", "Work"},
	"nav.group.admin": {"管理", "Administration"},
	"nav.logout":      {"退出", "Log out"},
	"nav.lang":        {"English", "中文"},

	"login.title":        {"登录", "Log in"},
	"login.username":     {"用户名", "User name"},
	"login.password":     {"密码", "Password"},
	"login.submit":       {"登录", "Log in"},
	"login.failed":       {"用户名或密码错误。", "Wrong user name or password."},
	"login.totp.title":   {"双因素认证", "Two-factor authentication"},
	"login.totp.code":    {"动态验证码(6位)", "Authenticator code (6 digits)"},
	"login.totp.submit":  {"验证", "Verify"},
	"login.totp.failed":  {"验证码错误或已使用。", "The code is wrong or was already used."},
	"login.enroll.title": {"启用双因素认证", "Set up two-factor authentication"},
	"login.enroll.help": {"管理员账号必须启用双因素认证。请在手机认证器(如微信小程序“腾讯身份验证器”、FreeOTP、Google Authenticator)中添加以下密钥,然后输入显示的6位验证码。",
		"Administrator accounts must use two-factor authentication. Add this secret to an authenticator app (FreeOTP, Google Authenticator …) and enter the 6-digit code it shows."},
	"login.enroll.secret":     {"密钥", "Secret"},
	"login.throttled":         {"尝试次数过多,请稍后再试。", "Too many attempts; try again later."},
	"login.session.expired":   {"会话已过期,请重新登录。", "Your session has expired; please log in again."},
	"common.save":             {"保存", "Save"},
	"common.create":           {"新建", "Create"},
	"common.edit":             {"编辑", "Edit"},
	"common.delete":           {"删除", "Delete"},
	"common.cancel":           {"取消", "Cancel"},
	"common.search":           {"查询", "Search"},
	"common.export":           {"导出", "Export"},
	"common.import":           {"导入", "Import"},
	"common.name":             {"名称", "Name"},
	"common.actions":          {"操作", "Actions"},
	"common.none":             {"暂无数据", "Nothing here yet"},
	"common.prev":             {"上一页", "Previous"},
	"common.next":             {"下一页", "Next"},
	"common.total":            {"共", "Total"},
	"common.yes":              {"是", "yes"},
	"common.no":               {"否", "no"},
	"common.saved":            {"已保存。", "Saved."},
	"common.created":          {"已创建。", "Created."},
	"common.deleted":          {"已删除。", "Deleted."},
	"common.fix":              {"请更正以下问题:", "Please correct the following:"},
	"common.details":          {"详情", "Details"},
	"common.back":             {"返回", "Back"},
	"common.all":              {"全部", "All"},
	"common.updated":          {"更新时间", "Updated"},
	"error.forbidden":         {"无权访问该内容。", "You may not see this."},
	"error.notfound":          {"未找到。", "Not found."},
	"error.internal":          {"内部错误,请联系系统管理员。", "Internal error; please tell the system administrator."},
	"error.title":             {"出错了", "Something went wrong"},
	"home.title":              {"工作台", "Dashboard"},
	"home.orgs":               {"下辖机构", "Organisations"},
	"home.systems":            {"重要系统", "Important systems"},
	"home.users":              {"账号", "Accounts"},
	"home.welcome":            {"欢迎", "Welcome"},
	"home.scope":              {"您的权限范围", "Your scope"},
	"org.title":               {"组织机构", "Organisations"},
	"org.new":                 {"新建下级机构", "New organisation"},
	"org.parent":              {"上级机构", "Parent"},
	"org.level":               {"层级", "Level"},
	"org.type":                {"类型", "Type"},
	"org.sector":              {"行业", "Sector"},
	"org.operator_type":       {"运营者类型", "Operator type"},
	"org.short_name":          {"简称", "Short name"},
	"org.region_code":         {"行政区划代码", "Region code"},
	"org.liaison":             {"联络员", "Liaison"},
	"org.liaison.name":        {"联络员姓名", "Liaison name"},
	"org.liaison.title":       {"联络员职务", "Liaison title"},
	"org.liaison.mobile":      {"联络员手机", "Liaison mobile"},
	"org.duty_phone":          {"24小时值班电话", "24-hour duty phone"},
	"org.fax":                 {"传真", "Fax"},
	"org.report_email":        {"事件报送邮箱", "Reporting e-mail"},
	"org.address":             {"地址", "Address"},
	"org.plans":               {"适用预案", "Governing plans"},
	"org.plans.hint":          {"不选则继承上级机构的预案", "Leave empty to inherit the parent's plans"},
	"org.plans.inherited":     {"继承自上级", "inherited"},
	"org.children":            {"下级机构", "Sub-organisations"},
	"org.systems":             {"本单位重要系统", "Systems of this unit"},
	"org.users":               {"本机构账号", "Accounts of this organisation"},
	"system.title":            {"重要网络和信息系统", "Important network and information systems"},
	"system.new":              {"登记系统", "Register a system"},
	"system.org":              {"所属单位", "Owner unit"},
	"system.department":       {"责任部门", "Responsible department"},
	"system.person":           {"责任人", "Responsible person"},
	"system.phone":            {"责任人电话", "Responsible phone"},
	"system.level":            {"等保级别", "Protection level"},
	"system.cii":              {"关键信息基础设施", "CII"},
	"system.kinds":            {"重点系统类别", "Key-system kinds"},
	"system.exposure":         {"对外暴露(域名、网址、IP、端口)", "Exposure (domains, URLs, IPs, ports)"},
	"system.exposure.hint":    {"每行一项,如 www.example.gov.cn、https://www.example.gov.cn/、10.1.2.3、443", "One per line: a domain, URL, IP or port"},
	"system.components":       {"组件及版本", "Components and versions"},
	"system.components.hint":  {"每行一个,如 Apache Struts2 2.5.10", "One per line, e.g. Apache Struts2 2.5.10"},
	"system.description":      {"系统概况", "Description"},
	"system.status":           {"状态", "Status"},
	"system.import.title":     {"从表格导入系统", "Import systems from a spreadsheet"},
	"system.import.hint":      {"支持 XLSX 和 CSV。任何一行有错误时不导入任何数据。", "XLSX or CSV. Nothing is imported unless every row is valid."},
	"system.import.template":  {"下载模板", "Download the template"},
	"system.import.done":      {"已导入 %d 个系统。", "Imported %d systems."},
	"system.component.filter": {"组件", "Component"},
	"user.title":              {"用户与权限", "Users and rights"},
	"user.new":                {"新建账号", "New account"},
	"user.username":           {"用户名", "User name"},
	"user.display_name":       {"姓名", "Name"},
	"user.email":              {"邮箱", "E-mail"},
	"user.mobile":             {"手机", "Mobile"},
	"user.roles":              {"角色", "Roles"},
	"user.org":                {"所属机构", "Organisation"},
	"user.disabled":           {"已停用", "Disabled"},
	"user.active":             {"正常", "Active"},
	"user.disable":            {"停用", "Disable"},
	"user.enable":             {"启用", "Enable"},
	"user.totp":               {"双因素", "2FA"},
	"user.password.initial":   {"初始密码", "Initial password"},
	"user.password.hint":      {"至少12个字符,不得使用常见或默认密码", "At least 12 characters; common and default passwords are refused"},
	"user.reset":              {"重置密码", "Reset password"},
	"audit.title":             {"审计日志", "Audit log"},
	"audit.time":              {"时间", "Time"},
	"audit.actor":             {"操作人", "Actor"},
	"audit.action":            {"操作", "Action"},
	"audit.object":            {"对象", "Object"},
	"audit.outcome":           {"结果", "Outcome"},
	"audit.ip":                {"IP", "IP"},
	"audit.verify":            {"校验哈希链", "Verify the hash chain"},
	"audit.verify.ok":         {"哈希链完整:共 %d 条记录。", "The chain is intact: %d entries."},
	"audit.from":              {"起始时间", "From"},
	"audit.to":                {"结束时间", "To"},
	"plan.title":              {"应急预案", "Emergency plans"},
	"profile.title":           {"个人设置", "Profile"},
	"profile.password":        {"修改密码", "Change password"},
	"profile.password.old":    {"当前密码", "Current password"},
	"profile.password.new":    {"新密码", "New password"},
	"profile.password.done":   {"密码已修改,其他会话已退出。", "Password changed; your other sessions were ended."},
	"profile.totp":            {"双因素认证", "Two-factor authentication"},
	"profile.totp.on":         {"已启用", "Enabled"},
	"profile.totp.off":        {"未启用", "Not enabled"},
	"profile.totp.enable":     {"启用双因素认证", "Enable two-factor authentication"},
	"profile.tokens":          {"API 令牌", "API tokens"},
	"profile.token.new":       {"新建令牌", "New token"},
	"profile.token.name":      {"用途", "Purpose"},
	"profile.token.scope":     {"权限", "Scope"},
	"profile.token.expires":   {"有效天数", "Valid for (days)"},
	"profile.token.created":   {"令牌仅显示这一次,请妥善保存:", "The token is shown only this once; store it safely:"},
	"profile.token.revoke":    {"吊销", "Revoke"},
	"profile.language":        {"界面语言", "Language"},
	"home.open_incidents":     {"未结束事件", "Open incidents"},
	"home.overdue":            {"有逾期报告的事件", "Incidents with overdue reports"},
	"home.inbox":              {"收到的事件报告", "Reports received"},
	"home.notifications":      {"最新通知", "Latest notifications"},
	"nav.incidents":           {"事件与报告", "Incidents"},
	"nav.inbox":               {"报告收件箱", "Report inbox"},
	"plan.version":            {"版本", "Version"},
	"plan.taxonomy":           {"事件分类", "Taxonomy"},
	"org.plan_roles":          {"预案中的角色", "Roles in the plans"},
}

// translate returns the text of key in lang.
func translate(lang, key string) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	if lang == langEN {
		return m[1]
	}
	return m[0]
}

// requestLang picks the console language: the lang cookie, then the
// browser's Accept-Language (English only when it comes first), then Chinese.
func requestLang(r *http.Request, userLocale string) string {
	if c, err := r.Cookie("fh_lang"); err == nil && (c.Value == langZH || c.Value == langEN) {
		return c.Value
	}
	if userLocale == langEN || userLocale == langZH {
		return userLocale
	}
	if al := r.Header.Get("Accept-Language"); strings.HasPrefix(strings.ToLower(al), "en") {
		return langEN
	}
	return langZH
}
