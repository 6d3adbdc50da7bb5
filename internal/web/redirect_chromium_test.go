package web_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fenghuo/internal/apptest"
	"fenghuo/internal/browsertest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/web"
)

// TestChromiumNoOpenRedirect: in a real Chromium, logging in with a next=
// that browsers read as another origin ("/\t/host/" loses its tab and
// becomes "//host/") ends on this console, whether the target arrives in
// the log-in link or is put into the form itself. The "other origin" is a
// second loopback server that counts its visitors, so a redirect to it
// would really load; the literal case of the report (evil.example) is tried
// too. It runs against the whole server and against the console routes
// alone: the server's CSP (form-action 'self') also stops Chromium from
// following a form post's redirect elsewhere, and the check must hold
// without that second line of defence (a proxy may rewrite headers).
func TestChromiumNoOpenRedirect(t *testing.T) {
	chromium := apptest.Chromium(t)
	e, full := console(t)
	e.User(t, "reporter", "school", fenghuo.RoleUnitReporter)
	mux := http.NewServeMux()
	h, err := web.New(e.App, web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h.Routes(mux)
	bare := httptest.NewServer(mux)
	t.Cleanup(bare.Close)

	var visits atomic.Int32
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		visits.Add(1)
		w.Write([]byte("<!doctype html><title>evil</title><p id=evil>you left the console</p>"))
	}))
	t.Cleanup(evil.Close)
	evilHost := strings.TrimPrefix(evil.URL, "http://")

	for _, srv := range []*httptest.Server{full, bare} {
		s := browsertest.NewSession(t, chromium, srv.URL, 1280, 900, 3*time.Minute)
		// landed waits until the browser has left the log-in page and
		// returns where it is.
		landed := func() (string, bool) {
			var loc string
			for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(200 * time.Millisecond) {
				if loc = s.Location(); !strings.HasPrefix(loc, srv.URL+"/login") && loc != "about:blank" {
					return loc, true
				}
			}
			return loc, false
		}
		for _, c := range []struct {
			name, query, form string // query goes into the link as is; form, if set, into the hidden field
		}{
			{"tab in the link (the report)", "/%09/evil.example/", ""},
			{"tab in the link", "/%09/" + evilHost + "/", ""},
			{"newline in the link", "/%0a/" + evilHost + "/", ""},
			{"backslash in the link", "/%5C" + evilHost + "/", ""},
			{"protocol-relative in the link", "//" + evilHost + "/", ""},
			{"tab in the form", "", "/\t/" + evilHost + "/"},
			{"backslash in the form", "", "/\\" + evilHost + "/"},
			{"leading space in the form", "", " //" + evilHost + "/"},
		} {
			link := srv.URL + "/login"
			if c.query != "" {
				link += "?next=" + c.query
			}
			steps := []chromedp.Action[chromedp.Void]{
				chromedp.Navigate(link), chromedp.WaitVisible(`#username`),
				chromedp.SetValue(`#username`, "reporter"), chromedp.SetValue(`#password`, apptest.Password),
			}
			if c.form != "" {
				steps = append(steps, chromedp.SetValue(`input[name=next]`, c.form))
			}
			s.Do(append(steps, chromedp.Submit(`#password`))...)
			loc, ok := landed()
			switch {
			case visits.Load() > 0:
				t.Errorf("%s, %s: the browser went to the other origin %s", srv.URL, c.name, evil.URL)
				visits.Store(0)
			case !ok:
				t.Errorf("%s, %s: the browser never arrived on the console after logging in (still on %s)", srv.URL, c.name, loc)
			case !strings.HasPrefix(loc, srv.URL+"/"):
				t.Errorf("%s, %s: the browser ended on %s, not on the console", srv.URL, c.name, loc)
			default:
				s.Do(chromedp.WaitVisible(`nav.side`))
			}
		}
		// A path on the console still works.
		s.Do(chromedp.Navigate(srv.URL+"/login?next=%2Fincidents%3Fstatus%3Dopen"), chromedp.WaitVisible(`#username`),
			chromedp.SetValue(`#username`, "reporter"), chromedp.SetValue(`#password`, apptest.Password), chromedp.Submit(`#password`))
		if loc, _ := landed(); loc != srv.URL+"/incidents?status=open" {
			t.Errorf("%s, a path on the console: ended on %s", srv.URL, loc)
		}
	}
}
