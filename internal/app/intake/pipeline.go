package intake

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"fenghuo/internal/app"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/ingest"
	"fenghuo/internal/store"
)

// levelRank orders Sigma levels; an unknown level ranks lowest.
var levelRank = map[string]int{"informational": 1, "low": 2, "medium": 3, "high": 4, "critical": 5}

// Levels are the alert levels, lowest first.
var Levels = []string{"informational", "low", "medium", "high", "critical"}

// Accept stores a batch of events from src, runs the detectors on each and
// gathers their matches into alert groups, all in one transaction: it
// returns nil only after the commit (ingest.Sink). Events are enriched
// and detected on before they wait for the database, so that its writer
// is held only for the writes; batches that wait at the same time share a
// transaction (commit.go).
func (s *Service) Accept(ctx context.Context, src ingest.Source, events []ingest.Event) error {
	return s.Submit(ctx, src, events)()
}

// Submit is Accept in two steps (ingest.Submitter): the batch is enriched,
// detected on and queued for the database before Submit returns, and wait
// returns once it is committed. A connection's next batch can then be
// detected on while this one commits.
func (s *Service) Submit(ctx context.Context, src ingest.Source, events []ingest.Event) (wait func() error) {
	fail := func(err error) func() error { return func() error { return err } }
	if len(events) == 0 {
		return fail(nil)
	}
	if len(events) > MaxBatch {
		return fail(fenghuo.Errorf(fenghuo.EINVALID, "%d events in one batch; send at most %d. / 单批事件过多。", len(events), MaxBatch))
	}
	if src.Org == 0 {
		return fail(fenghuo.Errorf(fenghuo.EINVALID, "Events need the unit they belong to. / 事件须属于某一单位。"))
	}
	p, err := s.prepare(src, events)
	if err != nil {
		return fail(err)
	}
	// The detectors see one source's events in order, one batch at a
	// time; the batch joins the queue for the database in the same order.
	mu, _ := s.sourceLocks.LoadOrStore(src, &sync.Mutex{})
	mu.(*sync.Mutex).Lock()
	defer mu.(*sync.Mutex).Unlock()
	s.detect(ctx, p, events)
	return s.enqueue(ctx, p)
}

// prepare normalises and enriches a batch's events and makes their rows.
func (s *Service) prepare(src ingest.Source, events []ingest.Event) (*pendingBatch, error) {
	now := s.core.Now().UTC()
	p := &pendingBatch{src: src, stored: make([]*store.StoredEvent, len(events))}
	for i := range events {
		ev := &events[i]
		normalise(ev, now)
		enrich(ev)
		row, err := storedEvent(src, ev)
		if err != nil {
			return nil, err
		}
		p.stored[i] = row
	}
	return p, nil
}

// detect runs the detectors on a prepared batch's events.
func (s *Service) detect(ctx context.Context, p *pendingBatch, events []ingest.Event) {
	for i := range events {
		for _, d := range s.detectors {
			for _, m := range d.Detect(ctx, p.src, &events[i]) {
				p.matches = append(p.matches, found{event: i, match: m})
			}
		}
	}
}

// found is one detector match on the event at index event of a batch.
type found struct {
	event int
	match ingest.Match
}

// normalise gives an event the times and kind every stored event has.
func normalise(ev *ingest.Event, now time.Time) {
	if ev.Received.IsZero() {
		ev.Received = now
	}
	if ev.Time.IsZero() {
		ev.Time = ev.Received
	}
	if ev.Kind == "" {
		ev.Kind = ingest.KindGeneric
	}
	if ev.Fields == nil {
		ev.Fields = map[string]any{}
	}
	if len(ev.Raw) > ingest.MaxRaw {
		ev.Raw, ev.RawTruncated = ev.Raw[:ingest.MaxRaw], true
	}
	// NUL is valid in a Go string and in JSON text, but PostgreSQL's jsonb
	// refuses it (and the event search reads fields as jsonb there).
	for k, v := range ev.Fields {
		nk := strings.ReplaceAll(k, "\x00", "")
		switch x := v.(type) {
		case string:
			v = strings.ReplaceAll(x, "\x00", "")
		case []string:
			list := make([]string, len(x))
			for i, e := range x {
				list[i] = strings.ReplaceAll(e, "\x00", "")
			}
			v = list
		}
		if nk != k {
			delete(ev.Fields, k)
		}
		ev.Fields[nk] = v
	}
}

