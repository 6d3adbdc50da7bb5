package phrase

// catalogue: key → {Chinese, English}. The Chinese is what the record
// stores as its body (and what older entries say in their own words); the
// English is rendered when an English page or API reader asks. Arguments
// are {name}; text a person or a plan wrote is quoted in English by Render.
var catalogue = map[string][2]string{
	// Incidents (internal/app/incident).
	"incident.created":   {"事件登记（{channel}），定级{grade}", "Incident recorded ({channel}), grade {grade}"},
	"facts.updated":      {"事实更新", "Facts updated"},
	"facts.regraded":     {"事实更新，定级由{before}变为{grade}", "Facts updated: grade {before} became {grade}"},
	"grade.override":     {"定级调整：{before} → {grade}（{reason}）", "Grade changed: {before} → {grade} ({reason})"},
	"status.changed":     {"状态：{from} → {to}", "Status: {from} → {to}"},
	"status.reason":      {"状态：{from} → {to}（{reason}）", "Status: {from} → {to} ({reason})"},
	"status.activated":   {"状态：{from} → {to}（启动{level}级应急响应）", "Status: {from} → {to} (level {level} response activated)"},
	"status.ended":       {"状态：{from} → {to}（应急响应结束）", "Status: {from} → {to} (the response ended)"},
	"evidence.uploaded":  {"上传证据 {name}（{size} 字节，SM3 {sm3}）", "Evidence uploaded: {name} ({size} bytes, SM3 {sm3})"},
	"report.filed":       {"提交{report}，送达：{to}", "{report} filed, delivered to {to}"},
	"report.receipt":     {"{org}签收{from}的报告", "{org} acknowledged the report from {from}"},
	"report.forwarded":   {"{org}上报至{to}", "{org} forwarded the report to {to}"},
	"monitor.again":      {"监测告警再次出现：{summary}", "Monitoring alert seen again: {summary}"},
	"monitor.draft":      {"监测告警生成事件草稿：{summary}", "Monitoring alert opened a draft incident: {summary}"},
	"monitor.outage":     {"网站中断{minutes}分钟", "Website down for {minutes} minutes"},
	"monitor.restored":   {"网站恢复访问，中断共{minutes}分钟", "Website reachable again after {minutes} minutes down"},
	"obligation.done":    {"完成：{title}（{note}）", "Done: {title} ({note})"},
	"obligation.overdue": {"逾期：{title}（应于{due}前完成）", "Overdue: {title} (due by {due})"},
	"concealment":        {"疑似瞒报：{how}；{unit}未在时限（{due}，{plan} {clause}）前报告", "Suspected concealment: {how}; {unit} did not report by the deadline ({due}, {plan} {clause})"},

	// Tasks (internal/app/task).
	"tasks.generated":      {"按预案处置手册生成处置任务{n}项", "The plan's playbooks created {n} tasks"},
	"task.added":           {"新增任务「{title}」，责任单位{owner}", "Task {title} added, owned by {owner}"},
	"task.state":           {"任务「{title}」：{state}", "Task {title}: {state}"},
	"task.state.late":      {"任务「{title}」：{state}（逾期完成）", "Task {title}: {state} (late)"},
	"task.state.note":      {"任务「{title}」：{state}；{note}", "Task {title}: {state}; {note}"},
	"task.state.late.note": {"任务「{title}」：{state}（逾期完成）；{note}", "Task {title}: {state} (late); {note}"},

	// Task titles the platform writes (standby tasks of a response level).
	"task.standby":        {"{level}级应急响应待命：{task}", "Level {level} response standby: {task}"},
	"task.standby.notify": {"{level}级应急响应：通知{name}进入待命状态", "Level {level} response: tell {name} to stand by"},

	// Response levels (internal/app/response).
	"response.requested":          {"{org}申请启动{level}级应急响应：{title}，待{to}决定（{plan}第{clause}条）", "{org} asked for a level {level} response to {title}; {to} decides ({plan} clause {clause})"},
	"response.handedup":           {"{org}超出本级权限，提请启动{level}级应急响应：{title}，待{to}决定（{plan}第{clause}条）", "{org} handed up a level {level} response to {title}, beyond its authority; {to} decides ({plan} clause {clause})"},
	"response.activated":          {"{org}启动{level}级应急响应（{plan}第{clause}条）", "{org} activated a level {level} response ({plan} clause {clause})"},
	"response.activated.approved": {"{org}启动{level}级应急响应（{plan}第{clause}条），经{body}批准（{ref}）", "{org} activated a level {level} response ({plan} clause {clause}), approved by {body} ({ref})"},
	"response.changed":            {"{org}将应急响应由{from}级调整为{to}级（{plan}第{clause}条）：{reason}", "{org} changed the response from level {from} to level {to} ({plan} clause {clause}): {reason}"},
	"response.ended":              {"{org}结束{level}级应急响应（{plan}第{clause}条），结束通知送：{to}", "{org} ended the level {level} response ({plan} clause {clause}); end notice sent to {to}"},
	"response.ended.approved":     {"{org}结束{level}级应急响应（{plan}第{clause}条），经{body}批准（{ref}），结束通知送：{to}", "{org} ended the level {level} response ({plan} clause {clause}), approved by {body} ({ref}); end notice sent to {to}"},
	"tasks.released.end":          {"应急响应结束，解除待命：待命任务{n}项已办结", "The response ended: {n} standby tasks released"},
	"tasks.released.change":       {"响应级别调整为{level}级，解除待命：待命任务{n}项已办结", "The response level changed to {level}: {n} standby tasks released"},

	// Aftermath documents, improvement measures, rewards and accountability
	// (internal/app/aftermath).
	"doc.saved":             {"{doc}第{version}版已保存（草稿）", "{doc} version {version} saved (draft)"},
	"doc.withdrawn":         {"{doc}第{withdrawn}版撤回审批，修改为第{version}版（草稿）", "{doc} version {withdrawn} withdrawn from approval and edited as version {version} (draft)"},
	"doc.submitted":         {"{doc}第{version}版已提交审批", "{doc} version {version} submitted for approval"},
	"doc.returned":          {"{doc}第{version}版被{org}退回：{note}", "{doc} version {version} returned by {org}: {note}"},
	"doc.approved":          {"{doc}第{version}版经{org}审批通过，定稿", "{doc} version {version} approved by {org}: final"},
	"doc.passed":            {"{doc}第{version}版经{org}审批同意，报{next}", "{doc} version {version} approved by {org} and passed to {next}"},
	"improvement.added":     {"整改措施：{text}（责任单位{owner}，{due}前完成）", "Improvement measure: {text} (owner {owner}, due by {due})"},
	"improvement.done":      {"整改措施已完成：{text}（{note}）", "Improvement measure done: {text} ({note})"},
	"improvement.cancelled": {"整改措施已撤销：{text}（{note}）", "Improvement measure cancelled: {text} ({note})"},
	"record.reward":         {"奖励：{subject}（{basis}；{decision}）", "Reward: {subject} ({basis}; {decision})"},
	"record.accountability": {"责任追究：{subject}（{basis}；{decision}）", "Accountability: {subject} ({basis}; {decision})"},
}
