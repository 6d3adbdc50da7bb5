package monitoring

import (
	"context"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/auth"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/monitor"
	"fenghuo/internal/store"
)

// MonitorSpec is what a user gives to watch a URL.
type MonitorSpec struct {
	SystemID int64
	URL      string
	Interval time.Duration
	Content  bool
	// Resolvers (host:port) enable the DNS comparison.
	Resolvers []string
	// Agreement is how many vantage points (this server and remote probes)
	// must see a failure before an outage starts; 0 or 1 trusts this server.
	Agreement int
}

// CreateMonitor watches a URL of a system in the actor's subtree.
func (a *Service) CreateMonitor(ctx context.Context, ac *app.Actor, spec MonitorSpec) (*store.Monitor, error) {
	u, err := url.Parse(spec.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fenghuo.FieldErrorf("url", "Give an absolute http or https URL. / 请填写完整的http或https网址。")
	}
	if monitor.AlwaysBlocked(u.Hostname()) {
		return nil, fenghuo.FieldErrorf("url", "%s is a link-local, unspecified or multicast address, which monitors may not reach: give the site's own address or name. / %[1]s为链路本地、未指定或组播地址，监测不可访问，请填写网站自身的地址或域名。", u.Hostname())
	}
	if spec.Interval < time.Minute || spec.Interval > 24*time.Hour {
		return nil, fenghuo.FieldErrorf("interval", "Check between every minute and once a day. / 检查间隔应为1分钟至24小时。")
	}
	for _, r := range spec.Resolvers {
		if _, _, err := net.SplitHostPort(r); err != nil {
			return nil, fenghuo.FieldErrorf("resolvers", "%q is not host:port, e.g. 114.114.114.114:53. / DNS服务器应为 地址：端口。", r)
		}
	}
	if spec.Agreement < 0 || spec.Agreement > 10 {
		return nil, fenghuo.FieldErrorf("agreement", "Agreement is between 1 (this server alone) and 10 vantage points. / 确认点数应为1至10。")
	}
	if _, err := a.core.VisibleSystem(ctx, ac, spec.SystemID); err != nil {
		return nil, err
	}
	if err := app.Require(ac, fenghuo.PermSystemWrite); err != nil {
		return nil, err
	}
	checks := []string{"availability"}
	if spec.Content {
		checks = append(checks, "content")
	}
	m := &store.Monitor{SystemID: spec.SystemID, URL: spec.URL, Checks: checks, Interval: spec.Interval, Resolvers: spec.Resolvers,
		Agreement: max(spec.Agreement, 1), NextDueAt: monitor.FirstDue(a.core.Now(), spec.URL, spec.Interval)}
	if err := a.core.DB().CreateMonitor(ctx, m); err != nil {
		return nil, err
	}
	a.core.RecordAlone(ctx, ac, "monitor.create", "monitor", strconv.FormatInt(m.ID, 10), "success",
		map[string]any{"url": spec.URL, "system": spec.SystemID, "agreement": m.Agreement})
	return m, nil
}

// RegisterProbe registers a remote probe and returns its token, which is
// stored only as a hash and shown once. Only system administrators may.
func (a *Service) RegisterProbe(ctx context.Context, ac *app.Actor, name, network string) (*store.Probe, string, error) {
	if ac.Via != "cli" {
		if err := app.Require(ac, fenghuo.PermOrgWrite); err != nil {
			return nil, "", err
		}
	}
	name, network = strings.TrimSpace(name), strings.TrimSpace(network)
	if name == "" || len([]rune(name)) > 100 {
		return nil, "", fenghuo.FieldErrorf("name", "Give the probe a name of up to 100 characters. / 请填写探针名称（不超过100字）。")
	}
	token := auth.NewAPIToken()
	p := &store.Probe{Name: name, Network: network, TokenHash: auth.HashToken(token)}
	if err := a.core.DB().CreateProbe(ctx, p); err != nil {
		return nil, "", err
	}
	a.core.RecordAlone(ctx, ac, "probe.register", "probe", strconv.FormatInt(p.ID, 10), "success", map[string]string{"name": name, "network": network})
	return p, token, nil
}

// Monitors lists a page of the monitors of the actor's subtree, each with
// its system's name and up to recent of its latest checks (0: none).
func (a *Service) Monitors(ctx context.Context, ac *app.Actor, recent int, p store.Page) (store.ListResult[store.MonitorRow], error) {
	if err := app.Require(ac, fenghuo.PermSystemRead); err != nil {
		return store.ListResult[store.MonitorRow]{}, err
	}
	return a.core.DB().MonitorList(ctx, ac.Org.Path, recent, p)
}

// MonitorWithHistory returns a monitor of the actor's subtree and its latest
// checks.
func (a *Service) MonitorWithHistory(ctx context.Context, ac *app.Actor, id int64, n int) (*store.Monitor, []store.MonitorResult, error) {
	m, err := a.core.DB().Monitor(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if _, err := a.core.VisibleSystem(ctx, ac, m.SystemID); err != nil {
		return nil, nil, err
	}
	if n < 1 || n > store.MaxLimit {
		n = store.DefaultLimit
	}
	res, err := a.core.DB().MonitorResults(ctx, id, n)
	return m, res, err
}

// AcceptChange accepts the site's current content as its new normal: the
// monitor learns its baseline again and its open alerts are resolved.
func (a *Service) AcceptChange(ctx context.Context, ac *app.Actor, id int64) error {
	m, err := a.core.DB().Monitor(ctx, id)
	if err != nil {
		return err
	}
	if _, err := a.core.VisibleSystem(ctx, ac, m.SystemID); err != nil {
		return err
	}
	if err := app.Require(ac, fenghuo.PermSystemWrite); err != nil {
		return err
	}
	if err := a.core.DB().RelearnBaseline(ctx, id, a.core.Now()); err != nil {
		return err
	}
	return a.core.RecordAlone(ctx, ac, "monitor.accept", "monitor", strconv.FormatInt(id, 10), "success", nil)
}
