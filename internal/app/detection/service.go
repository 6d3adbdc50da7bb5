// Package detection is the detection-rules capability (issue 14 item 3):
// the built-in Sigma rule sets and the rules an org uploads, which of them
// each org runs on its events, and the engine (internal/ingest/sigma) that
// intake runs on every stored event. Each change is one transaction with
// its audit entry; the engine learns of it at once in this process and
// within RefreshEvery in any other.
package detection

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/ingest"
	"fenghuo/internal/ingest/sigma"
	"fenghuo/internal/store"
)

// CustomPrefix names the rule set of an org's uploaded rules:
// "custom:<org id>". It applies to the org and every org below it.
const CustomPrefix = "custom:"

// RefreshEvery bounds how stale the engine's view of the store may be
// (choices made by another process, orgs created since).
const RefreshEvery = 30 * time.Second

// Service is the detection-rules capability.
type Service struct {
	c       *app.Core
	builtin []*sigma.RuleSet
	engine  *sigma.Engine

	snap      atomic.Pointer[snapshot]
	refreshMu sync.Mutex
	// loaded is the custom rules the engine holds, by row id, to rebuild
	// only what changed.
	loaded map[int64]string
}

// snapshot is what Enabled reads: a copy of the store's choices.
type snapshot struct {
	at       time.Time
	disabled map[int64]map[string]bool
	paths    map[int64]string // org id → path, for the subtree of custom sets
	custom   map[string]bool  // custom sets that exist
}

// New builds the capability and its engine over the built-in rule sets;
// the orgs' uploaded rules and choices are read from the store on first use.
func New(c *app.Core) *Service {
	builtin, err := sigma.Builtin()
	if err != nil {
		// The sets are embedded and tested; failing here is a build defect.
		panic(fmt.Sprintf("detection: %v", err))
	}
	s := &Service{c: c, builtin: builtin, loaded: map[int64]string{}}
	s.engine, err = sigma.NewEngine(s.Enabled, builtin...)
	if err != nil {
		panic(fmt.Sprintf("detection: %v", err))
	}
	return s
}

// Detector is the engine, for intake.Service's detectors.
func (s *Service) Detector() ingest.Detector { return s.engine }

// Engine is the Sigma engine itself.
func (s *Service) Engine() *sigma.Engine { return s.engine }

// Enabled reports whether org runs ruleSet on its events (the engine's
// EnabledFunc). Built-in sets run unless the org turned them off; an
// org's uploaded set runs for it and every org below it, unless the org
// turned it off. The answer comes from a snapshot at most RefreshEvery old.
func (s *Service) Enabled(org int64, ruleSet string) bool {
	snap := s.current()
	if snap == nil {
		return false
	}
	if snap.disabled[org][ruleSet] {
		return false
	}
	if owner, ok := customOwner(ruleSet); ok {
		path, known := snap.paths[org]
		if !known {
			return false
		}
		return snap.custom[ruleSet] && fenghuo.InSubtree(snap.paths[owner], path)
	}
	return true
}

func customOwner(set string) (int64, bool) {
	if !strings.HasPrefix(set, CustomPrefix) {
		return 0, false
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(set, CustomPrefix), 10, 64)
	return id, err == nil
}

// CustomSetName is the rule set of an org's uploaded rules.
func CustomSetName(org int64) string { return CustomPrefix + strconv.FormatInt(org, 10) }

// current returns the snapshot, refreshing it when stale. A refresh runs
// in the caller that found it stale; others keep reading the old one.
func (s *Service) current() *snapshot {
	snap := s.snap.Load()
	if snap != nil && s.c.Now().Sub(snap.at) < RefreshEvery && s.c.Now().After(snap.at.Add(-time.Second)) {
		return snap
	}
	if snap == nil {
		s.refreshMu.Lock() // the first caller waits: there is nothing to read yet
		defer s.refreshMu.Unlock()
		if snap = s.snap.Load(); snap != nil {
			return snap
		}
		if err := s.refreshLocked(context.Background()); err != nil {
			s.c.Logger().Error("detection: load rule sets", "err", err)
		}
		return s.snap.Load()
	}
	if s.refreshMu.TryLock() {
		defer s.refreshMu.Unlock()
		if err := s.refreshLocked(context.Background()); err != nil {
			s.c.Logger().Error("detection: refresh rule sets", "err", err)
		}
	}
	return s.snap.Load()
}

