package phrase

import (
	"fmt"
	"regexp"
	"strings"
)

// Notifications, to-do items and the titles of obligations are stored as
// the Chinese sentence the platform wrote (they are mailed and pushed as
// they are, and the tables have no room for a phrase). An English page
// reads them back through this catalogue: each entry is the Go format the
// platform writes (Format, kept in step with the source by a test), the
// pattern that finds its arguments again, and the English sentence. An
// argument the platform has words for (a grade, a colour, a report kind)
// is translated; other Chinese (a name, a title) is quoted, as Render
// does.
type storedSentence struct {
	Format string // the platform's format, as in the Go source
	re     *regexp.Regexp
	en     string // fmt format over the arguments, in order
}

// stored compiles an entry. The pattern is the sentence with a slot for
// each argument: {t} some text (as little as fits), {T} the rest, {n} a
// number, {g} a grade, {c} a warning colour, {k} a report kind with its
// number, {v} 申请 or 提请, {ck} 自查 or 检查, {lead} an optional
// "，带班领导…".
func stored(format, pattern, en string) storedSentence {
	var re strings.Builder
	re.WriteString("^")
	for pattern != "" {
		i := strings.IndexByte(pattern, '{')
		if i < 0 {
			re.WriteString(regexp.QuoteMeta(pattern))
			break
		}
		j := strings.IndexByte(pattern[i:], '}')
		re.WriteString(regexp.QuoteMeta(pattern[:i]))
		re.WriteString(storedSlots[pattern[i+1:i+j]])
		pattern = pattern[i+j+1:]
	}
	re.WriteString("$")
	return storedSentence{Format: format, re: regexp.MustCompile(re.String()), en: en}
}

var storedSlots = map[string]string{
	"t": `(.+?)`, "T": `(.+)`, "n": `(\d+)`,
	"g":    `(Ⅰ|Ⅱ|Ⅲ|Ⅳ|I|II|III|IV)`,
	"c":    `(红色|橙色|黄色|蓝色)`,
	"k":    `(初报|续报|终报)((?:（第\d+次）)?(?:（更正\d+）)?)`,
	"v":    `(申请|提请)`,
	"ck":   `(自查|检查)`,
	"lead": `(?:，带班领导(.+))?`,
}

