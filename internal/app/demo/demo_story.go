package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/aftermath"
	"fenghuo/internal/app/incident"
	"fenghuo/internal/app/response"
	"fenghuo/internal/app/task"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// The demo story (issue 11's acceptance, told with data): the county
// water-supply company 青溪县供排水公司 (sector water, declaring the county
// water authority its supervising department) has two grade II incidents
// under the wushen-county plan.
//
//   - Now: a ransomware attack on its water-supply monitoring system,
//     discovered five hours before the demo starts, reported up the chain
//     (county 网信办, county public security, water authority), level II
//     requested by the unit and activated by the county office with the
//     committee's approval; the playbook tasks are under way, some done and
//     the 2-hour standby switch overdue.
//   - Three weeks ago: an attack that took the same system down, whose
//     level II response ended with an end notice; the recovery plan is
//     approved, the investigation report waits for the water authority,
//     improvement measures run to their deadlines and an accountability
//     record is kept.
//
// Every step goes through the capabilities' use cases, as the accounts
// named below, with the clock set to the step's time (relative to the
// demo's start), so the audit log, timelines and countdowns are what a real
// history would have left.

// StoryIncidents is how many incidents the story seeds.
const StoryIncidents = 2

// demoStoryOrgs are the orgs the story needs beside the region: the county
// technical support team the wushen-county plan puts on standby and sends
// on site (§4.2.2(3), §7.2).
func demoStoryOrgs() []demoOrg {
	return []demoOrg{{key: "qxsupport", parent: "qingxi", org: fenghuo.Org{Name: "青溪县网络安全应急技术支撑队伍", ShortName: "县应急支撑队伍",
		Level: fenghuo.LevelCounty, Type: fenghuo.OrgSupport, Sector: "government", PlanRoles: []string{"support_team"},
		DutyPhone: "0477-7585000", Liaison: fenghuo.Liaison{Name: "赵峰", Title: "队长", Mobile: "13904770021"}}}}
}

// storyUsers are the story's accounts: the water company's reporter and
// its head (who approves the unit's step of a document another member
// drafted), and the water authority's duty officer.
func storyUsers() []demoUser {
	u := func(name, display string, role fenghuo.Role, org, orgName string) demoUser {
		return demoUser{user: fenghuo.User{Username: name, DisplayName: display, Roles: []fenghuo.Role{role},
			Email: name + "@demo.fenghuo.local"}, org: org, orgName: orgName}
	}
	return []demoUser{
		u("water-rep", "施强", fenghuo.RoleUnitReporter, "qxwater", "青溪县供排水公司"),
		u("water-lead", "钱建国", fenghuo.RoleUnitReporter, "qxwater", "青溪县供排水公司"),
		u("waterauth", "周海涛", fenghuo.RoleDutyOfficer, "qxwaterauth", "青溪县水利局"),
	}
}

// story is one seeding of the story: its actors and the clock it moves.
type story struct {
	a     *Service
	ctx   context.Context
	start time.Time
	ids   map[string]int64
	// Actors by user name.
	as map[string]*app.Actor
}

// at sets the application's clock to the story's start plus d.
func (s *story) at(d time.Duration) {
	t := s.start.Add(d)
	s.a.core.SetClock(func() time.Time { return t })
}

func (s *story) actor(name string) (*app.Actor, error) {
	if ac := s.as[name]; ac != nil {
		return ac, nil
	}
	u, err := s.a.core.DB().UserByUsername(s.ctx, name)
	if err != nil {
		return nil, fmt.Errorf("demo account %s: %w", name, err)
	}
	o, err := s.a.core.DB().Org(s.ctx, u.OrgID)
	if err != nil {
		return nil, err
	}
	ac := &app.Actor{User: *u, Org: *o, Via: "system"}
	s.as[name] = ac
	return ac, nil
}

// seedDemoStory seeds the story, moving the clock back for each step and
// putting it back at the end.
func (a *Service) seedDemoStory(ctx context.Context, ids map[string]int64) error {
	if a.tasks == nil || a.response == nil || a.aftermath == nil {
		return fmt.Errorf("demo story: the response, task and aftermath capabilities are not wired (services.New calls UseResponse)")
	}
	clock := a.core.Clock()
	defer a.core.SetClock(clock)
	s := &story{a: a, ctx: ctx, start: clock().Truncate(time.Minute), ids: ids, as: map[string]*app.Actor{}}
	for _, name := range []string{"water-rep", "water-lead", "waterauth", "qx-duty"} {
		if _, err := s.actor(name); err != nil {
			return err
		}
	}
	if err := s.older(); err != nil {
		return fmt.Errorf("demo story, the ended response: %w", err)
	}
	if err := s.current(); err != nil {
		return fmt.Errorf("demo story, the ransomware incident: %w", err)
	}
	return nil
}

