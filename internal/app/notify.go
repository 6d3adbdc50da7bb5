package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/notify"
	"fenghuo/internal/store"
)

// Notifications travel in two durable steps, so that a restart loses none:
// NotifyOrg stores the in-app notification and a "notify" job in the same
// transaction as the change that caused it; RunJobs expands that job into
// one "deliver" job per channel that wants the event, and each delivery is
// tried, logged and retried with backoff on its own.

// Notice is one notification to an org: in the app, and by its channels.
type Notice struct {
	OrgID int64
	Kind  string // warning.issued, obligation.overdue …
	Title string
	Body  string
	Link  string // console path, made absolute with the base URL
	// ReportEmail also mails the org's report address (escalations reach
	// the unit's liaison even when it set up no channel).
	ReportEmail bool
	// Live is the kind of the console's live event when it is finer than
	// Kind (report.initial for the report.received of an initial report).
	Live string
}

// NotifyPayload is the job that fans one notification out to its org's
// channels.
type NotifyPayload struct {
	Notification int64 `json:"notification"`
	ReportEmail  bool  `json:"report_email,omitempty"`
}

// NotifyOrg stores an in-app notification and leaves a job to deliver it.
func (a *Core) NotifyOrg(ctx context.Context, tx *store.Tx, n Notice) error {
	row := &store.Notification{OrgID: n.OrgID, Kind: n.Kind, Title: n.Title, Body: n.Body, Link: n.Link}
	if err := tx.CreateNotification(ctx, row); err != nil {
		return err
	}
	if err := tx.AddLiveEvents(ctx, NoticeEvent(n)); err != nil {
		return err
	}
	payload, _ := json.Marshal(NotifyPayload{Notification: row.ID, ReportEmail: n.ReportEmail})
	return tx.EnqueueJob(ctx, &store.Job{Kind: "notify", Payload: string(payload)})
}

// SetNotifier replaces the delivery settings (tests point them at loopback
// servers).
func (a *Core) SetNotifier(s *notify.Sender, baseURL string) {
	a.cfg.Notify, a.cfg.BaseURL = s, baseURL
}

// AckToken makes the acknowledge link of a warning target: sealed, so it
// cannot be forged or moved to another target, and valid for a week.
func (a *Core) AckToken(targetID int64, now time.Time) (string, error) {
	plain := fmt.Sprintf("%d:%d", targetID, now.Add(7*24*time.Hour).Unix())
	return a.sealer.Seal([]byte(plain), []byte("warning-ack"))
}

// OpenAckToken returns the target a token acknowledges.
func (a *Core) OpenAckToken(token string, now time.Time) (int64, error) {
	bad := fenghuo.Errorf(fenghuo.EINVALID, "This acknowledge link is not valid; log in to acknowledge. / 确认链接无效，请登录后确认。")
	plain, err := a.sealer.Open(token, []byte("warning-ack"))
	if err != nil {
		return 0, bad
	}
	idText, expText, ok := strings.Cut(string(plain), ":")
	id, err1 := strconv.ParseInt(idText, 10, 64)
	exp, err2 := strconv.ParseInt(expText, 10, 64)
	if !ok || err1 != nil || err2 != nil {
		return 0, bad
	}
	if now.Unix() > exp {
		return 0, fenghuo.Errorf(fenghuo.EINVALID, "This acknowledge link has expired; log in to acknowledge. / 确认链接已过期，请登录后确认。")
	}
	return id, nil
}
