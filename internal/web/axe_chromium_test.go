package web_test

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"fenghuo/internal/apptest"
	"fenghuo/internal/browsertest"
	"fenghuo/internal/store"
)

// axeScript reads axe-core's browser build from node_modules at the
// repository root (package.json pins axe-core; scripts/test.sh runs npm ci).
// Without it the test is skipped, except in CI (CI=true), which must have it.
func axeScript(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
	b, err := os.ReadFile(filepath.Join(dir, "node_modules", "axe-core", "axe.min.js"))
	if errors.Is(err, os.ErrNotExist) {
		if os.Getenv("CI") == "true" {
			t.Fatal("node_modules/axe-core/axe.min.js is missing: run npm ci at the repository root (scripts/test.sh does)")
		}
		t.Skip("node_modules/axe-core/axe.min.js is missing: run npm ci at the repository root to check accessibility")
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// axeRun runs axe with the WCAG 2.0/2.1 A and AA rules and answers the
// serious and critical violations, one line per rule and element.
const axeRun = `axe.run(document, {
  runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
  resultTypes: ['violations'],
}).then(r => r.violations
  .filter(v => v.impact === 'serious' || v.impact === 'critical')
  .flatMap(v => v.nodes.map(n => v.impact + ' ' + v.id + ' at ' + n.target.join(' ') + ': ' +
    (n.failureSummary || '').replace(/\s+/g, ' ').slice(0, 240))))`

// crawlSkip are links that download a file or leave the console, not pages.
var crawlSkip = regexp.MustCompile(`\.(xlsx|docx|pdf|csv|json|txt|zip)$|/(docx|pdf|xlsx|html|txt)$|^/(evidence|inspection-evidence|ack|static|api)/`)

// crawlPattern folds numbers out of a path (and drops the query), so one
// page of each kind is checked per language: /incidents/12/tasks and
// /incidents/13/tasks are the same template.
func crawlPattern(p string) string {
	u, err := url.Parse(p)
	if err != nil {
		return p
	}
	return regexp.MustCompile(`/[0-9]+`).ReplaceAllString(u.Path, "/N")
}

// In a real Chromium over the demo region, axe-core checks every console
// page reachable from home by links (a bounded crawl: one page of each kind
// per language, 80 pages at most per account and language), logged in as a
// city commander, a county duty officer, a unit reporter, the three
// administrators (the TOTP enrolment page included) and a wall display, in
// Chinese and in English, and the log-in page: no
// serious or critical violation of the WCAG 2 A and AA rules.
func TestChromiumAxeEveryPage(t *testing.T) {
	if apptest.Engine(t) == store.Postgres {
		// The pages' markup does not depend on the engine: the walk (about
		// two minutes) runs once, in the SQLite pass of scripts/test.sh;
		// every other console test runs on both engines.
		t.Skip("axe-core walks the console in the SQLite pass")
	}
	script := axeScript(t)
	chromium := apptest.Chromium(t)
	s := apptest.OpenDemo(t, apptest.DSN(t), 10, nil)

	problems := 0
	check := func(b *browsertest.Session, page string) {
		if _, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](script+";true")); err != nil {
			t.Fatalf("inject axe-core into %s: %v", page, err)
		}
		found, err := chromedp.Run(b.Ctx, chromedp.Evaluate[[]string](axeRun, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("axe on %s: %v", page, err)
		}
		for _, f := range found {
			problems++
			t.Errorf("%s: %s", page, f)
		}
	}

	login := browsertest.NewSession(t, chromium, s.URL, 1280, 1000, 60*time.Second)
	login.Do(chromedp.Navigate(s.URL+"/login"), chromedp.WaitVisible(`#username`))
	check(login, "/login")

	// The demo's wall display (qx-wall) is bound to loopback, where the
	// browser runs.
	if s.Accounts["qx-wall"] == "" {
		t.Fatal("the demo has no display account qx-wall")
	}

	seen := map[string]bool{} // language + pattern
	checked := 0
	for _, user := range []string{"commander", "qx-duty", "reporter", "sysadmin", "secadmin", "auditor", "qx-wall"} {
		b := browsertest.NewSession(t, chromium, s.URL, 1280, 1000, 15*time.Minute)
		if strings.HasSuffix(user, "admin") || user == "auditor" {
			// Administrators enrol a second factor at their first log-in:
			// the enrolment page (with its QR code) is checked too.
			b.Do(chromedp.Navigate(s.URL+"/login"), chromedp.WaitVisible(`#username`),
				chromedp.SendKeys(`#username`, user), chromedp.SendKeys(`#password`, s.Accounts[user]),
				chromedp.Submit(`#password`), chromedp.WaitVisible(`#totp-secret`))
			if !seen["enroll"] {
				seen["enroll"] = true
				check(b, "/login/enroll ("+user+")")
			}
			code, err := totp.GenerateCode(strings.TrimSpace(b.Text(`#totp-secret`)), time.Now())
			if err != nil {
				t.Fatal(err)
			}
			b.Do(chromedp.SendKeys(`#code`, code), chromedp.Submit(`#code`), chromedp.WaitVisible(`#recovery-codes`))
			if !seen["recovery"] {
				seen["recovery"] = true
				check(b, "/login/enroll, recovery codes ("+user+")")
			}
			b.Do(browsertest.ClickAndLoad(`#recovery-continue`), chromedp.WaitVisible(`nav.side`))
		} else if user == "qx-wall" {
			// A display lands on /wall (aware's page); here it is sent to the
			// inbox, and the crawl starts from home all the same.
			b.Do(chromedp.Navigate(s.URL+"/login?next=%2Finbox"), chromedp.WaitVisible(`#username`),
				chromedp.SendKeys(`#username`, user), chromedp.SendKeys(`#password`, s.Accounts[user]),
				chromedp.Submit(`#password`), chromedp.WaitVisible(`nav.side`))
		} else {
			b.LogIn(user, s.Accounts[user])
		}
		for _, lang := range []string{"zh", "en"} {
			if lang == "en" {
				b.Do(chromedp.Navigate(s.URL+"/"), chromedp.WaitVisible(`form[action="/lang"] button`),
					browsertest.ClickAndLoad(`form[action="/lang"] button`), chromedp.WaitVisible(`html[lang="en"]`))
			}
			queue, visited := []string{"/"}, map[string]bool{}
			for len(queue) > 0 && len(visited) < 80 {
				p := queue[0]
				queue = queue[1:]
				pat := crawlPattern(p)
				if visited[pat] {
					continue
				}
				visited[pat] = true
				b.Do(chromedp.Navigate(s.URL+p), chromedp.WaitReady(`body`))
				links, err := chromedp.Run(b.Ctx, chromedp.Evaluate[[]string](
					`Array.from(document.querySelectorAll('a[href^="/"]:not([download])')).map(a => a.getAttribute('href'))`))
				if err != nil {
					t.Fatalf("%s: %v", p, err)
				}
				for _, l := range links {
					if u, err := url.Parse(l); err == nil && !crawlSkip.MatchString(u.Path) && !visited[crawlPattern(l)] {
						queue = append(queue, l)
					}
				}
				if seen[lang+" "+pat] {
					continue
				}
				seen[lang+" "+pat] = true
				check(b, fmt.Sprintf("%s (%s, %s)", p, user, lang))
				checked++
			}
			t.Logf("%s in %s: crawled %d kinds of page", user, lang, len(visited))
		}
	}
	t.Logf("axe-core checked %d pages, %d serious or critical violations", checked, problems)
	if checked < 40 {
		t.Errorf("the crawl reached only %d pages", checked)
	}
}

// The crawl's pattern folds ids, so each kind of page is checked once.
func TestCrawlPattern(t *testing.T) {
	for in, want := range map[string]string{
		"/incidents/12/tasks":     "/incidents/N/tasks",
		"/incidents?status=open":  "/incidents",
		"/plans/cac-2025":         "/plans/cac-2025",
		"/periods/3":              "/periods/N",
		"/orgs/7/edit":            "/orgs/N/edit",
		"/incidents/export.xlsx":  "/incidents/export.xlsx",
		"/users/15?tab=sessions":  "/users/N",
		"/warnings/2/notice/docx": "/warnings/N/notice/docx",
	} {
		if got := crawlPattern(in); got != want {
			t.Errorf("crawlPattern(%q) = %q, want %q", in, got, want)
		}
	}
	for _, p := range []string{"/incidents/export.xlsx", "/warnings/2/notice/docx", "/evidence/4", "/incidents/3/reports/5/pdf"} {
		if !crawlSkip.MatchString(p) {
			t.Errorf("%s should not be crawled", p)
		}
	}
}