// systemID is the water company's monitoring system.
func (s *story) systemID() (int64, error) {
	res, err := s.a.core.DB().SubtreeSystems(s.ctx, s.ids["qxwater"], store.SystemFilter{}, store.Page{Limit: 5})
	if err != nil || len(res.Items) == 0 {
		return 0, fmt.Errorf("the water company's system: %v", err)
	}
	return res.Items[0].ID, nil
}

// open creates the incident as the unit's reporter and files its initial
// report: it must be graded II under the county plan.
func (s *story) open(in incident.IncidentInput, content map[string]string, reportAfter time.Duration) (*fenghuo.Incident, error) {
	rep := s.as["water-rep"]
	sys, err := s.systemID()
	if err != nil {
		return nil, err
	}
	in.OrgID, in.SystemIDs, in.Channel = s.ids["qxwater"], []int64{sys}, "unit"
	inc, err := s.a.incidents.CreateIncident(s.ctx, rep, in)
	if err != nil {
		return nil, err
	}
	if inc.Grade != fenghuo.GradeII {
		return nil, fmt.Errorf("incident %q graded %s, the story needs II", inc.Title, inc.Grade)
	}
	s.at(in.DiscoveredAt.Sub(s.start) + reportAfter)
	fields, err := s.a.incidents.ReportForm(s.ctx, rep, inc.ID)
	if err != nil {
		return nil, err
	}
	filled := map[string]string{}
	for _, f := range fields {
		if f.Stage != "initial" {
			continue
		}
		if v := content[f.ID]; v != "" {
			filled[f.ID] = v
		} else {
			return nil, fmt.Errorf("the story has no text for the initial report's field %s (%s)", f.ID, f.Label.ZH)
		}
	}
	if _, err := s.a.incidents.SubmitReport(s.ctx, rep, inc.ID, incident.ReportInput{Kind: fenghuo.ReportInitial, Content: filled,
		Signer: "钱建国", ReporterName: "施强", ReporterPhone: "13904771234"}); err != nil {
		return nil, err
	}
	// The duties to offices that are not on the platform (the provincial
	// office of the 2025 measures) are met by fax, ten minutes later.
	s.at(in.DiscoveredAt.Sub(s.start) + reportAfter + 10*time.Minute)
	obs, err := s.a.incidents.IncidentObligations(s.ctx, rep, inc.ID)
	if err != nil {
		return nil, err
	}
	for _, o := range obs {
		if o.Kind == incident.KindReport && o.State == fenghuo.ObligationOpen && o.OwnerOrgID == rep.Org.ID && o.RecipientOrgID == 0 {
			if err := s.a.incidents.CompleteObligation(s.ctx, rep, o.ID, "已传真报送"+o.RecipientName+"，并电话确认收到"); err != nil {
				return nil, err
			}
		}
	}
	return inc, nil
}

// receive has the offices acknowledge the incident's deliveries in their
// inboxes; the county office forwards its copy up as the plan says.
func (s *story) receive(incidentID int64, forward string) error {
	for _, name := range []string{"qx-duty", "waterauth"} {
		ac := s.as[name]
		res, err := s.a.incidents.Inbox(s.ctx, ac, store.Page{Limit: 50})
		if err != nil {
			return err
		}
		for _, d := range res.Items {
			if d.IncidentID != incidentID || !d.ReceivedAt.IsZero() {
				continue
			}
			if err := s.a.incidents.ReceiveReport(s.ctx, ac, d.ID); err != nil {
				return err
			}
			if name == "qx-duty" && forward != "" {
				if _, err := s.a.incidents.ForwardReport(s.ctx, ac, d.ID, 0, forward); err != nil {
					return fmt.Errorf("forward: %w", err)
				}
			}
		}
	}
	return nil
}

