package web_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fenghuo/internal/app/finding"
	"fenghuo/internal/apptest"
	"fenghuo/internal/browsertest"
	"fenghuo/internal/fenghuo"
)

// The findings pages over HTTP: the county office records an external
// report for the school; the list, the finding and the board show it in
// words (Chinese, then English) with its deadline; the other county's
// school gets 404; the board exports as XLSX.
func TestFindingsPages(t *testing.T) {
	e, srv := taskConsole(t)
	e.User(t, "county-analyst", "county", fenghuo.RoleAnalyst)
	e.User(t, "school2-rep", "school2", fenghuo.RoleUnitReporter)
	c := browser(t)
	login(t, c, srv, "county-analyst", apptest.Password)

	// A missing title keeps what was typed and says why.
	r, body := post(t, c, srv, "/findings", url.Values{"org_id": {fmt.Sprint(e.Orgs["school"].ID)}, "title": {""},
		"severity": {"high"}, "reference": {"网安通报12号"}})
	if r.StatusCode != 400 || !strings.Contains(body, "请填写隐患名称") || !strings.Contains(body, "网安通报12号") {
		t.Fatalf("empty title: %d %.300s", r.StatusCode, body)
	}
	r, _ = post(t, c, srv, "/findings", url.Values{"org_id": {fmt.Sprint(e.Orgs["school"].ID)}, "title": {"门户网站后台弱口令"},
		"severity": {"high"}, "reference": {"网安通报12号"}, "detail": {"admin/admin123"}})
	loc := r.Header.Get("Location")
	if r.StatusCode != 303 || !strings.HasPrefix(loc, "/findings/") {
		t.Fatalf("record: %d %s", r.StatusCode, loc)
	}
	_, body = get(t, c, srv, "/findings")
	for _, want := range []string{"隐患台账", "门户网站后台弱口令", "甲县第一中学", "高", "待整改", "外部报告", "还剩7天0小时", "预防", "隐患"} {
		if !strings.Contains(body, want) {
			t.Errorf("list lacks %q", want)
		}
	}
	_, body = get(t, c, srv, loc)
	for _, want := range []string{"门户网站后台弱口令", "外部报告 · 网安通报12号", "开始整改", "接受风险"} {
		if !strings.Contains(body, want) {
			t.Errorf("finding page lacks %q", want)
		}
	}
	for _, key := range []string{"finding.", "findings.", "external", "rectifying"} {
		if strings.Contains(stripTags(body), key) {
			t.Errorf("finding page shows the key %q", key)
		}
	}
	_, body = get(t, c, srv, "/findings/board")
	for _, want := range []string{"隐患清零", fmt.Sprintf(`id="total-open" href="/findings?state=work&amp;org_id=%d">1</a>`, e.Orgs["county"].ID), "7天内", "清零趋势", "整改时限（天）", "默认时限", "保存本单位时限"} {
		if !strings.Contains(body, want) {
			t.Errorf("board lacks %q", want)
		}
	}
	r, body = get(t, c, srv, "/findings/board.xlsx")
	if r.StatusCode != 200 || !strings.HasPrefix(body, "PK") {
		t.Errorf("xlsx: %d", r.StatusCode)
	}
	// The SLA form refuses a critical time longer than high's.
	r, body = post(t, c, srv, "/findings/sla", url.Values{"critical": {"9"}, "high": {"7"}, "medium": {"30"}, "low": {"90"}})
	if r.StatusCode != 400 || !strings.Contains(body, "较低级别的整改时限不能短于较高级别") {
		t.Errorf("bad SLA: %d", r.StatusCode)
	}
	// English.
	post(t, c, srv, "/lang", url.Values{"lang": {"en"}, "back": {"/findings"}})
	_, body = get(t, c, srv, "/findings")
	for _, want := range []string{"Findings", "high", "to fix", "external report", "7 d 0 h left", "Prevention"} {
		if !strings.Contains(body, want) {
			t.Errorf("English list lacks %q", want)
		}
	}
	// The other county's school cannot see it.
	c2 := browser(t)
	login(t, c2, srv, "school2-rep", apptest.Password)
	if r, _ := get(t, c2, srv, loc); r.StatusCode != 404 {
		t.Errorf("sibling sees the finding: %d", r.StatusCode)
	}
	if _, body := get(t, c2, srv, "/findings"); strings.Contains(body, "门户网站后台弱口令") {
		t.Error("sibling lists the finding")
	}
}

