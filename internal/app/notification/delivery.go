package notification

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/guard"
	"fenghuo/internal/notify"
	"fenghuo/internal/store"
)

type deliverPayload struct {
	Notification int64  `json:"notification"`
	Channel      int64  `json:"channel,omitempty"`
	Email        string `json:"email,omitempty"` // a report address, when Channel is 0
}

// absURL makes a console path absolute for messages read outside it.
func (a *Service) absURL(path string) string {
	if path == "" || strings.HasPrefix(path, "http://") || strings.HasPrefix(path, "https://") {
		return path
	}
	base := strings.TrimRight(a.core.Config().BaseURL, "/")
	if base == "" {
		base = "http://127.0.0.1:8080"
	}
	return base + path
}

// jobBatch is how many jobs one claim takes.
const jobBatch = 50

// RunJobs runs the durable jobs that are due: notification fan-out and
// deliveries. It returns how many it ran. The batch is claimed in this
// replica's name under the work lease, renewed while the batch runs, so
// that no other replica runs these jobs meanwhile, and a replica that dies
// leaves them to the others once the lease runs out (docs/storage.md).
func (a *Service) RunJobs(ctx context.Context) (int, error) {
	holder, lease := a.core.Replica(), a.core.WorkLease()
	jobs, err := a.core.DB().ClaimJobs(ctx, holder, a.core.Now(), lease, jobBatch)
	if err != nil || len(jobs) == 0 {
		return 0, err
	}
	held := newHeldJobs(jobs, a.core.Now().Add(lease))
	stopRenewing := a.renewJobs(ctx, held, lease)
	defer func() {
		stopRenewing()
		// What was not run is handed back at once (at shutdown, or when the
		// lease could not be renewed), for any replica to take.
		if ids := held.ids(); len(ids) > 0 {
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			if err := a.core.DB().ReleaseJobs(rctx, holder, ids); err != nil {
				a.core.Logger().Warn("job runner: hand back jobs", "err", err)
			}
		}
	}()
	ran := 0
	for _, j := range jobs {
		// A job is started only while the runner goes on and with most of
		// the lease ahead of it: when renewals fail (the database out of
		// reach), the rest of the batch is handed back rather than run
		// under a lease another replica may take meanwhile.
		if ctx.Err() != nil || held.until().Sub(a.core.Now()) < lease/2 {
			break
		}
		var runErr error
		// One job that panics fails alone (for good: it would panic again);
		// the runner goes on with the others.
		var pe *guard.PanicError
		if err := guard.Run(a.core.Logger(), "notification_job", func() error {
			var err error
			switch j.Kind {
			case "notify":
				err = a.fanOut(ctx, j)
			case "deliver":
				err = a.deliver(ctx, j)
			default:
				err = fmt.Errorf("unknown job kind %q", j.Kind)
				j.Attempts = j.MaxAttempts
			}
			return err
		}, "job", j.ID, "kind", j.Kind); errors.As(err, &pe) {
			runErr, j.Attempts = err, j.MaxAttempts
		} else {
			runErr = err
		}
		if notify.Permanent(runErr) {
			j.Attempts = j.MaxAttempts
		}
		// Recorded even when the server is stopping: a delivery made and
		// not recorded would be made again.
		if err := a.core.DB().FinishJob(context.WithoutCancel(ctx), j, runErr, a.core.Now().Add(backoff(j.Attempts))); err != nil {
			return ran, err
		}
		held.finish(j.ID)
		ran++
	}
	return ran, nil
}

// heldJobs are the jobs of a claimed batch not finished yet, and until
// when their lease is known to hold.
type heldJobs struct {
	mu      sync.Mutex
	pending map[int64]bool
	valid   time.Time
}

func newHeldJobs(jobs []store.Job, valid time.Time) *heldJobs {
	h := &heldJobs{pending: map[int64]bool{}, valid: valid}
	for _, j := range jobs {
		h.pending[j.ID] = true
	}
	return h
}

func (h *heldJobs) ids() []int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]int64, 0, len(h.pending))
	for id := range h.pending {
		out = append(out, id)
	}
	return out
}

func (h *heldJobs) finish(id int64) {
	h.mu.Lock()
	delete(h.pending, id)
	h.mu.Unlock()
}

func (h *heldJobs) until() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.valid
}

func (h *heldJobs) renewed(valid time.Time) {
	h.mu.Lock()
	h.valid = valid
	h.mu.Unlock()
}

// renewJobs renews the lease of the batch's unfinished jobs every third of
// the lease until the returned function is called.
func (a *Service) renewJobs(ctx context.Context, held *heldJobs, lease time.Duration) (stop func()) {
	return app.Every(ctx, lease/3, func(ctx context.Context) {
		now := a.core.Now()
		if _, err := a.core.DB().RenewJobs(ctx, a.core.Replica(), held.ids(), now, lease); err != nil {
			a.core.Logger().Warn("job runner: renew the lease", "err", err)
			return
		}
		held.renewed(now.Add(lease))
	})
}

