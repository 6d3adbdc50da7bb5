package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/server"
	"fenghuo/internal/store"
	"fenghuo/internal/web"
)

// sseFrame is one server-sent event as read off the wire.
type sseFrame struct {
	ID, Event, Data, Comment, Retry string
}

// stream opens GET /events with c's session and sends its frames on the
// returned channel until the stream ends (the channel is then closed).
func stream(t *testing.T, c *http.Client, srv *httptest.Server, lastID string) (*http.Response, <-chan sseFrame) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/events", nil)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	out := make(chan sseFrame, 64)
	go func() {
		defer close(out)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		var f sseFrame
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				out <- f
				f = sseFrame{}
			case strings.HasPrefix(line, ":"):
				f.Comment = strings.TrimSpace(line[1:])
			case strings.HasPrefix(line, "id: "):
				f.ID = line[4:]
			case strings.HasPrefix(line, "event: "):
				f.Event = line[7:]
			case strings.HasPrefix(line, "data: "):
				f.Data = line[6:]
			case strings.HasPrefix(line, "retry: "):
				f.Retry = line[7:]
			}
		}
	}()
	return resp, out
}

// next returns the next frame of event kind (skipping others) or fails
// after within.
func next(t *testing.T, frames <-chan sseFrame, event string, within time.Duration) sseFrame {
	t.Helper()
	deadline := time.After(within)
	for {
		select {
		case f, ok := <-frames:
			if !ok {
				t.Fatalf("stream ended before a %q frame", event)
			}
			if f.Event == event || (event == "comment" && f.Comment != "") || (event == "retry" && f.Retry != "") {
				return f
			}
		case <-deadline:
			t.Fatalf("no %q frame within %v", event, within)
		}
	}
}

type liveData struct {
	Kind    string         `json:"kind"`
	Text    string         `json:"text"`
	Link    string         `json:"link"`
	Now     string         `json:"now"`
	Initial bool           `json:"initial"`
	Counts  map[string]int `json:"counts"`
}

func decode(t *testing.T, f sseFrame) liveData {
	t.Helper()
	var d liveData
	if err := json.Unmarshal([]byte(f.Data), &d); err != nil {
		t.Fatalf("frame data %q: %v", f.Data, err)
	}
	return d
}

var navCount = regexp.MustCompile(`<span class="nav-count" id="nav-inbox-count"[^>]*?( hidden)?>([^<]*)</span>`)

