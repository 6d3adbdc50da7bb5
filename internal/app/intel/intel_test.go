package intel_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/app/intel"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/ingest"
	"fenghuo/internal/ingest/ioc"
	"fenghuo/internal/store"
)

func org(t *testing.T, e *apptest.Env, key, parent, name string, level fenghuo.OrgLevel, typ fenghuo.OrgType) *fenghuo.Org {
	t.Helper()
	o := &fenghuo.Org{Name: name, Level: level, Type: typ}
	if parent != "" {
		o.ParentID = e.Orgs[parent].ID
	}
	if err := e.DB.CreateOrg(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	e.Orgs[key] = o
	return o
}

func values(res store.ListResult[store.Indicator]) string {
	var v []string
	for _, in := range res.Items {
		v = append(v, in.Value)
	}
	return strings.Join(v, " ")
}

// The acceptance of issue 14 for sharing: a city imports a STIX bundle; its
// AMBER domain reaches the units of its counties and raises a match on
// their events, never on the events of another city's unit; GREEN stays in
// the province tree; a second import changes nothing; a revoked indicator
// stops matching.
func TestCityBundleReachesItsCountiesUnitsOnly(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	svc := e.App.Intel
	e.Clock.Set(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)) // the bundle's indicators are valid from 1 December
	// Another city under no common root, with a unit.
	org(t, e, "city2", "", "丙市委网信办", fenghuo.LevelCity, fenghuo.OrgRegulator)
	port := org(t, e, "port", "city2", "丙市港务集团", fenghuo.LevelUnit, fenghuo.OrgOperator)
	cityUser, _ := e.User(t, "city-analyst", "city", fenghuo.RoleAnalyst)
	city := e.Actor(t, cityUser)
	hospUser, _ := e.User(t, "his-reporter", "hospital", fenghuo.RoleUnitReporter)
	hosp := e.Actor(t, hospUser)
	portUser, _ := e.User(t, "port-reporter", "port", fenghuo.RoleUnitReporter)
	portActor := e.Actor(t, portUser)
	viewerUser, _ := e.User(t, "county-viewer", "county", fenghuo.RoleViewer)
	viewer := e.Actor(t, viewerUser)

	bundle, err := os.ReadFile("testdata/city-bundle.json")
	if err != nil {
		t.Fatal(err)
	}
	// A unit cannot import for the city above it; a viewer cannot import.
	if _, err := svc.Import(ctx, hosp, e.Orgs["city"].ID, bundle, ""); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		t.Fatalf("unit imported for the city: %v", err)
	}
	if _, err := svc.Import(ctx, viewer, 0, bundle, ""); fenghuo.ErrorCode(err) != fenghuo.EFORBIDDEN {
		t.Fatalf("viewer imported: %v", err)
	}
	if _, err := svc.Import(ctx, city, 0, []byte(`{"type":"report"}`), ""); fenghuo.ErrorCode(err) != fenghuo.EINVALID {
		t.Fatalf("not a bundle: %v", err)
	}
	res, err := svc.Import(ctx, city, 0, bundle, "")
	if err != nil {
		t.Fatal(err)
	}
	if res.Format != "stix" || res.Added != 7 || res.Updated != 0 || len(res.Skipped) != 2 {
		t.Fatalf("import: %+v", res)
	}
	again, err := svc.Import(ctx, city, 0, bundle, "")
	if err != nil || again.Added != 0 || again.Unchanged != 7 {
		t.Fatalf("second import: %+v %v", again, err)
	}

	hospSees, err := svc.List(ctx, hosp, store.IndicatorFilter{}, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(values(hospSees), "login-update.example.net") || hospSees.Total != 7 {
		t.Errorf("the county's unit sees %d: %s", hospSees.Total, values(hospSees))
	}
	portSees, err := svc.List(ctx, portActor, store.IndicatorFilter{}, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	// Only the CLEAR URL crosses to another tree (GREEN stays in the
	// province tree, AMBER in the city's subtree).
	if values(portSees) != "http://files.example.org/update/setup.exe" {
		t.Errorf("another city's unit sees %q", values(portSees))
	}
	amber := hospSees.Items[len(hospSees.Items)-1]
	if amber.Value != "login-update.example.net" {
		t.Fatalf("oldest is %+v", amber)
	}
	if _, err := svc.Get(ctx, portActor, amber.ID); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		t.Errorf("another city's unit reads the AMBER indicator: %v", err)
	}

	// The matcher: the county's unit's event raises a match, the other
	// city's unit's does not.
	dns := &ingest.Event{Fields: map[string]any{"dns.question.name": "www.login-update.example.net", "source.ip": "10.1.2.3"}}
	got := svc.Detector().Detect(ctx, ingest.Source{Org: e.Orgs["hospital"].ID}, dns)
	if len(got) != 1 || got[0].IndicatorID != amber.ID || got[0].RuleID != "indicator--a932fcc6-e032-476c-826f-cb970a5a1ade" ||
		got[0].Level != "high" || got[0].Field != "dns.question.name" {
		t.Fatalf("hospital event: %+v", got)
	}
	if got := svc.Detector().Detect(ctx, ingest.Source{Org: port.ID}, dns); len(got) != 0 {
		t.Fatalf("other city's event matched: %+v", got)
	}
	if st := svc.Status(); st.Total != 7 || st.ByType[ioc.TypeIPv4] != 2 {
		t.Errorf("status %+v", st)
	}

	// Expired indicators stop matching: the dropper's hashes end 2027-06-01.
	hash := &ingest.Event{Fields: map[string]any{"file.hash.md5": "4d186321c1a7f0f354b297e8914ab240"}}
	if len(svc.Detector().Detect(ctx, ingest.Source{Org: e.Orgs["hospital"].ID}, hash)) != 1 {
		t.Error("hash did not match before expiry")
	}
	e.Clock.Set(time.Date(2027, 6, 2, 0, 0, 0, 0, time.UTC))
	if len(svc.Detector().Detect(ctx, ingest.Source{Org: e.Orgs["hospital"].ID}, hash)) != 0 {
		t.Error("expired hash still matches")
	}
	if n, err := svc.RefreshPass(ctx); err != nil || n != 1 || svc.Status().Total != 5 {
		t.Errorf("refresh after expiry: %d %v %+v", n, err, svc.Status())
	}
	e.Clock.Set(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC))

	// Revoking: only the owner's side may; the match stops.
	if err := svc.Revoke(ctx, hosp, amber.ID); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		t.Errorf("unit revoked the city's indicator: %v", err)
	}
	if err := svc.Revoke(ctx, city, amber.ID); err != nil {
		t.Fatal(err)
	}
	if got := svc.Detector().Detect(ctx, ingest.Source{Org: e.Orgs["hospital"].ID}, dns); len(got) != 0 {
		t.Errorf("revoked indicator matched: %+v", got)
	}
	third, err := svc.Import(ctx, city, 0, bundle, "")
	if err != nil || third.Added != 0 || len(third.Skipped) != 3 || !strings.Contains(third.Skipped[2].Reason, "revoked") {
		t.Errorf("re-import of a revoked indicator: %+v %v", third, err)
	}

	// Every change is audited.
	entries, err := e.DB.AuditEntries(ctx, store.AuditFilter{}, store.Page{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]int{}
	for _, a := range entries.Items {
		actions[a.Action]++
	}
	if actions["indicator.import"] != 3 || actions["indicator.revoke"] != 1 {
		t.Errorf("audit actions %v", actions)
	}
}

