package fenghuo

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Drill kinds (seed 001 §6.2: every unit drills its plan at least once a
// year, simulating a major or large incident, and files a written summary
// with the office).
const (
	DrillTabletop  = "tabletop"  // 桌面推演
	DrillLive      = "live"      // 实战演练
	DrillTechnical = "technical" // 技术演练
)

// DrillKinds lists the drill kinds in display order.
var DrillKinds = []string{DrillTabletop, DrillLive, DrillTechnical}

// Drill is one drill a unit held and filed with its office: structured
// summary fields plus, optionally, the written summary as an uploaded file
// (stored by the safe evidence upload: kind by extension and content, size,
// SM3 digest, outside any served path).
type Drill struct {
	ID    int64
	OrgID int64
	// Year is the calendar year (Asia/Shanghai) of HeldOn: the year the
	// drill counts for.
	Year         int
	Kind         string
	HeldOn       time.Time
	Title        string
	Participants string // who took part (departments, teams)
	Headcount    int
	PlanID       string // the plan drilled
	PlaybookID   string // the playbook drilled, optional
	Scenario     string // the simulated incident
	Result       string // how it went, what the plan lacked (检验和完善预案)
	Improvements string // what will change
	// FiledToOrgID is the office the summary is filed with (备案).
	FiledToOrgID int64
	File         DrillFile
	CreatedBy    int64
	CreatedAt    time.Time
}

// DrillFile is the uploaded written summary of a drill (empty Name: none).
type DrillFile struct {
	Name, ContentType, SM3, StorageKey string
	Size                               int64
}

// Validate checks a drill before it is stored.
func (d *Drill) Validate() error {
	if !contains(DrillKinds, d.Kind) {
		return FieldErrorf("kind", "Choose the kind of drill: table-top, live or technical. / 请选择演练形式。")
	}
	if d.HeldOn.IsZero() {
		return FieldErrorf("held_on", "Give the date of the drill. / 请填写演练日期。")
	}
	if strings.TrimSpace(d.Title) == "" {
		return FieldErrorf("title", "Name the drill. / 请填写演练名称。")
	}
	if strings.TrimSpace(d.Participants) == "" {
		return FieldErrorf("participants", "Say who took part. / 请填写参演单位和人员。")
	}
	if d.Headcount < 1 || d.Headcount > 100000 {
		return FieldErrorf("headcount", "Give the number of participants (1 to 100,000). / 请填写参演人数。")
	}
	if strings.TrimSpace(d.PlanID) == "" {
		return FieldErrorf("plan_id", "Choose the plan drilled. / 请选择演练的预案。")
	}
	if strings.TrimSpace(d.Scenario) == "" {
		return FieldErrorf("scenario", "Describe the simulated incident. / 请填写演练场景。")
	}
	if strings.TrimSpace(d.Result) == "" {
		return FieldErrorf("result", "Summarise how the drill went. / 请填写演练总结。")
	}
	for k, v := range map[string]string{"title": d.Title, "participants": d.Participants, "scenario": d.Scenario,
		"result": d.Result, "improvements": d.Improvements} {
		if len([]rune(v)) > 5000 {
			return FieldErrorf(k, "Keep this under 5,000 characters. / 不超过5000字。")
		}
	}
	return nil
}

// Activity categories: training (§6.4) and publicity (§6.3).
const (
	ActivityTraining  = "training"  // 培训
	ActivityPublicity = "publicity" // 宣传
)

// ActivityCategories lists the categories in display order.
var ActivityCategories = []string{ActivityTraining, ActivityPublicity}

// Activity is a training session or a publicity activity an org held.
type Activity struct {
	ID        int64
	OrgID     int64
	Category  string
	HeldOn    time.Time
	Kind      string // e.g. 专业技术培训, 领导干部培训, 网络安全宣传周
	Audience  string
	Count     int // people trained or reached
	Summary   string
	CreatedBy int64
	CreatedAt time.Time
}

// Validate checks an activity before it is stored.
func (a *Activity) Validate() error {
	if !contains(ActivityCategories, a.Category) {
		return FieldErrorf("category", "Choose training or publicity. / 请选择培训或宣传。")
	}
	if a.HeldOn.IsZero() {
		return FieldErrorf("held_on", "Give the date. / 请填写日期。")
	}
	if strings.TrimSpace(a.Kind) == "" {
		return FieldErrorf("kind", "Say what kind of activity it was. / 请填写活动类型。")
	}
	if strings.TrimSpace(a.Audience) == "" {
		return FieldErrorf("audience", "Say who it was for. / 请填写对象。")
	}
	if a.Count < 1 || a.Count > 10000000 {
		return FieldErrorf("count", "Give the number of people (at least 1). / 请填写人数。")
	}
	if strings.TrimSpace(a.Summary) == "" || len([]rune(a.Summary)) > 5000 {
		return FieldErrorf("summary", "Summarise it in under 5,000 characters. / 请填写内容摘要（不超过5000字）。")
	}
	return nil
}

// Capability score terms (001 §6.7.2 应急能力考评), each a rate in [0, 1]
// measured from the platform's own records for one unit and one year.
const (
	TermReporting = "reporting_on_time" // report and forward duties met on time
	TermDrill     = "drill_done"        // at least one drill filed in the year
	TermWarnings  = "warnings_on_time"  // warning acknowledgements on time
	TermDaily     = "daily_on_time"     // protection-period daily reports on time
	TermFindings  = "findings_cleared"  // findings (隐患) rectified by their deadline
)

// ScoreTerms lists the terms in display order.
var ScoreTerms = []string{TermReporting, TermDrill, TermWarnings, TermDaily, TermFindings}

// ScoreWeights are an office's weights per term (non-negative integers).
type ScoreWeights map[string]int

// DefaultScoreWeights weigh timely reporting most: it is what the plans'
// accountability clauses (迟报、漏报) punish.
func DefaultScoreWeights() ScoreWeights {
	return ScoreWeights{TermReporting: 30, TermDrill: 20, TermWarnings: 20, TermDaily: 15, TermFindings: 15}
}

// Validate checks weights: known terms, 0 to 100 each, at least one above 0.
func (w ScoreWeights) Validate() error {
	sum := 0
	for k, v := range w {
		if !contains(ScoreTerms, k) {
			return FieldErrorf(k, "Unknown score term %q. / 未知考评项。", k)
		}
		if v < 0 || v > 100 {
			return FieldErrorf(k, "A weight is 0 to 100. / 权重应为0至100。")
		}
		sum += v
	}
	if sum == 0 {
		return FieldErrorf("weights", "Give at least one term a weight. / 至少一项权重大于0。")
	}
	return nil
}

// Formula writes the score formula with these weights, e.g.
// "(30×reporting_on_time + 20×drill_done) ÷ 50 × 100".
func (w ScoreWeights) Formula(name func(term string) string) string {
	var parts []string
	sum := 0
	for _, t := range ScoreTerms {
		if w[t] > 0 {
			parts = append(parts, fmt.Sprintf("%d×%s", w[t], name(t)))
			sum += w[t]
		}
	}
	return fmt.Sprintf("(%s) ÷ %d × 100", strings.Join(parts, " + "), sum)
}

// TermMeasure is one term's measured facts: Met of Due counted (Due 0: no
// measurement — the term is left out of the score, not counted as zero).
type TermMeasure struct {
	Term string
	Met  int
	Due  int
}

// Rate is Met/Due, or -1 when nothing was measured.
func (m TermMeasure) Rate() float64 {
	if m.Due == 0 {
		return -1
	}
	return float64(m.Met) / float64(m.Due)
}

// Score combines measured terms with weights: the weighted mean of the
// rates of the terms that were measured, times 100, rounded to one decimal.
// ok is false when no weighted term was measured.
func Score(w ScoreWeights, ms []TermMeasure) (score float64, ok bool) {
	num, den := 0.0, 0
	sort.SliceStable(ms, func(i, j int) bool { return termIndex(ms[i].Term) < termIndex(ms[j].Term) })
	for _, m := range ms {
		if m.Due == 0 || w[m.Term] == 0 {
			continue
		}
		num += float64(w[m.Term]) * m.Rate()
		den += w[m.Term]
	}
	if den == 0 {
		return 0, false
	}
	return float64(int(num/float64(den)*1000+0.5)) / 10, true
}

func termIndex(t string) int {
	for i, v := range ScoreTerms {
		if v == t {
			return i
		}
	}
	return len(ScoreTerms)
}
