package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/live"
	"fenghuo/internal/store"
)

// Pushed updates (issue 13 item 3, docs/live.md): GET /events is a
// server-sent event stream of the changes an open page of this session may
// show. static/live.js listens, updates the navigation's inbox badge and
// re-reads the page's live regions ([data-live][id]).

// liveHeartbeat is how often an idle stream sends a comment line (so that
// proxies keep it open) and checks that its session still holds.
var liveHeartbeat = 15 * time.Second

// liveRetry is the reconnection delay the stream asks the browser for.
const liveRetry = 3 * time.Second

// liveHeader marks a page's re-read of its live regions (static/live.js);
// such a request, like the stream itself, does not count as activity.
const liveHeader = "X-Fenghuo-Live"

// liveUnreadCap bounds the inbox count ("99+" above it).
const liveUnreadCap = 99

// liveMessage is the data of one event.
type liveMessage struct {
	Kind string `json:"kind"`
	// Text is one line in the reader's language.
	Text string `json:"text,omitempty"`
	Link string `json:"link,omitempty"`
	// At is when the change happened, Now the server's clock as the event
	// leaves (the page's countdowns count from it).
	At  string `json:"at,omitempty"`
	Now string `json:"now"`
	// Initial marks a new initial report (初报) delivered to the reader's
	// org: the page shows a badge, plays a sound, raises a notification.
	Initial bool           `json:"initial,omitempty"`
	Counts  map[string]int `json:"counts,omitempty"`
}

func (h *Handler) liveRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /events", func(w http.ResponseWriter, r *http.Request) {
		r.Header.Set(liveHeader, "1") // opening the stream is not activity either
		h.authed(h.events)(w, r)
	})
}

// events streams the session's events until the client goes, the session
// ends (log-out on any replica, idle or absolute timeout) or a write fails.
// Between events it holds no database connection: the hub polls the feed
// once for every stream of the process.
func (h *Handler) events(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	ctx := r.Context()
	if !ac.Can(fenghuo.PermIncidentRead) && !ac.Can(fenghuo.PermOrgRead) {
		http.Error(w, "Forbidden. / 无权访问。", http.StatusForbidden)
		return
	}
	sub, err := h.live.Subscribe(ctx, ac.User.ID, ac.Org.Path, ac.SessionHash)
	if err != nil {
		if errors.Is(err, live.ErrTooMany) {
			w.Header().Set("Retry-After", "30")
			http.Error(w, fenghuo.ErrorMessage(err), http.StatusTooManyRequests)
			return
		}
		h.log.Error("live: subscribe", "err", err)
		http.Error(w, "Internal error. / 内部错误。", http.StatusInternalServerError)
		return
	}
	defer sub.Close()
	lang := requestLang(r, actorLocale(ac))
	token := sessionToken(r)
	rc := http.NewResponseController(w)
	hdr := w.Header()
	hdr.Set("Content-Type", "text/event-stream; charset=utf-8")
	hdr.Set("Cache-Control", "no-store")
	// Tell a buffering reverse proxy (nginx) to pass the stream through.
	hdr.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	// send writes one frame and flushes it; the write deadline moves with
	// each frame, so the server's WriteTimeout does not cut the stream.
	send := func(frame string) bool {
		rc.SetWriteDeadline(time.Now().Add(liveHeartbeat + 30*time.Second))
		if _, err := fmt.Fprint(w, frame); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !send(fmt.Sprintf("retry: %d\n\n", liveRetry.Milliseconds())) {
		return
	}
	// A reconnecting page names the last event it saw: it gets what it
	// missed (within the feed's retention), then the live ones. Beyond
	// liveReplay events it gets one "missed" frame instead, which has the
	// page re-read itself and say so: it is not handed the first
	// liveReplay and silently left without the rest.
	replayed := map[int64]bool{}
	if last, err := strconv.ParseInt(r.Header.Get("Last-Event-ID"), 10, 64); err == nil && last > 0 {
		evs, err := h.live.Since(ctx, last, ac.Org.Path, liveReplay+1)
		if err != nil {
			h.log.Warn("live: replay", "err", err)
		}
		if len(evs) > liveReplay {
			for _, e := range evs {
				replayed[e.ID] = true
			}
			if !send(h.liveMissed(lang, evs[len(evs)-1].ID)) {
				return
			}
			evs = nil
		}
		for _, e := range evs {
			replayed[e.ID] = true
			if !send(h.liveFrame(lang, ac, e, nil)) {
				return
			}
		}
	}
	// The first frame tells the page the counts and the server's clock.
	if !send(h.liveHello(r, ac)) {
		return
	}
	beat := time.NewTicker(liveHeartbeat)
	defer beat.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-h.stopping: // nil unless the server is shutting down
			return
		case <-sub.Ended:
			send("event: end\ndata: {}\n\n")
			return
		case <-beat.C:
			if _, _, err := h.app.Accounts.QuietSession(ctx, token, ac.IP); err != nil {
				send("event: end\ndata: {}\n\n")
				return
			}
			if !send(": heartbeat\n\n") {
				return
			}
		case e := <-sub.C:
			// A burst (the scheduler's pass, a warning to many) is sent
			// together, with the counts read once.
			batch := []store.LiveEvent{e}
			for more := true; more && len(batch) < 100; {
				select {
				case e := <-sub.C:
					batch = append(batch, e)
				default:
					more = false
				}
			}
			counts := h.liveCounts(r, ac)
			for _, e := range batch {
				if replayed[e.ID] {
					continue
				}
				if !send(h.liveFrame(lang, ac, e, counts)) {
					return
				}
			}
		}
	}
}

