package demo

// Inspection campaigns in the demo region (issue 12, P2).

import (
	"context"
	"fmt"
	"strings"
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
// the rest have not started. The files that prove compliant answers (the
// items with evidence_file) are uploaded as short text records; an app
// without an evidence store (some tests) cannot prove them, so there the
// units answer only what needs no file and nobody submits. A second
// campaign, the ransomware hardening list, was closed early by the county
// with a reason: the first middle school submitted, the others are 未完成.
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
	files := a.core.Config().EvidenceDir != ""
	answers := func(cl *checklist.Checklist, non map[string]string, systemID int64, upTo int) ([]inspection.AnswerInput, []inspection.Upload) {
		var out []inspection.AnswerInput
		var ups []inspection.Upload
		for i, it := range cl.Items {
			if upTo > 0 && i >= upTo {
				break
			}
			if _, bad := non[it.ID]; it.EvidenceFile && !bad {
				if !files {
					continue
				}
				ups = append(ups, inspection.Upload{ItemID: it.ID, Filename: it.ID + ".txt", Note: it.Evidence.ZH,
					Body: strings.NewReader(fmt.Sprintf("%s\n核查项：%s\n核查方法：%s\n结论：符合\n", cl.Title.ZH, it.Text.ZH, it.Verify.ZH))})
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
		return out, ups
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
		ans, ups := answers(cl, u.non, sys, u.upTo)
		if _, err := a.inspections.AnswerWithFiles(ctx, ac, c.ID, ids[u.key], ans, ups, u.submit && files); err != nil {
			return err
		}
	}
	return a.seedDemoClosedInspection(ctx, qingxi, ids, actorOf, answers)
}

// seedDemoClosedInspection: 青溪县委网信办's ransomware hardening check,
// closed early with a reason after the first middle school submitted.
func (a *Service) seedDemoClosedInspection(ctx context.Context, qingxi *app.Actor, ids map[string]int64,
	actorOf func(string, fenghuo.Role, string) (*app.Actor, error),
	answers func(*checklist.Checklist, map[string]string, int64, int) ([]inspection.AnswerInput, []inspection.Upload)) error {
	c, _, err := a.inspections.Issue(ctx, qingxi, inspection.CampaignInput{Kind: fenghuo.CampaignSelf,
		Title: "勒索病毒安全防范排查", ChecklistID: "seed004-ransomware-hardening", DueAt: a.core.Now().Add(5 * 24 * time.Hour)})
	if err != nil {
		return err
	}
	cl, err := checklist.BuiltinChecklist(c.ChecklistID)
	if err != nil {
		return err
	}
	ac, err := actorOf("school1", fenghuo.RoleUnitReporter, "朱报送")
	if err != nil {
		return err
	}
	ans, ups := answers(cl, map[string]string{"offline-backups": "学籍数据仅有在线备份，无离线和异地备份"}, 0, 0)
	if _, err := a.inspections.AnswerWithFiles(ctx, ac, c.ID, ids["school1"], ans, ups, a.core.Config().EvidenceDir != ""); err != nil {
		return err
	}
	_, err = a.inspections.Close(ctx, qingxi, c.ID, "市委网信办要求提前汇总排查情况，未提交单位记为未完成并另行督办")
	return err
}