// reportText is the initial report's text, by form field.
func reportText(title, when, what, loss, measures string) map[string]string {
	return map[string]string{
		"unit_and_system": "青溪县供排水公司，青溪县供水监控系统（等保三级，生产技术部负责运维）",
		"event_details":   what, "development": "事态已得到控制，未向其他网络扩散，正在恢复",
		"preliminary_cause":    "初步判断为运维终端远程桌面（3389）弱口令被利用，攻击者横向移动至监控服务器",
		"tracing_leads":        "已留存防火墙和主机登录日志、勒索信样本，攻击源IP已报公安机关",
		"further_measures":     measures,
		"scene_protection":     "受感染服务器断网后保持开机，未重装、未清除日志，现场已封存",
		"other":                "无",
		"occurred_time":        when,
		"unit":                 "青溪县供排水公司",
		"people_affected_text": "约15万人（县城及两个乡镇供水调度受影响，供水未中断）",
		"expected_loss":        loss,
		"system_overview":      "青溪县供水监控系统，负责县城水厂和12座加压泵站的调度监控，组态软件Kingview 6.55,Windows 7工作站，等保三级",
		"department":           "生产技术部", "system_name": "青溪县供水监控系统", "protection_level": "第三级",
		"grade": "重大网络安全事件（Ⅱ级）", "category": "有害程序事件", "occurred_at": when,
		"description": title + "：" + what, "scope": "县城水厂及12座加压泵站的调度监控", "measures": measures,
		"reporting_unit": "青溪县供排水公司", "reporter": "施强", "phone": "13904771234",
	}
}

// current is the ransomware incident responding now.
func (s *story) current() error {
	occurred, discovered := s.start.Add(-5*time.Hour-20*time.Minute), s.start.Add(-5*time.Hour)
	s.at(-5 * time.Hour)
	title := "青溪县供水监控系统遭勒索病毒攻击"
	what := "凌晨值班人员发现供水监控系统3台服务器和5台工作站文件被加密，桌面出现勒索信，组态画面无法打开，泵站转为人工值守"
	// Ransomware is 其他有害程序事件 (OMI) under GB/Z 20986-2007: the plan's
	// ransomware playbook, not the mass-virus one, applies.
	inc, err := s.open(incident.IncidentInput{Title: title, Category: "OMI", OccurredAt: occurred, DiscoveredAt: discovered,
		Facts:       plan.Facts{"important_system": true, "outage_minutes": 300.0, "people_affected": 150000.0},
		Description: what, Impact: "县城及两个乡镇约15万人的供水调度监控中断，泵站人工值守，供水未中断",
		Measures: "已断网隔离受感染设备，保护现场，向县公安局报案"},
		reportText(title, occurred.In(calendar.Shanghai).Format("2006-01-02 15:04"), what, "暂无法估计，数据恢复和系统重建费用约20万元",
			"断网隔离、保护现场、向县公安局报案；泵站转人工值守；准备启用备用监控服务器"), 20*time.Minute)
	if err != nil {
		return err
	}
	rep, county := s.as["water-rep"], s.as["qx-duty"]
	s.at(-4*time.Hour - 30*time.Minute)
	if _, err := s.a.response.Act(s.ctx, rep, inc.ID, response.Input{Action: response.ActionRequest, Level: fenghuo.GradeII,
		Reason: "供水监控系统全部瘫痪，影响约15万人供水调度，建议启动Ⅱ级响应"}); err != nil {
		return fmt.Errorf("request: %w", err)
	}
	s.at(-4*time.Hour - 20*time.Minute)
	if err := s.receive(inc.ID, "重大事件，已按预案报市委网信办"); err != nil {
		return err
	}
	s.at(-4 * time.Hour)
	year := s.start.Year()
	if _, err := s.a.response.Act(s.ctx, county, inc.ID, response.Input{Action: response.ActionActivate, Level: fenghuo.GradeII,
		Approval: fmt.Sprintf("青网信委〔%d〕7号", year), Commander: "李振华（县委网信办主任）", Phone: "0477-7581960",
		Liaison: "施强（青溪县供排水公司生产技术部）", OnSite: "赵峰", Reason: "研判为重大网络安全事件，经县委网信委批准启动Ⅱ级响应"}); err != nil {
		return fmt.Errorf("activate: %w", err)
	}
	// The unit's first steps are done with their evidence; the support
	// team is identifying the strain; the standby switch, due two hours
	// after discovery, is under way and overdue.
	steps := []struct {
		after      time.Duration
		playbook   string
		step       string
		who, state string
		file, text string
		note       string
	}{
		{-4*time.Hour - 50*time.Minute, "ransomware", "protect-and-isolate", "water-rep", fenghuo.TaskDone, "隔离设备清单.txt",
			"断网时间：" + discovered.Add(10*time.Minute).In(calendar.Shanghai).Format("15:04") + "\n隔离设备：监控服务器SRV-01至SRV-03，工作站WS-01至WS-05\n现场：服务器保持开机，未重装，日志未清除", "受感染设备已全部断网隔离"},
		{-4*time.Hour - 40*time.Minute, "ransomware", "report-police", "water-rep", fenghuo.TaskDone, "公安机关接报回执.txt",
			"青溪县公安局网安大队接报回执，接报人：刘警官，接报编号：QXGA-" + fmt.Sprint(year) + "-0317", "已向县公安局报案"},
		{-4*time.Hour - 35*time.Minute, "ransomware", "do-not-pay", "water-lead", fenghuo.TaskDone, "", "", "经公司研究决定：不与攻击者联系，不支付赎金"},
		{-3*time.Hour - 50*time.Minute, "response-ii", "set-up-command", "qx-duty", fenghuo.TaskDone, "指挥部组成名单.txt",
			fmt.Sprintf("青网信委〔%d〕7号批准启动Ⅱ级响应\n指挥长：李振华\n成员：县委网信办、县公安局、县水利局、青溪县供排水公司\n联络员：施强", year), "指挥部已成立"},
		{-3*time.Hour - 40*time.Minute, "response-ii", "notify-regions", "qx-duty", fenghuo.TaskDone, "通报记录.txt",
			"已电话和传真通报县公安局、县水利局、市委网信办", "已通报相关部门"},
		{-3*time.Hour - 30*time.Minute, "ransomware", "identify-strain", "qx-duty", fenghuo.TaskInProgress, "", "", "支撑队伍已提取样本，初步判断为Phobos家族变种"},
		{-2*time.Hour - 30*time.Minute, "ransomware", "switch-to-standby", "water-rep", fenghuo.TaskInProgress, "", "", "备用监控服务器正在导入组态工程，预计1小时后可启用"},
		{-2 * time.Hour, "ransomware", "keep-evidence", "water-rep", fenghuo.TaskInProgress, "", "", "已导出防火墙和主机日志，病毒样本交县公安局"},
	}
	for _, st := range steps {
		s.at(st.after)
		if err := s.work(inc.ID, st.playbook, st.step, st.who, st.state, st.file, st.text, st.note); err != nil {
			return err
		}
	}
	return nil
}

