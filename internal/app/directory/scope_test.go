package directory_test

import (
	"context"
	"testing"

	"fenghuo/internal/app/account"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

func TestSubtreeScoping(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	reporter, _ := e.User(t, "rep", "school", fenghuo.RoleUnitReporter)
	county, _ := e.User(t, "cty", "county", fenghuo.RoleAnalyst)
	sys := &fenghuo.System{OrgID: e.Orgs["hospital"].ID, Name: "HIS", ProtectionLevel: 3}
	if err := e.App.Directory.CreateSystem(ctx, e.Actor(t, county), sys); err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Directory.System(ctx, e.Actor(t, reporter), sys.ID); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		t.Errorf("a school reporter read the hospital's system: %v", err)
	}
	sys.Name = "changed"
	if err := e.App.Directory.UpdateSystem(ctx, e.Actor(t, reporter), sys); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		t.Errorf("a school reporter changed the hospital's system: %v", err)
	}
	if _, err := e.App.Directory.System(ctx, e.Actor(t, county), sys.ID); err != nil {
		t.Errorf("the county cannot read its unit's system: %v", err)
	}
	own := &fenghuo.System{OrgID: e.Orgs["school"].ID, Name: "校园网站"}
	if err := e.App.Directory.CreateSystem(ctx, e.Actor(t, reporter), own); err != nil {
		t.Errorf("a reporter cannot register its own system: %v", err)
	}
	list, err := e.App.Directory.Systems(ctx, e.Actor(t, reporter), store.SystemFilter{}, store.Page{})
	if err != nil || list.Total != 1 {
		t.Errorf("reporter sees %d systems (%v), want 1", list.Total, err)
	}
	if _, err := e.App.Directory.Org(ctx, e.Actor(t, county), e.Orgs["county2"].ID); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		t.Errorf("a county sees its sibling: %v", err)
	}
	if _, err := e.App.Directory.Org(ctx, e.Actor(t, county), e.Orgs["city"].ID); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		t.Errorf("a county sees its parent: %v", err)
	}
	res, err := e.App.AuditLog.VerifyAudit(ctx, account.CLIActor())
	if err != nil || !res.OK || res.Checked < 2 {
		t.Errorf("audit chain: %+v %v", res, err)
	}
}