// The event stream of a county duty officer: headers that no middleware
// buffers, a retry hint, the counts, the initial report a school files
// (in Chinese, counted in the inbox badge that every page also renders),
// heartbeats, a replay after reconnecting, and the end at log-out. The
// sibling county's stream stays silent.
func TestEventStream(t *testing.T) {
	defer web.SetLiveHeartbeat(300 * time.Millisecond)()
	e, srv := console(t)
	e.User(t, "county-duty", "county", fenghuo.RoleDutyOfficer)
	e.User(t, "county2-duty", "county2", fenghuo.RoleDutyOfficer)
	c1, c2 := browser(t), browser(t)
	login(t, c1, srv, "county-duty", apptest.Password)
	login(t, c2, srv, "county2-duty", apptest.Password)

	// Without a session: to the log-in page, no stream.
	if r, _ := get(t, browser(t), srv, "/events"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("anonymous /events: %d", r.StatusCode)
	}

	r1, f1 := stream(t, c1, srv, "")
	if ct := r1.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") || r1.Header.Get("Content-Encoding") != "" {
		t.Fatalf("Content-Type %q, Content-Encoding %q", ct, r1.Header.Get("Content-Encoding"))
	}
	if f := next(t, f1, "retry", 5*time.Second); f.Retry != "3000" {
		t.Errorf("retry %q", f.Retry)
	}
	if d := decode(t, next(t, f1, "hello", 5*time.Second)); d.Counts["inbox"] != 0 || d.Now == "" {
		t.Errorf("hello %+v", d)
	}
	_, f2 := stream(t, c2, srv, "")
	next(t, f2, "hello", 5*time.Second)
	if f := next(t, f1, "comment", 5*time.Second); f.Comment != "heartbeat" {
		t.Errorf("comment %q", f.Comment)
	}

	inc := defacedPortal(t, e)
	fileInitialReport(t, e, inc)
	start := time.Now()
	var initial sseFrame
	for initial.ID == "" {
		f := next(t, f1, "change", 5*time.Second)
		if d := decode(t, f); d.Kind == "report.initial" {
			initial = f
		}
	}
	t.Logf("initial report reached the county's stream %v after it was committed", time.Since(start))
	d := decode(t, initial)
	if !d.Initial || d.Counts["inbox"] != 1 || !strings.HasPrefix(d.Text, "收到新的初报：") || d.Link == "" {
		t.Errorf("initial report event %+v", d)
	}
	// Every page's navigation shows the same count.
	_, body := get(t, c1, srv, "/incidents")
	if m := navCount.FindStringSubmatch(body); m == nil || m[1] != "" || m[2] != "1" {
		t.Errorf("nav badge %q", m)
	}
	_, body = get(t, c2, srv, "/incidents")
	if m := navCount.FindStringSubmatch(body); m == nil || m[1] == "" || m[2] != "0" {
		t.Errorf("sibling county's nav badge %q, want hidden 0", m)
	}
	// The sibling county: heartbeats only.
	quiet := time.After(1500 * time.Millisecond)
	for done := false; !done; {
		select {
		case f := <-f2:
			if f.Event != "" || f.ID != "" {
				t.Errorf("sibling county received %+v", f)
			}
		case <-quiet:
			done = true
		}
	}

	// Reconnecting with Last-Event-ID replays what came after it.
	_, f3 := stream(t, c1, srv, "1")
	replayed := false
	for !replayed {
		f := next(t, f3, "change", 5*time.Second)
		replayed = f.ID == initial.ID
	}

	// Log-out ends the session's streams.
	post(t, c1, srv, "/logout", url.Values{})
	next(t, f1, "end", 5*time.Second)
	next(t, f3, "end", 5*time.Second)
	if r, _ := get(t, c1, srv, "/events"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("/events after log-out: %d", r.StatusCode)
	}
}

// At shutdown (HandlerOptions.Stopping closed) the open streams end at
// once instead of holding the graceful shutdown for its whole timeout.
func TestEventStreamEndsAtShutdown(t *testing.T) {
	e := apptest.New(t)
	stopping := make(chan struct{})
	h, err := server.NewHandler(e.App, server.HandlerOptions{Stopping: stopping})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	e.User(t, "county-duty", "county", fenghuo.RoleDutyOfficer)
	c := browser(t)
	login(t, c, srv, "county-duty", apptest.Password)
	_, frames := stream(t, c, srv, "")
	next(t, frames, "hello", 5*time.Second)
	close(stopping)
	deadline := time.After(5 * time.Second)
	for {
		select {
		case _, ok := <-frames:
			if !ok {
				return
			}
		case <-deadline:
			t.Fatal("the stream is still open 5 s after the server began stopping")
		}
	}
}

