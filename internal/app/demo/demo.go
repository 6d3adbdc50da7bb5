package demo

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/period"
	"fenghuo/internal/app/warning"
	"fenghuo/internal/auth"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// DemoAccount is one account the demo created, with its password, which is
// shown once and stored nowhere but as a hash.
type DemoAccount struct {
	Username string
	Password string
	Role     fenghuo.Role
	Org      string
}

// demoOrg describes an org of the demo region.
type demoOrg struct {
	key, parent string
	org         fenghuo.Org
	systems     []demoSystem
}

type demoSystem struct {
	name, dept, person string
	level              int
	cii                bool
	kinds              []fenghuo.KeyKind
	host               string
	extraPorts         []string
	components         []string
}

// SeedDemo fills an empty database with a believable fictional region:
// 云州市 with two counties (青溪县 governed by the Wushen county plan), its
// public security, monitoring centre, a broadcaster under the Dandong
// broadcast plan, hospitals, water, transport and schools, about forty
// systems, and one account per role. It refuses a database that already
// has organisations.
func (a *Service) SeedDemo(ctx context.Context) ([]DemoAccount, error) {
	if err := a.checkEmpty(ctx); err != nil {
		return nil, err
	}
	return a.seedDemo(ctx, 0)
}

// checkEmpty refuses a database that already has organisations.
func (a *Service) checkEmpty(ctx context.Context) error {
	existing, err := a.core.DB().CountOrgs(ctx)
	if err != nil {
		return err
	}
	if existing > 0 {
		return fenghuo.Errorf(fenghuo.ECONFLICT, "The database already has organisations: demo data is only seeded into an empty database. / 数据库非空，不能写入演示数据。")
	}
	return nil
}

// seedDemo seeds the city region with its city office under parent (0: a
// root; the province shape puts it under the province office).
func (a *Service) seedDemo(ctx context.Context, parent int64) ([]DemoAccount, error) {
	ac := app.SystemActor()
	ids := map[string]int64{}
	var accounts []DemoAccount
	err := a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		for _, d := range append(append(demoRegion(), demoDepartments()...), demoStoryOrgs()...) { // signals: + the county's departments; story: + its support team
			o := d.org
			o.ParentID = ids[d.parent]
			if d.parent == "" {
				o.ParentID = parent
			}
			if err := tx.CreateOrg(ctx, &o); err != nil {
				return fmt.Errorf("demo org %s: %w", o.Name, err)
			}
			ids[d.key] = o.ID
			for i, ds := range d.systems {
				s := ds.system(o.ID, i)
				if err := tx.CreateSystem(ctx, &s); err != nil {
					return fmt.Errorf("demo system %s: %w", s.Name, err)
				}
			}
		}
		if err := declareSupervisors(ctx, tx, ids); err != nil { // signals
			return err
		}
		for _, u := range append(append(demoUsers(), storyUsers()...), clockUsers()...) { // + the clocks' hospital (demo_clocks.go)
			pw := demoPassword()
			hash, err := auth.HashPassword(pw)
			if err != nil {
				return err
			}
			user := u.user
			user.OrgID = ids[u.org]
			user.PasswordHash = hash
			user.MustEnrollTOTP = user.IsAdmin()
			if err := tx.CreateUser(ctx, &user); err != nil {
				return fmt.Errorf("demo user %s: %w", user.Username, err)
			}
			accounts = append(accounts, DemoAccount{Username: user.Username, Password: pw, Role: user.Roles[0], Org: u.orgName})
		}
		return a.core.Record(ctx, tx, ac, "demo.seed", "", "", "success", map[string]int{"orgs": len(ids), "accounts": len(accounts)})
	})
	if err != nil {
		return nil, err
	}
	if err := a.seedDemoDuty(ctx, ids); err != nil {
		return nil, fmt.Errorf("demo warnings and periods: %w", err)
	}
	if err := a.seedDemoStory(ctx, ids); err != nil {
		return nil, err
	}
	// Open incidents with their clocks running (issue 13 item 7): demo_clocks.go.
	if err := a.seedDemoClocks(ctx, ids); err != nil {
		return nil, err
	}
	if err := a.seedDemoFindings(ctx, ids); err != nil { // findings ledger (issue 12, P1)
		return nil, fmt.Errorf("demo findings: %w", err)
	}
	if err := a.seedDemoRiskNotices(ctx, ids); err != nil { // risk notices (issue 12, P3)
		return nil, err
	}
	// Exposure checks (issue 12, P4): demo_exposure.go.
	if err := a.seedDemoExposure(ctx, ids); err != nil {
		return nil, fmt.Errorf("demo exposure checks: %w", err)
	}
	if err := a.seedDemoDrills(ctx, ids); err != nil { // drills, training and publicity (issue 12, P5)
		return nil, fmt.Errorf("demo drills: %w", err)
	}
	// Drill mode (issue 12 item 6): demo_drillruns.go.
	if err := a.seedDemoDrillRun(ctx, ids); err != nil {
		return nil, fmt.Errorf("demo drill run: %w", err)
	}
	if err := a.seedDemoInspections(ctx, ids); err != nil { // inspections (issue 12, P2)
		return nil, fmt.Errorf("demo inspections: %w", err)
	}
	// Alert intake (issue 14 item 8): demo_alerts.go.
	if _, err := a.seedDemoAlerts(ctx, ids); err != nil {
		return nil, fmt.Errorf("demo alerts: %w", err)
	}
	return accounts, nil
}

