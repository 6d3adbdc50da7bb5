// Package intel is the IOC library (issue 14 item 5; seed 002 (三): libraries
// of malware hashes, vulnerabilities and malicious URLs shared in standard
// formats; seed 001 §7.6: intelligence shared down the tree). Indicators
// are owned by an org and shared under their TLP 2.0 label:
//
//   - CLEAR: every org on the platform;
//   - GREEN: the owner's community, the whole province tree it belongs to
//     (every org under the same root);
//   - AMBER: the owner and its subtree (a city's bundle reaches its
//     counties' units; siblings and ancestors do not see it);
//   - AMBER+STRICT and RED: the owner only.
//
// The same rule decides which events an indicator matches (the event's org
// must be able to see it), so the Matcher the intake runs is rebuilt from
// the store after every change and periodically (expiry, new orgs).
package intel

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/ingest"
	"fenghuo/internal/ingest/ioc"
	"fenghuo/internal/store"
)

// Service is the IOC library capability.
type Service struct {
	core *app.Core
	live ioc.Live

	reloading sync.Mutex // one reload at a time
	mu        sync.Mutex // guards loadedAt and loadErr
	loadedAt  time.Time
	loadErr   error
	stamp     string // the library stamp seen before the last pass's load
}

// New returns the library over core. Call Reload (or Refresh) to load the
// matcher before the first event.
func New(core *app.Core) *Service { return &Service{core: core} }

// Detector is the IOC matcher as the intake runs it (ingest.Detector): it
// always uses the library as last loaded.
func (s *Service) Detector() ingest.Detector { return &s.live }

// Visible is the TLP sharing rule over org paths (see the package doc).
func Visible(ownerPath string, tlp ioc.TLP, viewerPath string) bool {
	if tlp == ioc.TLPClear {
		return true
	}
	if ownerPath == "" || viewerPath == "" {
		return false
	}
	switch tlp {
	case ioc.TLPGreen:
		return rootOf(ownerPath) == rootOf(viewerPath)
	case ioc.TLPAmber:
		return fenghuo.InSubtree(ownerPath, viewerPath)
	}
	return ownerPath == viewerPath
}

// rootOf is "/1/" of "/1/4/9/".
func rootOf(path string) string {
	p := strings.TrimPrefix(path, "/")
	if i := strings.IndexByte(p, '/'); i >= 0 {
		return "/" + p[:i+1]
	}
	return path
}

// Reload rebuilds the matcher from the indicators in force.
func (s *Service) Reload(ctx context.Context) error {
	s.reloading.Lock()
	defer s.reloading.Unlock()
	now := s.core.Now()
	m, err := s.load(ctx, now)
	if err == nil {
		s.live.Swap(m)
	}
	s.mu.Lock()
	if err == nil {
		s.loadedAt = now
	}
	s.loadErr = err
	s.mu.Unlock()
	return err
}

// load builds a matcher over the indicators in force at now, with the TLP
// rule over the org tree as it is now.
func (s *Service) load(ctx context.Context, now time.Time) (*ioc.Matcher, error) {
	rows, err := s.core.DB().ActiveIndicators(ctx, now)
	if err != nil {
		return nil, err
	}
	paths, err := s.core.DB().OrgPaths(ctx)
	if err != nil {
		return nil, err
	}
	inds := make([]ioc.Indicator, len(rows))
	for i := range rows {
		inds[i] = rows[i].Indicator
	}
	vis := func(owner int64, tlp ioc.TLP, eventOrg int64) bool {
		return Visible(paths[owner], tlp, paths[eventOrg])
	}
	return ioc.NewMatcher(inds, ioc.MatcherOptions{Visible: vis, Now: s.core.Now}), nil
}

// reloadAfterChange reloads after a committed change; a failure is logged
// (the periodic refresh tries again), never returned to the person whose
// change is already stored.
// It first moves the library's stamp, so that the other replicas (and a
// serve beside an `ioc import`) reload at their next pass.
func (s *Service) reloadAfterChange(ctx context.Context) {
	stamp := s.core.Replica() + "@" + strconv.FormatInt(s.core.Now().UnixNano(), 10)
	if err := s.core.DB().SetSetting(ctx, libraryStampKey, stamp); err != nil {
		s.core.Logger().Error("intel: mark the library changed", "err", err)
	}
	if err := s.Reload(ctx); err != nil {
		s.core.Logger().Error("intel: reload the matcher", "err", err)
		return
	}
	s.mu.Lock()
	s.stamp = stamp
	s.mu.Unlock()
}

// libraryStampKey is the setting each change of the library moves: a
// replica whose matcher was loaded under another stamp reloads it.
const libraryStampKey = "intel.library_stamp"

// libraryStamp reads the library's stamp ("" before the first change).
func (s *Service) libraryStamp(ctx context.Context) (string, error) {
	v, err := s.core.DB().Setting(ctx, libraryStampKey)
	if fenghuo.ErrorCode(err) == fenghuo.ENOTFOUND {
		return "", nil
	}
	return v, err
}

// RefreshEvery is how often the scheduler's pass reloads the matcher
// without a change to the library (new orgs in the tree; expiry is also
// checked on every event).
const RefreshEvery = 10 * time.Minute

// RefreshPass is the scheduler pass that keeps the matcher fresh: it
// loads the library the first time, after a change made through another
// replica (the library's stamp moved: within one scheduler pass, at most
// 5 s) and otherwise every RefreshEvery.
func (s *Service) RefreshPass(ctx context.Context) (int, error) {
	stamp, err := s.libraryStamp(ctx)
	if err != nil {
		return 0, err
	}
	s.mu.Lock()
	due := s.loadedAt.IsZero() || s.loadErr != nil || s.core.Now().Sub(s.loadedAt) >= RefreshEvery || stamp != s.stamp
	s.mu.Unlock()
	if !due {
		return 0, nil
	}
	if err := s.Reload(ctx); err != nil {
		return 0, err
	}
	s.mu.Lock()
	s.stamp = stamp // the load read the library after the stamp
	s.mu.Unlock()
	return 1, nil
}

// Status is what the matcher holds.
type Status struct {
	Total    int
	ByType   map[ioc.Type]int
	LoadedAt time.Time
	Err      error
}

// Status reports the matcher's counts (the console shows them).
func (s *Service) Status() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := Status{LoadedAt: s.loadedAt, Err: s.loadErr, ByType: map[ioc.Type]int{}}
	if m := s.live.Current(); m != nil {
		st.Total, st.ByType = m.Len(), m.Counts()
	}
	return st
}

// scope is the TLP scope of the actor's org.
func scope(ac *app.Actor) store.IndicatorScope { return store.ScopeOfPath(ac.Org.ID, ac.Org.Path) }
