package demofarm_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/demofarm"
	"fenghuo/internal/monitor"
	"fenghuo/internal/tamper"
)

// Before the attack every site serves its portal; after it, the tamper
// checks the monitors run find what each site is for: nothing on the
// normal one, a defacement, cloaking with a hidden link for Baiduspider, and
// an outage. A second farm preferring the first one's addresses gets them
// once the first is closed.
func TestFarmBeforeAndAfterTheAttack(t *testing.T) {
	f, err := demofarm.Start(nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	c := monitor.NewClient(5*time.Second, nil, true)
	base := map[string]*tamper.Baseline{}
	for _, s := range f.Sites() {
		if !strings.HasPrefix(s.URL, "http://127.0.0.1:") || !strings.HasSuffix(s.URL, s.Path) {
			t.Errorf("site %s at %s", s.Key, s.URL)
		}
		var pages []tamper.Page
		for i := 0; i < 3; i++ {
			r := monitor.Fetch(ctx, c, s.URL, monitor.ProfileBrowser)
			if !r.OK() {
				t.Fatalf("clean %s: %s", s.Key, r.Describe())
			}
			pages = append(pages, tamper.Page{URL: s.URL, HTML: r.Body})
		}
		b, err := tamper.Learn(pages)
		if err != nil {
			t.Fatal(err)
		}
		base[s.Key] = b
		sp := monitor.Fetch(ctx, c, s.URL, monitor.ProfileBaiduspider)
		if rep := tamper.Check(b, pages[0], &tamper.Page{URL: s.URL, HTML: sp.Body}); rep.Verdict != tamper.VerdictClean {
			t.Errorf("clean %s: %+v", s.Key, rep)
		}
	}
	f.Attack()
	want := map[string][]string{demofarm.Normal: nil, demofarm.Defaced: {tamper.KindDefacement},
		demofarm.Cloaked: {tamper.KindCloaking, tamper.KindHiddenLink}}
	prefer := map[string]string{}
	for _, s := range f.Sites() {
		prefer[s.Key] = strings.TrimSuffix(strings.TrimPrefix(s.URL, "http://"), s.Path)
		r := monitor.Fetch(ctx, c, s.URL, monitor.ProfileBrowser)
		if s.Key == demofarm.Down {
			if r.OK() || r.Status != http.StatusServiceUnavailable {
				t.Errorf("down site answered %d", r.Status)
			}
			continue
		}
		sp := monitor.Fetch(ctx, c, s.URL, monitor.ProfileBaiduspider)
		rep := tamper.Check(base[s.Key], tamper.Page{URL: s.URL, HTML: r.Body}, &tamper.Page{URL: s.URL, HTML: sp.Body})
		got := rep.Kinds()
		for _, k := range want[s.Key] {
			if !strings.Contains(strings.Join(got, ","), k) {
				t.Errorf("%s after the attack: kinds %v, want %s", s.Key, got, k)
			}
		}
		if len(want[s.Key]) == 0 && rep.Verdict != tamper.VerdictClean {
			t.Errorf("normal site after the attack: %+v", rep)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	g, err := demofarm.Start(prefer)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	for _, s := range g.Sites() {
		if !strings.Contains(s.URL, prefer[s.Key]+"/") {
			t.Errorf("restarted %s at %s, want %s", s.Key, s.URL, prefer[s.Key])
		}
	}
}
