package intake

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// EventQuery searches the stored events of a subtree.
type EventQuery struct {
	OrgID int64 // 0: the actor's org
	// Match are field = value conditions (ECS-style names).
	Match    map[string]string
	From, To time.Time
	// Cursor continues a previous page (EventPage.Next).
	Cursor string
	Limit  int
}

// EventPage is one page of events, newest first; Next is "" on the last.
type EventPage struct {
	Items []store.StoredEvent
	Next  string
}

// Searches on a field without a column of its own read the JSON of every
// event of the range: the range defaults to the last day and may not be
// longer than maxJSONRange.
const (
	defaultJSONRange = 24 * time.Hour
	maxJSONRange     = 31 * 24 * time.Hour
	maxConditions    = 8
)

var fieldName = regexp.MustCompile(`^[A-Za-z0-9@_][A-Za-z0-9@_.\-]{0,99}$`)

// Events searches events by field and time, newest first, paged by cursor.
func (s *Service) Events(ctx context.Context, ac *app.Actor, q EventQuery) (EventPage, error) {
	var page EventPage
	if err := app.Require(ac, fenghuo.PermIncidentRead); err != nil {
		return page, err
	}
	var bad fenghuo.Invalid
	jsonMatch := false
	if len(q.Match) > maxConditions {
		bad.Add(fenghuo.FieldErrorf("field", "Search on at most %d fields at once. / 检索条件过多。", maxConditions))
	}
	for k, v := range q.Match {
		if !fieldName.MatchString(k) {
			bad.Add(fenghuo.FieldErrorf("field", "%q is not a field name (letters, digits, dots, @, _ and -). / 字段名不正确。", k))
		}
		if len(v) > 1000 {
			bad.Add(fenghuo.FieldErrorf("value", "The value searched for %s is too long. / 检索值过长。", k))
		}
		if _, ok := store.IndexedEventFields[k]; !ok {
			jsonMatch = true
		}
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		bad.Add(fenghuo.FieldErrorf("from", "The start must be before the end. / 开始时间须早于结束时间。"))
	}
	f := store.EventFilter{From: q.From, To: q.To, Match: q.Match, Limit: q.Limit}
	if jsonMatch {
		if f.To.IsZero() {
			f.To = s.core.Now().Add(time.Minute)
		}
		if f.From.IsZero() {
			f.From = f.To.Add(-defaultJSONRange)
		}
		if f.To.Sub(f.From) > maxJSONRange {
			bad.Add(fenghuo.FieldErrorf("from", "Searching a field without an index of its own covers at most 31 days: narrow from and to. / 非索引字段检索的时间范围不得超过31天。"))
		}
	}
	if q.Cursor != "" {
		at, id, ok := parseCursor(q.Cursor)
		if !ok {
			bad.Add(fenghuo.FieldErrorf("cursor", "Use the cursor a previous page gave. / 翻页参数不正确。"))
		}
		f.AfterAt, f.AfterID = at, id
	}
	if err := bad.Err(); err != nil {
		return page, err
	}
	f.OrgPath = ac.Org.Path
	if q.OrgID != 0 {
		o, err := s.core.VisibleOrg(ctx, ac, q.OrgID)
		if err != nil {
			return page, err
		}
		f.OrgPath = o.Path
	}
	if f.Limit <= 0 {
		f.Limit = store.DefaultLimit
	}
	f.Limit = min(f.Limit, store.MaxLimit)
	items, err := s.core.DB().SearchEvents(ctx, f)
	if err != nil {
		return page, err
	}
	page.Items = items
	if len(items) == f.Limit {
		last := items[len(items)-1]
		page.Next = fmt.Sprintf("%d.%d", last.At.UnixMilli(), last.ID)
	}
	return page, nil
}

func parseCursor(c string) (time.Time, int64, bool) {
	a, b, ok := strings.Cut(c, ".")
	if !ok {
		return time.Time{}, 0, false
	}
	at, err1 := strconv.ParseInt(a, 10, 64)
	id, err2 := strconv.ParseInt(b, 10, 64)
	if err1 != nil || err2 != nil || id <= 0 {
		return time.Time{}, 0, false
	}
	return time.UnixMilli(at).UTC(), id, true
}

// pruneBatch is how many events one pruning transaction deletes.
const pruneBatch = 2000

// maxPruneBatches bounds one pass: a backlog is worked off over several
// scheduler passes instead of holding the writer for long.
const maxPruneBatches = 50

// RetentionSetting is the settings key that, when it holds a whole number
// of days (at least 1), overrides the deployment's retention without a
// restart.
const RetentionSetting = "intake.retention_days"

// retentionNow is the retention in force: the setting when valid, else
// the configured one.
func (s *Service) retentionNow(ctx context.Context) time.Duration {
	v, err := s.core.DB().Setting(ctx, RetentionSetting)
	if err != nil {
		return s.retention
	}
	days, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || days < 1 {
		s.core.Logger().Warn("intake: retention setting is not a whole number of days (at least 1); ignored", "value", v)
		return s.retention
	}
	return time.Duration(days) * 24 * time.Hour
}

// Prune deletes the events received longer ago than the retention, in
// batches of its own transactions (a scheduler pass). It returns how many
// it deleted.
func (s *Service) Prune(ctx context.Context) (int, error) {
	retention := s.retentionNow(ctx)
	cutoff := s.core.Now().Add(-retention)
	total := 0
	for i := 0; i < maxPruneBatches && ctx.Err() == nil; i++ {
		n, err := s.core.DB().PruneEvents(ctx, cutoff, pruneBatch)
		total += n
		if err != nil {
			return total, err
		}
		if n < pruneBatch {
			break
		}
	}
	if total == 0 {
		return 0, nil
	}
	return total, s.core.RecordAlone(ctx, app.SystemActor(), "intake.prune", "intake_event", "", "success",
		map[string]any{"deleted": total, "received_before": cutoff.UTC(), "retention_days": retention.Hours() / 24})
}
