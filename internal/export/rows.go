package export

import (
	"strings"

	"fenghuo/internal/fenghuo"
)

// formRow is one row of the form's table: a shaded label and a value made
// of checkbox options (if any) followed by text.
type formRow struct {
	ID      string
	Label   string
	Options []option
	Text    string
}

type option struct {
	Label  string
	Ticked bool
}

// rowSpec is a row before the plan's fields are merged in: Selected names
// the options to tick, Fallback is printed when none of them matches (a
// plan whose form lists only Ⅲ级 and Ⅳ级 still shows a grade-II incident).
type rowSpec struct {
	id       string
	label    string
	options  []string
	selected []string
	text     string
	fallback string
}

// Standard row IDs follow the field ids of seed 003 附件2 (dandong-broadcast
// plan), so that plan's form fills the table in its own words.
const (
	rowUnit          = "department"
	rowSystems       = "system_name"
	rowLevel         = "protection_level"
	rowGrade         = "grade"
	rowCategory      = "category"
	rowOccurred      = "occurred_at"
	rowDiscovered    = "discovered_at"
	rowEnded         = "ended_at"
	rowDescription   = "description"
	rowScope         = "scope"
	rowMeasures      = "measures"
	rowResult        = "result"
	rowReportingUnit = "reporting_unit"
	rowReporter      = "reporter"
	rowPhone         = "phone"
)

// rowAliases maps other plans' ids for the same field to the standard row.
var rowAliases = map[string]string{"unit": rowUnit, "occurred_time": rowOccurred}

var gradeRoman = map[fenghuo.Grade]string{fenghuo.GradeI: "Ⅰ级", fenghuo.GradeII: "Ⅱ级", fenghuo.GradeIII: "Ⅲ级", fenghuo.GradeIV: "Ⅳ级"}

// rows lays out the table like seed 003 附件2, with the discovery time
// added (statutory clocks count from it) and the plan's other fields
// before the reporter's rows.
func (f *ReportForm) rows() []formRow {
	head, tail := f.standardRows()
	byID := map[string]*rowSpec{}
	for i := range head {
		byID[head[i].id] = &head[i]
	}
	for i := range tail {
		byID[tail[i].id] = &tail[i]
	}
	items := map[string]bool{}
	for _, it := range reportItems {
		items[it.key] = true
	}
	var extra []rowSpec
	for _, pf := range f.PlanFields {
		id := pf.ID
		if a, ok := rowAliases[id]; ok {
			id = a
		}
		if items[id] {
			continue // printed among the eight items
		}
		spec, ok := byID[id]
		if !ok {
			extra = append(extra, rowSpec{id: pf.ID, label: pf.Label, options: pf.Options,
				selected: splitValues(pf.Value), text: textUnlessOptions(pf), fallback: pf.Value})
			continue
		}
		if pf.Label != "" {
			spec.label = pf.Label
		}
		if len(pf.Options) > 0 {
			spec.options = pf.Options
		}
		switch {
		case pf.Value == "":
		case len(spec.options) > 0:
			spec.selected, spec.fallback = splitValues(pf.Value), pf.Value
		default:
			spec.text = pf.Value
		}
	}
	var out []formRow
	for _, group := range [][]rowSpec{head, extra, tail} {
		for _, s := range group {
			out = append(out, s.row())
		}
	}
	return out
}

func (f *ReportForm) standardRows() (head, tail []rowSpec) {
	var names, levels, perSystem []string
	for _, s := range f.Systems {
		names = append(names, s.Name)
		if s.Level >= 1 && s.Level <= len(levelNames) {
			levels = append(levels, levelNames[s.Level-1])
			perSystem = append(perSystem, s.Name+"："+levelNames[s.Level-1])
		}
	}
	levelText := ""
	if len(perSystem) > 1 {
		levelText = strings.Join(perSystem, "；")
	}
	gradeName := f.GradeName
	if gradeName == "" && f.Grade != "" {
		gradeName = f.Grade.NameZH()
	}
	var gradeSel []string
	if r, ok := gradeRoman[f.Grade]; ok {
		gradeSel = []string{r}
	}
	cats := f.CategoryOptions
	if len(cats) == 0 {
		cats = defaultCategories
	}
	var catOptions, catSel []string
	for _, c := range cats {
		catOptions = append(catOptions, c.Name)
		if c.Code != "" && f.CategoryCode != "" && strings.HasPrefix(f.CategoryCode, c.Code) {
			catSel = append(catSel, c.Name)
		}
	}
	catText := strings.TrimSpace(f.CategoryCode + " " + f.CategoryName)
	head = []rowSpec{
		{id: rowUnit, label: "发生单位", text: f.UnitName},
		{id: rowSystems, label: "信息系统名称", text: strings.Join(names, "、")},
		{id: rowLevel, label: "信息系统安全保护等级", options: levelNames, selected: levels, text: levelText, fallback: strings.Join(levels, "、")},
		{id: rowGrade, label: "事件级别", options: []string{"Ⅰ级（特别重大）", "Ⅱ级（重大）", "Ⅲ级（较大）", "Ⅳ级（一般）"}, selected: gradeSel, fallback: gradeName},
		{id: rowCategory, label: "事件类别", options: catOptions, selected: catSel, text: catText},
		{id: rowOccurred, label: "发生时间", text: formatTime(f.OccurredAt)},
		{id: rowDiscovered, label: "发现时间", text: formatTime(f.DiscoveredAt)},
		{id: rowEnded, label: "结束时间", text: formatTime(f.EndedAt)},
		{id: rowDescription, label: "事件描述", text: f.Description},
		{id: rowScope, label: "影响范围", text: f.Impact},
		{id: rowMeasures, label: "处置措施", text: f.Measures},
		{id: rowResult, label: "处置结果", text: f.Result},
	}
	tail = []rowSpec{
		{id: rowReportingUnit, label: "报告单位", text: f.ReportingUnit},
		{id: rowReporter, label: "报告人", text: f.Reporter},
		{id: rowPhone, label: "联系电话", text: f.Phone},
	}
	return head, tail
}

// row ticks the options the selection names and, when it names none of
// them, prints the selection as text so nothing is lost.
func (s rowSpec) row() formRow {
	r := formRow{ID: s.id, Label: s.label, Text: s.text}
	ticked := false
	for _, o := range s.options {
		t := false
		for _, sel := range s.selected {
			if optionMatches(o, sel) {
				t = true
			}
		}
		ticked = ticked || t
		r.Options = append(r.Options, option{Label: o, Ticked: t})
	}
	if len(s.options) > 0 && !ticked && s.fallback != "" {
		r.Text = joinNonEmpty("\n", s.fallback, r.Text)
	}
	return r
}

// optionMatches compares an option with a selected value, allowing either
// to extend the other: "Ⅲ级" ticks "Ⅲ级（较大）", and 2023's 设备设施故障事件
// ticks the 2007 form's 设备设施故障.
func optionMatches(opt, sel string) bool {
	o, s := normalize(opt), normalize(sel)
	if o == "" || s == "" {
		return false
	}
	return o == s || strings.HasPrefix(o, s) || strings.HasPrefix(s, o)
}

func normalize(s string) string {
	return strings.Join(strings.Fields(strings.TrimPrefix(strings.TrimSpace(s), boxEmpty)), "")
}

func splitValues(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune("、,，;；\n", r) })
}

func textUnlessOptions(pf FormValue) string {
	if len(pf.Options) > 0 {
		return ""
	}
	return pf.Value
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}