func TestAddEditAndExport(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	svc := e.App.Intel
	countyUser, _ := e.User(t, "county-commander", "county", fenghuo.RoleCommander)
	county := e.Actor(t, countyUser)
	schoolUser, _ := e.User(t, "school-reporter", "school", fenghuo.RoleUnitReporter)
	school := e.Actor(t, schoolUser)
	cityUser, _ := e.User(t, "city-viewer", "city", fenghuo.RoleViewer)
	city := e.Actor(t, cityUser)

	// All wrong fields at once.
	_, err := svc.Create(ctx, county, intel.Input{Type: ioc.TypeIPv4, Value: "300.1.1.1", Confidence: 120, TLP: "PURPLE"})
	fields := map[string]bool{}
	for _, fe := range fenghuo.FieldErrors(err) {
		fields[fe.Field] = true
	}
	if !fields["value"] || !fields["confidence"] || !fields["tlp"] {
		t.Fatalf("field errors %v (%v)", fields, err)
	}
	in, err := svc.Create(ctx, county, intel.Input{Type: ioc.TypeIPv4, Value: "203.0.113.9", Confidence: 90, TLP: ioc.TLPAmberStrict,
		Description: "扫描源"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(in.STIXID, "indicator--") || in.Source != "甲县委网信办" {
		t.Errorf("created %+v", in)
	}
	// AMBER+STRICT: the county's own only; not its school.
	if _, err := svc.Get(ctx, school, in.ID); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		t.Errorf("school reads AMBER+STRICT: %v", err)
	}
	if len(svc.Detector().Detect(ctx, ingest.Source{Org: e.Orgs["school"].ID}, &ingest.Event{Fields: map[string]any{"source.ip": "203.0.113.9"}})) != 0 {
		t.Error("AMBER+STRICT matched the school's event")
	}
	up, err := svc.Update(ctx, county, in.ID, intel.Input{Value: "203.0.113.9", Confidence: 60, TLP: ioc.TLPAmber, Description: "扫描源"})
	if err != nil || up.TLP != ioc.TLPAmber {
		t.Fatalf("update %+v %v", up, err)
	}
	if len(svc.Detector().Detect(ctx, ingest.Source{Org: e.Orgs["school"].ID}, &ingest.Event{Fields: map[string]any{"source.ip": "203.0.113.9"}})) != 1 {
		t.Error("AMBER did not match the school's event")
	}
	if _, err := svc.Update(ctx, school, in.ID, intel.Input{Value: "203.0.113.9", TLP: ioc.TLPRed}); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		t.Errorf("school edited the county's indicator: %v", err)
	}
	// The city above does not see the county's AMBER in its library list
	// (TLP), but may read it as its manager.
	list, _ := svc.List(ctx, city, store.IndicatorFilter{}, store.Page{})
	if list.Total != 0 {
		t.Errorf("city lists %s", values(list))
	}
	if _, err := svc.Get(ctx, city, in.ID); err != nil {
		t.Errorf("city cannot read its county's indicator: %v", err)
	}

	mispDoc, err := os.ReadFile("testdata/misp-event.json")
	if err != nil {
		t.Fatal(err)
	}
	res, err := svc.Import(ctx, school, 0, mispDoc, ioc.TLPRed)
	if err != nil || res.Format != "misp" || res.Added != 6 || len(res.Skipped) != 2 {
		t.Fatalf("misp import %+v %v", res, err)
	}
	doc, name, err := svc.Export(ctx, school, "stix", store.IndicatorFilter{})
	if err != nil || !strings.HasSuffix(name, ".stix.json") {
		t.Fatal(name, err)
	}
	back, err := ioc.ReadSTIX(doc, ioc.TLPRed)
	if err != nil || len(back.Indicators) != 7 || len(back.Skipped) != 0 {
		t.Fatalf("export read back: %+v %v", back, err)
	}
	if back.Indicators[0].Source != "甲县第一中学" {
		t.Errorf("issuer %q", back.Indicators[0].Source)
	}
	doc, _, err = svc.Export(ctx, school, "misp", store.IndicatorFilter{Type: ioc.TypeIPv4})
	if err != nil {
		t.Fatal(err)
	}
	if b, err := ioc.ReadMISP(doc, ioc.TLPRed); err != nil || len(b.Indicators) != 2 {
		t.Fatalf("misp export %+v %v", b, err)
	}
	if _, _, err := svc.Export(ctx, school, "csv", store.IndicatorFilter{}); fenghuo.ErrorCode(err) != fenghuo.EINVALID {
		t.Errorf("csv export: %v", err)
	}
}

