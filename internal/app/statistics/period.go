package statistics

import (
	"strconv"
	"time"

	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
)

// Buckets the counts go into.
const (
	ByDay   = "day"
	ByWeek  = "week"
	ByMonth = "month"
)

// Limits keep a chart readable and a query bounded.
const (
	maxDays     = 5 * 366 // the longest range (five years)
	maxDayBars  = 92      // by day: at most a quarter
	maxWeekBars = 106     // by week: at most two years
)

// Range is a span of Chinese calendar days, From inclusive and To
// exclusive (both midnight in Asia/Shanghai), counted in buckets of By.
type Range struct {
	From, To time.Time
	By       string
}

// FirstDay and LastDay give the range as the dates a reader chose.
func (r Range) FirstDay() string { return r.From.Format(time.DateOnly) }
func (r Range) LastDay() string  { return r.To.AddDate(0, 0, -1).Format(time.DateOnly) }

// ParseRange reads a chosen range: from and to as dates (YYYY-MM-DD, both
// days included), or a month (YYYY-MM) or a year (YYYY) in from with to
// empty; by is day, week or month (empty: by day up to 31 days, by week
// up to 92, else by month). Nothing chosen is the twelve months up to and
// including the current one, by month. Each problem is a field error the
// form shows next to its field.
func ParseRange(from, to, by string, now time.Time) (Range, error) {
	now = now.In(calendar.Shanghai)
	thisMonth := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, calendar.Shanghai)
	var r Range
	switch {
	case from == "" && to == "":
		r.From, r.To = thisMonth.AddDate(0, -11, 0), thisMonth.AddDate(0, 1, 0)
	case to == "" && len(from) == 7:
		m, err := time.ParseInLocation("2006-01", from, calendar.Shanghai)
		if err != nil {
			return r, fenghuo.FieldErrorf("from", "Give the month as YYYY-MM, such as 2026-12. / 月份格式为YYYY-MM，如2026-12。")
		}
		r.From, r.To = m, m.AddDate(0, 1, 0)
	case to == "" && len(from) == 4:
		y, err := strconv.Atoi(from)
		if err != nil || y < 2000 || y > 2100 {
			return r, fenghuo.FieldErrorf("from", "Give the year as four digits, such as 2026. / 年份为四位数字，如2026。")
		}
		r.From = time.Date(y, 1, 1, 0, 0, 0, 0, calendar.Shanghai)
		r.To = r.From.AddDate(1, 0, 0)
	default:
		f, err := time.ParseInLocation(time.DateOnly, from, calendar.Shanghai)
		if err != nil {
			return r, fenghuo.FieldErrorf("from", "Give the first day as YYYY-MM-DD. / 起始日期格式为YYYY-MM-DD。")
		}
		t, err := time.ParseInLocation(time.DateOnly, to, calendar.Shanghai)
		if err != nil {
			return r, fenghuo.FieldErrorf("to", "Give the last day as YYYY-MM-DD. / 截止日期格式为YYYY-MM-DD。")
		}
		if t.Before(f) {
			return r, fenghuo.FieldErrorf("to", "The last day comes before the first. / 截止日期早于起始日期。")
		}
		r.From, r.To = f, t.AddDate(0, 0, 1)
	}
	if r.From.Year() < 2000 || r.To.Year() > 2101 {
		return r, fenghuo.FieldErrorf("from", "Choose days between 2000 and 2100. / 请选择2000年至2100年之间的日期。")
	}
	days := int(r.To.Sub(r.From).Hours()/24 + 0.5)
	if days > maxDays {
		return r, fenghuo.FieldErrorf("to", "Choose at most five years. / 统计区间最长五年。")
	}
	switch by {
	case "":
		switch {
		case days <= 31:
			by = ByDay
		case days <= 92:
			by = ByWeek
		default:
			by = ByMonth
		}
	case ByDay:
		if days > maxDayBars {
			return r, fenghuo.FieldErrorf("by", "By day, choose at most 92 days; choose by week or by month for longer. / 按日统计最长92天，更长的区间请按周或按月统计。")
		}
	case ByWeek:
		if days > maxWeekBars*7 {
			return r, fenghuo.FieldErrorf("by", "By week, choose at most two years. / 按周统计最长两年。")
		}
	case ByMonth:
	default:
		return r, fenghuo.FieldErrorf("by", "Count by day, week or month. / 统计粒度应为日、周或月。")
	}
	r.By = by
	return r, nil
}

// bucket is one bar of a chart: its key (2026-12, 2026-12-07, or the
// Monday of a week), and where it starts.
type bucket struct {
	Key   string
	Start time.Time
}

// buckets lists the range's buckets in order.
func (r Range) buckets() []bucket {
	var out []bucket
	for t := r.bucketStart(r.From); t.Before(r.To); t = r.next(t) {
		out = append(out, bucket{Key: r.key(t), Start: t})
	}
	return out
}

// bucketStart is the start of the bucket holding t.
func (r Range) bucketStart(t time.Time) time.Time {
	t = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, calendar.Shanghai)
	switch r.By {
	case ByMonth:
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, calendar.Shanghai)
	case ByWeek:
		// Weeks start on Monday (GB/T 7408).
		return t.AddDate(0, 0, -(int(t.Weekday())+6)%7)
	}
	return t
}

func (r Range) next(t time.Time) time.Time {
	switch r.By {
	case ByMonth:
		return t.AddDate(0, 1, 0)
	case ByWeek:
		return t.AddDate(0, 0, 7)
	}
	return t.AddDate(0, 0, 1)
}

// key names the bucket starting at t.
func (r Range) key(t time.Time) string {
	if r.By == ByMonth {
		return t.Format("2006-01")
	}
	return t.Format(time.DateOnly)
}

// keyOfDay is the key of the bucket holding the calendar day d (a date
// at midnight UTC, as store.DayOf gives it).
func (r Range) keyOfDay(d time.Time) string {
	return r.key(r.bucketStart(time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, calendar.Shanghai)))
}
