package intake_test

import (
	"context"
	"math"
	"net/netip"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/intake"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/ingest"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

var bg = context.Background()

// failedLogins is a real detector written for the tests: it matches mail
// log-in failures (event.action = logon-failed) and reports the source
// address as the entity, with the tags a Sigma rule for brute force has.
type failedLogins struct{ calls int }

func (d *failedLogins) Detect(ctx context.Context, src ingest.Source, ev *ingest.Event) []ingest.Match {
	d.calls++
	if ev.Str("event.action") != "logon-failed" {
		return nil
	}
	level := "medium"
	if ev.Str("user.name") == "admin" {
		level = "high"
	}
	return []ingest.Match{{Kind: ingest.MatchSigma, RuleSet: "mail", RuleID: "test-mail-bruteforce", Title: "邮箱口令暴力破解",
		Level: level, Tags: []string{"attack.credential_access", "attack.t1110.001"}, Entity: "source.ip=" + ev.Str("source.ip")}}
}

type fixture struct {
	e    *apptest.Env
	svc  *intake.Service
	det  *failedLogins
	src  ingest.Source
	tok  string
	unit *app.Actor // unit reporter of the school
	city *app.Actor // commander of the city
	peer *app.Actor // commander of the other county
	sys  *fenghuo.System
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	e := apptest.New(t)
	f := &fixture{e: e, det: &failedLogins{}}
	f.svc = intake.New(e.App.Core, e.App.Incidents, f.det)
	u, _ := e.User(t, "school-reporter", "school", fenghuo.RoleUnitReporter)
	c, _ := e.User(t, "city-commander", "city", fenghuo.RoleCommander)
	p, _ := e.User(t, "county2-commander", "county2", fenghuo.RoleCommander)
	f.unit, f.city, f.peer = e.Actor(t, u), e.Actor(t, c), e.Actor(t, p)
	f.sys = &fenghuo.System{OrgID: e.Orgs["school"].ID, Name: "校园邮件系统",
		Exposure: []fenghuo.Exposure{{Kind: "ip", Value: "198.51.100.10"}, {Kind: "domain", Value: "mail.school.example.cn"}}}
	if err := e.App.Directory.CreateSystem(bg, f.unit, f.sys); err != nil {
		t.Fatal(err)
	}
	row, tok, err := f.svc.CreateSource(bg, f.unit, intake.SourceInput{OrgID: e.Orgs["school"].ID, Name: "mail-gw", Kind: "mail",
		Addresses: []string{"192.0.2.0/24"}})
	if err != nil {
		t.Fatal(err)
	}
	f.tok = tok
	f.src = ingest.Source{Org: row.OrgID, Sensor: row.Name, TokenID: row.ID}
	return f
}

func failed(at time.Time, ip, user string) ingest.Event {
	return ingest.Event{Time: at, Kind: ingest.KindSyslog, Fields: map[string]any{"event.action": "logon-failed", "source.ip": ip,
		"user.name": user, "destination.ip": "198.51.100.10", "event.category": []string{"authentication"}},
		Raw: []byte("auth failed for " + user)}
}

func TestPipelineGroupsMatchesOverTheWindow(t *testing.T) {
	f := newFixture(t)
	now := f.e.Clock.Now()
	var batch []ingest.Event
	for i := 0; i < 20; i++ { // 20 failures in 3 minutes from one foreign address
		user := "zhang@school.example.cn"
		if i == 7 {
			user = "admin"
		}
		batch = append(batch, failed(now.Add(time.Duration(i*9)*time.Second), "203.0.113.9", user))
	}
	batch = append(batch, ingest.Event{Time: now, Fields: map[string]any{"event.action": "logon", "source.ip": "10.0.0.5"}})
	batch = append(batch, failed(now, "203.0.113.77", "li@school.example.cn"))
	if err := f.svc.Accept(bg, f.src, batch); err != nil {
		t.Fatal(err)
	}
	if f.det.calls != 22 {
		t.Fatalf("the detector saw %d events, want 22", f.det.calls)
	}
	res, facets, err := f.svc.Groups(bg, f.unit, intake.GroupFilter{}, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 2 || facets.State[store.AlertOpen] != 2 {
		t.Fatalf("groups %+v facets %+v", res, facets)
	}
	g := res.Items[0]
	if g.Entity != "source.ip=203.0.113.9" {
		g = res.Items[1]
	}
	if g.Count != 20 || g.Level != "high" || !g.FirstSeen.Equal(now.UTC()) || !g.LastSeen.Equal(now.Add(171*time.Second).UTC()) ||
		g.Kind != "sigma" || g.RuleSet != "mail" || g.SourceID != f.src.TokenID {
		t.Fatalf("group %+v", g)
	}
	d, err := f.svc.Group(bg, f.unit, g.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Samples) != 20 || d.Category != "NA06" || d.OrgName != f.e.Orgs["school"].Name {
		t.Fatalf("detail: %d samples, category %q, org %q", len(d.Samples), d.Category, d.OrgName)
	}
	// A new group has its live event and its audit entry.
	live, err := f.e.DB.LiveEventsAfter(bg, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, ev := range live {
		if ev.Kind == "alert.group" {
			n++
		}
	}
	if n != 2 {
		t.Fatalf("%d alert.group live events, want 2", n)
	}
	// The awareness screens count the groups to triage, in the unit's
	// subtree and the offices above, not in a sibling county.
	for _, c := range []struct {
		ac   *app.Actor
		want int
	}{{f.unit, 2}, {f.city, 2}, {f.peer, 0}} {
		snap, err := f.e.App.Awareness.Snapshot(bg, c.ac)
		if err != nil {
			t.Fatal(err)
		}
		if snap.Alerts.Open != c.want || c.want > 0 && snap.Alerts.ByLevel["high"] != 1 {
			t.Errorf("%s: awareness alerts %+v, want %d open", c.ac.User.Username, snap.Alerts, c.want)
		}
	}
	// Within the window the same group grows; after it a new group opens.
	if err := f.svc.Accept(bg, f.src, []ingest.Event{failed(now.Add(50*time.Minute), "203.0.113.9", "zhang@school.example.cn")}); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Accept(bg, f.src, []ingest.Event{failed(now.Add(3*time.Hour), "203.0.113.9", "zhang@school.example.cn")}); err != nil {
		t.Fatal(err)
	}
	res, _, err = f.svc.Groups(bg, f.unit, intake.GroupFilter{RuleID: "test-mail-bruteforce"}, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 3 || res.Items[0].Count != 1 || !res.Items[0].FirstSeen.Equal(now.Add(3*time.Hour).UTC()) {
		t.Fatalf("after the window: %+v", res.Items)
	}
	if d, _ := f.svc.Group(bg, f.unit, g.ID); d.Group.Count != 21 {
		t.Fatalf("within the window the count is %d, want 21", d.Group.Count)
	}
	// Events: indexed search, JSON search, scope.
	page, err := f.svc.Events(bg, f.city, intake.EventQuery{Match: map[string]string{"source.ip": "203.0.113.9"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 22 {
		t.Fatalf("city sees %d events from 203.0.113.9, want 22", len(page.Items))
	}
	page, err = f.svc.Events(bg, f.unit, intake.EventQuery{Match: map[string]string{"event.action": "logon"}, Limit: 10})
	if err != nil || len(page.Items) != 1 || page.Items[0].SourceIP != "10.0.0.5" {
		t.Fatalf("JSON search: %+v %v", page, err)
	}
	page, err = f.svc.Events(bg, f.peer, intake.EventQuery{Match: map[string]string{"source.ip": "203.0.113.9"}})
	if err != nil || len(page.Items) != 0 {
		t.Fatalf("a sibling county sees %d events (%v)", len(page.Items), err)
	}
	// Keyset pages cover everything once.
	seen := map[int64]bool{}
	q := intake.EventQuery{Limit: 5}
	for {
		page, err := f.svc.Events(bg, f.unit, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range page.Items {
			if seen[ev.ID] {
				t.Fatalf("event %d on two pages", ev.ID)
			}
			seen[ev.ID] = true
		}
		if page.Next == "" {
			break
		}
		q.Cursor = page.Next
	}
	if len(seen) != 24 {
		t.Fatalf("paged %d events, want 24", len(seen))
	}
}

func TestTriageAndPromotion(t *testing.T) {
	f := newFixture(t)
	now := f.e.Clock.Now()
	var batch []ingest.Event
	for i := 0; i < 20; i++ {
		batch = append(batch, failed(now.Add(time.Duration(i)*time.Second), "203.0.113.9", "zhang@school.example.cn"))
	}
	if err := f.svc.Accept(bg, f.src, batch); err != nil {
		t.Fatal(err)
	}
	res, _, err := f.svc.Groups(bg, f.city, intake.GroupFilter{}, store.Page{})
	if err != nil || res.Total != 1 {
		t.Fatalf("%+v %v", res, err)
	}
	id := res.Items[0].ID

	// A sibling county neither sees nor triages the group.
	if _, err := f.svc.Group(bg, f.peer, id); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		t.Fatalf("sibling reads: %v", err)
	}
	if _, err := f.svc.Dismiss(bg, f.peer, id, "not ours"); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		t.Fatalf("sibling dismisses: %v", err)
	}
	if _, _, err := f.svc.Promote(bg, f.peer, id); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		t.Fatalf("sibling promotes: %v", err)
	}
	// A viewer reads but does not triage.
	v, _ := f.e.User(t, "school-viewer", "school", fenghuo.RoleViewer)
	if _, err := f.svc.Dismiss(bg, f.e.Actor(t, v), id, "x"); fenghuo.ErrorCode(err) != fenghuo.EFORBIDDEN {
		t.Fatalf("viewer dismisses: %v", err)
	}
	// Assign: only to an account that sees the group.
	other, _ := f.e.User(t, "school2-reporter", "school2", fenghuo.RoleUnitReporter)
	if _, err := f.svc.Assign(bg, f.city, id, other.ID); fenghuo.ErrorCode(err) != fenghuo.EINVALID {
		t.Fatalf("assigned to a sibling unit's account: %v", err)
	}
	g, err := f.svc.Assign(bg, f.city, id, f.unit.User.ID)
	if err != nil || g.State != store.AlertAssigned || g.AssigneeID != f.unit.User.ID {
		t.Fatalf("assign: %+v %v", g, err)
	}
	// Dismiss needs a reason; reopen brings it back assigned.
	if _, err := f.svc.Dismiss(bg, f.unit, id, "  "); fenghuo.ErrorCode(err) != fenghuo.EINVALID {
		t.Fatalf("dismiss without a reason: %v", err)
	}
	if g, err = f.svc.Dismiss(bg, f.unit, id, "渗透测试，已报备"); err != nil || g.State != store.AlertDismissed {
		t.Fatalf("dismiss: %+v %v", g, err)
	}
	if _, _, err := f.svc.Promote(bg, f.unit, id); fenghuo.ErrorCode(err) != fenghuo.ECONFLICT {
		t.Fatalf("promoting a dismissed group: %v", err)
	}
	if g, err = f.svc.Reopen(bg, f.unit, id); err != nil || g.State != store.AlertAssigned || g.DismissReason != "" {
		t.Fatalf("reopen: %+v %v", g, err)
	}
	// Promote: a draft incident for the school with the mapped category,
	// the first event's time, the mail system and the group's summary.
	g, inc, err := f.svc.Promote(bg, f.unit, id)
	if err != nil {
		t.Fatal(err)
	}
	if g.State != store.AlertPromoted || g.IncidentID != inc.ID {
		t.Fatalf("promoted group %+v", g)
	}
	// The school's county governs it by a plan on GB/Z 20986-2007, where
	// NA06 (凭据攻击) falls under NAI (网络攻击事件).
	if inc.Status != fenghuo.StatusDraft || inc.OrgID != f.e.Orgs["school"].ID || inc.Taxonomy != "gbz-20986-2007" || inc.Category != "NAI" ||
		!inc.DiscoveredAt.Equal(now.UTC()) || len(inc.SystemIDs) != 1 || inc.SystemIDs[0] != f.sys.ID ||
		!strings.Contains(inc.Description, "告警次数：20") || !strings.Contains(inc.Description, "203.0.113.9") ||
		inc.Channel != fenghuo.ChannelMonitoring {
		t.Fatalf("incident %+v", inc)
	}
	// The facts the platform knows are filled in for the unit to confirm:
	// the mail system named by the events is a registered important system.
	if inc.Facts["important_system"] != true {
		t.Fatalf("the draft's facts %v lack important_system", inc.Facts)
	}
	if _, _, err := f.svc.Promote(bg, f.unit, id); fenghuo.ErrorCode(err) != fenghuo.ECONFLICT {
		t.Fatalf("promoted twice: %v", err)
	}
	// Under a plan on GB/T 20986-2023 the mapped code is kept as it is.
	row, _, err := f.svc.CreateSource(bg, f.city, intake.SourceInput{OrgID: f.e.Orgs["city"].ID, Name: "city-mail", Kind: "mail"})
	if err != nil {
		t.Fatal(err)
	}
	citySrc := ingest.Source{Org: row.OrgID, Sensor: row.Name, TokenID: row.ID}
	if err := f.svc.Accept(bg, citySrc, []ingest.Event{failed(now, "203.0.113.50", "wang@city.example.cn")}); err != nil {
		t.Fatal(err)
	}
	res, _, err = f.svc.Groups(bg, f.city, intake.GroupFilter{OrgID: f.e.Orgs["city"].ID, State: store.AlertOpen}, store.Page{})
	if err != nil || res.Total != 1 {
		t.Fatalf("city groups %+v %v", res, err)
	}
	if _, inc, err = f.svc.Promote(bg, f.city, res.Items[0].ID); err != nil || inc.Category != "NA06" || inc.Taxonomy != "gbt-20986-2023" {
		t.Fatalf("city incident %+v %v", inc, err)
	}
	// Each change left its audit entry.
	for _, action := range []string{"alert.assign", "alert.dismiss", "alert.reopen", "alert.promote", "incident.create", "alert.group.open", "intake_source.create"} {
		res, err := f.e.DB.AuditEntries(bg, store.AuditFilter{ActionPrefix: action}, store.Page{})
		if err != nil || res.Total == 0 {
			t.Errorf("no audit entry %s (%v)", action, err)
		}
	}
}

func TestSourcesTokensAndResolver(t *testing.T) {
	f := newFixture(t)
	// Only units in the actor's subtree, and with system.write.
	if _, _, err := f.svc.CreateSource(bg, f.peer, intake.SourceInput{OrgID: f.e.Orgs["school"].ID, Name: "x", Kind: "wazuh"}); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		t.Fatalf("sibling registers a source: %v", err)
	}
	_, _, err := f.svc.CreateSource(bg, f.unit, intake.SourceInput{OrgID: f.e.Orgs["school"].ID, Name: "", Kind: "nope",
		Addresses: []string{"300.1.1.1"}, Mapping: "[1]"})
	if fields := fenghuo.FieldErrors(err); len(fields) != 4 {
		t.Fatalf("want 4 field errors, got %v", err)
	}
	host, _, err := f.svc.CreateSource(bg, f.city, intake.SourceInput{OrgID: f.e.Orgs["hospital"].ID, Name: "his-syslog", Kind: "syslog",
		Addresses: []string{"192.0.2.7", "2001:db8::/32"}})
	if err != nil {
		t.Fatal(err)
	}
	got, ok := f.svc.SourceOf(bg, netip.MustParseAddr("192.0.2.7"))
	if !ok || got.TokenID != host.ID || got.Org != f.e.Orgs["hospital"].ID {
		t.Fatalf("the most specific binding wins: %+v %v", got, ok)
	}
	if got, ok := f.svc.SourceOf(bg, netip.MustParseAddr("192.0.2.8")); !ok || got.TokenID != f.src.TokenID {
		t.Fatalf("192.0.2.8: %+v %v", got, ok)
	}
	if got, ok := f.svc.SourceOf(bg, netip.MustParseAddr("::ffff:192.0.2.7")); !ok || got.TokenID != host.ID {
		t.Fatalf("IPv4-mapped: %+v %v", got, ok)
	}
	if _, ok := f.svc.SourceOf(bg, netip.MustParseAddr("198.51.100.1")); ok {
		t.Fatal("an unbound address resolved")
	}
	// The token authenticates until the source is revoked.
	src, _, err := f.svc.Authenticate(bg, f.tok)
	if err != nil || src != f.src {
		t.Fatalf("authenticate: %+v %v", src, err)
	}
	wrong := f.tok[:len(f.tok)-1] + "a" // one character changed
	if strings.HasSuffix(f.tok, "a") {
		wrong = f.tok[:len(f.tok)-1] + "b"
	}
	for _, bad := range []string{"", "fhk_abc", wrong, strings.Replace(f.tok, "fhi_", "fhk_", 1)} {
		if _, _, err := f.svc.Authenticate(bg, bad); fenghuo.ErrorCode(err) != fenghuo.EUNAUTHORIZED {
			t.Errorf("token %q: %v", bad, err)
		}
	}
	if err := f.svc.RevokeSource(bg, f.peer, f.src.TokenID); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		t.Fatalf("sibling revokes: %v", err)
	}
	if err := f.svc.RevokeSource(bg, f.unit, f.src.TokenID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.Authenticate(bg, f.tok); fenghuo.ErrorCode(err) != fenghuo.EUNAUTHORIZED {
		t.Fatalf("revoked token: %v", err)
	}
	if _, ok := f.svc.SourceOf(bg, netip.MustParseAddr("192.0.2.8")); ok {
		t.Fatal("a revoked source still resolves")
	}
	list, err := f.svc.Sources(bg, f.city, 0, true, store.Page{})
	if err != nil || list.Total != 2 {
		t.Fatalf("city sources: %+v %v", list, err)
	}
	list, err = f.svc.Sources(bg, f.peer, 0, true, store.Page{})
	if err != nil || list.Total != 0 {
		t.Fatalf("sibling sees sources: %+v %v", list, err)
	}
}

func TestRetentionPrunesOldEvents(t *testing.T) {
	f := newFixture(t)
	if err := f.svc.SetRetention(time.Hour); fenghuo.ErrorCode(err) != fenghuo.EINVALID {
		t.Fatalf("retention of an hour: %v", err)
	}
	if err := f.svc.SetRetention(24 * time.Hour); err != nil {
		t.Fatal(err)
	}
	old := f.e.Clock.Now()
	if err := f.svc.Accept(bg, f.src, []ingest.Event{{Fields: map[string]any{"message": "old"}}}); err != nil {
		t.Fatal(err)
	}
	f.e.Clock.Advance(23 * time.Hour)
	if err := f.svc.Accept(bg, f.src, []ingest.Event{{Fields: map[string]any{"message": "new"}}}); err != nil {
		t.Fatal(err)
	}
	f.e.Clock.Advance(2 * time.Hour)
	n, err := f.svc.Prune(bg)
	if err != nil || n != 1 {
		t.Fatalf("pruned %d (%v), want 1", n, err)
	}
	page, err := f.svc.Events(bg, f.unit, intake.EventQuery{From: old.Add(-time.Hour)})
	if err != nil || len(page.Items) != 1 || !strings.Contains(page.Items[0].Fields, "new") {
		t.Fatalf("left: %+v %v", page.Items, err)
	}
	// The scheduler runs it as one of its passes; the setting, when a
	// whole number of days, overrides the configured retention.
	if err := f.e.App.Intake.Accept(bg, f.src, []ingest.Event{{Fields: map[string]any{"message": "kept"}}}); err != nil {
		t.Fatal(err)
	}
	if err := f.e.DB.SetSetting(bg, intake.RetentionSetting, "3"); err != nil {
		t.Fatal(err)
	}
	f.e.Clock.Advance(2 * 24 * time.Hour)
	if _, err := f.e.App.Scheduler.Tick(bg); err != nil {
		t.Fatal(err)
	}
	if page, _ := f.svc.Events(bg, f.unit, intake.EventQuery{Match: map[string]string{"message": "kept"}, From: old}); len(page.Items) != 1 {
		t.Fatalf("pruned within the 3 days the setting keeps: %d", len(page.Items))
	}
	f.e.Clock.Advance(2 * 24 * time.Hour)
	if _, err := f.e.App.Scheduler.Tick(bg); err != nil {
		t.Fatal(err)
	}
	if page, _ := f.svc.Events(bg, f.unit, intake.EventQuery{Match: map[string]string{"message": "kept"}, From: old}); len(page.Items) != 0 {
		t.Fatalf("kept past the 3 days of the setting: %d", len(page.Items))
	}
}

func TestAttackMappingUsesTaxonomyCodes(t *testing.T) {
	tax, ok := plan.BuiltinTaxonomy("gbt-20986-2023")
	if !ok {
		t.Fatal("no GB/T 20986-2023 taxonomy")
	}
	m := intake.Mapping()
	for _, part := range []map[string]string{m.Techniques, m.Tactics, m.Kinds} {
		for k, code := range part {
			if _, _, ok := tax.Lookup(code); !ok {
				t.Errorf("%s maps to %s, which GB/T 20986-2023 does not have", k, code)
			}
		}
	}
	for _, c := range []struct {
		kind string
		tags []string
		want string
	}{
		{"sigma", []string{"attack.credential_access", "attack.t1110.001"}, "NA06"},
		{"sigma", []string{"attack.collection", "attack.t1114.003"}, "DS05"},
		{"sigma", []string{"attack.t1566.999"}, "NA02"}, // an unlisted sub-technique takes its parent's
		{"sigma", []string{"attack.t1486"}, "MP07"},
		{"sigma", []string{"attack.t1498"}, "NA08"},
		{"sigma", []string{"attack.t1190"}, "NA03"},
		{"sigma", []string{"attack.t1071.001"}, "NA18"},
		{"sigma", []string{"attack.exfiltration"}, "DS05"},
		{"ioc", nil, "NA99"},
		{"sigma", []string{"cve.2021-44228"}, "NA99"},
	} {
		if got := m.CategoryOf(c.kind, c.tags); got != c.want {
			t.Errorf("%s %v → %s, want %s", c.kind, c.tags, got, c.want)
		}
	}
}

func TestAcceptRefusesOversizedAndOrphanBatches(t *testing.T) {
	f := newFixture(t)
	if err := f.svc.Accept(bg, ingest.Source{}, []ingest.Event{{}}); fenghuo.ErrorCode(err) != fenghuo.EINVALID {
		t.Fatalf("no org: %v", err)
	}
	big := make([]ingest.Event, intake.MaxBatch+1)
	if err := f.svc.Accept(bg, f.src, big); fenghuo.ErrorCode(err) != fenghuo.EINVALID {
		t.Fatalf("oversized: %v", err)
	}
	if err := f.svc.Accept(bg, f.src, nil); err != nil {
		t.Fatal(err)
	}
}

// Outside tools send anything: invalid UTF-8, NUL, NaN and very long
// values are stored (both engines refuse some of them as they are) and
// still group.
func TestAcceptStoresHostileValues(t *testing.T) {
	f := newFixture(t)
	long := strings.Repeat("长", 200) + "\xff"
	ev := failed(f.e.Clock.Now(), "203.0.113.\xff\x00", long)
	ev.Fields["score"] = math.NaN()
	ev.Fields["host.name"] = long
	ev.Raw = []byte("raw \x00 \xfe")
	for i := 0; i < 2; i++ {
		if err := f.svc.Accept(bg, f.src, []ingest.Event{ev}); err != nil {
			t.Fatal(err)
		}
	}
	res, _, err := f.svc.Groups(bg, f.unit, intake.GroupFilter{}, store.Page{})
	if err != nil || res.Total != 1 || res.Items[0].Count != 2 {
		t.Fatalf("groups %+v %v", res, err)
	}
	page, err := f.svc.Events(bg, f.unit, intake.EventQuery{})
	if err != nil || len(page.Items) != 2 || !strings.Contains(page.Items[0].Fields, `"score":"NaN"`) || len(page.Items[0].HostName) > 256 {
		t.Fatalf("events %+v %v", page.Items, err)
	}
	// The JSON search reads every event of the range, these included.
	page, err = f.svc.Events(bg, f.unit, intake.EventQuery{Match: map[string]string{"event.action": "logon-failed"}})
	if err != nil || len(page.Items) != 2 {
		t.Fatalf("JSON search over hostile events: %d %v", len(page.Items), err)
	}
}
