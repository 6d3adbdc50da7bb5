package demo_test

import (
	"context"
	"testing"

	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// The demo region has a findings ledger: nine findings over its units,
// each on its named system, two being fixed and one risk accepted, all
// with their deadline duties (the accepted one's cancelled).
func TestSeedDemoFindings(t *testing.T) {
	e := apptest.NewEmpty(t)
	ctx := context.Background()
	if _, err := e.App.Demo.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	root, err := e.DB.SubtreeOrgs(ctx, 0, store.OrgFilter{}, store.Page{Limit: 1})
	if err != nil || len(root.Items) == 0 {
		t.Fatal(err)
	}
	res, err := e.DB.Findings(ctx, store.FindingFilter{ScopeOrgID: root.Items[0].ID}, store.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]int{}
	for _, f := range res.Items {
		states[f.State]++
		if f.SystemID == 0 {
			t.Errorf("demo finding %q has no system", f.Title)
		}
		if fenghuo.FindingNeedsWork(f.State) == (f.ObligationID == 0) {
			t.Errorf("demo finding %q (%s) obligation %d", f.Title, f.State, f.ObligationID)
		}
	}
	if res.Total != 9 || states[fenghuo.FindingRectifying] != 2 || states[fenghuo.FindingAccepted] != 1 || states[fenghuo.FindingOpen] != 6 {
		t.Fatalf("demo findings: %d %v", res.Total, states)
	}
}