func TestVisibleRule(t *testing.T) {
	for _, c := range []struct {
		owner, viewer string
		tlp           ioc.TLP
		want          bool
	}{
		{"/1/2/", "/9/", ioc.TLPClear, true},
		{"/1/2/", "/1/3/5/", ioc.TLPGreen, true},
		{"/1/2/", "/9/", ioc.TLPGreen, false},
		{"/1/2/", "/1/2/4/7/", ioc.TLPAmber, true},
		{"/1/2/", "/1/3/", ioc.TLPAmber, false},
		{"/1/2/", "/1/", ioc.TLPAmber, false},
		{"/1/2/", "/1/2/", ioc.TLPAmberStrict, true},
		{"/1/2/", "/1/2/4/", ioc.TLPAmberStrict, false},
		{"/1/2/", "/1/2/4/", ioc.TLPRed, false},
		{"/1/2/", "", ioc.TLPGreen, false},
	} {
		if got := intel.Visible(c.owner, c.tlp, c.viewer); got != c.want {
			t.Errorf("Visible(%s, %s, %s) = %v", c.owner, c.tlp, c.viewer, got)
		}
	}
}

// An indicator added through one replica is matched by another one's
// matcher after that one's next scheduler pass (the library's stamp
// moved), not only after RefreshEvery.
func TestChangeReachesAnotherReplica(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	_, other := apptest.OpenApp(t, e.DSN) // a second replica on the same database
	other.SetClock(e.Clock.Now)
	if _, err := other.Intel.RefreshPass(ctx); err != nil {
		t.Fatal(err)
	}
	if n := other.Intel.Status().Total; n != 0 {
		t.Fatalf("empty library loaded %d indicators", n)
	}
	user, _ := e.User(t, "county-commander", "county", fenghuo.RoleCommander)
	if _, err := e.App.Intel.Create(ctx, e.Actor(t, user), intel.Input{Type: ioc.TypeIPv4, Value: "203.0.113.7", Confidence: 80,
		TLP: ioc.TLPAmber, Description: "扫描源"}); err != nil {
		t.Fatal(err)
	}
	if n := e.App.Intel.Status().Total; n != 1 {
		t.Fatalf("the replica that added it holds %d indicators", n)
	}
	e.Clock.Advance(5 * time.Second) // one scheduler pass later, well within RefreshEvery
	if n, err := other.Intel.RefreshPass(ctx); err != nil || n != 1 {
		t.Fatalf("other replica's pass: %d, %v", n, err)
	}
	if n := other.Intel.Status().Total; n != 1 {
		t.Fatalf("other replica holds %d indicators after its pass", n)
	}
	// Nothing changed since: the next pass does not reload.
	if n, err := other.Intel.RefreshPass(ctx); err != nil || n != 0 {
		t.Fatalf("pass without a change: %d, %v", n, err)
	}
}