// backoff is the wait before retry n: 30 s, 1 min, 2 min … at most an hour.
func backoff(attempt int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < attempt && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// RunJobRunner runs jobs until ctx ends, every interval or sooner while
// there is work.
func (a *Service) RunJobRunner(ctx context.Context, interval time.Duration) {
	for {
		n, err := a.RunJobs(ctx)
		if err != nil && ctx.Err() == nil {
			a.core.Logger().Error("job runner", "err", err)
		}
		wait := interval
		if n > 0 {
			wait = 100 * time.Millisecond
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

func (a *Service) fanOut(ctx context.Context, j store.Job) error {
	var p app.NotifyPayload
	if err := json.Unmarshal([]byte(j.Payload), &p); err != nil {
		return err
	}
	n, err := a.core.DB().Notification(ctx, p.Notification)
	if err != nil {
		return err
	}
	channels, err := a.core.DB().ChannelsOf(ctx, n.OrgID)
	if err != nil {
		return err
	}
	var targets []deliverPayload
	mailed := map[string]bool{}
	for _, c := range channels {
		if c.UserID != 0 {
			// A personal channel follows its owner: none for a disabled account.
			if u, err := a.core.DB().User(ctx, c.UserID); err != nil || u.Disabled {
				continue
			}
		}
		if c.Wants(n.Kind) {
			targets = append(targets, deliverPayload{Notification: n.ID, Channel: c.ID})
			if c.Kind == notify.KindEmail {
				for _, addr := range strings.Split(c.Target, ",") {
					mailed[strings.ToLower(strings.TrimSpace(addr))] = true
				}
			}
		}
	}
	if p.ReportEmail {
		org, err := a.core.DB().Org(ctx, n.OrgID)
		if err != nil {
			return err
		}
		if addr := strings.TrimSpace(org.ReportEmail); addr != "" && !mailed[strings.ToLower(addr)] {
			targets = append(targets, deliverPayload{Notification: n.ID, Email: addr})
		}
	}
	if len(targets) == 0 {
		return nil
	}
	return a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		for _, t := range targets {
			payload, _ := json.Marshal(t)
			if err := tx.EnqueueJob(ctx, &store.Job{Kind: "deliver", Payload: string(payload)}); err != nil {
				return err
			}
		}
		return nil
	})
}

func (a *Service) deliver(ctx context.Context, j store.Job) error {
	var p deliverPayload
	if err := json.Unmarshal([]byte(j.Payload), &p); err != nil {
		return err
	}
	n, err := a.core.DB().Notification(ctx, p.Notification)
	if err != nil {
		return err
	}
	ch := notify.Channel{Kind: notify.KindEmail, Target: p.Email}
	if p.Channel != 0 {
		c, err := a.core.DB().Channel(ctx, p.Channel)
		if err != nil {
			if fenghuo.ErrorCode(err) == fenghuo.ENOTFOUND {
				return nil // deleted since: nothing to deliver
			}
			return err
		}
		ch = notify.Channel{Kind: c.Kind, Target: c.Target}
		if c.Secret != "" {
			secret, err := a.core.Sealer().Open(c.Secret, channelAD(c))
			if err != nil {
				return fmt.Errorf("channel %d: secret cannot be opened: %w", c.ID, err)
			}
			ch.Secret = string(secret)
		}
	}
	msg := notify.Message{Title: n.Title, Text: n.Body, Link: a.absURL(n.Link), ID: "fenghuo-delivery-" + strconv.FormatInt(j.ID, 10)}
	var sendErr error
	if a.core.Config().Notify == nil {
		sendErr = errors.New("no delivery configured on this server")
	} else if ch.Kind == notify.KindEmail && a.core.Config().Notify.SMTP.Host == "" {
		sendErr = errors.New("no SMTP relay configured (smtp_host)")
	} else {
		sendCtx, cancel := context.WithTimeout(ctx, time.Minute)
		sendErr = a.core.Config().Notify.Send(sendCtx, ch, msg)
		cancel()
	}
	status := "sent"
	if sendErr != nil {
		status = "retry"
		if notify.Permanent(sendErr) || j.Attempts >= j.MaxAttempts {
			status = "failed"
		}
	}
	errText := ""
	if sendErr != nil {
		errText = sendErr.Error()
	}
	if err := a.core.DB().LogSendAttempt(ctx, &store.SendAttempt{NotificationID: n.ID, ChannelID: p.Channel, Kind: ch.Kind,
		Target: redactTarget(ch), Title: n.Title, Attempt: j.Attempts, Status: status, Error: errText}); err != nil {
		return err
	}
	return sendErr
}

// redactTarget hides a webhook's key (it is in the URL for WeCom and
// DingTalk) in the delivery log.
func redactTarget(ch notify.Channel) string {
	if ch.Kind == notify.KindEmail {
		return ch.Target
	}
	u, err := url.Parse(ch.Target)
	if err != nil {
		return "(invalid URL)"
	}
	out := u.Scheme + "://" + u.Host + u.Path
	if u.RawQuery != "" {
		out += "?…"
	}
	return out
}

func channelAD(c *fenghuo.Channel) []byte {
	return []byte("channel:" + strconv.FormatInt(c.OrgID, 10) + ":" + c.Kind + ":" + c.Target)
}

// ChannelInput is a channel a user sets up.
type ChannelInput struct {
	OrgID    int64
	Personal bool // the actor's own channel rather than the org's
	Kind     string
	Name     string
	Target   string
	Secret   string
	Events   []string
}

// CreateChannel sets up where an org's (or the actor's own) notifications
// go. Org channels need the right to manage the org; anyone may add a
// personal one.
func (a *Service) CreateChannel(ctx context.Context, ac *app.Actor, in ChannelInput) (*fenghuo.Channel, error) {
	if in.Personal {
		in.OrgID = ac.Org.ID
	} else {
		o, err := a.core.DB().Org(ctx, in.OrgID)
		if err != nil {
			return nil, err
		}
		if err := app.RequireAt(ac, fenghuo.PermOrgWrite, o.Path, "Org", in.OrgID); err != nil {
			return nil, err
		}
	}
	in.Name, in.Target = strings.TrimSpace(in.Name), strings.TrimSpace(in.Target)
	if in.Name == "" || len([]rune(in.Name)) > 100 {
		return nil, fenghuo.FieldErrorf("name", "Name the channel (up to 100 characters). / 请填写渠道名称（不超过100字）。")
	}
	if err := notify.Validate(notify.Channel{Kind: in.Kind, Target: in.Target, Secret: in.Secret}); err != nil {
		return nil, fenghuo.FieldErrorf("target", "%s", err.Error())
	}
	for _, e := range in.Events {
		known := false
		for _, k := range fenghuo.NotifyEvents {
			known = known || e == k
		}
		if !known {
			return nil, fenghuo.FieldErrorf("events", "Unknown event %q; use %s. / 未知事件。", e, strings.Join(fenghuo.NotifyEvents, ", "))
		}
	}
	c := &fenghuo.Channel{OrgID: in.OrgID, Kind: in.Kind, Name: in.Name, Target: in.Target, Events: in.Events, Enabled: true}
	if in.Personal {
		c.UserID = ac.User.ID
	}
	if in.Secret != "" {
		sealed, err := a.core.Sealer().Seal([]byte(in.Secret), channelAD(c))
		if err != nil {
			return nil, err
		}
		c.Secret = sealed
	}
	err := a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateChannel(ctx, c); err != nil {
			return err
		}
		return a.core.Record(ctx, tx, ac, "channel.create", "channel", strconv.FormatInt(c.ID, 10), "success",
			map[string]any{"org": c.OrgID, "kind": c.Kind, "name": c.Name, "personal": in.Personal})
	})
	return c, err
}