func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// The finding in a real Chromium: the school starts fixing with its one
// primary action, uploads its evidence, submits; the county office
// verifies it with its primary action and the board shows zero.
func TestChromiumFinding(t *testing.T) {
	chromium := apptest.Chromium(t)
	e, srv := taskConsole(t)
	analyst, _ := e.User(t, "county-analyst", "county", fenghuo.RoleAnalyst)
	e.User(t, "school-rep", "school", fenghuo.RoleUnitReporter)
	ctx := context.Background()
	f, err := e.App.Findings.RaiseManual(ctx, e.Actor(t, analyst), manualInput(e))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "waf.log")
	if err := os.WriteFile(file, []byte("2026-11-20 09:30 WAF rule 942100 enabled\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	page := fmt.Sprintf("%s/findings/%d", srv.URL, f.ID)
	b := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 150*time.Second)
	b.LogIn("school-rep", apptest.Password)
	b.Do(chromedp.Navigate(page), chromedp.WaitVisible(`#finding-next`))
	if n := b.Text(`#finding-next .primary-action`); n != "开始整改" {
		t.Errorf("primary action of an open finding %q", n)
	}
	if cd := b.Text(`#finding-countdown`); !strings.HasPrefix(cd, "还剩3天0小时") {
		t.Errorf("countdown %q", cd)
	}
	b.Do(browsertest.ClickAndLoad(`#finding-next .primary-action`), chromedp.WaitVisible(`#finding-upload`))
	if n := b.Text(`#finding-next .primary-action`); n != "上传整改证明" {
		t.Errorf("primary action while fixing without evidence %q", n)
	}
	b.Do(chromedp.SetUploadFiles(`#f-file`, []string{file}), browsertest.ClickAndLoad(`#finding-upload .primary-action`),
		chromedp.WaitVisible(`#finding-submit`))
	if ev := b.Text(`#finding-evidence`); !strings.Contains(ev, "waf.log") {
		t.Errorf("evidence: %q", ev)
	}
	b.Do(chromedp.SendKeys(`#f-submit-note`, "已修改口令并启用WAF规则"), browsertest.ClickAndLoad(`#finding-submit .primary-action`),
		chromedp.WaitVisible(`#finding-state`))
	b.WaitText(`#finding-state`, "待复核", 5*time.Second)
	if s := b.Text(`#finding-next`); !strings.Contains(s, "等待上级复核") {
		t.Errorf("after submission: %q", s)
	}

	o := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 150*time.Second)
	o.LogIn("county-analyst", apptest.Password)
	o.Do(chromedp.Navigate(page), chromedp.WaitVisible(`#finding-verify`))
	if n := o.Text(`#finding-next .primary-action`); n != "复核通过，销号" {
		t.Errorf("office's primary action %q", n)
	}
	o.Do(browsertest.ClickAndLoad(`#finding-verify .primary-action`), chromedp.WaitVisible(`#finding-state`))
	o.WaitText(`#finding-state`, "已销号", 5*time.Second)
	if h := o.Text(`#finding-history`); !strings.Contains(h, "开始整改") || !strings.Contains(h, "上传整改证明 waf.log") ||
		!strings.Contains(h, "提交整改：已修改口令并启用WAF规则") || !strings.Contains(h, "复核通过，销号") {
		t.Errorf("history: %q", h)
	}
	o.Do(chromedp.Navigate(srv.URL+"/findings/board"), chromedp.WaitVisible(`#finding-totals`))
	if z := o.Text(`#finding-zero`); !strings.Contains(z, "已清零") {
		t.Errorf("board: %q", z)
	}
}

func manualInput(e *apptest.Env) finding.ManualInput {
	return finding.ManualInput{OrgID: e.Orgs["school"].ID, Title: "门户网站后台弱口令", Severity: fenghuo.SeverityCritical, Reference: "网安通报12号"}
}
