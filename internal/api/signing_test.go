package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"fenghuo/internal/app/incident"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// Issue 15 item 1 through the API: a school's report, forwarded by the
// county office, reads at the city as signed by the county office; the
// report exported as DOCX by the city carries the city's signature, which
// POST /api/v1/signatures/verify names, and one changed byte is named as a
// change. The keys published to the county are its own, the city's and
// the school's, never the sibling county's; a rotation by the county's
// system administrator keeps old signatures good, saying the key retired.
func TestSignaturesThroughTheAPI(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	reporter := e.user(t, "s_rep", "school", fenghuo.RoleUnitReporter)
	e.user(t, "s_duty", "county", fenghuo.RoleDutyOfficer)
	e.user(t, "s_city", "city", fenghuo.RoleDutyOfficer)
	e.user(t, "s_sibling", "county2", fenghuo.RoleUnitReporter)
	e.user(t, "s_admin", "county", fenghuo.RoleSystemAdmin)
	county, city := e.login(t, "s_duty"), e.login(t, "s_city")

	rep := e.Actor(t, reporter)
	inc, err := e.App.Incidents.CreateIncident(ctx, rep, incident.IncidentInput{OrgID: e.Orgs["school"].ID, Title: "网站中断",
		DiscoveredAt: e.Clock.Now(), Facts: plan.Facts{"social_impact": "relatively_serious"}})
	if err != nil {
		t.Fatal(err)
	}
	fields, _ := e.App.Incidents.ReportForm(ctx, rep, inc.ID)
	r, err := e.App.Incidents.SubmitReport(ctx, rep, inc.ID, incident.ReportInput{Kind: "initial", Content: initialContent(fields),
		Signer: "签发人", ReporterName: "报告人", ReporterPhone: "13800138000"})
	if err != nil {
		t.Fatal(err)
	}
	var inbox struct{ Items []struct{ ID int64 } }
	e.do(t, county, "GET", "/api/v1/inbox", nil).want(t, 200).json(t, &inbox)
	e.do(t, county, "POST", fmt.Sprintf("/api/v1/inbox/%d/receive", inbox.Items[0].ID), nil).want(t, 204)
	e.do(t, county, "POST", fmt.Sprintf("/api/v1/inbox/%d/forward", inbox.Items[0].ID), map[string]any{"note": "转报"}).want(t, 200)

	var reports struct {
		Deliveries []struct {
			FromOrgID int64 `json:"from_org_id"`
			ToOrgID   int64 `json:"to_org_id"`
			Signature struct {
				Valid    bool
				Office   string
				OfficeID int64 `json:"office_id"`
				Trust    string
				Message  string
			}
		}
	}
	e.do(t, city, "GET", fmt.Sprintf("/api/v1/incidents/%d/reports", inc.ID), nil).want(t, 200).json(t, &reports)
	found := false
	for _, d := range reports.Deliveries {
		if d.ToOrgID == e.Orgs["city"].ID {
			found = true
			s := d.Signature
			if !s.Valid || s.OfficeID != e.Orgs["county"].ID || s.Trust != "current" || !strings.HasPrefix(s.Message, "由甲县委网信办于") {
				t.Errorf("city's delivery signature: %+v", s)
			}
		}
	}
	if !found {
		t.Fatalf("no delivery to the city: %+v", reports)
	}

	doc := e.do(t, city, "GET", fmt.Sprintf("/api/v1/incidents/%d/reports/%d/docx", inc.ID, r.ID), nil).want(t, 200)
	if doc.Header.Get("Content-Length") != fmt.Sprint(len(doc.Body)) {
		t.Errorf("Content-Length %q for %d bytes", doc.Header.Get("Content-Length"), len(doc.Body))
	}
	var sig struct {
		Signed, Valid bool
		Failure       string
		Office        string
		Message       string
	}
	e.do(t, county, "POST", "/api/v1/signatures/verify", upload("report.docx", string(doc.Body))).want(t, 200).json(t, &sig)
	if !sig.Signed || !sig.Valid || sig.Office != e.Orgs["city"].Name || !strings.Contains(sig.Message, "未被改动") {
		t.Errorf("verify the export: %+v", sig)
	}
	bad := []byte(string(doc.Body))
	bad[len(bad)/2] ^= 1
	en := county
	en.lang = "en"
	e.do(t, en, "POST", "/api/v1/signatures/verify", upload("report.docx", string(bad))).want(t, 200).json(t, &sig)
	if sig.Valid || sig.Failure != "content_changed" || !strings.Contains(sig.Message, "Content changed after signing") {
		t.Errorf("verify a changed export: %+v", sig)
	}

	var keys struct {
		Items []struct {
			OrgID     int64 `json:"org_id"`
			KeyID     string
			Relation  string
			MayRotate bool `json:"may_rotate"`
		}
	}
	e.do(t, county, "GET", "/api/v1/signing-keys", nil).want(t, 200).json(t, &keys)
	seen := map[int64]string{}
	for _, k := range keys.Items {
		seen[k.OrgID] = k.Relation
		if k.MayRotate {
			t.Errorf("a duty officer may rotate %d", k.OrgID)
		}
	}
	// The sibling county's administrator gives it a key.
	if _, _, err := e.App.Signing.Rotate(ctx, e.Actor(t, e.user(t, "s_sibadmin", "county2", fenghuo.RoleSystemAdmin)), e.Orgs["county2"].ID); err != nil {
		t.Fatal(err)
	}
	e.do(t, county, "GET", "/api/v1/signing-keys", nil).want(t, 200).json(t, &keys)
	seen = map[int64]string{}
	for _, k := range keys.Items {
		seen[k.OrgID] = k.Relation
	}
	if seen[e.Orgs["county"].ID] != "self" || seen[e.Orgs["city"].ID] != "above" || seen[e.Orgs["school"].ID] != "below" || seen[e.Orgs["county2"].ID] != "" {
		t.Errorf("keys published to the county: %v", seen)
	}
	trust := e.do(t, county, "GET", "/api/v1/signing-keys/trust.json", nil).want(t, 200)
	if !strings.Contains(trust.Header.Get("Content-Disposition"), "fenghuo-signing-keys.json") || !strings.Contains(string(trust.Body), `"format": "fenghuo-signing-keys/1"`) {
		t.Errorf("trust file: %s %s", trust.Header, trust.Body)
	}

	// The county's system administrator rotates the county's key: the
	// forwarded report still verifies, with a key retired since.
	e.Clock.Advance(3600e9)
	admin, city := e.login(t, "s_admin"), e.login(t, "s_city")
	e.do(t, admin, "POST", fmt.Sprintf("/api/v1/orgs/%d/signing-key", e.Orgs["city"].ID), nil).want(t, 404)
	var rot struct {
		KeyID   string `json:"key_id"`
		Retired string `json:"retired_key_id"`
	}
	e.do(t, admin, "POST", fmt.Sprintf("/api/v1/orgs/%d/signing-key", e.Orgs["county"].ID), nil).want(t, 200).json(t, &rot)
	if rot.KeyID == "" || rot.Retired == "" || rot.KeyID == rot.Retired {
		t.Fatalf("rotation: %+v", rot)
	}
	e.do(t, city, "GET", fmt.Sprintf("/api/v1/incidents/%d/reports", inc.ID), nil).want(t, 200).json(t, &reports)
	for _, d := range reports.Deliveries {
		if d.ToOrgID == e.Orgs["city"].ID && (!d.Signature.Valid || d.Signature.Trust != "retired" || !strings.Contains(d.Signature.Message, "签名所用密钥已于")) {
			t.Errorf("after rotation: %+v", d.Signature)
		}
	}
	audits, err := e.DB.AuditEntries(ctx, store.AuditFilter{ActionPrefix: "signing_key.rotate"}, store.Page{Limit: 5})
	if err != nil || audits.Total != 1 {
		t.Errorf("rotation audited: %v %d", err, audits.Total)
	}
}