// liveCounts are the numbers the navigation shows.
func (h *Handler) liveCounts(r *http.Request, ac *app.Actor) map[string]int {
	n, err := h.inboxUnread(r, ac)
	if err != nil {
		h.log.Warn("live: inbox count", "err", err)
	}
	return map[string]int{"inbox": n}
}

// inboxUnread is the navigation's inbox badge: reports delivered to the
// actor's org not yet signed for (the inbox's unreceived part).
func (h *Handler) inboxUnread(r *http.Request, ac *app.Actor) (int, error) {
	if ac == nil || !ac.Can(fenghuo.PermIncidentRead) {
		return 0, nil
	}
	return h.app.Core.DB().InboxUnread(r.Context(), ac.Org.ID, liveUnreadCap+1)
}

func (h *Handler) liveHello(r *http.Request, ac *app.Actor) string {
	m := liveMessage{Kind: "hello", Now: h.app.Core.Now().UTC().Format(time.RFC3339Nano), Counts: h.liveCounts(r, ac)}
	b, _ := json.Marshal(m)
	return "event: hello\ndata: " + string(b) + "\n\n"
}

// liveReplay is the most events replayed to a reconnecting page one by
// one; beyond it the page gets a "missed" frame.
const liveReplay = 50

// liveMissed is the frame that tells a reconnecting page it missed more
// than liveReplay changes: the page re-reads itself and shows the line (a
// toast linking to the inbox, where every report delivered waits). Its ID
// is the last event it stands for, so that a later reconnect replays from
// there.
func (h *Handler) liveMissed(lang string, lastID int64) string {
	m := liveMessage{Kind: "missed", Text: translate(lang, "live.missed"), Link: "/inbox",
		Now: h.app.Core.Now().UTC().Format(time.RFC3339Nano)}
	b, _ := json.Marshal(m)
	return fmt.Sprintf("id: %d\nevent: missed\ndata: %s\n\n", lastID, b)
}

// liveFrame is the stream's frame of one event, in the reader's language.
// Replayed frames carry no counts (the hello frame after them does).
func (h *Handler) liveFrame(lang string, ac *app.Actor, e store.LiveEvent, counts map[string]int) string {
	m := liveMessage{Kind: e.Kind, Text: liveText(lang, e), Link: e.Link, At: e.CreatedAt.UTC().Format(time.RFC3339Nano),
		Now: h.app.Core.Now().UTC().Format(time.RFC3339Nano), Counts: counts,
		Initial: e.Kind == "report."+fenghuo.ReportInitial && e.OrgID == ac.Org.ID}
	b, _ := json.Marshal(m)
	return fmt.Sprintf("id: %d\nevent: change\ndata: %s\n\n", e.ID, b)
}

// liveText is the event's line: what happened in the reader's words, and
// the notice's title (written by the platform in Chinese: quoted in
// English, as phrase does with untranslated text).
func liveText(lang string, e store.LiveEvent) string {
	key := "live.kind." + e.Kind
	if _, ok := messages[key]; !ok {
		key = "live.kind.other"
	}
	text := translate(lang, key)
	if e.Subject == "" {
		return text
	}
	if lang == langEN {
		return text + ": “" + e.Subject + "”"
	}
	return text + "：" + e.Subject
}
