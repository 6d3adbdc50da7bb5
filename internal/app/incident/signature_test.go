package incident_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"fenghuo/internal/app/incident"
	"fenghuo/internal/apptest"
	"fenghuo/internal/docsign"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// Issue 15's acceptance through the app: a school's initial report goes to
// the county office, which forwards it; the city, receiving it, sees it
// signed by the county office and unchanged. A report changed in the
// database afterwards is named as changed; a key rotated since still
// vouches for what it signed before.
func TestForwardedReportVerifiesAsTheCountyOffice(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	reporter, _ := e.User(t, "rep", "school", fenghuo.RoleUnitReporter)
	countyDuty, _ := e.User(t, "duty", "county", fenghuo.RoleDutyOfficer)
	cityDuty, _ := e.User(t, "cityduty", "city", fenghuo.RoleDutyOfficer)
	rep, duty, city := e.Actor(t, reporter), e.Actor(t, countyDuty), e.Actor(t, cityDuty)
	inc, err := e.App.Incidents.CreateIncident(ctx, rep, incident.IncidentInput{OrgID: e.Orgs["school"].ID, Title: "网站中断",
		DiscoveredAt: e.Clock.Now(), Facts: plan.Facts{"social_impact": "relatively_serious"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Incidents.SubmitReport(ctx, rep, inc.ID, fullReport(fenghuo.ReportInitial)); err != nil {
		t.Fatal(err)
	}
	inbox, _ := e.App.Incidents.Inbox(ctx, duty, store.Page{})
	if inbox.Total != 1 {
		t.Fatalf("county inbox %+v", inbox)
	}
	if err := e.App.Incidents.ReceiveReport(ctx, duty, inbox.Items[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Incidents.ForwardReport(ctx, duty, inbox.Items[0].ID, 0, "请市委网信办转报"); err != nil {
		t.Fatal(err)
	}
	cityInbox, _ := e.App.Incidents.Inbox(ctx, city, store.Page{})
	if cityInbox.Total != 1 {
		t.Fatalf("city inbox %+v", cityInbox)
	}
	toCity := cityInbox.Items[0].ID

	sigs, err := e.App.Incidents.DeliverySignatures(ctx, city, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	c := sigs[toCity]
	if !c.Signed || !c.Result.Good() || c.Result.Block.OfficeID != e.Orgs["county"].ID || c.Result.Trust != docsign.TrustCurrent {
		t.Fatalf("city's delivery: %+v %s", c, c.Result.Reasons())
	}
	if w := c.Words("zh"); !strings.HasPrefix(w, "由甲县委网信办于") || !strings.Contains(w, "未被改动") {
		t.Errorf("zh words %q", w)
	}
	if w := c.Words("en"); !strings.HasPrefix(w, "Signed by 甲县委网信办") || !strings.Contains(w, "unchanged") {
		t.Errorf("en words %q", w)
	}
	// The school's own delivery to the county carries the school's signature.
	fromSchool := sigs[inbox.Items[0].ID]
	if !fromSchool.Result.Good() || fromSchool.Result.Block.OfficeID != e.Orgs["school"].ID {
		t.Errorf("school's delivery: %s", fromSchool.Result.Reasons())
	}
	// Each office's first key was made once, and audited.
	for _, key := range []string{"school", "county"} {
		keys, err := e.DB.SigningKeys(ctx, []int64{e.Orgs[key].ID})
		if err != nil || len(keys) != 1 {
			t.Fatalf("%s keys: %v %+v", key, err, keys)
		}
	}
	audits, err := e.DB.AuditEntries(ctx, store.AuditFilter{ActionPrefix: "signing_key.create"}, store.Page{Limit: 10})
	if err != nil || audits.Total != 2 {
		t.Errorf("key creations audited: %v %d", err, audits.Total)
	}

	// Someone with database access edits the report's items afterwards.
	if n := e.ExecSQL(t, fmt.Sprintf("UPDATE reports SET signer = '王某' WHERE incident_id = %d", inc.ID)); n != 1 {
		t.Fatalf("changed %d reports", n)
	}
	sigs, err = e.App.Incidents.DeliverySignatures(ctx, city, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r := sigs[toCity].Result; r.Failure != docsign.FailChanged || !strings.Contains(sigs[toCity].Words("zh"), "内容在签名后被改动") {
		t.Errorf("after the edit: %s", r.Reasons())
	}
}
