package web_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"fenghuo/internal/apptest"
	"fenghuo/internal/browsertest"
	"fenghuo/internal/fenghuo"
)

// In a real Chromium, a system administrator uploads a plan file with an
// error, sees the problem beside its line with the text kept, mends the
// line in the editor, reviews the change and confirms it: version 2 is in
// force and listed in the history.
func TestChromiumPlanUploadReviewConfirm(t *testing.T) {
	chromium := apptest.Chromium(t)
	e, srv := console(t)
	_, secret := e.User(t, "sys1", "city", fenghuo.RoleSystemAdmin)
	_, broken, line := planTexts(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "cac-2025.yaml")
	if err := os.WriteFile(file, []byte(broken), 0o600); err != nil {
		t.Fatal(err)
	}
	b := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 120*time.Second)
	code, err := totp.GenerateCode(secret, e.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	b.Do(chromedp.Navigate(srv.URL+"/login"), chromedp.WaitVisible(`#username`),
		chromedp.SendKeys(`#username`, "sys1"), chromedp.SendKeys(`#password`, apptest.Password),
		chromedp.Submit(`#password`), chromedp.WaitVisible(`#code`),
		chromedp.SendKeys(`#code`, code), chromedp.Submit(`#code`), chromedp.WaitVisible(`nav.side`))

	// From the plan page to the editor; upload the broken file.
	b.Do(chromedp.Navigate(srv.URL+"/plans/cac-2025"), chromedp.WaitVisible(`#edit-plan`),
		browsertest.ClickAndLoad(`#edit-plan`), chromedp.WaitVisible(`#yaml`),
		chromedp.SetUploadFiles(`#file`, []string{file}),
		browsertest.ClickAndLoad(`#review`), chromedp.WaitVisible(`#plan-problems`))
	problems := b.Text(`#plan-problems`)
	if !strings.Contains(problems, "第"+strconv.Itoa(line)+"行") {
		t.Fatalf("the problems do not name line %d: %q", line, problems)
	}
	marked, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll('.gutter span.err')).map(s => s.textContent).join(',')`))
	if err != nil || marked != strconv.Itoa(line) {
		t.Fatalf("gutter marks lines %q, want %d (%v)", marked, line, err)
	}
	// The note beside the line sits on the same height as the line number.
	same, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](`(function(){
		var g = document.querySelector('.gutter span.err').getBoundingClientRect();
		var n = document.querySelector('.notes span.err').getBoundingClientRect();
		return Math.abs(g.top - n.top) < 2; })()`))
	if err != nil || !same {
		t.Errorf("the problem is not beside its line (%v)", err)
	}
	text, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`document.getElementById('yaml').value`))
	if err != nil || !strings.Contains(text, "grade: VI") {
		t.Fatalf("the uploaded text was not kept in the editor (%v)", err)
	}
	browsertest.Screenshot(t, b.Ctx, dir, "plan-problems.png")

	// Clicking the problem selects its line; mend it in the editor.
	b.Do(chromedp.Click(`#plan-problems a[data-line]`))
	sel, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`(function(){ var t = document.getElementById('yaml'); return t.value.substring(t.selectionStart, t.selectionEnd); })()`))
	if err != nil || strings.TrimSpace(sel) != "grade: VI" {
		t.Errorf("the problem link selected %q (%v)", sel, err)
	}
	if _, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](`(function(){ var t = document.getElementById('yaml');
		t.value = t.value.replace('grade: VI', 'grade: III'); t.dispatchEvent(new Event('input')); return true; })()`)); err != nil {
		t.Fatal(err)
	}
	b.Do(chromedp.SendKeys(`#note`, "较大(8)措辞修订"),
		browsertest.ClickAndLoad(`#review`), chromedp.WaitVisible(`#plan-changes`))
	changes := b.Text(`#plan-changes`)
	if !strings.Contains(changes, "定级条款「分级指南 较大(8)」") || !strings.Contains(changes, "（2026年修订）") {
		t.Fatalf("review shows %q", changes)
	}
	if next := b.Text(`#review-next`); !strings.Contains(next, "第2版") {
		t.Errorf("review says it stores %q", next)
	}
	browsertest.Screenshot(t, b.Ctx, dir, "plan-review.png")

	b.Do(browsertest.ClickAndLoad(`#confirm`))
	if got := b.WaitText(`#in-force`, "第2版", 20*time.Second); got != "第2版" {
		t.Errorf("in force: %q", got)
	}
	hist := b.WaitText(`#plan-versions`, "第1版", 10*time.Second)
	if !strings.Contains(hist, "第1版") || !strings.Contains(hist, "已被取代") || !strings.Contains(hist, "较大(8)措辞修订") {
		t.Errorf("history: %q", hist)
	}
	if p, _ := e.App.Core.Plans().Get("cac-2025"); p.Revision != 2 {
		t.Errorf("registry serves revision %d", p.Revision)
	}
	browsertest.Screenshot(t, b.Ctx, dir, "plan-versions.png")
}
