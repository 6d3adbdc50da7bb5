package demo_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"fenghuo/internal/app/demo"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/ingest"
	"fenghuo/internal/ingest/ioc"
	"fenghuo/internal/store"
)

// The demo's sensors sent a few hours of events through the intake, whose
// real detectors raised the groups: the mail brute force at the county's
// government mail server (open), the phishing domain of the city's
// TLP:AMBER bundle at the county hospital (assigned), the hospital's own
// scan (dismissed with its reason), the foreign log-in (promoted to a
// draft incident). Seeding again adds nothing.
func TestSeedDemoAlerts(t *testing.T) {
	e := apptest.NewEmpty(t)
	ctx := context.Background()
	if _, err := e.App.Demo.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	org := func(name string) *fenghuo.Org {
		t.Helper()
		res, err := e.DB.SubtreeOrgs(ctx, 0, store.OrgFilter{}, store.Page{Limit: store.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		for i := range res.Items {
			if res.Items[i].Name == name {
				return &res.Items[i]
			}
		}
		t.Fatalf("no demo org %s", name)
		return nil
	}
	city, mail, hospital := org("云州市委网络安全和信息化委员会办公室"), org("青溪县政务服务与数据管理局"), org("青溪县人民医院")
	groups := func(o *fenghuo.Org) []store.AlertGroup {
		t.Helper()
		res, err := e.DB.AlertGroups(ctx, store.AlertGroupFilter{OrgID: o.ID}, store.Page{Limit: store.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		return res.Items
	}

	sources, err := e.DB.IntakeSources(ctx, city.Path, true, store.Page{Limit: 10})
	if err != nil || sources.Total != 3 {
		t.Fatalf("demo intake sources: %d (%v)", sources.Total, err)
	}

	var bruteForce, abroad *store.AlertGroup
	for _, g := range groups(mail) {
		switch g.RuleID {
		case demo.DemoBruteForceRule:
			bruteForce = &g
		case "1016c6c1-0458-470d-8200-7fe796306c31": // mail_login_abroad.yml
			abroad = &g
		}
	}
	if bruteForce == nil || bruteForce.State != store.AlertOpen || bruteForce.OrgID != mail.ID || bruteForce.Kind != ingest.MatchThreshold ||
		bruteForce.Entity != "source.ip=185.220.101.1" || bruteForce.Count < 20 {
		t.Fatalf("mail brute-force group: %+v", bruteForce)
	}
	if bruteForce.LastSeen.After(e.Clock.Now()) || e.Clock.Now().Sub(bruteForce.FirstSeen).Hours() > 6 {
		t.Errorf("brute force seen %s–%s, want within the hours before %s", bruteForce.FirstSeen, bruteForce.LastSeen, e.Clock.Now())
	}
	// The events behind it: at least twenty failed log-ins to the mailbox
	// from the address, within three minutes.
	evs, err := e.DB.SearchEvents(ctx, store.EventFilter{OrgPath: mail.Path, Match: map[string]string{"source.ip": "185.220.101.1",
		"event.dataset": "mail.dovecot-login-failed", "user.name": demo.DemoMailbox}, From: bruteForce.FirstSeen.Add(-10 * time.Minute),
		To: bruteForce.LastSeen.Add(time.Minute), Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) < 20 || evs[0].At.Sub(evs[len(evs)-1].At).Minutes() > 3 {
		t.Fatalf("%d failed log-ins behind the brute force", len(evs))
	}

	if abroad == nil || abroad.State != store.AlertPromoted || abroad.IncidentID == 0 {
		t.Fatalf("foreign log-in group: %+v", abroad)
	}
	inc, err := e.DB.Incident(ctx, abroad.IncidentID)
	if err != nil {
		t.Fatal(err)
	}
	if inc.Status != fenghuo.StatusDraft || inc.OrgID != mail.ID || inc.Source != "alert-group:"+strconv.FormatInt(abroad.ID, 10) {
		t.Errorf("promoted incident: status %s org %d source %q", inc.Status, inc.OrgID, inc.Source)
	}

	var iocGroup, scan *store.AlertGroup
	for _, g := range groups(hospital) {
		switch {
		case g.Kind == ingest.MatchIOC && g.Entity == demo.DemoPhishDomain:
			iocGroup = &g
		case g.State == store.AlertDismissed:
			scan = &g
		}
	}
	if iocGroup == nil || iocGroup.OrgID != hospital.ID || iocGroup.IndicatorID == 0 || iocGroup.State != store.AlertAssigned {
		t.Fatalf("IOC group at the county hospital: %+v", iocGroup)
	}
	duty, err := e.DB.UserByUsername(ctx, "qx-duty")
	if err != nil || iocGroup.AssigneeID != duty.ID {
		t.Errorf("IOC group assigned to %d, want qx-duty (%v)", iocGroup.AssigneeID, err)
	}
	ind, err := e.DB.ActiveIndicators(ctx, e.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	tlps := map[ioc.TLP]int{}
	for _, in := range ind {
		if in.OwnerOrg != city.ID {
			t.Errorf("indicator %s owned by %d, want the city office", in.Value, in.OwnerOrg)
		}
		tlps[in.TLP]++
		if in.ID == iocGroup.IndicatorID && (in.Type != ioc.TypeDomain || in.TLP != ioc.TLPAmber) {
			t.Errorf("the IOC group's indicator: %+v", in.Indicator)
		}
	}
	if len(ind) != 4 || tlps[ioc.TLPAmber] != 2 || tlps[ioc.TLPGreen] != 2 {
		t.Errorf("demo indicators: %d, by TLP %v", len(ind), tlps)
	}
	if scan == nil || scan.DismissReason == "" {
		t.Fatalf("dismissed scan group: %+v", scan)
	}

	// Seeding again, as serve --demo does at a later start, adds nothing.
	all := func() int {
		res, err := e.DB.AlertGroups(ctx, store.AlertGroupFilter{OrgID: city.ID}, store.Page{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		return res.Total
	}
	before := all()
	if _, err := e.App.Demo.SeedDemo(ctx); fenghuo.ErrorCode(err) != fenghuo.ECONFLICT {
		t.Fatalf("second demo seed: %v", err)
	}
	if seeded, err := e.App.Demo.SeedDemoAlerts(ctx); err != nil || seeded {
		t.Fatalf("second alert seed: seeded %v (%v)", seeded, err)
	}
	if after := all(); after != before {
		t.Fatalf("seeding twice: %d alert groups, then %d", before, after)
	}
}

// A demo region seeded before the alert intake existed gets it at the next
// start, once.
func TestSeedDemoAlertsIntoAnEarlierDemo(t *testing.T) {
	e := apptest.NewEmpty(t)
	ctx := context.Background()
	e.App.Demo.SetAlerts(nil, nil) // the seeder of an earlier version
	if _, err := e.App.Demo.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := e.DB.IntakeSources(ctx, "", true, store.Page{Limit: 1}); n.Total != 0 {
		t.Fatalf("%d intake sources without the alert seeder", n.Total)
	}
	e.App.Demo.SetAlerts(e.App.Intake, e.App.Intel)
	for i, want := range []bool{true, false} {
		seeded, err := e.App.Demo.SeedDemoAlerts(ctx)
		if err != nil || seeded != want {
			t.Fatalf("start %d: seeded %v (%v), want %v", i+2, seeded, err, want)
		}
	}
	root, err := e.DB.SubtreeOrgs(ctx, 0, store.OrgFilter{}, store.Page{Limit: 1})
	if err != nil || len(root.Items) == 0 {
		t.Fatal(err)
	}
	res, err := e.DB.AlertGroups(ctx, store.AlertGroupFilter{OrgID: root.Items[0].ID, RuleID: demo.DemoBruteForceRule}, store.Page{Limit: 10})
	if err != nil || res.Total != 1 {
		t.Fatalf("brute-force groups after two starts: %d (%v)", res.Total, err)
	}
}

// On a database that is not the demo region it does nothing.
func TestSeedDemoAlertsElsewhere(t *testing.T) {
	e := apptest.New(t)
	seeded, err := e.App.Demo.SeedDemoAlerts(context.Background())
	if err != nil || seeded {
		t.Fatalf("seeded %v (%v) into a database that is not the demo", seeded, err)
	}
}
