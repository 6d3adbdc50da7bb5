package demo_test

import (
	"context"
	"strings"
	"testing"

	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// The demo's exposure story, checked through the stored results: the
// e-government site's Remote Desktop is a high finding, the school's SSH
// finding carries "re-check: closed", and the county's policy keeps
// scheduled checks off (a demo server never connects to the documentation
// addresses by itself).
func TestSeedDemoExposure(t *testing.T) {
	e := apptest.NewEmpty(t)
	ctx := context.Background()
	if _, err := e.App.Demo.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	systems, err := e.DB.SubtreeSystems(ctx, 0, store.SystemFilter{}, store.Page{Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	var rdpOrg int64
	for _, s := range systems.Items {
		runs, err := e.DB.ExposureRuns(ctx, s.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) == 0 {
			continue
		}
		res, err := e.DB.ExposureResults(ctx, runs[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res {
			if r.FindingID == 0 {
				continue
			}
			f, err := e.DB.Finding(ctx, r.FindingID)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case r.Port == 3389 && r.State == fenghuo.PortOpen && f.Severity == fenghuo.SeverityHigh:
				found["rdp"], rdpOrg = true, s.OrgID
			case r.Port == 22 && r.State == fenghuo.PortClosed:
				events, err := e.DB.FindingEvents(ctx, f.ID)
				if err != nil {
					t.Fatal(err)
				}
				for _, ev := range events {
					if strings.HasPrefix(ev.Body, "复查：端口已关闭") {
						found["recheck"] = true
					}
				}
			}
		}
	}
	if !found["rdp"] || !found["recheck"] {
		t.Errorf("demo exposure story incomplete: %v", found)
	}
	org, err := e.DB.Org(ctx, rdpOrg)
	if err != nil {
		t.Fatal(err)
	}
	var pol fenghuo.ExposurePolicy
	var setBy int64
	if err := e.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		pol, setBy, err = e.App.Exposure.PolicyTx(ctx, tx, org)
		return err
	}); err != nil || pol.Scheduled || setBy == 0 || !pol.HighRisk(23) {
		t.Errorf("a demo policy has scheduled checks on: %+v %v", pol, err)
	}
}