// Refresh reads the choices and uploaded rules from the store now.
func (s *Service) Refresh(ctx context.Context) error {
	s.refreshMu.Lock()
	defer s.refreshMu.Unlock()
	return s.refreshLocked(ctx)
}

func (s *Service) refreshLocked(ctx context.Context) error {
	db := s.c.DB()
	snap := &snapshot{at: s.c.Now(), disabled: map[int64]map[string]bool{}, paths: map[int64]string{}, custom: map[string]bool{}}
	off, err := db.DisabledRuleSets(ctx)
	if err != nil {
		return err
	}
	for _, o := range off {
		if snap.disabled[o.OrgID] == nil {
			snap.disabled[o.OrgID] = map[string]bool{}
		}
		snap.disabled[o.OrgID][o.RuleSet] = true
	}
	err = db.View(ctx, func(tx *store.Tx) error {
		orgs, err := app.AllSubtree(ctx, tx, 0)
		for _, o := range orgs {
			snap.paths[o.ID] = o.Path
		}
		return err
	})
	if err != nil {
		return err
	}
	var rules []store.CustomRule
	for after := int64(0); ; {
		page, err := db.AllCustomRules(ctx, after, store.MaxLimit)
		if err != nil {
			return err
		}
		rules = append(rules, page...)
		if len(page) < store.MaxLimit {
			break
		}
		after = page[len(page)-1].ID
	}
	changed := len(rules) != len(s.loaded)
	for _, r := range rules {
		if s.loaded[r.ID] != r.Body {
			changed = true
		}
	}
	if changed {
		sets, loaded := s.customSets(rules)
		if err := s.engine.Replace(append(append([]*sigma.RuleSet(nil), s.builtin...), sets...)...); err != nil {
			return err
		}
		s.loaded = loaded
	}
	for _, r := range rules {
		snap.custom[CustomSetName(r.OrgID)] = true
	}
	s.snap.Store(snap)
	return nil
}

// customSets builds one rule set per org from its uploaded rules. A rule
// that no longer loads (it was valid when uploaded; a later version of the
// loader may refuse it) is left out and logged rather than stopping every
// other org's rules.
func (s *Service) customSets(rules []store.CustomRule) ([]*sigma.RuleSet, map[int64]string) {
	byOrg := map[int64]*sigma.RuleSet{}
	var order []int64
	loaded := map[int64]string{}
	for _, r := range rules {
		rs, cs, err := sigma.Parse(ruleFile(r.ID), []byte(r.Body))
		if err != nil {
			s.c.Logger().Error("detection: uploaded rule does not load", "rule", r.ID, "org", r.OrgID, "err", err)
			continue
		}
		set := byOrg[r.OrgID]
		if set == nil {
			set = &sigma.RuleSet{Name: CustomSetName(r.OrgID)}
			byOrg[r.OrgID] = set
			order = append(order, r.OrgID)
		}
		set.Rules = append(set.Rules, rs...)
		set.Correlations = append(set.Correlations, cs...)
		loaded[r.ID] = r.Body
	}
	out := make([]*sigma.RuleSet, 0, len(order))
	for _, org := range order {
		if err := byOrg[org].Check(); err != nil {
			s.c.Logger().Error("detection: an org's uploaded rules do not fit together", "org", org, "err", err)
			continue
		}
		out = append(out, byOrg[org])
	}
	return out, loaded
}

func ruleFile(id int64) string { return fmt.Sprintf("rule-%d.yml", id) }

// invalidate makes the next Enabled read the store again, and rebuilds
// the engine's rule sets now (after a change committed in this process).
func (s *Service) invalidate(ctx context.Context) {
	if err := s.Refresh(ctx); err != nil {
		s.c.Logger().Error("detection: refresh after a change", "err", err)
	}
}