// demoActor is the demo seeding acting as a commander of the org id (every
// demo step goes through the use cases, audited as 演示数据).
func (a *Service) demoActor(ctx context.Context, orgID int64) (*app.Actor, error) {
	o, err := a.core.DB().Org(ctx, orgID)
	if err != nil {
		return nil, err
	}
	return &app.Actor{User: fenghuo.User{Username: "demo", DisplayName: "演示数据", Roles: []fenghuo.Role{fenghuo.RoleCommander}},
		Org: *o, Via: "system"}, nil
}

// seedDemoDuty adds what the day-to-day side looks like: the county's
// orange warning to its units running WebLogic (one acknowledged), a city
// protection period with a few days of daily reports (one unit late, one
// missing), and the city office's duty roster. The county has nobody
// rostered, so its duty page shows the gap the warning opens.
func (a *Service) seedDemoDuty(ctx context.Context, ids map[string]int64) error {
	office := func(key string) (*app.Actor, error) { return a.demoActor(ctx, ids[key]) }
	qingxi, err := office("qingxi")
	if err != nil {
		return err
	}
	w, err := a.warnings.IssueWarning(ctx, qingxi, warning.WarningInput{Color: fenghuo.ColorOrange, Category: "网络攻击事件",
		Title: "Oracle WebLogic Server 远程代码执行漏洞", Scope: "辖区内运行WebLogic的重要信息系统",
		Items:      "该漏洞已被公开利用，攻击者可通过T3/IIOP协议远程执行代码。",
		Measures:   []fenghuo.Measure{{Text: "排查WebLogic版本，安装官方补丁", Hours: 24}, {Text: "临时关闭对外T3/IIOP协议", Hours: 4}},
		AckMinutes: 120, Targeting: fenghuo.Targeting{Component: "weblogic", OrgIDs: []int64{ids["qxwater"]}}})
	if err != nil {
		return err
	}
	if d, err := a.warnings.Warning(ctx, qingxi, w.ID); err == nil && len(d.Targets) > 0 {
		if _, err := a.warnings.AckFor(ctx, nil, d.Targets[0].ID, "何平"); err != nil {
			return err
		}
	}
	city, err := office("city")
	if err != nil {
		return err
	}
	now := a.core.Now().In(calendar.Shanghai)
	p, err := a.periods.CreatePeriod(ctx, city, period.PeriodInput{Name: "冬季重要保障期", FirstDay: now.AddDate(0, 0, -3).Format(period.DayLayout),
		LastDay: now.AddDate(0, 0, 10).Format(period.DayLayout), Cutoff: "13:00", LeaderDuty: true, RoundClock: true})
	if err != nil {
		return err
	}
	// Three closed days of reports: all on time but one late and one missing.
	err = a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		obs, err := tx.ObligationsBySubject(ctx, "daily_report", p.ID)
		if err != nil {
			return err
		}
		today := now.Format(period.DayLayout)
		for i, o := range obs {
			due := o.DueAt
			at := due.Add(-time.Duration(90+i%120) * time.Minute)
			switch {
			case o.RuleID == today:
				// Today (issue 13 item 7): two units in three have filed by
				// now, the rest are missing, whatever the hour.
				if i%3 == 0 {
					continue
				}
				if latest := a.core.Now().Add(-time.Duration(1+i%50) * time.Minute); at.After(latest) {
					at = latest
				}
			case !due.Before(a.core.Now()):
				continue
			case i%11 == 3:
				at = due.Add(25 * time.Minute)
			case i%11 == 7:
				continue
			}
			r := &fenghuo.DailyReport{PeriodID: p.ID, OrgID: o.OwnerOrgID, Day: o.RuleID, Quiet: true, SubmittedAt: at,
				SubmittedBy: "单位联络员", Late: at.After(due)}
			if err := tx.SaveDailyReport(ctx, r); err != nil {
				return err
			}
			o.Complete(at, "平安")
			if err := tx.UpdateObligation(ctx, &o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	// From yesterday's 8:30 handover, so someone is on duty whatever the
	// hour the demo starts (issue 13 item 7).
	start := time.Date(now.Year(), now.Month(), now.Day(), 8, 30, 0, 0, calendar.Shanghai).AddDate(0, 0, -1)
	for i, who := range [][2]string{{"周值班", "王主任"}, {"林值班", "刘指挥"}, {"赵值班", "王主任"}} {
		if _, err := a.periods.AddShift(ctx, city, period.ShiftInput{StartAt: start.AddDate(0, 0, i), EndAt: start.AddDate(0, 0, i+1),
			Officer: who[0], Leader: who[1], Phone: "0477-8000110"}); err != nil {
			return err
		}
	}
	return a.seedDemoToday(ctx, ids) // demo_today.go
}

// demoPassword makes a random password that passes the policy: four groups
// of letters and digits joined by hyphens.
func demoPassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	for {
		b := make([]byte, 0, 23)
		for i := 0; i < 20; i++ {
			if i > 0 && i%5 == 0 {
				b = append(b, '-')
			}
			n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
			b = append(b, alphabet[n.Int64()])
		}
		if auth.CheckPassword(string(b)) == nil {
			return string(b)
		}
	}
}

func (d demoSystem) system(orgID int64, i int) fenghuo.System {
	s := fenghuo.System{
		OrgID: orgID, Name: d.name, Department: d.dept, ResponsiblePerson: d.person,
		ResponsiblePhone: fmt.Sprintf("1390477%04d", 1000+int(orgID)*10+i), ProtectionLevel: d.level,
		CII: d.cii, KeyKinds: d.kinds, Status: "active",
		Description: d.name + "，由" + d.dept + "负责运行维护。",
	}
	if d.host != "" {
		s.Exposure = append(s.Exposure,
			fenghuo.Exposure{Kind: "domain", Value: d.host},
			fenghuo.Exposure{Kind: "url", Value: "https://" + d.host + "/"},
			fenghuo.Exposure{Kind: "ip", Value: fmt.Sprintf("198.51.100.%d", 10+int(orgID)*3+i)},
			fenghuo.Exposure{Kind: "port", Value: "443"})
	}
	for _, p := range d.extraPorts {
		s.Exposure = append(s.Exposure, fenghuo.Exposure{Kind: "port", Value: p})
	}
	for _, c := range d.components {
		name, version := splitComponent(c)
		s.Components = append(s.Components, fenghuo.Component{Name: name, Version: version})
	}
	return s
}

// splitComponent splits "Apache Struts2 2.5.10" into name and version.
func splitComponent(c string) (string, string) {
	for i := len(c) - 1; i > 0; i-- {
		if c[i] == ' ' {
			if v := c[i+1:]; v != "" && v[0] >= '0' && v[0] <= '9' {
				return c[:i], v
			}
			break
		}
	}
	return c, ""
}
