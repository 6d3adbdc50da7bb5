package demo

// Open incidents with their clocks running (issue 13 item 7): what a duty
// office meets on an ordinary afternoon, beside the story's ransomware
// response (whose level II situation report — the continued report — is
// pending) and the year of history. In the Qingxi county subtree, so the
// county office, the city office and the units all see them:
//
//   - 青溪县人民医院: grade I, phoned in to the county duty line 80 minutes
//     ago; the written initial report was due 50 minutes after discovery
//     and is overdue (red).
//   - 青溪县第一中学: grade II discovered 70 minutes ago; its initial report
//     is due within the hour (the reporter account's first screen).
//   - 青溪县第二中学: grade II reported and received by the county office,
//     whose forwarding to the city is pending.
//   - 青溪县实验小学: a defacement closed three hours ago after its final
//     report.
//
// Each step goes through the incident use cases with the clock set to its
// time, as the story does.

import (
	"context"
	"fmt"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/incident"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// ClockIncidents is how many incidents seedDemoClocks opens.
const ClockIncidents = 4

// clockUsers are the accounts of the clocks' units beside the region's.
func clockUsers() []demoUser {
	return []demoUser{{user: fenghuo.User{Username: "hospital-rep", DisplayName: "何平", Roles: []fenghuo.Role{fenghuo.RoleUnitReporter},
		Email: "hospital-rep@demo.fenghuo.local"}, org: "qxhospital", orgName: "青溪县人民医院"}}
}

// clocks is one seeding of the open incidents.
type clocks struct {
	a     *Service
	ctx   context.Context
	start time.Time
	ids   map[string]int64
}

func (c *clocks) at(d time.Duration) {
	t := c.start.Add(d)
	c.a.core.SetClock(func() time.Time { return t })
}

// actor is a demo account, or, for a unit without one, its liaison acting
// through the seeder.
func (c *clocks) actor(username, orgKey, name string) (*app.Actor, error) {
	o, err := c.a.core.DB().Org(c.ctx, c.ids[orgKey])
	if err != nil {
		return nil, err
	}
	if username != "" {
		u, err := c.a.core.DB().UserByUsername(c.ctx, username)
		if err != nil {
			return nil, fmt.Errorf("demo account %s: %w", username, err)
		}
		return &app.Actor{User: *u, Org: *o, Via: "system"}, nil
	}
	return &app.Actor{User: fenghuo.User{Username: "demo", DisplayName: name, Roles: []fenghuo.Role{fenghuo.RoleUnitReporter}},
		Org: *o, Via: "system"}, nil
}

// firstSystem is the first system of a unit.
func (c *clocks) firstSystem(orgKey string) []int64 {
	res, err := c.a.core.DB().SubtreeSystems(c.ctx, c.ids[orgKey], store.SystemFilter{OrgID: c.ids[orgKey]}, store.Page{Limit: 1})
	if err != nil || len(res.Items) == 0 {
		return nil
	}
	return []int64{res.Items[0].ID}
}

// report files a report of kind with the form's fields of that stage
// filled from text, the rest saying where the detail is.
func (c *clocks) report(ac *app.Actor, id int64, kind string, text map[string]string, reporter, phone string) error {
	fields, err := c.a.incidents.ReportForm(c.ctx, ac, id)
	if err != nil {
		return err
	}
	content := map[string]string{}
	for _, f := range fields {
		if stageRank[f.Stage] > stageRank[kind] {
			continue
		}
		if v := text[f.ID]; v != "" {
			content[f.ID] = v
		} else {
			content[f.ID] = "详见附件"
		}
	}
	_, err = c.a.incidents.SubmitReport(c.ctx, ac, id, incident.ReportInput{Kind: kind, Content: content,
		Signer: "单位负责人", ReporterName: reporter, ReporterPhone: phone})
	return err
}

var stageRank = map[string]int{fenghuo.ReportInitial: 1, fenghuo.ReportFollowUp: 2, fenghuo.ReportFinal: 3}

// create opens an incident and checks it got the grade the clock needs.
func (c *clocks) create(ac *app.Actor, in incident.IncidentInput, want fenghuo.Grade) (*fenghuo.Incident, error) {
	inc, err := c.a.incidents.CreateIncident(c.ctx, ac, in)
	if err != nil {
		return nil, fmt.Errorf("incident %q: %w", in.Title, err)
	}
	if inc.Grade != want {
		return nil, fmt.Errorf("incident %q graded %s, the demo needs %s", inc.Title, inc.Grade, want)
	}
	return inc, nil
}

func (c *clocks) when(d time.Duration) string {
	return c.start.Add(d).In(calendar.Shanghai).Format("2006-01-02 15:04")
}

// seedDemoClocks opens the incidents with their clocks running.
func (a *Service) seedDemoClocks(ctx context.Context, ids map[string]int64) error {
	clock := a.core.Clock()
	defer a.core.SetClock(clock)
	c := &clocks{a: a, ctx: ctx, start: clock().Truncate(time.Minute), ids: ids}
	for _, step := range []func() error{c.overdueGradeI, c.dueWithinTheHour, c.awaitingForward, c.closedToday} {
		if err := step(); err != nil {
			return fmt.Errorf("demo clocks: %w", err)
		}
	}
	return nil
}

// overdueGradeI: the hospital phoned the county duty line; its written
// initial report is overdue.
func (c *clocks) overdueGradeI() error {
	county, err := c.actor("qx-duty", "qingxi", "")
	if err != nil {
		return err
	}
	c.at(-70 * time.Minute)
	what := "医院信息系统（HIS）服务器被勒索病毒加密，门诊挂号、收费、药房发药全部中断，急诊转为手工登记"
	_, err = c.create(county, incident.IncidentInput{OrgID: c.ids["qxhospital"], SystemIDs: c.firstSystem("qxhospital"),
		Title: "青溪县人民医院HIS系统遭勒索病毒攻击致全院停诊", Category: "OMI",
		OccurredAt: c.start.Add(-95 * time.Minute), DiscoveredAt: c.start.Add(-80 * time.Minute),
		Facts:       plan.Facts{"system_loss": "especially_serious", "social_impact": "especially_serious", "cii": true},
		Description: what, Impact: "全县唯一二级甲等医院门诊停诊，约2000名候诊群众受影响，急诊手工登记",
		Measures: "已断开HIS服务器网络，启用手工登记流程", Channel: fenghuo.ChannelPhone, Caller: "何平（青溪县人民医院信息科）13904775678"},
		fenghuo.GradeI)
	return err
}

// dueWithinTheHour: the first middle school's grade II incident, entered
// by its reporter, initial report not yet filed.
func (c *clocks) dueWithinTheHour() error {
	rep, err := c.actor("reporter", "school1", "")
	if err != nil {
		return err
	}
	c.at(-62 * time.Minute)
	_, err = c.create(rep, incident.IncidentInput{OrgID: c.ids["school1"], SystemIDs: c.firstSystem("school1"),
		Title: "青溪一中学籍与成绩管理系统数据库被加密", Category: "OMI",
		OccurredAt: c.start.Add(-80 * time.Minute), DiscoveredAt: c.start.Add(-70 * time.Minute),
		Facts:       plan.Facts{"important_system": true, "outage_minutes": 90.0, "people_affected": 150000.0},
		Description: "教务处发现学籍与成绩管理系统数据库文件被加密，系统无法登录，服务器出现勒索信",
		Impact:      "全县中小学学籍和成绩查询、期末考试成绩录入中断", Measures: "已断网隔离服务器，保护现场", Channel: fenghuo.ChannelUnit},
		fenghuo.GradeII)
	return err
}

// awaitingForward: the second middle school's ransomware, reported and
// received; the county office has yet to forward it up.
func (c *clocks) awaitingForward() error {
	unit, err := c.actor("", "school2", "尤佳")
	if err != nil {
		return err
	}
	county, err := c.actor("qx-duty", "qingxi", "")
	if err != nil {
		return err
	}
	c.at(-100 * time.Minute)
	what := "学校服务器被勒索病毒加密，在线教学平台和校园网站后台无法使用，服务器出现勒索信"
	inc, err := c.create(unit, incident.IncidentInput{OrgID: c.ids["school2"], SystemIDs: c.firstSystem("school2"),
		Title: "青溪二中服务器遭勒索病毒攻击致在线教学中断", Category: "OMI",
		OccurredAt: c.start.Add(-115 * time.Minute), DiscoveredAt: c.start.Add(-110 * time.Minute),
		Facts:       plan.Facts{"important_system": true, "outage_minutes": 90.0, "people_affected": 150000.0},
		Description: what, Impact: "全校约2400名学生在线教学和作业提交中断", Measures: "已断网隔离服务器，保护现场",
		Channel: fenghuo.ChannelUnit}, fenghuo.GradeII)
	if err != nil {
		return err
	}
	c.at(-80 * time.Minute)
	if err := c.report(unit, inc.ID, fenghuo.ReportInitial, map[string]string{
		"unit": "青溪县第二中学", "unit_and_system": "青溪县第二中学，青溪二中校园网站及在线教学平台",
		"event_details": what, "description": what, "occurred_time": c.when(-115 * time.Minute), "occurred_at": c.when(-115 * time.Minute),
		"measures": "断网隔离服务器，保护现场，向县公安局报案", "further_measures": "从离线备份恢复教学平台，排查其他服务器",
		"reporting_unit": "青溪县第二中学", "reporter": "尤佳", "phone": "13904776020",
	}, "尤佳", "13904776020"); err != nil {
		return fmt.Errorf("initial report of %q: %w", inc.Title, err)
	}
	c.at(-30 * time.Minute)
	res, err := c.a.incidents.Inbox(c.ctx, county, store.Page{Limit: 50})
	if err != nil {
		return err
	}
	for _, d := range res.Items {
		if d.IncidentID == inc.ID && d.ReceivedAt.IsZero() {
			if err := c.a.incidents.ReceiveReport(c.ctx, county, d.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// closedToday: the primary school's defaced page, handled and
// closed after its final report.
func (c *clocks) closedToday() error {
	unit, err := c.actor("", "school3", "许静")
	if err != nil {
		return err
	}
	c.at(-27 * time.Hour)
	what := "学校网站首页被篡改为境外黑客组织宣传页面，约40分钟后恢复"
	inc, err := c.create(unit, incident.IncidentInput{OrgID: c.ids["school3"], SystemIDs: c.firstSystem("school3"),
		Title: "青溪实验小学网站首页被篡改", Category: "IAI",
		OccurredAt: c.start.Add(-28 * time.Hour), DiscoveredAt: c.start.Add(-27*time.Hour - 20*time.Minute),
		Facts:       plan.Facts{"social_impact": "general", "defacement_homepage_minutes": 40.0},
		Description: what, Impact: "网站首页约40分钟显示非法内容", Measures: "已关闭网站，从备份恢复页面", Channel: fenghuo.ChannelUnit},
		fenghuo.GradeIII)
	if err != nil {
		return err
	}
	text := map[string]string{"unit": "青溪县实验小学", "event_details": what, "description": what,
		"occurred_time": c.when(-28 * time.Hour), "occurred_at": c.when(-28 * time.Hour),
		"measures": "关闭网站，从备份恢复页面，修补后台上传漏洞", "reporting_unit": "青溪县实验小学", "reporter": "许静", "phone": "13904776030"}
	c.at(-26*time.Hour - 30*time.Minute)
	if err := c.report(unit, inc.ID, fenghuo.ReportInitial, text, "许静", "13904776030"); err != nil {
		return fmt.Errorf("initial report of %q: %w", inc.Title, err)
	}
	c.at(-4 * time.Hour)
	text["cause"] = "网站后台文件上传功能未校验文件类型，被上传WebShell后篡改首页"
	if err := c.report(unit, inc.ID, fenghuo.ReportFinal, text, "许静", "13904776030"); err != nil {
		return fmt.Errorf("final report of %q: %w", inc.Title, err)
	}
	c.at(-3 * time.Hour)
	if _, err := c.a.incidents.Transition(c.ctx, unit, inc.ID, fenghuo.StatusClosed, "已恢复，漏洞已修补"); err != nil {
		return fmt.Errorf("closing %q: %w", inc.Title, err)
	}
	return nil
}
