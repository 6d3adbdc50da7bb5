package account

import (
	"context"

	"fenghuo/internal/app"
)

// QuietSession is Session without counting as activity: the console's
// pushed updates (docs/live.md) use it for the event stream and for the
// re-reads of a page's live regions, which happen without the user doing
// anything and must not keep an idle session alive.
func (a *Service) QuietSession(ctx context.Context, token, ip string) (*app.Actor, string, error) {
	return a.session(ctx, token, ip, false)
}
