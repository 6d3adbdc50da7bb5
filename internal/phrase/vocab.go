package phrase

import (
	"fmt"

	"fenghuo/internal/fenghuo"
)

// Words of values the platform's sentences name, in both languages.

// Status is an incident status.
func Status(s fenghuo.IncidentStatus) Arg {
	en := map[fenghuo.IncidentStatus]string{fenghuo.StatusDraft: "draft", fenghuo.StatusReported: "reported",
		fenghuo.StatusAssessing: "assessing", fenghuo.StatusResponding: "responding", fenghuo.StatusRecovering: "recovering",
		fenghuo.StatusClosed: "closed"}[s]
	return Words(s.NameZH(), en)
}

// Channel is the way an incident reached the platform.
func Channel(c string) Arg {
	w := map[string][2]string{fenghuo.ChannelUnit: {"单位报送", "filed by the unit"}, fenghuo.ChannelPhone: {"电话接报", "by phone"},
		fenghuo.ChannelFax: {"传真接报", "by fax"}, fenghuo.ChannelWeChat: {"微信接报", "by WeChat"}, fenghuo.ChannelEmail: {"邮件接报", "by e-mail"},
		fenghuo.ChannelMonitoring: {"监测发现", "found by monitoring"}, fenghuo.ChannelPublic: {"群众举报", "reported by the public"}}[c]
	return Words(w[0], w[1])
}

// TaskState is a task's state.
func TaskState(s string) Arg {
	w := map[string][2]string{fenghuo.TaskOpen: {"待办", "open"}, fenghuo.TaskInProgress: {"进行中", "in progress"},
		fenghuo.TaskDone: {"已完成", "done"}, fenghuo.TaskNotApplicable: {"不适用", "not applicable"}}[s]
	return Words(w[0], w[1])
}

// Report names a report: 初报, 续报(第2次), 终报(更正1).
func Report(kind string, number, revision int) Arg {
	w := map[string][2]string{fenghuo.ReportInitial: {"初报", "Initial report"}, fenghuo.ReportFollowUp: {"续报", "Follow-up report"},
		fenghuo.ReportFinal: {"终报", "Final report"}}[kind]
	zh, en := w[0], w[1]
	if kind == fenghuo.ReportFollowUp {
		zh += fmt.Sprintf("（第%d次）", number)
		en += fmt.Sprintf(" no. %d", number)
	}
	if revision > 1 {
		zh += fmt.Sprintf("（更正%d）", revision-1)
		en += fmt.Sprintf(" (correction %d)", revision-1)
	}
	return Words(zh, en)
}

// Document names an aftermath document kind.
func Document(kind string) Arg {
	w := map[string][2]string{fenghuo.DocRecoveryPlan: {"恢复重建方案", "Recovery plan"}, fenghuo.DocInvestigation: {"调查评估报告", "Investigation and evaluation report"},
		fenghuo.DocSummary: {"应急总结报告", "Summary report"}, fenghuo.DocEndNotice: {"结束通知", "End notice"}}[kind]
	if w[0] == "" {
		return Text(kind)
	}
	return Words(w[0], w[1])
}

// Plan is a plan's title: 《…》 in Chinese, its English title (or its
// Chinese one, quoted) in English.
func Plan(id, zh, en string) Arg {
	if zh == "" {
		return Text(id)
	}
	return Arg{ZH: "《" + zh + "》", EN: en}
}