var storedSentences = []storedSentence{
	stored("收到%s%s：%s（%s级）", "收到{t}{k}：{T}（{g}级）", "%[2]s%[3]s from %[1]s: %[4]s (grade %[5]s)"),
	stored("%s上报：%s（%s级）", "{t}上报：{T}（{g}级）", "%[1]s reported: %[2]s (grade %[3]s)"),
	stored("%s启动%s级应急响应：%s（%s第%s条）", "{t}启动{g}级应急响应：{T}（{t}第{t}条）", "%[1]s activated a level %[2]s response: %[3]s (%[4]s clause %[5]s)"),
	stored("%s%s启动%s级应急响应：%s", "{t}{v}启动{g}级应急响应：{T}", "%[1]s %[2]s a level %[3]s response: %[4]s"),
	stored("%s级应急响应启动，须每日%d小时值班（%s）：%s", "{g}级应急响应启动，须每日{n}小时值班（{t}）：{T}", "Level %[1]s response activated: duty %[2]s hours a day (%[3]s): %[4]s"),
	stored("结束通知：%s级应急响应结束（%s）", "结束通知：{g}级应急响应结束（{T}）", "End notice: the level %[1]s response to %[2]s has ended"),
	stored("%s级应急响应第%d次续报：事态发展变化情况（每%s，%s%s）", "{g}级应急响应第{n}次续报：事态发展变化情况（每{t}，{T}）", "Level %[1]s response, follow-up report %[2]s: how the situation develops (every %[3]s, %[4]s)"),
	stored("%s预警已启动：%s", "{c}预警已启动：{T}", "%[1]s warning in force: %[2]s"),
	stored("确认%s预警：%s", "确认{c}预警：{T}", "Acknowledge the %[1]s warning: %[2]s"),
	stored("落实%s预警措施：%s", "落实{c}预警措施：{T}", "Carry out the measures of the %[1]s warning: %[2]s"),
	stored("【%s预警】%s", "【{c}预警】{T}", "[%[1]s warning] %[2]s"),
	stored("%s建议发布%s预警：%s", "{t}建议发布{c}预警：{T}", "%[1]s proposes a %[2]s warning: %[3]s"),
	stored("%s已落实预警措施：%s", "{t}已落实预警措施：{T}", "%[1]s carried out the warning's measures: %[2]s"),
	stored("%s未采纳预警建议：%s", "{t}未采纳预警建议：{T}", "%[1]s did not take up the proposed warning: %[2]s"),
	stored("新隐患：%s", "新隐患：{T}", "New finding: %[1]s"),
	stored("隐患整改：%s", "隐患整改：{T}", "Rectify the finding: %[1]s"),
	stored("隐患已复核销号：%s", "隐患已复核销号：{T}", "Finding verified and closed: %[1]s"),
	stored("隐患整改待复核：%s", "隐患整改待复核：{T}", "Rectification to verify: %[1]s"),
	stored("隐患整改被退回：%s", "隐患整改被退回：{T}", "Rectification sent back: %[1]s"),
	stored("隐患风险已接受：%s", "隐患风险已接受：{T}", "Finding's risk accepted: %[1]s"),
	stored("风险接受到期，隐患重新打开：%s", "风险接受到期，隐患重新打开：{T}", "Risk acceptance expired, finding reopened: %[1]s"),
	stored("高危端口开放：%s 端口%d（%s）", "高危端口开放：{T} 端口{n}（{T}）", "High-risk port open: %[1]s port %[2]s (%[3]s)"),
	stored("答复风险通报：%s", "答复风险通报：{T}", "Reply to the risk notice: %[1]s"),
	stored("%s答复风险通报：%s", "{t}答复风险通报：{T}", "%[1]s replied to the risk notice: %[2]s"),
	stored("【风险通报】%s", "【风险通报】{T}", "[Risk notice] %[1]s"),
	stored("演练备案：%s（%s，%s）", "演练备案：{T}（{t}，{t}）", "Drill filed: %[1]s (%[2]s, %[3]s)"),
	stored("%s演练任务%d项：%s", "{t}演练任务{n}项：{T}", "%[1]s: %[2]s drill tasks: %[3]s"),
	stored("重要保障期：%s（%s至%s）", "重要保障期：{T}（{t}至{t}）", "Protection period: %[1]s (%[2]s to %[3]s)"),
	stored("%s日报（%s）", "{t}日报（{t}）", "%[1]s daily report (%[2]s)"),
	stored("%s通知开展网络安全自查：%s", "{t}通知开展网络安全自查：{T}", "%[1]s calls a cybersecurity self-inspection: %[2]s"),
	stored("网络安全%s：%s", "网络安全{ck}：{T}", "Cybersecurity %[1]s: %[2]s"),
	stored("网络安全检查：%s（%s）", "网络安全检查：{T}（{t}）", "Cybersecurity inspection: %[1]s (%[2]s)"),
	stored("%s已结束%s，贵单位未完成填报", "{t}已结束{T}，贵单位未完成填报", "%[1]s closed %[2]s; your unit did not complete it"),
	stored("%s提交了%s结果：%d项不符合", "{t}提交了{T}结果：{n}项不符合", "%[1]s submitted the %[2]s results: %[3]s items non-compliant"),
	stored("%s退回了%s的%s结果，请重新填报", "{t}退回了{t}的{T}结果，请重新填报", "%[1]s sent back %[2]s's %[3]s results: fill them in again"),
	stored("退回重填：%s（%s）", "退回重填：{T}（{t}）", "Sent back to fill in again: %[1]s (%[2]s)"),
	stored("退回重填：%s", "退回重填：{T}", "Sent back to fill in again: %[1]s"),
	stored("值班安排：%s 至 %s 值班员%s", "值班安排：{t} 至 {t} 值班员{t}{lead}", "Duty: %[1]s to %[2]s, officer %[3]s, leader %[4]s"),
	stored("整改任务：%s（%s前完成）", "整改任务：{T}（{t}前完成）", "Improvement: %[1]s (due %[2]s)"),
	stored("新任务：%s", "新任务：{T}", "New task: %[1]s"),
	stored("提醒：%s，剩余%s", "提醒：{T}，剩余{T}", "Reminder: %[1]s, %[2]s left"),
	stored("逾期：%s（应于%s前完成）", "逾期：{T}（应于{t}前完成）", "Overdue: %[1]s (due %[2]s)"),
	stored("待审批：%s第%d版", "待审批：{t}第{n}版", "To approve: %[1]s version %[2]s"),
	stored("向%s报告（%s%s）", "向{t}报告（{T}）", "Report to %[1]s (%[2]s)"),
	stored("调查评估报告尚未审批通过", "调查评估报告尚未审批通过", "The investigation report is not approved yet"),
	stored("调查评估报告第%d版已审批通过", "调查评估报告第{n}版已审批通过", "Version %[1]s of the investigation report is approved"),
	stored("尚无整改措施", "尚无整改措施", "No improvement measures yet"),
	stored("%d项整改措施全部完成", "{n}项整改措施全部完成", "All %[1]s improvement measures are done"),
	stored("%d项整改措施未完成，其中%d项逾期", "{n}项整改措施未完成，其中{n}项逾期", "%[1]s improvement measures open, %[2]s of them overdue"),
	stored("尚无责任追究记录", "尚无责任追究记录", "No accountability record yet"),
	stored("已有责任追究记录", "已有责任追究记录", "Accountability is recorded"),
	stored("发现隐患（来源：%s%s）", "发现隐患（来源：{T}）", "Finding raised (source: %[1]s)"),
	stored("开始整改", "开始整改", "Rectification started"),
	stored("开始整改", "开始整改：{T}", "Rectification started: %[1]s"),
	stored("复核通过，销号", "复核通过，销号", "Verified and closed"),
	stored("复核通过，销号", "复核通过，销号：{T}", "Verified and closed: %[1]s"),
	stored("开始演练：%s", "开始演练：{T}", "Drill started: %[1]s"),
	stored("「%s」完成", "「{T}」完成", "“%[1]s” done"),
	stored("复查：端口已关闭（暴露面检测 %s，从%s连接%s 端口%d 无法连接），请核实后关闭隐患", "复查：端口已关闭（暴露面检测 {t}，从{t}连接{t} 端口{n} 无法连接），请核实后关闭隐患", "Re-check: the port is closed (exposure check %[1]s from %[2]s to %[3]s port %[4]s could not connect); confirm and close the finding"),
	stored("指定单位", "指定单位", "named"),
	stored("属于", "属于{T}", "under %[1]s"),
	stored("%s运行%s %s", "{t}运行{T}", "%[1]s runs %[2]s"),
	stored("复查：端口已关闭，待核实 %s", "复查：端口已关闭，待核实 {T}", "Re-check: the port is closed, to confirm: %[1]s"),
}

