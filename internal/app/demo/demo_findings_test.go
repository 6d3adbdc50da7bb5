package demo_test

import (
	"context"
	"strings"
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
	// The exposure checks, the inspection campaign and the risk notices of
	// the demo raise findings of their own (their source refs name the
	// check, campaign or notice); the ledger's demo is the rest.
	states, ledger := map[string]int{}, 0
	for _, f := range res.Items {
		if strings.HasPrefix(f.SourceRef, "exposure-check:") || strings.HasPrefix(f.SourceRef, "inspection:") || strings.HasPrefix(f.SourceRef, "risk_notice:") {
			continue
		}
		ledger++
		states[f.State]++
		if f.SystemID == 0 {
			t.Errorf("demo finding %q has no system", f.Title)
		}
		if fenghuo.FindingNeedsWork(f.State) == (f.ObligationID == 0) {
			t.Errorf("demo finding %q (%s) obligation %d", f.Title, f.State, f.ObligationID)
		}
	}
	if ledger != 9 || states[fenghuo.FindingRectifying] != 2 || states[fenghuo.FindingAccepted] != 1 || states[fenghuo.FindingOpen] != 6 {
		t.Fatalf("demo findings: %d %v", ledger, states)
	}
}
