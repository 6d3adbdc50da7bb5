package planadmin_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"fenghuo/internal/app"
	"fenghuo/internal/app/incident"
	"fenghuo/internal/app/planadmin"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

const (
	oldClause = "其他对国家安全、社会秩序、经济建设和公众利益构成较严重威胁、造成较严重影响的网络安全事件。"
	newClause = "其他对国家安全、社会秩序、经济建设和公众利益构成较严重威胁、造成较严重影响的网络安全事件（2026年修订）。"
)

// cacEdited is the built-in cac-2025 text with one clause reworded.
func cacEdited(t *testing.T) []byte {
	t.Helper()
	p, err := plan.Builtin().Get("cac-2025")
	if err != nil {
		t.Fatal(err)
	}
	raw := string(p.Raw())
	if strings.Count(raw, "text: "+oldClause) != 1 {
		t.Fatalf("the clause to edit is not in cac-2025 once")
	}
	return []byte(strings.Replace(raw, "text: "+oldClause, "text: "+newClause, 1))
}

func clauseTexts(inc *fenghuo.Incident, planID string) (texts []string, revision int) {
	for _, g := range incident.ParseGrading(inc.Grading) {
		if g.Plan == planID && g.Result != nil {
			for _, c := range g.Result.Clauses {
				texts = append(texts, c.Text)
			}
			revision = g.Result.PlanRevision
		}
	}
	return texts, revision
}

