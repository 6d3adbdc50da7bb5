package app

import (
	"context"
	"net"
	"net/url"
	"strconv"
	"time"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/monitor"
	"fenghuo/internal/store"
)

// CreateMonitor watches a URL of a system in the actor's subtree.
// resolvers (host:port) enable the DNS comparison.
func (a *App) CreateMonitor(ctx context.Context, ac *Actor, systemID int64, rawURL string, interval time.Duration, content bool, resolvers []string) (*store.Monitor, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fenghuo.FieldErrorf("url", "Give an absolute http or https URL. / 请填写完整的http或https网址。")
	}
	if interval < time.Minute || interval > 24*time.Hour {
		return nil, fenghuo.FieldErrorf("interval", "Check between every minute and once a day. / 检查间隔应为1分钟至24小时。")
	}
	for _, r := range resolvers {
		if _, _, err := net.SplitHostPort(r); err != nil {
			return nil, fenghuo.FieldErrorf("resolvers", "%q is not host:port, e.g. 114.114.114.114:53. / DNS服务器应为 地址:端口。", r)
		}
	}
	if _, err := a.System(ctx, ac, systemID); err != nil {
		return nil, err
	}
	if err := require(ac, fenghuo.PermSystemWrite); err != nil {
		return nil, err
	}
	checks := []string{"availability"}
	if content {
		checks = append(checks, "content")
	}
	m := &store.Monitor{SystemID: systemID, URL: rawURL, Checks: checks, Interval: interval, Resolvers: resolvers,
		NextDueAt: monitor.FirstDue(a.now(), rawURL, interval)}
	if err := a.db.CreateMonitor(ctx, m); err != nil {
		return nil, err
	}
	a.recordAlone(ctx, ac, "monitor.create", "monitor", strconv.FormatInt(m.ID, 10), "success", map[string]any{"url": rawURL, "system": systemID})
	return m, nil
}

// Monitors lists the monitors of the actor's subtree.
func (a *App) Monitors(ctx context.Context, ac *Actor) ([]store.Monitor, error) {
	if err := require(ac, fenghuo.PermSystemRead); err != nil {
		return nil, err
	}
	return a.db.MonitorsOf(ctx, ac.Org.Path)
}

// MonitorWithHistory returns a monitor of the actor's subtree and its latest
// checks.
func (a *App) MonitorWithHistory(ctx context.Context, ac *Actor, id int64, n int) (*store.Monitor, []store.MonitorResult, error) {
	m, err := a.db.Monitor(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if _, err := a.System(ctx, ac, m.SystemID); err != nil {
		return nil, nil, err
	}
	res, err := a.db.MonitorResults(ctx, id, n)
	return m, res, err
}

// AcceptChange accepts the site's current content as its new normal: the
// monitor learns its baseline again and its open alerts are resolved.
func (a *App) AcceptChange(ctx context.Context, ac *Actor, id int64) error {
	m, err := a.db.Monitor(ctx, id)
	if err != nil {
		return err
	}
	if _, err := a.System(ctx, ac, m.SystemID); err != nil {
		return err
	}
	if err := require(ac, fenghuo.PermSystemWrite); err != nil {
		return err
	}
	if err := a.db.RelearnBaseline(ctx, id, a.now()); err != nil {
		return err
	}
	return a.recordAlone(ctx, ac, "monitor.accept", "monitor", strconv.FormatInt(id, 10), "success", nil)
}