// older is the incident whose response has ended, with its aftermath.
func (s *story) older() error {
	day := 24 * time.Hour
	occurred, discovered := s.start.Add(-21*day-30*time.Minute), s.start.Add(-21*day)
	s.at(-21 * day)
	title := "青溪县供水监控系统遭木马控制致调度瘫痪"
	what := "供水监控系统服务器被植入远程控制木马，组态数据被篡改，调度画面失控，水厂紧急切换人工调度"
	inc, err := s.open(incident.IncidentInput{Title: title, Category: "MI", OccurredAt: occurred, DiscoveredAt: discovered,
		Facts:       plan.Facts{"important_system": true, "outage_minutes": 600.0, "people_affected": 120000.0},
		Description: what, Impact: "县城约12万人供水调度监控中断约10小时，供水压力波动",
		Measures: "断网隔离、人工调度、向县公安局报案"},
		reportText(title, occurred.In(calendar.Shanghai).Format("2006-01-02 15:04"), what, "直接损失约8万元",
			"断网隔离、转人工调度、保护现场并向县公安局报案"), 25*time.Minute)
	if err != nil {
		return err
	}
	rep, lead, auth, county := s.as["water-rep"], s.as["water-lead"], s.as["waterauth"], s.as["qx-duty"]
	s.at(-21*day + 40*time.Minute)
	if err := s.receive(inc.ID, "重大事件，已按预案报市委网信办"); err != nil {
		return err
	}
	s.at(-21*day + time.Hour)
	year := s.start.Add(-21 * day).Year()
	if _, err := s.a.response.Act(s.ctx, county, inc.ID, response.Input{Action: response.ActionActivate, Level: fenghuo.GradeII,
		Approval: fmt.Sprintf("青网信委〔%d〕5号", year), Commander: "李振华（县委网信办主任）", Phone: "0477-7581960",
		Liaison: "施强（青溪县供排水公司生产技术部）", OnSite: "赵峰", Reason: "供水调度瘫痪，研判为重大网络安全事件"}); err != nil {
		return fmt.Errorf("activate: %w", err)
	}
	// Every task of that response was finished, with its evidence.
	if err := s.finishAll(inc.ID, -21*day+3*time.Hour); err != nil {
		return err
	}
	s.at(-18 * day)
	if _, err := s.a.response.Act(s.ctx, county, inc.ID, response.Input{Action: response.ActionEnd,
		Approval:     fmt.Sprintf("青溪县网安应急指挥部会议纪要〔%d〕2号", year),
		Situation:    "木马已清除，供水监控系统在备用服务器上重建并恢复运行，组态数据经比对无误，调度恢复正常。",
		Requirements: "青溪县供排水公司30日内报送调查评估报告，按恢复重建方案完成加固；县水利局督促行业内单位排查远程运维通道。"}); err != nil {
		return fmt.Errorf("end: %w", err)
	}
	// The recovery plan: drafted by the unit, approved by its head and the
	// water authority.
	s.at(-16 * day)
	rp, err := s.a.aftermath.Save(s.ctx, rep, inc.ID, fenghuo.DocRecoveryPlan, map[string]string{
		"situation":  "供水监控系统3台服务器、5台工作站受损，组态数据被篡改，现由备用服务器临时运行。",
		"goals":      "30日内完成监控系统重建和安全加固，恢复双机热备，远程运维通道全部经堡垒机。",
		"measures":   "一、重装全部服务器和工作站并升级操作系统；二、从离线备份恢复组态工程并逐项校验；三、关闭3389等远程端口，部署堡垒机；四、生产网与办公网物理隔离。",
		"safeguards": "公司总经理负总责，生产技术部具体实施，县网络安全应急技术支撑队伍提供技术支持，费用列入年度预算。",
	})
	if err != nil {
		return fmt.Errorf("recovery plan: %w", err)
	}
	s.at(-16*day + time.Hour)
	if _, err := s.a.aftermath.Submit(s.ctx, rep, inc.ID, rp.ID); err != nil {
		return fmt.Errorf("submit the recovery plan: %w", err)
	}
	s.at(-15 * day)
	if _, err := s.a.aftermath.Decide(s.ctx, lead, inc.ID, rp.ID, fenghuo.DecisionApprove, "同意，报县水利局审核"); err != nil {
		return fmt.Errorf("unit approves the recovery plan: %w", err)
	}
	s.at(-14 * day)
	if _, err := s.a.aftermath.Decide(s.ctx, auth, inc.ID, rp.ID, fenghuo.DecisionApprove, "同意按此方案实施，每周报送进展"); err != nil {
		return fmt.Errorf("water authority approves the recovery plan: %w", err)
	}
	// The investigation report, organised by the county office (§5.2 for a
	// grade II incident): the unit has agreed, the water authority has it.
	s.at(-3 * day)
	inv, err := s.a.aftermath.Save(s.ctx, county, inc.ID, fenghuo.DocInvestigation, map[string]string{
		"cause":            "运维外包人员使用的远程桌面账号为弱口令且长期未更换，攻击者暴力破解后登录运维终端，横向移动至监控服务器并植入远程控制木马。",
		"nature":           "有害程序事件（木马程序），造成重要信息系统瘫痪，影响约12万人供水调度，依预案定为重大网络安全事件（Ⅱ级）。",
		"impact":           "调度监控中断约10小时，供水压力波动，未造成停水；直接经济损失约8万元；未发现数据外泄。",
		"responsibility":   "青溪县供排水公司落实网络安全主体责任不到位：远程运维通道未管控，口令策略未执行，生产网与办公网未隔离。",
		"handling_opinion": "建议对青溪县供排水公司予以通报批评，约谈公司主要负责人，责令限期整改。",
		"improvements":     "一、30日内部署堡垒机并关闭远程桌面直连；二、生产网与办公网物理隔离；三、每季度开展一次离线备份恢复演练。",
	})
	if err != nil {
		return fmt.Errorf("investigation report: %w", err)
	}
	s.at(-3*day + 2*time.Hour)
	if _, err := s.a.aftermath.Submit(s.ctx, county, inc.ID, inv.ID); err != nil {
		return fmt.Errorf("submit the investigation report: %w", err)
	}
	s.at(-2 * day)
	if _, err := s.a.aftermath.Decide(s.ctx, lead, inc.ID, inv.ID, fenghuo.DecisionApprove, "情况属实，同意"); err != nil {
		return fmt.Errorf("unit agrees to the investigation report: %w", err)
	}
	// Improvement measures with owners and deadlines, and the
	// accountability decision.
	s.at(-2*day + time.Hour)
	for _, m := range []struct {
		text string
		due  time.Duration
	}{
		{"部署运维堡垒机，关闭全部远程桌面直连", 3 * day},
		{"生产网与办公网物理隔离，出具验收报告", 12 * day},
		{"开展离线备份恢复演练并报送演练记录", 26 * day},
	} {
		if _, err := s.a.aftermath.AddImprovement(s.ctx, county, inc.ID, aftermath.ImprovementInput{DocumentID: inv.ID, Text: m.text,
			OwnerOrgID: s.ids["qxwater"], OwnerUserID: rep.User.ID, DueAt: s.start.Add(m.due)}); err != nil {
			return fmt.Errorf("improvement: %w", err)
		}
	}
	s.at(-1 * day)
	if _, err := s.a.aftermath.AddRecord(s.ctx, county, inc.ID, aftermath.RecordInput{Kind: fenghuo.RecordAccountability,
		SubjectOrgID: s.ids["qxwater"], Basis: "001 §5.4.2：落实网络安全责任制不到位，远程运维通道未管控，导致重大网络安全事件",
		Decision: "通报批评，约谈公司主要负责人，责令30日内整改"}); err != nil {
		return fmt.Errorf("accountability record: %w", err)
	}
	return nil
}

