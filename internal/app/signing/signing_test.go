package signing_test

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/apptest"
	"fenghuo/internal/docsign"
	"fenghuo/internal/export"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

func docx(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := export.WriteNoticeDOCX(&buf, export.Notice{Title: "关于弱口令的风险提示", Author: "甲县委网信办"}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Two exports by the same office at once, before it has a key, end with
// one key, made once and audited once; both documents verify with it.
func TestConcurrentFirstSignatureMakesOneKey(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	u1, _ := e.User(t, "duty1", "county", fenghuo.RoleDutyOfficer)
	u2, _ := e.User(t, "duty2", "county", fenghuo.RoleDutyOfficer)
	actors := []*app.Actor{e.Actor(t, u1), e.Actor(t, u2), e.Actor(t, u1), e.Actor(t, u2)}
	doc := docx(t)
	signed := make([][]byte, len(actors))
	errs := make([]error, len(actors))
	var wg sync.WaitGroup
	for i, a := range actors {
		wg.Add(1)
		go func() {
			defer wg.Done()
			signed[i], errs[i] = e.App.Signing.SignDocument(ctx, a, doc)
		}()
	}
	wg.Wait()
	keys, err := e.DB.SigningKeys(ctx, []int64{e.Orgs["county"].ID})
	if err != nil || len(keys) != 1 {
		t.Fatalf("keys: %v %d", err, len(keys))
	}
	for i := range actors {
		if errs[i] != nil {
			t.Fatalf("signer %d: %v", i, errs[i])
		}
		r, err := e.App.Signing.Check(ctx, actors[0], signed[i])
		if err != nil || !r.Good() || r.Block.KeyID != keys[0].KeyID || r.Trust != docsign.TrustCurrent {
			t.Errorf("document %d: %v %s", i, err, r.Reasons())
		}
	}
	audits, err := e.DB.AuditEntries(ctx, store.AuditFilter{ActionPrefix: "signing_key.create"}, store.Page{Limit: 10})
	if err != nil || audits.Total != 1 {
		t.Errorf("key creations audited: %v %d", err, audits.Total)
	}
}

// Rotation is a system administrator's, of the office or above: a
// commander's org.write is not enough, a sibling's office is not found.
// What the old key signed still verifies, saying it was retired; the keys
// published to the county are its own, the city's and its school's.
func TestRotateAndPublish(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	cityAdminU, _ := e.User(t, "city-sys", "city", fenghuo.RoleSystemAdmin)
	countyAdminU, _ := e.User(t, "county-sys", "county", fenghuo.RoleSystemAdmin)
	commanderU, _ := e.User(t, "county-cmd", "county", fenghuo.RoleCommander)
	dutyU, _ := e.User(t, "county-duty", "county", fenghuo.RoleDutyOfficer)
	cityAdmin, countyAdmin, commander, duty := e.Actor(t, cityAdminU), e.Actor(t, countyAdminU), e.Actor(t, commanderU), e.Actor(t, dutyU)

	old, err := e.App.Signing.SignDocument(ctx, duty, docx(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.App.Signing.Rotate(ctx, commander, e.Orgs["county"].ID); fenghuo.ErrorCode(err) != fenghuo.EFORBIDDEN {
		t.Errorf("a commander rotated: %v", err)
	}
	if _, _, err := e.App.Signing.Rotate(ctx, countyAdmin, e.Orgs["county2"].ID); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		t.Errorf("the county's admin rotated a sibling's key: %v", err)
	}
	if _, _, err := e.App.Signing.Rotate(ctx, countyAdmin, e.Orgs["city"].ID); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		t.Errorf("the county's admin rotated the city's key: %v", err)
	}
	e.Clock.Advance(time.Hour)
	made, retired, err := e.App.Signing.Rotate(ctx, cityAdmin, e.Orgs["county"].ID)
	if err != nil || retired == nil || made.KeyID == retired.KeyID {
		t.Fatalf("the city's admin rotates the county's key: %v %+v %+v", err, made, retired)
	}
	r, err := e.App.Signing.Check(ctx, duty, old)
	if err != nil || !r.Good() || r.Trust != docsign.TrustRetired || !r.RetiredAt.Equal(retired.RetiredAt) {
		t.Errorf("the old document after rotation: %v %s", err, r.Reasons())
	}
	fresh, err := e.App.Signing.SignDocument(ctx, duty, docx(t))
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := e.App.Signing.Check(ctx, duty, fresh); !r.Good() || r.Block.KeyID != made.KeyID || r.Trust != docsign.TrustCurrent {
		t.Errorf("a new document: %s", r.Reasons())
	}
	// The county keeps both keys: the retired one and the current one.
	if keys, err := e.DB.SigningKeys(ctx, []int64{e.Orgs["county"].ID}); err != nil || len(keys) != 2 || keys[0].Current() || !keys[1].Current() {
		t.Fatalf("county keys: %v %+v", err, keys)
	}

	// Keys of the school and the sibling county, then what the county sees.
	for _, k := range []string{"school", "county2", "city"} {
		if _, _, err := e.App.Signing.Rotate(ctx, cityAdmin, e.Orgs[k].ID); err != nil {
			t.Fatal(err)
		}
	}
	p, err := e.App.Signing.Keys(ctx, duty)
	if err != nil {
		t.Fatal(err)
	}
	rel := map[int64][]string{}
	for _, k := range p.Keys {
		rel[k.OrgID] = append(rel[k.OrgID], k.Relation)
		if k.MayRotate {
			t.Errorf("a duty officer may rotate %d", k.OrgID)
		}
	}
	if len(rel[e.Orgs["county"].ID]) != 2 || rel[e.Orgs["county"].ID][0] != "self" || len(rel[e.Orgs["city"].ID]) != 1 ||
		rel[e.Orgs["city"].ID][0] != "above" || rel[e.Orgs["school"].ID][0] != "below" || rel[e.Orgs["county2"].ID] != nil {
		t.Errorf("published to the county: %v", rel)
	}
	if len(p.Trust.Keys) != len(p.Keys) || p.Keyless != nil {
		t.Errorf("trust %d keys for %d, keyless %v", len(p.Trust.Keys), len(p.Keys), p.Keyless)
	}
	ap, err := e.App.Signing.Keys(ctx, countyAdmin)
	if err != nil {
		t.Fatal(err)
	}
	var keyless []string
	for _, o := range ap.Keyless {
		keyless = append(keyless, o.Name)
	}
	if len(keyless) != 1 || keyless[0] != e.Orgs["hospital"].Name {
		t.Errorf("offices the county's admin may give a first key: %v", keyless)
	}
	for _, k := range ap.Keys {
		if k.MayRotate != (k.RetiredAt.IsZero() && k.Relation != "above") {
			t.Errorf("county admin may rotate %s (%s, retired %v): %v", k.Office, k.Relation, k.RetiredAt, k.MayRotate)
		}
	}
}
