// Package browsertest drives a real headless Chromium for console tests.
// It is imported only by tests.
package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// New opens a fresh browser context (its own cookies, storage and cache,
// like a new incognito window) in the test binary's Chromium (the binary at
// path, started once and shared by the tests of the package), with a
// width × height viewport, and returns a tab in it that closes with the
// test. Every action run in it is bounded by timeout. A tab opened from it
// with chromedp.NewContext shares its cookies (the same person in a second
// tab). Starting Chromium once instead of once per test saves its start-up
// (about a second each, twice over for the two engine passes).
func New(t *testing.T, path string, width, height int, timeout time.Duration) context.Context {
	t.Helper()
	browser, err := sharedBrowser(path)
	if err != nil {
		t.Fatalf("start Chromium %s: %v", path, err)
	}
	tab, cancelTab := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	ctx, cancelTimeout := context.WithTimeout(tab, timeout)
	t.Cleanup(func() {
		cancelTimeout()
		cancelTab()
	})
	// The first run opens the tab (and must get the context that lives as
	// long as the tab).
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), int64(height))); err != nil {
		t.Fatalf("open a tab in Chromium %s: %v", path, err)
	}
	return ctx
}

var (
	sharedMu       sync.Mutex
	sharedBrowsers = map[string]context.Context{}
)

// sharedBrowser returns the running Chromium at path, starting it when
// there is none or the last one has gone. It lives as long as the test
// binary: the kernel ends it with the process (chromedp's Pdeathsig), and
// its profile directory, named after the process, is removed by the next
// test binary that starts one.
func sharedBrowser(path string) (context.Context, error) {
	sharedMu.Lock()
	defer sharedMu.Unlock()
	if b, ok := sharedBrowsers[path]; ok && b.Err() == nil {
		return b, nil
	}
	removeStaleProfiles()
	dir, err := os.MkdirTemp("", fmt.Sprintf("fenghuo-chromium-%d-", os.Getpid()))
	if err != nil {
		return nil, err
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		// The machine has no network: keep Chromium from reaching out.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(dir),
		chromedp.WindowSize(1280, 900),
	}
	alloc, _ := chromedp.NewExecAllocator(context.Background(), opts...)
	browser, _ := chromedp.NewContext(alloc)
	// The first run starts the browser and must get the context that lives
	// as long as it (a hung start is ended by the test binary's timeout).
	if err := chromedp.Do(browser); err != nil {
		return nil, err
	}
	sharedBrowsers[path] = browser
	return browser, nil
}

// removeStaleProfiles removes the profile directories of shared browsers
// whose test binary has ended.
func removeStaleProfiles() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "fenghuo-chromium-*"))
	for _, d := range dirs {
		f := strings.SplitN(strings.TrimPrefix(filepath.Base(d), "fenghuo-chromium-"), "-", 2)
		pid, err := strconv.Atoi(f[0])
		if err != nil || pid == os.Getpid() {
			continue
		}
		if _, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); os.IsNotExist(err) {
			os.RemoveAll(d)
		}
	}
}

// Screenshot saves a full-page PNG under dir and returns its path.
func Screenshot(t *testing.T, ctx context.Context, dir, name string) string {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	path := dir + "/" + name
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Session is one browser on the console under test, with the steps the
// console tests share. Each step fails the test with what the page says.
type Session struct {
	t    *testing.T
	Ctx  context.Context
	Base string // the console's URL
}

// NewSession starts a browser (see New) for the console at base.
func NewSession(t *testing.T, path, base string, width, height int, timeout time.Duration) *Session {
	return &Session{t: t, Ctx: New(t, path, width, height, timeout), Base: base}
}

// Do runs steps, each batch bounded by 20 s.
func (s *Session) Do(steps ...chromedp.Action[chromedp.Void]) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(s.Ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		body, _ := chromedp.Run(s.Ctx, chromedp.Text("body"))
		s.t.Fatalf("%v; the page says: %.600s", err, body)
	}
}

// Text returns the text of the first node matching sel.
func (s *Session) Text(sel string) string {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(s.Ctx, 20*time.Second)
	defer cancel()
	text, err := chromedp.Run(ctx, chromedp.Text(sel))
	if err != nil {
		s.t.Fatal(err)
	}
	return text
}

// WaitText polls sel until its text contains want: the page may be
// navigating, or a live section replacing itself, meanwhile.
func (s *Session) WaitText(sel, want string, within time.Duration) string {
	s.t.Helper()
	var got string
	for end := time.Now().Add(within); time.Now().Before(end); time.Sleep(300 * time.Millisecond) {
		ctx, cancel := context.WithTimeout(s.Ctx, 2*time.Second)
		text, err := chromedp.Run(ctx, chromedp.Text(sel))
		cancel()
		if got = text; err == nil && strings.Contains(got, want) {
			return got
		}
	}
	s.t.Fatalf("%s never showed %q; it shows %q", sel, want, got)
	return ""
}

// Location is the page's current URL.
func (s *Session) Location() string {
	s.t.Helper()
	loc, err := chromedp.Run(s.Ctx, chromedp.Location())
	if err != nil {
		s.t.Fatal(err)
	}
	return loc
}

// LogIn logs in through the console's form.
func (s *Session) LogIn(user, password string) {
	s.t.Helper()
	s.Do(chromedp.Navigate(s.Base+"/login"), chromedp.WaitVisible(`#username`),
		chromedp.SendKeys(`#username`, user), chromedp.SendKeys(`#password`, password),
		chromedp.Submit(`#password`), chromedp.WaitVisible(`nav.side`))
}

// ClickAndLoad clicks sel, a link or a form's button, and returns once the
// browser has replaced the page with the one the click loaded and finished
// loading it. A plain Click followed by WaitVisible races: the element waited
// for is often on the old page too, so the wait returns at once and the next
// step acts on a node that is about to vanish ("Could not find node with
// given id"), or on a page that is about to be replaced.
func ClickAndLoad(sel string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		if _, err := chromedp.Evaluate[bool](`window.__browsertestOld = true`)(ctx, t); err != nil {
			return chromedp.Void{}, err
		}
		if _, err := chromedp.Click(sel)(ctx, t); err != nil {
			return chromedp.Void{}, err
		}
		// While the old page unloads, evaluation may fail (its context is
		// destroyed): keep asking until the new page answers.
		const loaded = `window.__browsertestOld === undefined && document.readyState === 'complete'`
		for {
			if done, err := chromedp.Evaluate[bool](loaded)(ctx, t); err == nil && done {
				return chromedp.Void{}, nil
			}
			select {
			case <-ctx.Done():
				return chromedp.Void{}, fmt.Errorf("clicked %s: no new page loaded: %w", sel, ctx.Err())
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
}
