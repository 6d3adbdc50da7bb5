package demo

// Demo drills, training and publicity (issue 12, P5): a few units have
// filed this year's drill (one with its playbook), offices and units have
// recorded training and publicity, so the drill and score card pages have
// something to show; the others are left to be listed from 1 December.

import (
	"context"
	"fmt"
	"strings"

	"fenghuo/internal/app"
	"fenghuo/internal/app/drill"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// SetDrills gives the seeder the drill capability (services wires it);
// without it no demo drills are seeded.
func (a *Service) SetDrills(d *drill.Service) { a.drills = d }

type demoDrill struct {
	unit, kind, title, participants, scenario, result, improvements string
	headcount, daysAgo                                              int
	playbook                                                        bool
}

func demoDrills() []demoDrill {
	return []demoDrill{
		{"qxwater", fenghuo.DrillLive, "供水监控系统勒索病毒应急演练", "信息中心、调度中心、运维厂商", "调度服务器被勒索病毒加密，监控画面中断",
			"45分钟内完成初报并切换至手动调度；离线备份恢复用时超出预期。", "增加离线备份恢复演练频次，明确恢复负责人。", 18, 40, true},
		{"qxhospital", fenghuo.DrillTabletop, "HIS系统数据泄露桌面推演", "信息科、医务科、院办", "HIS数据库疑似被拖库，患者信息在网上出售",
			"流程清楚，但对外发布口径和报告时限不熟悉。", "组织报告时限专题培训。", 12, 75, false},
		{"school1", fenghuo.DrillTechnical, "门户网站篡改处置技术演练", "信息中心", "门户网站首页被篡改",
			"20分钟内下线页面并恢复，监测告警及时。", "", 6, 20, false},
	}
}

type demoActivity struct {
	org, category, kind, audience, summary string
	count, daysAgo                         int
}

func demoActivities() []demoActivity {
	return []demoActivity{
		{"qingxi", fenghuo.ActivityTraining, "专业技术培训", "各单位网络安全负责人", "网络安全事件分级、报告时限与处置流程", 46, 90},
		{"qingxi", fenghuo.ActivityPublicity, "网络安全宣传周", "社会公众", "发放宣传册，开展防范电信网络诈骗讲座", 1200, 80},
		{"qxhospital", fenghuo.ActivityTraining, "领导干部应急知识培训", "院领导班子及科室主任", "网络安全法律法规与应急预案", 28, 30},
	}
}

// seedDemoDrills files the demo drills and activities as each org's own
// commander, through the drill capability.
func (a *Service) seedDemoDrills(ctx context.Context, ids map[string]int64) error {
	if a.drills == nil {
		return nil
	}
	actorAt := func(orgID int64) (*app.Actor, error) { return a.demoActor(ctx, orgID) }
	now := a.core.Now()
	for _, d := range demoDrills() {
		id, ok := ids[d.unit]
		if !ok {
			continue
		}
		ac, err := actorAt(id)
		if err != nil {
			return err
		}
		in := drill.DrillInput{OrgID: id, Kind: d.kind, HeldOn: now.AddDate(0, 0, -d.daysAgo), Title: d.title,
			Participants: d.participants, Headcount: d.headcount, Scenario: d.scenario, Result: d.result, Improvements: d.improvements}
		err = a.core.DB().View(ctx, func(tx *store.Tx) error {
			plans, err := a.core.GoverningPlans(ctx, tx, id)
			if err != nil || len(plans) == 0 {
				return err
			}
			in.PlanID = plans[0].ID
			if d.playbook && len(plans[0].Playbooks) > 0 {
				in.PlaybookID = plans[0].Playbooks[0].ID
			}
			return nil
		})
		if err != nil {
			return err
		}
		if in.PlanID == "" {
			continue
		}
		in.Filename = "演练总结.txt"
		in.File = strings.NewReader(fmt.Sprintf("%s\n演练场景：%s\n总结：%s\n", d.title, d.scenario, d.result))
		if a.core.Config().EvidenceDir == "" {
			in.Filename, in.File = "", nil
		}
		if _, err := a.drills.RecordDrill(ctx, ac, in); err != nil {
			return fmt.Errorf("demo drill %s: %w", d.title, err)
		}
	}
	for _, x := range demoActivities() {
		id, ok := ids[x.org]
		if !ok {
			continue
		}
		ac, err := actorAt(id)
		if err != nil {
			return err
		}
		if _, err := a.drills.RecordActivity(ctx, ac, drill.ActivityInput{OrgID: id, Category: x.category,
			HeldOn: now.AddDate(0, 0, -x.daysAgo), Kind: x.kind, Audience: x.audience, Count: x.count, Summary: x.summary}); err != nil {
			return fmt.Errorf("demo activity %s: %w", x.kind, err)
		}
	}
	return nil
}