// Channels lists the channels of an org the actor may see: all of them for
// one who manages the org, else the actor's own.
func (a *Service) Channels(ctx context.Context, ac *app.Actor, orgID int64) ([]fenghuo.Channel, error) {
	o, err := a.core.DB().Org(ctx, orgID)
	if err != nil {
		return nil, err
	}
	if err := app.RequireAt(ac, fenghuo.PermOrgRead, o.Path, "Org", orgID); err != nil {
		return nil, err
	}
	all, err := a.core.DB().ChannelsOf(ctx, orgID)
	if err != nil {
		return nil, err
	}
	out := []fenghuo.Channel{}
	for _, c := range all {
		if c.UserID == ac.User.ID || (c.UserID == 0 && ac.CanAt(fenghuo.PermOrgWrite, o.Path)) {
			c.Secret = "" // never leaves the server
			// WeCom and DingTalk keys live in the URL's query: shown once,
			// when the channel is set up, never again.
			c.Target = redactTarget(notify.Channel{Kind: c.Kind, Target: c.Target})
			out = append(out, c)
		}
	}
	return out, nil
}

// DeleteChannel removes a channel the actor may manage.
func (a *Service) DeleteChannel(ctx context.Context, ac *app.Actor, id int64) error {
	c, err := a.core.DB().Channel(ctx, id)
	if err != nil {
		return err
	}
	o, err := a.core.DB().Org(ctx, c.OrgID)
	if err != nil {
		return err
	}
	if c.UserID != ac.User.ID {
		if err := app.RequireAt(ac, fenghuo.PermOrgWrite, o.Path, "Channel", id); err != nil {
			return err
		}
	} else if !fenghuo.InSubtree(ac.Org.Path, o.Path) {
		return fenghuo.Errorf(fenghuo.ENOTFOUND, "Channel %d not found. / 未找到。", id)
	}
	return a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		if err := tx.DeleteChannel(ctx, id); err != nil {
			return err
		}
		return a.core.Record(ctx, tx, ac, "channel.delete", "channel", strconv.FormatInt(id, 10), "success", map[string]any{"org": c.OrgID})
	})
}

// DeliveryLog lists the latest delivery attempts in the actor's subtree.
func (a *Service) DeliveryLog(ctx context.Context, ac *app.Actor, limit int) ([]store.SendAttempt, error) {
	if err := app.Require(ac, fenghuo.PermOrgRead); err != nil {
		return nil, err
	}
	if limit < 1 || limit > store.MaxLimit {
		limit = store.DefaultLimit
	}
	return a.core.DB().SendAttempts(ctx, ac.Org.Path, limit)
}
