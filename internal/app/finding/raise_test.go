package finding_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/finding"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

func raise(t *testing.T, e *apptest.Env, ac *app.Actor, in finding.Input) (*fenghuo.Finding, bool, error) {
	t.Helper()
	var f *fenghuo.Finding
	var merged bool
	err := e.DB.WithTx(context.Background(), func(tx *store.Tx) error {
		var err error
		f, merged, err = e.App.Findings.RaiseTx(context.Background(), tx, ac, in)
		return err
	})
	return f, merged, err
}

func TestRaiseMergesAnIdenticalActiveFinding(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	analyst, _ := e.User(t, "county_analyst", "county", fenghuo.RoleAnalyst)
	ac := e.Actor(t, analyst)
	now := e.Clock.Now()
	in := finding.Input{OrgID: e.Orgs["school"].ID, Source: fenghuo.FindingSourceInspection, SourceRef: "campaign:1/item:4",
		Key: "default-password/router", Title: "边界路由器使用默认口令", Severity: fenghuo.SeverityMedium}
	f, merged, err := raise(t, e, ac, in)
	if err != nil || merged {
		t.Fatalf("raise: %v merged=%v", err, merged)
	}
	// No deadline given: the default SLA for medium, 30 days.
	if !f.DueAt.Equal(now.Add(30*24*time.Hour)) || f.State != fenghuo.FindingOpen {
		t.Fatalf("finding: %+v", f)
	}
	o, err := obligation(e, f.ObligationID)
	if err != nil || o.Kind != store.ObligationKindFinding || o.RecipientOrgID != e.Orgs["county"].ID || !o.DueAt.Equal(f.DueAt) ||
		!o.RemindAt.Equal(f.DueAt.Add(-24*time.Hour)) {
		t.Fatalf("obligation: %+v %v", o, err)
	}

	// Found again two days later by a risk notice, as high: merged, one
	// more occurrence, severity raised and the deadline brought forward to
	// the high SLA (7 days from now).
	e.Clock.Advance(48 * time.Hour)
	in2 := in
	in2.Source, in2.SourceRef, in2.Severity = fenghuo.FindingSourceRiskNotice, "notice:9", fenghuo.SeverityHigh
	g, merged, err := raise(t, e, ac, in2)
	if err != nil || !merged || g.ID != f.ID {
		t.Fatalf("merge: %v merged=%v %+v", err, merged, g)
	}
	got, err := e.DB.Finding(ctx, f.ID)
	if err != nil || got.Occurrences != 2 || got.Severity != fenghuo.SeverityHigh || !got.DueAt.Equal(e.Clock.Now().Add(7*24*time.Hour)) {
		t.Fatalf("merged finding: %+v %v", got, err)
	}
	if o, _ := obligation(e, f.ObligationID); !o.DueAt.Equal(got.DueAt) {
		t.Fatalf("obligation not moved: %+v", o)
	}
	// Another system of the same unit, or another key, is another finding.
	in3 := in
	in3.Key = "default-password/switch"
	h, merged, err := raise(t, e, ac, in3)
	if err != nil || merged || h.ID == f.ID {
		t.Fatalf("distinct key: %v %v", err, merged)
	}
	events, err := e.DB.FindingEvents(ctx, f.ID)
	if err != nil || len(events) != 2 || events[0].Kind != "raised" || events[1].Kind != "merged" {
		t.Fatalf("history: %+v %v", events, err)
	}

	// A county office cannot raise a finding on another county's unit.
	in4 := in
	in4.OrgID = e.Orgs["school2"].ID
	if _, _, err := raise(t, e, ac, in4); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		t.Fatalf("other subtree: %v", err)
	}
	// The system actor (monitoring) may.
	if _, _, err := raise(t, e, app.SystemActor(), in4); err != nil {
		t.Fatalf("system actor: %v", err)
	}
	// Unknown source or severity is refused.
	in5 := in
	in5.Key, in5.Severity = "x", "urgent"
	if _, _, err := raise(t, e, ac, in5); fenghuo.ErrorCode(err) != fenghuo.EINVALID {
		t.Fatalf("bad severity: %v", err)
	}
}

func obligation(e *apptest.Env, id int64) (*fenghuo.Obligation, error) {
	var o *fenghuo.Obligation
	err := e.DB.View(context.Background(), func(tx *store.Tx) error {
		var err error
		o, err = tx.Obligation(context.Background(), id)
		return err
	})
	return o, err
}

// The history names what raised a finding in words: a risk notice, a
// campaign or an exposure check by its number (风险通报#3), not by the
// stored reference (风险通报,risk_notice:3); an office's typed reference
// as typed.
func TestRaisedHistoryNamesTheSourceInWords(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	for i, c := range []struct{ source, ref, want string }{
		{fenghuo.FindingSourceRiskNotice, "risk_notice:3", "发现隐患（来源：风险通报#3）"},
		{fenghuo.FindingSourceInspection, "inspection:12/default-passwords", "发现隐患（来源：检查#12）"},
		{fenghuo.FindingSourceExposure, "exposure-check:7", "发现隐患（来源：暴露面检测#7）"},
		{fenghuo.FindingSourceExternal, "网安通报12号", "发现隐患（来源：外部报告，网安通报12号）"},
		{fenghuo.FindingSourceExternal, "CNVD:2026-1", "发现隐患（来源：外部报告，CNVD:2026-1）"},
	} {
		f, _, err := raise(t, e, app.SystemActor(), finding.Input{OrgID: e.Orgs["school"].ID, Source: c.source, SourceRef: c.ref,
			Key: fmt.Sprint("words/", i), Title: "门户网站后台弱口令", Severity: fenghuo.SeverityHigh})
		if err != nil {
			t.Fatal(err)
		}
		evs, err := e.DB.FindingEvents(ctx, f.ID)
		if err != nil || len(evs) == 0 || evs[0].Body != c.want {
			t.Errorf("%s: history %+v %v, want %q", c.ref, evs, err, c.want)
		}
	}
}