func storedEvent(src ingest.Source, ev *ingest.Event) (*store.StoredEvent, error) {
	fields, err := json.Marshal(ev.Fields)
	if err != nil {
		// JSON has no NaN or infinities: keep such numbers as text.
		for k, v := range ev.Fields {
			if f, ok := v.(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
				ev.Fields[k] = strconv.FormatFloat(f, 'g', -1, 64)
			}
		}
		if fields, err = json.Marshal(ev.Fields); err != nil {
			return nil, fmt.Errorf("intake: event fields: %w", err)
		}
	}
	return &store.StoredEvent{OrgID: src.Org, SourceID: src.TokenID, At: ev.Time.UTC(), Received: ev.Received.UTC(), Kind: ev.Kind,
		SourceIP: cut(ev.Str("source.ip")), DestinationIP: cut(ev.Str("destination.ip")), UserName: cut(ev.Str("user.name")),
		HostName: cut(ev.Str("host.name")), Category: cut(ev.Str("event.category")), RuleID: cut(ev.Str("rule.id")),
		Fields: string(fields), Raw: string(ev.Raw), RawTruncated: ev.RawTruncated}, nil
}

// cut bounds an indexed column's value (index entries stay small; the
// full value is in the JSON), cutting at a character boundary.
func cut(s string) string { return bounded(s, 256) }

// bounded makes a value from an outside tool storable as an indexed or keyed
// column on both engines: valid UTF-8, no NUL, at most max bytes cut at a
// character boundary.
func bounded(s string, max int) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
	if len(s) <= max {
		return s
	}
	for max > 0 && !utf8.RuneStart(s[max]) {
		max--
	}
	return s[:max]
}

// group adds the matches of a batch to the alert groups of src's unit,
// creating a group for a (rule, entity) seen for the first time or after
// the window, with one live event per new group.
func (s *Service) group(ctx context.Context, tx *store.Tx, src ingest.Source, stored []*store.StoredEvent, matches []found) error {
	if len(matches) == 0 {
		return nil
	}
	type key struct{ rule, entity string }
	byKey := map[key][]found{}
	var order []key
	for i := range matches {
		f := &matches[i]
		m := &f.match
		m.RuleID, m.Entity, m.RuleSet, m.Kind = bounded(m.RuleID, 300), bounded(m.Entity, 1000), bounded(m.RuleSet, 200), bounded(m.Kind, 50)
		tags := make([]string, len(m.Tags)) // the detector's own slice stays untouched
		for j, t := range m.Tags {
			tags[j] = bounded(t, 200)
		}
		m.Tags = tags
		if m.RuleID == "" {
			continue
		}
		k := key{f.match.RuleID, f.match.Entity}
		if _, ok := byKey[k]; !ok {
			order = append(order, k)
		}
		byKey[k] = append(byKey[k], *f)
	}
	// A fixed order of keys: concurrent batches take the keys' locks in
	// the same order and never wait for each other in a cycle.
	slices.SortFunc(order, func(a, b key) int {
		if c := strings.Compare(a.rule, b.rule); c != 0 {
			return c
		}
		return strings.Compare(a.entity, b.entity)
	})
	var created []*store.AlertGroup
	for _, k := range order {
		list := byKey[k]
		slices.SortStableFunc(list, func(a, b found) int { return stored[a.event].At.Compare(stored[b.event].At) })
		if err := tx.LockAlertKey(ctx, src.Org, k.rule, k.entity); err != nil {
			return err
		}
		g, err := tx.LatestAlertGroup(ctx, src.Org, k.rule, k.entity)
		if fenghuo.ErrorCode(err) == fenghuo.ENOTFOUND {
			g = nil
		} else if err != nil {
			return err
		}
		var samples []int64
		flush := func() error {
			if g == nil {
				return nil
			}
			if g.ID == 0 {
				if err := tx.CreateAlertGroup(ctx, g); err != nil {
					return err
				}
				created = append(created, g)
			} else if err := tx.UpdateAlertGroup(ctx, g); err != nil {
				return err
			}
			return tx.AddAlertSamples(ctx, g.ID, samples, SampleEvents)
		}
		for _, f := range list {
			ev := stored[f.event]
			if g == nil || ev.At.Sub(g.LastSeen) > s.window {
				if err := flush(); err != nil {
					return err
				}
				g, samples = newGroup(src, f.match, ev), nil
			} else {
				join(g, f.match, ev)
			}
			samples = append(samples, ev.ID)
		}
		if err := flush(); err != nil {
			return err
		}
	}
	if len(created) == 0 {
		return nil
	}
	unit, err := tx.Org(ctx, src.Org)
	if err != nil {
		return err
	}
	ac := intakeActor(unit, src)
	evs := make([]store.LiveEvent, 0, len(created))
	for _, g := range created {
		evs = append(evs, store.LiveEvent{OrgID: g.OrgID, Kind: "alert.group", Subject: g.Title, Link: fmt.Sprintf("/alerts/%d", g.ID)})
		if err := s.core.Record(ctx, tx, ac, "alert.group.open", "alert_group", app.ObjectID(g.ID), "success",
			map[string]any{"rule_id": g.RuleID, "entity": g.Entity, "kind": g.Kind, "level": g.Level, "source_id": g.SourceID}); err != nil {
			return err
		}
	}
	return s.core.Announce(ctx, tx, evs...)
}