// storedWords are the platform's words that appear as arguments.
var storedWords = map[string]string{
	"Ⅰ": "I", "Ⅱ": "II", "Ⅲ": "III", "Ⅳ": "IV",
	"红色": "red", "橙色": "orange", "黄色": "yellow", "蓝色": "blue",
	"初报": "Initial report", "续报": "Follow-up report", "终报": "Final report",
	"申请": "asked for", "提请": "handed up",
	"自查": "self-inspection", "检查": "inspection",
}

var storedNumbers = regexp.MustCompile("\uFF08(第(\\d+)次|更正(\\d+))\uFF09") // （第2次）（更正1）

// EnglishOfStored is the English of a sentence the platform stored in
// Chinese, and whether it knows the sentence. Nested platform sentences
// (a notice quoting a task title) are read the same way.
func EnglishOfStored(s string) (string, bool) {
	return englishOfStored(s, 2)
}

func englishOfStored(s string, depth int) (string, bool) {
	s = GradeNumerals(s)
	for _, st := range storedSentences {
		m := st.re.FindStringSubmatch(s)
		if m == nil {
			continue
		}
		args := make([]any, 0, len(m)-1)
		for _, a := range m[1:] {
			args = append(args, storedArg(a, depth))
		}
		out := fmt.Sprintf(st.en, args...)
		return strings.TrimSuffix(out, ", leader "), true
	}
	// A list of platform sentences ("指定单位；属于青溪县").
	if parts := strings.Split(s, "；"); len(parts) > 1 && depth > 0 {
		known := false
		for i, p := range parts {
			en, ok := englishOfStored(p, depth-1)
			known = known || ok
			parts[i] = storedArg(en, 0)
		}
		if known {
			return strings.Join(parts, "; "), true
		}
	}
	return s, false
}

func storedArg(a string, depth int) string {
	if w, ok := storedWords[a]; ok {
		return w
	}
	if a == "" {
		return ""
	}
	if m := storedNumbers.FindAllStringSubmatch(a, -1); m != nil && storedNumbers.ReplaceAllString(a, "") == "" {
		var b strings.Builder
		for _, x := range m {
			if x[2] != "" {
				b.WriteString(" no. " + x[2])
			} else {
				b.WriteString(" (correction " + x[3] + ")")
			}
		}
		return b.String()
	}
	if depth > 0 {
		if en, ok := englishOfStored(a, depth-1); ok {
			return en
		}
	}
	if HasHan(a) {
		return "“" + a + "”"
	}
	return a
}