// finishAll finishes every open task of the incident, one every few
// minutes from after, each by an account that may act on it, attaching a
// record where the task asks for evidence.
func (s *story) finishAll(incidentID int64, after time.Duration) error {
	b, err := s.a.tasks.Tasks(s.ctx, s.as["qx-duty"], incidentID)
	if err != nil {
		return err
	}
	for i, r := range b.Rows {
		if fenghuo.TaskClosed(r.State) {
			continue
		}
		who := "qx-duty"
		switch r.OwnerOrgID {
		case s.ids["qxwater"]:
			who = "water-rep"
		case s.ids["qxwaterauth"]:
			who = "waterauth"
		}
		s.at(after + time.Duration(i)*20*time.Minute)
		file := ""
		if len(r.Evidence) > 0 {
			file = "处置记录-" + r.StepID + ".txt"
		}
		if err := s.work(incidentID, r.PlaybookID, r.StepID, who, fenghuo.TaskDone, file, strings.Join(r.Evidence, "\n")+"\n已完成："+r.Title, "已完成"); err != nil {
			return err
		}
	}
	return nil
}

// work moves the incident's task of playbook/step to state as the account
// who, first attaching the evidence file (text) when one is named. Without
// an evidence store (a test app that configures none) a task that needs
// evidence stays in progress with the note.
func (s *story) work(incidentID int64, playbook, step, who, state, file, text, note string) error {
	ac := s.as[who]
	b, err := s.a.tasks.Tasks(s.ctx, ac, incidentID)
	if err != nil {
		return err
	}
	var row *task.Row
	for i := range b.Rows {
		if b.Rows[i].PlaybookID == playbook && b.Rows[i].StepID == step {
			row = &b.Rows[i]
		}
	}
	if row == nil {
		return fmt.Errorf("no task %s/%s on incident %d", playbook, step, incidentID)
	}
	if state == fenghuo.TaskDone && len(row.Evidence) > 0 {
		if file == "" || s.a.core.Config().EvidenceDir == "" {
			state = fenghuo.TaskInProgress
		} else {
			ev, err := s.a.incidents.AddEvidence(s.ctx, ac, incidentID, file, strings.NewReader(text), row.Evidence[0])
			if err != nil {
				return fmt.Errorf("evidence of %s: %w", step, err)
			}
			if _, err := s.a.tasks.Comment(s.ctx, ac, row.ID, "附："+row.Evidence[0], ev.ID); err != nil {
				return err
			}
		}
	}
	if _, err := s.a.tasks.SetState(s.ctx, ac, row.ID, state, note); err != nil {
		return fmt.Errorf("task %s/%s by %s: %w", playbook, step, who, err)
	}
	return nil
}
