package web

// Words of drill mode (issue 12 item 6), in Chinese and English.
var drillRunMessages = map[string][2]string{
	"drillrun.mark":              {"演练", "Drill"},
	"drillrun.new.title":         {"按处置流程开始演练", "Start a drill of a playbook"},
	"drillrun.new.explain":       {"演练模式下，所选处置流程的各步骤生成演练任务，按处置流程确定责任单位，完成时限从开始演练时起算。演练任务均标注「演练」，不产生事件、报告义务和逐级上报，不计入按时率、能力考评和态势统计。", "In drill mode each step of the playbook becomes a drill task, owned as the playbook says and due from the drill's start. Drill tasks are marked as a drill: they create no incident, no reporting duty and no escalation, and count in no on-time rate, score card or situational count."},
	"drillrun.title":             {"演练", "Drill"},
	"drillrun.playbook":          {"预案 · 处置流程", "Plan · playbook"},
	"drillrun.start":             {"开始演练", "Start the drill"},
	"drillrun.list":              {"演练记录（演练模式）", "Drills run in drill mode"},
	"drillrun.list.none":         {"尚无按处置流程开展的演练。", "No drill has been run in drill mode yet."},
	"drillrun.col.started":       {"开始时间", "Started"},
	"drillrun.col.state":         {"状态", "State"},
	"drillrun.run.running":       {"演练中", "running"},
	"drillrun.run.ended":         {"已结束", "ended"},
	"drillrun.notreal":           {"本页为演练，不是真实事件：任务不产生报告义务，不向上级报送，不计入统计。", "This is a drill, not a real incident: its tasks create no reporting duty, reach no office above and count in no statistic."},
	"drillrun.end":               {"结束演练", "End the drill"},
	"drillrun.end.hint":          {"结束后，尚未完成的%d项任务记为「演练结束」。", "Ending closes the %d unfinished tasks as ended with the drill."},
	"drillrun.tasks":             {"演练任务", "Drill tasks"},
	"drillrun.evidence":          {"应形成的材料：", "Material to show: "},
	"drillrun.done.evidence":     {"说明形成的材料", "Say what material was shown"},
	"drillrun.state.drill_ended": {"演练结束", "ended with the drill"},
	"drillrun.timeline":          {"演练时间线", "Drill timeline"},
	"drillrun.filed":             {"已备案：", "Filed:"},
	"drillrun.file":              {"填报演练总结并备案", "File the drill's summary"},
	"drillrun.file.quoted":       {"总结已引用演练时间线（何时完成了什么、哪些超时），可修改补充。", "The summary quotes the drill's timeline (what was done when, what was late); edit and add to it."},
	"drillrun.file.submit":       {"备案", "File"},
	"drillrun.mine":              {"本单位的演练任务", "Your organisation's drill tasks"},
	"drills.run.link":            {"按处置流程开始演练", "Start a drill of a playbook"},
}

func init() {
	for k, m := range drillRunMessages {
		messages[k] = m
	}
	pages = append(pages, "drill_run_new", "drill_run")
}
