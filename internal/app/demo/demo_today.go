package demo

// What the day looks like beside the county's warning and the city's
// protection period (issue 13 item 7): the county office's blue warning of
// a defacement and hidden-link campaign against school and hospital
// websites (what the demo's site farm then shows), issued two hours ago to
// the county's units with websites, half of them having acknowledged; and the Baisha county office's duty roster, so
// "who is on duty now" has names below the city (Qingxi county keeps its
// gap, see seedDemoDuty).

import (
	"context"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/period"
	"fenghuo/internal/app/warning"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
)

func (a *Service) seedDemoToday(ctx context.Context, ids map[string]int64) error {
	office := func(key string) (*app.Actor, error) { return a.demoActor(ctx, ids[key]) }
	county, err := office("qingxi")
	if err != nil {
		return err
	}
	clock := a.core.Clock()
	defer a.core.SetClock(clock)
	now := clock()
	at := func(d time.Duration) {
		t := now.Add(d)
		a.core.SetClock(func() time.Time { return t })
	}
	at(-2 * time.Hour)
	var targets []int64
	for _, key := range []string{"school1", "school2", "school3", "qxhospital", "qxgov", "qxwater"} {
		targets = append(targets, ids[key])
	}
	w, err := a.warnings.IssueWarning(ctx, county, warning.WarningInput{Color: fenghuo.ColorBlue, Category: "信息破坏事件",
		Title: "境外黑客组织针对教育、医疗网站篡改和植入暗链攻击活动", Scope: "全县教育、医疗和政务网站",
		Items:      "监测发现境外黑客组织利用网站后台弱口令和文件上传漏洞，批量篡改教育、医疗网站首页，或仅对搜索引擎爬虫植入赌博暗链。",
		Measures:   []fenghuo.Measure{{Text: "检查网站首页和源代码，排查暗链和WebShell", Hours: 8}, {Text: "修改后台口令，关闭不必要的上传功能", Hours: 24}},
		AckMinutes: 240, Targeting: fenghuo.Targeting{OrgIDs: targets}})
	if err != nil {
		return err
	}
	d, err := a.warnings.Warning(ctx, county, w.ID)
	if err != nil {
		return err
	}
	// Every other target acknowledges, the first within twenty minutes.
	for i, t := range d.Targets {
		if i%2 == 1 {
			continue
		}
		at(-100*time.Minute + time.Duration(i)*12*time.Minute)
		if _, err := a.warnings.AckFor(ctx, nil, t.ID, "单位联络员"); err != nil {
			return err
		}
	}
	a.core.SetClock(clock)
	baisha, err := office("baisha")
	if err != nil {
		return err
	}
	day := now.In(calendar.Shanghai)
	start := time.Date(day.Year(), day.Month(), day.Day(), 9, 0, 0, 0, calendar.Shanghai).AddDate(0, 0, -1)
	for i, who := range [][2]string{{"吴值班", "孙主任"}, {"郑值班", "曹主任"}, {"吴值班", "孙主任"}} {
		if _, err := a.periods.AddShift(ctx, baisha, period.ShiftInput{StartAt: start.AddDate(0, 0, i), EndAt: start.AddDate(0, 0, i+1),
			Officer: who[0], Leader: who[1], Phone: "0477-6581960"}); err != nil {
			return err
		}
	}
	return nil
}
