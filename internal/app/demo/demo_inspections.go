package demo

// Inspection campaigns in the demo region (issue 12, P2).

import (
	"context"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/inspection"
	"fenghuo/internal/checklist"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// SetInspections gives the seeder the inspection capability, so that the
// demo has a campaign (wired in internal/app/services).
func (a *Service) SetInspections(s *inspection.Service) { a.inspections = s }

// seedDemoInspections has 青溪县委网信办 send the seed 000 self-inspection
// list to its operators before the winter protection period: the first
// middle school submits two non-compliant items and the county hospital
// one (findings for two units), the water company has answered part of it,
// the rest have not started.
func (a *Service) seedDemoInspections(ctx context.Context, ids map[string]int64) error {
	if a.inspections == nil {
		return nil
	}
	actorOf := func(key string, role fenghuo.Role, name string) (*app.Actor, error) {
		o, err := a.core.DB().Org(ctx, ids[key])
		if err != nil {
			return nil, err
		}
		return &app.Actor{User: fenghuo.User{Username: "demo", DisplayName: name, Roles: []fenghuo.Role{role}}, Org: *o, Via: "system"}, nil
	}
	qingxi, err := actorOf("qingxi", fenghuo.RoleCommander, "演示数据")
	if err != nil {
		return err
	}
	c, _, err := a.inspections.Issue(ctx, qingxi, inspection.CampaignInput{Kind: fenghuo.CampaignSelf,
		Title: "冬季重要保障期前网络安全自查", ChecklistID: "seed000-self-inspection", DueAt: a.core.Now().Add(10 * 24 * time.Hour)})
	if err != nil {
		return err
	}
	cl, err := checklist.BuiltinChecklist(c.ChecklistID)
	if err != nil {
		return err
	}
	answers := func(non map[string]string, systemID int64, upTo int) []inspection.AnswerInput {
		var out []inspection.AnswerInput
		for i, it := range cl.Items {
			if upTo > 0 && i >= upTo {
				break
			}
			a := inspection.AnswerInput{ItemID: it.ID, Answer: fenghuo.AnswerCompliant, Evidence: "已核查，记录见本单位运维台账"}
			if it.ID == "wlan" {
				a = inspection.AnswerInput{ItemID: it.ID, Answer: fenghuo.AnswerNotApplicable, Reason: "本单位未建设无线局域网"}
			}
			if note, ok := non[it.ID]; ok {
				a = inspection.AnswerInput{ItemID: it.ID, Answer: fenghuo.AnswerNonCompliant, Evidence: note, SystemID: systemID}
			}
			out = append(out, a)
		}
		return out
	}
	firstSystem := func(key string) int64 {
		res, err := a.core.DB().SubtreeSystems(ctx, ids[key], store.SystemFilter{OrgID: ids[key]}, store.Page{Limit: 1})
		if err != nil || len(res.Items) == 0 {
			return 0
		}
		return res.Items[0].ID
	}
	for _, u := range []struct {
		key, name string
		non       map[string]string
		system    bool
		upTo      int
		submit    bool
	}{
		{"school1", "朱报送", map[string]string{"weak-passwords": "教务系统后台管理员口令为admin123", "needless-ports-services": "服务器对外开放3389远程桌面"}, false, 0, true},
		{"qxhospital", "医院信息科", map[string]string{"unpatched-vulnerabilities": "HIS系统所在服务器未安装MS17-010补丁"}, true, 0, true},
		{"qxwater", "供排水公司信息员", nil, false, 6, false},
	} {
		ac, err := actorOf(u.key, fenghuo.RoleUnitReporter, u.name)
		if err != nil {
			return err
		}
		var sys int64
		if u.system {
			sys = firstSystem(u.key)
		}
		if _, err := a.inspections.Answer(ctx, ac, c.ID, ids[u.key], answers(u.non, sys, u.upTo), u.submit); err != nil {
			return err
		}
	}
	return nil
}