// The issue-11 item-7 path through the service, on the selected engine: an
// upload with an error names its line and stores nothing; a valid edit
// shows its changes before it is stored; confirming it stores the built-in
// text as version 1 and the edit as version 2, audited with the SM3
// digest; the registry serves version 2; an incident graded under the
// built-in text keeps its clause until someone regrades it.
func TestWriteReviewAndIncidentsKeepTheirVersion(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	adminU, _ := e.User(t, "sysadmin", "city", fenghuo.RoleSystemAdmin)
	admin := e.Actor(t, adminU)
	repU, _ := e.User(t, "rep", "school", fenghuo.RoleUnitReporter)
	rep := e.Actor(t, repU)
	analystU, _ := e.User(t, "analyst", "county", fenghuo.RoleAnalyst)

	inc, err := e.App.Incidents.CreateIncident(ctx, rep, incident.IncidentInput{OrgID: e.Orgs["school"].ID, Title: "网站中断",
		DiscoveredAt: e.Clock.Now(), Facts: plan.Facts{"social_impact": "relatively_serious"}})
	if err != nil {
		t.Fatal(err)
	}
	if texts, rev := clauseTexts(inc, "cac-2025"); len(texts) != 1 || texts[0] != oldClause || rev != 0 {
		t.Fatalf("graded under the built-in text: %q revision %d", texts, rev)
	}

	// Rights: plan.write only (an analyst reads plans, does not write them).
	if _, err := e.App.PlanAdmin.ReviewDocument(ctx, e.Actor(t, analystU), "cac-2025", cacEdited(t)); fenghuo.ErrorCode(err) != fenghuo.EFORBIDDEN {
		t.Fatalf("analyst review: %v", err)
	}
	token := *admin
	token.Scope = "write"
	if _, err := e.App.PlanAdmin.Write(ctx, &token, "cac-2025", cacEdited(t), "", 0); fenghuo.ErrorCode(err) != fenghuo.EFORBIDDEN {
		t.Fatalf("write-scope token: %v", err)
	}

	// An error: line-level problem, nothing stored, no audit entry.
	broken := strings.Replace(string(cacEdited(t)), "      grade: III\n", "      grade: VI\n", 1)
	brokenLine := 1 + strings.Count(broken[:strings.Index(broken, "grade: VI")], "\n")
	rv, err := e.App.PlanAdmin.ReviewDocument(ctx, admin, "cac-2025", []byte(broken))
	if err != nil || rv.OK() || len(rv.Problems) == 0 {
		t.Fatalf("review of a broken document: %v %+v", err, rv)
	}
	if rv.Problems[0].Line != brokenLine || !strings.Contains(rv.Problems[0].Key, "grade") {
		t.Fatalf("problem %+v, want line %d", rv.Problems[0], brokenLine)
	}
	_, err = e.App.PlanAdmin.Write(ctx, admin, "cac-2025", []byte(broken), "", 0)
	probs, ok := planadmin.IsProblems(err)
	if !ok || fenghuo.ErrorCode(err) != fenghuo.EINVALID || probs[0].Line != brokenLine {
		t.Fatalf("write of a broken document: %v", err)
	}
	if vs, err := e.App.PlanAdmin.Versions(ctx, admin, "cac-2025"); err != nil || len(vs) != 0 {
		t.Fatalf("versions after a refused write: %v %+v", err, vs)
	}
	// Another id than the plan's: refused on the id line.
	other := strings.Replace(string(cacEdited(t)), "id: cac-2025", "id: cac-2025-x", 1)
	if rv, _ := e.App.PlanAdmin.ReviewDocument(ctx, admin, "cac-2025", []byte(other)); rv.OK() || rv.Problems[0].Key != "id" ||
		rv.Problems[0].Line != 1+strings.Count(other[:strings.Index(other, "id: cac-2025-x")], "\n") {
		t.Fatalf("other id: %+v", rv.Problems)
	}

	// A valid edit: the changes before anything is stored.
	rv, err = e.App.PlanAdmin.ReviewDocument(ctx, admin, "cac-2025", cacEdited(t))
	if err != nil || !rv.OK() || rv.Base != 0 || rv.Same {
		t.Fatalf("review: %v %+v", err, rv)
	}
	if len(rv.Changes) != 1 || rv.Changes[0].Key != "grading.clause[分级指南 较大(8)].text" || rv.Changes[0].New != newClause {
		t.Fatalf("changes: %+v", rv.Changes)
	}
	if p, _ := e.App.Core.Plans().Get("cac-2025"); p.Revision != 0 {
		t.Fatalf("a review changed the plan in force")
	}
	// Confirming against a stale base is refused.
	if _, err := e.App.PlanAdmin.Write(ctx, admin, "cac-2025", cacEdited(t), "修订", 3); err != planadmin.ErrStale {
		t.Fatalf("stale base: %v", err)
	}
	v, err := e.App.PlanAdmin.Write(ctx, admin, "cac-2025", cacEdited(t), "分级指南较大(8)措辞修订", rv.Base)
	if err != nil || v.Version != 2 || v.SM3 != store.PlanDigest(string(cacEdited(t))) {
		t.Fatalf("write: %v %+v", err, v)
	}
	vs, err := e.App.PlanAdmin.Versions(ctx, admin, "cac-2025")
	if err != nil || len(vs) != 2 || vs[0].Version != 2 || vs[0].UploadedBy != adminU.ID || vs[1].Version != 1 || vs[1].UploadedBy != 0 {
		t.Fatalf("versions: %v %+v", err, vs)
	}
	v1, p1, err := e.App.PlanAdmin.Version(ctx, admin, "cac-2025", 1)
	if err != nil || p1 == nil || v1.YAML != string(plan.Builtin().Plans()[1].Raw()) {
		t.Fatalf("version 1 is not the built-in text: %v", err)
	}
	// The same document again: nothing to store.
	if _, err := e.App.PlanAdmin.Write(ctx, admin, "cac-2025", cacEdited(t), "", 2); fenghuo.ErrorCode(err) != fenghuo.EINVALID {
		t.Fatalf("unchanged write: %v", err)
	}
	changes, err := e.App.PlanAdmin.Compare(ctx, admin, "cac-2025", 1, 2)
	if err != nil || len(changes) != 1 || changes[0].Old != oldClause {
		t.Fatalf("compare 1→2: %v %+v", err, changes)
	}

	p, err := e.App.Core.Plans().Get("cac-2025")
	if err != nil || p.Revision != 2 || !strings.Contains(string(p.Raw()), newClause) {
		t.Fatalf("registry: %v revision %d", err, p.Revision)
	}
	if fb, _ := e.App.Core.Plans().Fallback("cac-2025"); fb.Revision != 0 || strings.Contains(string(fb.Raw()), newClause) {
		t.Fatalf("the built-in fallback changed")
	}

	audits, err := e.DB.AuditEntries(ctx, store.AuditFilter{ActionPrefix: "plan.write"}, store.Page{Limit: 10})
	if err != nil || len(audits.Items) != 1 {
		t.Fatalf("audit: %v %+v", err, audits.Items)
	}
	a := audits.Items[0]
	var detail struct {
		Version  int    `json:"version"`
		SM3      string `json:"sm3"`
		Recorded int    `json:"fallback_recorded_as"`
	}
	if err := json.Unmarshal([]byte(a.Detail), &detail); err != nil || a.ObjectID != "cac-2025" || a.ActorID != adminU.ID ||
		detail.Version != 2 || detail.SM3 != v.SM3 || detail.Recorded != 1 {
		t.Fatalf("audit entry %+v (%v)", a, err)
	}

	// The incident keeps the clause it was graded with.
	inc, err = e.App.Incidents.Incident(ctx, rep, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if texts, rev := clauseTexts(inc, "cac-2025"); len(texts) != 1 || texts[0] != oldClause || rev != 0 {
		t.Fatalf("after the upload: %q revision %d", texts, rev)
	}
	// A new incident, and a regrade, use version 2.
	inc2, err := e.App.Incidents.CreateIncident(ctx, rep, incident.IncidentInput{OrgID: e.Orgs["school"].ID, Title: "网站再次中断",
		DiscoveredAt: e.Clock.Now(), Facts: plan.Facts{"social_impact": "relatively_serious"}})
	if err != nil {
		t.Fatal(err)
	}
	if texts, rev := clauseTexts(inc2, "cac-2025"); len(texts) != 1 || texts[0] != newClause || rev != 2 {
		t.Fatalf("new incident: %q revision %d", texts, rev)
	}
	inc, err = e.App.Incidents.UpdateFacts(ctx, rep, inc.ID, inc.Version, plan.Facts{"social_impact": "relatively_serious", "economic_loss_cny": 1000}, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if texts, rev := clauseTexts(inc, "cac-2025"); len(texts) != 1 || texts[0] != newClause || rev != 2 {
		t.Fatalf("regraded: %q revision %d", texts, rev)
	}
}

// A new plan (an id of its own) starts at version 1; a document for a new
// plan whose id is taken is reviewed against the plan in force.
func TestNewPlan(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	adminU, _ := e.User(t, "sysadmin", "city", fenghuo.RoleSystemAdmin)
	admin := e.Actor(t, adminU)
	p, _ := plan.Builtin().Get("wushen-county")
	doc := []byte(strings.Replace(string(p.Raw()), "id: wushen-county", "id: wushen-county-2027", 1))
	rv, err := e.App.PlanAdmin.ReviewDocument(ctx, admin, "", doc)
	if err != nil || !rv.OK() || rv.PlanID != "wushen-county-2027" || rv.Base != -1 || len(rv.Changes) != 0 {
		t.Fatalf("review: %v %+v", err, rv)
	}
	v, err := e.App.PlanAdmin.Write(ctx, admin, "", doc, "乌审旗2027年修订稿", rv.Base)
	if err != nil || v.Version != 1 || v.PlanID != "wushen-county-2027" {
		t.Fatalf("write: %v %+v", err, v)
	}
	if got, err := e.App.Core.Plans().Get("wushen-county-2027"); err != nil || got.Revision != 1 {
		t.Fatalf("registry: %v", err)
	}
	if ids := e.App.Core.Plans().IDs(); ids[len(ids)-1] != "wushen-county-2027" {
		t.Fatalf("ids: %v", ids)
	}
	// Orgs may now name it.
	if _, err := e.App.Core.Plans().Get("wushen-county-2027"); err != nil {
		t.Fatal(err)
	}
	rv, _ = e.App.PlanAdmin.ReviewDocument(ctx, admin, "", doc)
	if !rv.OK() || rv.Base != 1 || !rv.Same {
		t.Fatalf("second review: %+v", rv)
	}
}

// Two replicas over one database: the one that wrote serves the new
// version at once, the other at its next check (at most SyncEvery later,
// here forced to every read).
func TestReplicasPickUpNewVersions(t *testing.T) {
	dsn := apptest.DSN(t)
	db, a := apptest.OpenApp(t, dsn)
	_, b := apptest.OpenApp(t, dsn)
	ctx := context.Background()
	root := &fenghuo.Org{Name: "测试市委网信办", Level: fenghuo.LevelCity, Type: fenghuo.OrgRegulator}
	if err := db.CreateOrg(ctx, root); err != nil {
		t.Fatal(err)
	}
	u := &fenghuo.User{OrgID: root.ID, Username: "sysadmin", DisplayName: "系统管理员", Roles: []fenghuo.Role{fenghuo.RoleSystemAdmin}, PasswordHash: "x"}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	admin := &app.Actor{User: *u, Org: *root, Via: "console"}

	if p, _ := b.Core.Plans().Get("cac-2025"); p.Revision != 0 {
		t.Fatalf("replica b before: revision %d", p.Revision)
	}
	if _, err := a.PlanAdmin.Write(ctx, admin, "cac-2025", cacEdited(t), "", 0); err != nil {
		t.Fatal(err)
	}
	if p, _ := a.Core.Plans().Get("cac-2025"); p.Revision != 2 {
		t.Fatalf("replica a: revision %d", p.Revision)
	}
	// b checked less than SyncEvery ago: it still serves what it loaded.
	if p, _ := b.Core.Plans().Get("cac-2025"); p.Revision != 0 {
		t.Fatalf("replica b checked again within SyncEvery")
	}
	b.PlanAdmin.SetSyncEvery(0)
	if p, _ := b.Core.Plans().Get("cac-2025"); p.Revision != 2 || !strings.Contains(string(p.Raw()), newClause) {
		t.Fatalf("replica b after its next check: revision %d", p.Revision)
	}
	// A third replica started now loads version 2 on its first read.
	_, c := apptest.OpenApp(t, dsn)
	if p, _ := c.Core.Plans().Get("cac-2025"); p.Revision != 2 {
		t.Fatalf("replica c: revision %d", p.Revision)
	}
}
