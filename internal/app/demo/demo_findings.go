package demo

// Demo findings (issue 12, P1): a ledger the prevention pages can show on a
// fresh demo, raised through the findings capability like real ones.

import (
	"context"
	"fmt"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/finding"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// SetFindings gives the seeder the findings capability (services wires
// it); without it no demo findings are seeded.
func (a *Service) SetFindings(f *finding.Service) { a.findings = f }

type demoFinding struct {
	unit, system, source, ref, key, title, detail, severity string
	// then: "" (left open), "start" (being fixed), "accept" (risk
	// accepted by the office above for 90 days).
	then string
}

func demoFindings() []demoFinding {
	return []demoFinding{
		{"qxwater", "青溪县供水监控系统", fenghuo.FindingSourceExposure, "暴露面检测 2026-11", "port/3389",
			"供水监控系统远程桌面端口（3389）暴露在互联网", "互联网可直接访问工控上位机的远程桌面服务。", fenghuo.SeverityCritical, "start"},
		{"qxwater", "青溪县供水监控系统", fenghuo.FindingSourceInspection, "网络安全检查 2026", "os/windows7",
			"工控上位机使用已停止支持的Windows 7", "操作系统已停止安全更新，需升级或采取隔离措施。", fenghuo.SeverityHigh, "accept"},
		{"qxhospital", "青溪县人民医院HIS系统", fenghuo.FindingSourceRiskNotice, "WebLogic远程代码执行漏洞预警", "cve/weblogic-t3",
			"HIS系统WebLogic存在远程代码执行漏洞", "WebLogic 12.2.1 未安装官方补丁，T3协议对外开放。", fenghuo.SeverityCritical, ""},
		{"qxgov", "青溪县政务服务网", fenghuo.FindingSourceInspection, "网络安全检查 2026", "auth/weak-password",
			"政务服务网后台管理账号使用弱口令", "后台管理账号口令为常见弱口令。", fenghuo.SeverityHigh, "start"},
		{"school1", "学籍与成绩管理系统", fenghuo.FindingSourceInspection, "网络安全检查 2026", "backup/none",
			"学籍系统数据库无离线备份", "数据库仅有本机备份，未做离线或异地备份。", fenghuo.SeverityMedium, ""},
		{"bshospital", "白沙县中心医院HIS系统", fenghuo.FindingSourceAftermath, "勒索病毒事件复盘", "patch/jboss",
			"HIS系统JBoss版本过旧，存在反序列化漏洞", "事件复盘发现中间件长期未升级。", fenghuo.SeverityHigh, ""},
		{"bsheat", "供热管网监控系统", fenghuo.FindingSourceMonitoring, "监测告警", "port/102",
			"供热监控系统S7协议端口（102）对外开放", "监测发现S7comm端口可从互联网访问。", fenghuo.SeverityCritical, ""},
		{"hospital", "影像归档和通信系统（PACS）", fenghuo.FindingSourceExternal, "市公安局网安支队通报", "external/pacs-dicom",
			"PACS系统DICOM端口（104）对外开放", "网安支队通报：PACS可被未授权查询患者影像。", fenghuo.SeverityHigh, ""},
		{"transport", "公交智能调度系统", fenghuo.FindingSourceInspection, "网络安全检查 2026", "log/retention",
			"调度系统日志留存不足六个月", "网络日志仅保留30天，不满足留存六个月的要求。", fenghuo.SeverityLow, ""},
	}
}

// seedDemoFindings raises the demo findings as the office above each unit,
// starts work on some and accepts the risk of one.
func (a *Service) seedDemoFindings(ctx context.Context, ids map[string]int64) error {
	if a.findings == nil {
		return nil
	}
	actorAt := func(orgID int64) (*app.Actor, error) { return a.demoActor(ctx, orgID) }
	for _, d := range demoFindings() {
		unit, err := a.core.DB().Org(ctx, ids[d.unit])
		if err != nil {
			return err
		}
		office, err := actorAt(unit.ParentID)
		if err != nil {
			return err
		}
		var systemID int64
		res, err := a.core.DB().SubtreeSystems(ctx, unit.ID, store.SystemFilter{OrgID: unit.ID, Query: d.system}, store.Page{Limit: 1})
		if err != nil {
			return err
		}
		if len(res.Items) > 0 {
			systemID = res.Items[0].ID
		}
		var f *fenghuo.Finding
		in := finding.Input{OrgID: unit.ID, SystemID: systemID, Source: d.source, SourceRef: d.ref, Key: d.key,
			Title: d.title, Detail: d.detail, Severity: d.severity}
		if d.source == fenghuo.FindingSourceExternal {
			f, err = a.findings.RaiseManual(ctx, office, finding.ManualInput{OrgID: unit.ID, SystemID: systemID,
				Title: d.title, Detail: d.detail, Severity: d.severity, Reference: d.ref})
		} else {
			err = a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
				var err error
				f, _, err = a.findings.RaiseTx(ctx, tx, office, in)
				return err
			})
		}
		if err != nil {
			return fmt.Errorf("demo finding %s: %w", d.title, err)
		}
		switch d.then {
		case "start":
			unitActor, err := actorAt(unit.ID)
			if err != nil {
				return err
			}
			if _, err := a.findings.Start(ctx, unitActor, f.ID, 0, "已安排技术人员整改"); err != nil {
				return err
			}
		case "accept":
			until := a.core.Now().Add(90 * 24 * time.Hour)
			if _, err := a.findings.Accept(ctx, office, f.ID, "工控上位机升级需停产检修，已物理隔离并加装白名单，检修期内完成升级", until); err != nil {
				return err
			}
		}
	}
	return nil
}
