package demo

import (
	"context"
	"fmt"

	"fenghuo/internal/app"
	"fenghuo/internal/app/finding"
	"fenghuo/internal/app/risknotice"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// Risk notices (issue 12, P3): the city office's notice about WebLogic
// Server 12.2.1.3–12.2.1.4. Four systems are registered for it: two run an
// affected version (the city hospital's appointment system on 12.2.1.3.0,
// the county school's campus portal on 12.2.1.4), one does not (Baisha
// hospital's records system on 14.1.1.0), and the county data bureau's
// registry runs 12.2.1.4.0 and has answered "not affected" (patched without
// a version change). The Tomcat and older WebLogic systems of the region
// are not reached. The school's reporter account answers its own row (an
// "affected" answer raises its finding in the ledger).

// demoRiskSystems are the systems the notice is matched against, by org key.
var demoRiskSystems = []struct {
	org string
	sys demoSystem
}{
	{"hospital", demoSystem{name: "预约挂号系统", dept: "信息科", person: "周丽", level: 3, kinds: []fenghuo.KeyKind{fenghuo.KindImportantData},
		components: []string{"Oracle WebLogic Server 12.2.1.3.0", "Oracle Database 19.3"}}},
	{"school1", demoSystem{name: "智慧校园门户", dept: "信息中心", person: "秦雪", level: 2, kinds: []fenghuo.KeyKind{fenghuo.KindPublicInfo},
		components: []string{"WebLogic Server 12.2.1.4", "OpenSSL 1.1.1k"}}},
	{"qxgov", demoSystem{name: "不动产登记系统", dept: "数据科", person: "孔亮", level: 3, kinds: []fenghuo.KeyKind{fenghuo.KindImportantData},
		components: []string{"Oracle WebLogic Server 12.2.1.4.0"}}},
	{"bshospital", demoSystem{name: "电子病历系统", dept: "信息科", person: "华明", level: 3, kinds: []fenghuo.KeyKind{fenghuo.KindImportantData},
		components: []string{"Oracle WebLogic Server 14.1.1.0"}}},
}

// seedDemoRiskNotices registers the systems and has the city issue the
// notice through the risk notices capability; the data bureau answers.
func (a *Service) seedDemoRiskNotices(ctx context.Context, ids map[string]int64) error {
	err := a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		for i, r := range demoRiskSystems {
			s := r.sys.system(ids[r.org], 20+i)
			if err := tx.CreateSystem(ctx, &s); err != nil {
				return fmt.Errorf("demo system %s: %w", s.Name, err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	actor := func(key string, role fenghuo.Role, name string) (*app.Actor, error) {
		o, err := a.core.DB().Org(ctx, ids[key])
		if err != nil {
			return nil, err
		}
		return &app.Actor{User: fenghuo.User{Username: "demo", DisplayName: name, Roles: []fenghuo.Role{role}}, Org: *o, Via: "system"}, nil
	}
	city, err := actor("city", fenghuo.RoleCommander, "刘指挥")
	if err != nil {
		return err
	}
	notices := risknotice.New(a.core, finding.New(a.core))
	_, targets, err := notices.Issue(ctx, city, risknotice.Input{
		Title: "Oracle WebLogic Server 远程代码执行漏洞", Vendor: "Oracle", Product: "WebLogic Server",
		Ranges: "12.2.1.3 - 12.2.1.4", RefIDs: []string{"CVE-2020-14882", "CVE-2020-14883"},
		Description: "Oracle WebLogic Server 控制台组件存在未授权访问和远程代码执行漏洞，攻击者无需登录即可通过HTTP请求接管服务器，漏洞利用代码已公开。",
		Measures:    "1. 安装Oracle官方2020年10月关键补丁更新（CPU）；\n2. 暂时限制对/console路径的互联网访问；\n3. 排查服务器是否已被植入webshell。",
	})
	if err != nil {
		return fmt.Errorf("demo risk notice: %w", err)
	}
	gov, err := actor("qxgov", fenghuo.RoleUnitReporter, "孔亮")
	if err != nil {
		return err
	}
	for _, t := range targets {
		if t.OrgID == ids["qxgov"] {
			if _, err := notices.AnswerNotice(ctx, gov, t.ID, risknotice.Answer{Answer: fenghuo.RiskAnswerNotAffected,
				Note: "已于11月安装Oracle 2020年10月关键补丁（CPU），版本号未变，经厂商验证漏洞已修复"}); err != nil {
				return fmt.Errorf("demo risk notice answer: %w", err)
			}
		}
	}
	return nil
}
