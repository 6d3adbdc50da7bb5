package demo

// Website monitors on the demo's site farm (issue 13 item 7). serve --demo
// starts the farm (internal/demofarm) on loopback; the seeder watches each
// farm site as the website of a demo system and runs half an hour of checks
// in the past, with the application's clock moved back, so the monitors
// have learnt their baselines and have a history of up-checks. Then the
// farm is attacked: the live monitor loop's first checks, due at start,
// find the defacement, the hidden link served to Baiduspider and the
// outage, and a minute later (the confirming re-fetch) open their drafts.

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/monitoring"
	"fenghuo/internal/demofarm"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/monitor"
	"fenghuo/internal/store"
)

// SetMonitoring gives the seeder the monitoring capability (wired in
// services, after both exist).
func (a *Service) SetMonitoring(m *monitoring.Service) { a.monitoring = m }

// farmSystems names the demo system each farm site stands for.
var farmSystems = map[string]string{
	demofarm.Normal:  "云州市人民政府门户网站",
	demofarm.Defaced: "青溪县教育体育局网站",
	demofarm.Cloaked: "青溪二中校园网站",
	demofarm.Down:    "青溪县人民医院网站",
}

// FarmSystem is the name of the demo system a farm site stands for.
func FarmSystem(key string) string { return farmSystems[key] }

const (
	// FarmInterval is how often the demo's monitors check their sites.
	FarmInterval = time.Minute
	// farmHistory is how much check history the seeder makes up.
	farmHistory = 30 * time.Minute
)

// SeedDemoMonitors watches the farm's sites (through the monitoring use
// case, as the city office) and runs their past checks against the clean
// sites. Call it once, after SeedDemo, before the farm is attacked.
func (a *Service) SeedDemoMonitors(ctx context.Context, sites []demofarm.Site) error {
	if a.monitoring == nil {
		return fmt.Errorf("demo monitors: the monitoring capability is not wired (services.New calls SetMonitoring)")
	}
	// Each farm system by its name (a province's 50,000 systems are more
	// than one list page).
	byName := map[string]fenghuo.System{}
	for _, name := range farmSystems {
		systems, err := a.core.DB().SubtreeSystems(ctx, 0, store.SystemFilter{Query: name}, store.Page{Limit: store.MaxLimit})
		if err != nil {
			return err
		}
		for _, s := range systems.Items {
			if s.Name == name {
				byName[s.Name] = s
			}
		}
	}
	city, err := a.rootOffice(ctx)
	if err != nil {
		return err
	}
	clock := a.core.Clock()
	defer a.core.SetClock(clock)
	now := clock().Truncate(time.Second)
	start := now.Add(-farmHistory)
	a.core.SetClock(func() time.Time { return start })
	for _, site := range sites {
		sys, ok := byName[farmSystems[site.Key]]
		if !ok {
			return fmt.Errorf("demo monitors: no demo system %q for farm site %s", farmSystems[site.Key], site.Key)
		}
		if _, err := a.monitoring.CreateMonitor(ctx, city, monitoring.MonitorSpec{SystemID: sys.ID, URL: site.URL,
			Interval: FarmInterval, Content: true}); err != nil {
			return fmt.Errorf("demo monitor of %s: %w", sys.Name, err)
		}
	}
	// The past checks, one round a minute; the last round leaves every
	// monitor due now, so the live loop checks the attacked farm at once.
	at := start
	checker := &monitor.Service{DB: a.core.DB(), Sink: a.monitoring.MonitorSink(), Client: monitor.NewClient(5*time.Second, nil, true), // the demo farm listens on loopback
		Now: func() time.Time { return at }, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for ; !at.After(now.Add(-FarmInterval)); at = at.Add(FarmInterval) {
		a.core.SetClock(func() time.Time { return at })
		if _, err := checker.RunOnce(ctx); err != nil {
			return fmt.Errorf("demo monitors, checks at %s: %w", at.Format(time.RFC3339), err)
		}
	}
	return nil
}

// FarmAddresses returns the loopback address each farm site had when its
// monitor was created (by site key), so a restarted farm can take the same
// ports and the stored monitors still reach it.
func (a *Service) FarmAddresses(ctx context.Context) (map[string]string, error) {
	ms, err := a.core.DB().MonitorsOf(ctx, "")
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, m := range ms {
		u, err := url.Parse(m.URL)
		if err != nil || u.Hostname() != "127.0.0.1" {
			continue
		}
		for _, key := range demofarm.Keys {
			if u.Path == "/"+key+"/" {
				out[key] = u.Host
			}
		}
	}
	return out, nil
}

// rootOffice is the demo region's city office as the seeder acts for it
// (see seedDemoDuty).
func (a *Service) rootOffice(ctx context.Context) (*app.Actor, error) {
	orgs, err := a.core.DB().SubtreeOrgs(ctx, 0, store.OrgFilter{}, store.Page{Limit: store.MaxLimit})
	if err != nil {
		return nil, err
	}
	for _, o := range orgs.Items {
		if o.ParentID == 0 {
			return &app.Actor{User: fenghuo.User{Username: "demo", DisplayName: "演示数据", Roles: []fenghuo.Role{fenghuo.RoleCommander}},
				Org: o, Via: "system"}, nil
		}
	}
	return nil, fenghuo.Errorf(fenghuo.ENOTFOUND, "The demo region has no top-level office: seed it first. / 尚未写入演示地区。")
}