func newGroup(src ingest.Source, m ingest.Match, ev *store.StoredEvent) *store.AlertGroup {
	level := m.Level
	if _, ok := levelRank[level]; !ok {
		level = "medium"
	}
	title := fenghuo.CleanText(m.Title, 300)
	if title == "" {
		title = m.RuleID
	}
	first := ev.At
	if !m.Since.IsZero() && m.Since.Before(first) {
		first = m.Since.UTC()
	}
	return &store.AlertGroup{OrgID: src.Org, RuleID: m.RuleID, Entity: m.Entity, Kind: m.Kind, RuleSet: m.RuleSet,
		Title: title, Level: level, Tags: slices.Clone(m.Tags), IndicatorID: m.IndicatorID, SourceID: src.TokenID,
		Count: matchCount(m), FirstSeen: first, LastSeen: ev.At, State: store.AlertOpen}
}

// matchCount is the events a match adds to its group's count: a
// threshold's events in its window, one otherwise.
func matchCount(m ingest.Match) int64 {
	return int64(max(1, min(m.Count, 1_000_000)))
}

// join adds one more match to a group: count, times, the highest level,
// tags not seen yet.
func join(g *store.AlertGroup, m ingest.Match, ev *store.StoredEvent) {
	g.Count += matchCount(m)
	if ev.At.After(g.LastSeen) {
		g.LastSeen = ev.At
	}
	if ev.At.Before(g.FirstSeen) {
		g.FirstSeen = ev.At
	}
	if !m.Since.IsZero() && m.Since.Before(g.FirstSeen) {
		g.FirstSeen = m.Since.UTC()
	}
	if levelRank[m.Level] > levelRank[g.Level] {
		g.Level = m.Level
	}
	for _, t := range m.Tags {
		if !slices.Contains(g.Tags, t) {
			g.Tags = append(g.Tags, t)
		}
	}
}

// intakeActor acts for a sensor of a unit (audit entries of new groups).
func intakeActor(unit *fenghuo.Org, src ingest.Source) *app.Actor {
	return &app.Actor{User: fenghuo.User{Username: "intake", DisplayName: "告警接入：" + src.Sensor}, Org: *unit, Via: "system"}
}