// A page's automatic re-read (X-Fenghuo-Live: 1) is not activity: a
// session nobody uses ends at the idle timeout even while the page keeps
// re-reading itself; a real request keeps it alive.
func TestLiveRereadIsNotActivity(t *testing.T) {
	e, srv := console(t)
	e.User(t, "county-duty", "county", fenghuo.RoleDutyOfficer)
	idle := e.App.Core.Config().SessionIdle
	reread := func(c *http.Client) int {
		req, _ := http.NewRequest("GET", srv.URL+"/inbox", nil)
		req.Header.Set("X-Fenghuo-Live", "1")
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	quiet, busy := browser(t), browser(t)
	login(t, quiet, srv, "county-duty", apptest.Password)
	login(t, busy, srv, "county-duty", apptest.Password)
	e.Clock.Advance(idle - 5*time.Minute)
	if code := reread(quiet); code != http.StatusOK {
		t.Fatalf("re-read within the idle time: %d", code)
	}
	if r, _ := get(t, busy, srv, "/inbox"); r.StatusCode != http.StatusOK {
		t.Fatalf("a real request: %d", r.StatusCode)
	}
	e.Clock.Advance(10 * time.Minute)
	if code := reread(quiet); code != http.StatusSeeOther {
		t.Errorf("re-read past the idle time since the last real request: %d, want the log-in redirect", code)
	}
	if code := reread(busy); code != http.StatusOK {
		t.Errorf("the session used 10 minutes ago: %d", code)
	}
}

// One account may hold five streams; a sixth is refused with 429 until
// one closes.
func TestEventStreamCap(t *testing.T) {
	e, srv := console(t)
	e.User(t, "county-duty", "county", fenghuo.RoleDutyOfficer)
	c := browser(t)
	login(t, c, srv, "county-duty", apptest.Password)
	for i := 0; i < 5; i++ {
		_, frames := stream(t, c, srv, "")
		next(t, frames, "hello", 5*time.Second)
	}
	r, _ := get(t, c, srv, "/events")
	if r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Errorf("sixth stream: %d, Retry-After %q", r.StatusCode, r.Header.Get("Retry-After"))
	}
}

// A page that reconnects after more changes than are replayed one by one
// (50) gets one "missed" frame — re-read the page, see the inbox — instead
// of the first 50 and silence about the rest; within the cap it gets each
// change. The events of a sibling county are not counted.
func TestEventStreamReplayCap(t *testing.T) {
	e, srv := console(t)
	e.User(t, "county-duty", "county", fenghuo.RoleDutyOfficer)
	c := browser(t)
	login(t, c, srv, "county-duty", apptest.Password)
	add := func(org string, n int) int64 {
		t.Helper()
		var last int64
		err := e.DB.WithTx(context.Background(), func(tx *store.Tx) error {
			evs := make([]store.LiveEvent, n)
			for i := range evs {
				evs[i] = store.LiveEvent{OrgID: e.Orgs[org].ID, Kind: "incident.status", Subject: fmt.Sprint("事件", i), Link: "/incidents"}
			}
			return tx.AddLiveEvents(context.Background(), evs...)
		})
		if err != nil {
			t.Fatal(err)
		}
		last, err = e.DB.LastLiveEventID(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return last
	}
	start := add("county", 1)
	add("county2", 30)
	last := add("county", 50)
	// 50 missed (and 30 of the sibling's): each replayed, then hello.
	_, f := stream(t, c, srv, fmt.Sprint(start))
	var ids []string
	for fr := next(t, f, "retry", 5*time.Second); fr.Event != "hello"; {
		select {
		case fr = <-f:
			if fr.Event == "change" {
				ids = append(ids, fr.ID)
			}
			if fr.Event == "missed" {
				t.Fatalf("missed frame within the cap: %+v", fr)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("no hello")
		}
	}
	if len(ids) != 50 || ids[49] != fmt.Sprint(last) {
		t.Fatalf("replayed %d changes (last %v), want 50 up to %d", len(ids), ids[len(ids)-1:], last)
	}
	// 51 missed: one missed frame with the last one's ID, no change
	// replayed, then hello.
	last = add("county", 1)
	_, f = stream(t, c, srv, fmt.Sprint(start))
	fr := next(t, f, "retry", 5*time.Second)
	for fr = <-f; fr.Event == "" && fr.Comment != ""; fr = <-f {
	}
	if fr.Event != "missed" || fr.ID != fmt.Sprint(last) {
		t.Fatalf("first frame after 51 missed changes: %+v, want missed with ID %d", fr, last)
	}
	if d := decode(t, fr); d.Kind != "missed" || d.Link != "/inbox" || !strings.HasPrefix(d.Text, "断线期间有较多变化") {
		t.Errorf("missed frame %+v", d)
	}
	if fr = <-f; fr.Event != "hello" {
		t.Errorf("after the missed frame: %+v, want hello", fr)
	}
}
