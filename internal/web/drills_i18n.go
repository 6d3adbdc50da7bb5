package web

import "fenghuo/internal/app/drill"

// Words of drills, training and publicity and the capability score card
// (issue 12, P5), in Chinese and English.
var drillMessages = map[string][2]string{
	"nav.drills":     {"演练与培训", "Drills and training"},
	"nav.capability": {"能力考评", "Capability"},

	"drills.title":           {"应急演练与培训宣传", "Drills, training and publicity"},
	"drills.year":            {"年度", "Year"},
	"drills.show":            {"查看", "Show"},
	"drills.deadline":        {"年度演练截止", "Yearly drill deadline"},
	"drills.days.left":       {"还剩%d天", "%d days left"},
	"drills.deadline.passed": {"已过截止日期", "Deadline passed"},
	"drills.own.done":        {"本单位本年度已备案演练。", "Your organisation has filed a drill this year."},
	"drills.own.todo":        {"本单位本年度尚未备案演练：每年至少组织一次预案演练，结束后将书面总结报网信办备案（001 §6.2）。", "Your organisation has not filed a drill this year: drill the plan at least once a year and file the written summary with the office (001 §6.2)."},
	"drills.missing":         {"本年度未演练的单位", "Units without a drill this year"},
	"drills.missing.from":    {"自%s起列出未演练单位。", "Units without a drill are listed from %s."},
	"drills.missing.none":    {"所有单位均已备案演练。", "Every unit has filed a drill."},
	"drills.list":            {"演练备案", "Drills filed"},
	"drills.none":            {"本年度暂无演练备案。", "No drills filed this year."},
	"drills.col.date":        {"日期", "Date"},
	"drills.col.unit":        {"单位", "Unit"},
	"drills.col.kind":        {"形式", "Kind"},
	"drills.col.title":       {"演练名称", "Drill"},
	"drills.col.plan":        {"预案 / 处置流程", "Plan / playbook"},
	"drills.col.people":      {"参演人数", "Participants"},
	"drills.col.summary":     {"总结", "Summary"},
	"drills.file.download":   {"下载总结", "Download summary"},
	"drills.file.none":       {"无附件", "No file"},

	"drills.form":               {"备案演练", "File a drill"},
	"drills.form.unit":          {"演练单位", "Organisation"},
	"drills.form.kind":          {"演练形式", "Kind"},
	"drills.form.date":          {"演练日期", "Date held"},
	"drills.form.title":         {"演练名称", "Name"},
	"drills.form.participants":  {"参演单位和人员", "Who took part"},
	"drills.form.headcount":     {"参演人数", "Number of participants"},
	"drills.form.plan":          {"演练的预案", "Plan drilled"},
	"drills.form.playbook":      {"演练的处置流程（可选）", "Playbook drilled (optional)"},
	"drills.form.playbook.none": {"不指定", "None"},
	"drills.form.scenario":      {"演练场景", "Simulated incident"},
	"drills.form.result":        {"演练总结（检验和完善预案的情况）", "Summary (what the drill showed about the plan)"},
	"drills.form.improvements":  {"改进措施", "Improvements"},
	"drills.form.file":          {"书面总结文件（PDF、DOCX等，可选）", "Written summary file (PDF, DOCX …, optional)"},
	"drills.form.submit":        {"提交备案", "File drill"},

	"drill.kind.tabletop":  {"桌面推演", "table-top"},
	"drill.kind.live":      {"实战演练", "live"},
	"drill.kind.technical": {"技术演练", "technical"},

	"activities.title":        {"培训与宣传", "Training and publicity"},
	"activities.none":         {"本年度暂无培训宣传记录。", "No training or publicity recorded this year."},
	"activities.col.category": {"类别", "Category"},
	"activities.col.kind":     {"活动", "Activity"},
	"activities.col.audience": {"对象", "Audience"},
	"activities.col.count":    {"人数", "People"},
	"activities.form":         {"记录培训或宣传活动", "Record training or publicity"},
	"activities.form.kind":    {"活动类型（如专业技术培训、网络安全宣传周）", "Kind (e.g. technical training, cybersecurity week)"},
	"activities.form.summary": {"内容摘要", "Summary"},
	"activities.form.submit":  {"保存记录", "Save record"},
	"activity.training":       {"培训", "training"},
	"activity.publicity":      {"宣传", "publicity"},

	"capability.title":           {"应急能力考评", "Emergency capability evaluation"},
	"capability.asof":            {"截至", "As of"},
	"capability.formula":         {"计分公式", "Formula"},
	"capability.formula.note":    {"各项为本年度到期事项的按时完成比例；没有到期事项的项目不计入，也不按零分计。", "Each term is the share of the year's duties met on time; a term with nothing due is left out, not counted as zero."},
	"capability.setby":           {"权重由%s设定。", "Weights set by %s."},
	"capability.default":         {"使用默认权重。", "Default weights."},
	"capability.col.unit":        {"单位", "Unit"},
	"capability.col.score":       {"得分", "Score"},
	"capability.nodata":          {"无数据", "no data"},
	"capability.none":            {"辖区内没有运营单位。", "No operator units in your area."},
	"capability.export":          {"导出考评表（XLSX）", "Export score card (XLSX)"},
	"capability.weights":         {"设置权重和未演练单位列出日期", "Set weights and listing date"},
	"capability.listing":         {"未演练单位列出日期（月、日）", "List units without a drill from (month, day)"},
	"capability.month":           {"月", "month"},
	"capability.day":             {"日", "day"},
	"capability.save":            {"保存设置", "Save settings"},
	"obligation.kind.drill_year": {"年度演练", "yearly drill"},
}

func init() {
	for k, m := range drillMessages {
		messages[k] = m
	}
	for t, zh := range drill.TermNameZH {
		messages["capability.term."+t] = [2]string{zh, drill.TermNameEN[t]}
	}
	pages = append(pages, "drills", "capability")
}
