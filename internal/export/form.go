// Package export turns incidents and their reports into the documents a
// regulator files: the report form (网络安全事件报告) as DOCX and as PDF with an
// embedded CJK font, and the incident list and the per-unit reporting record
// as XLSX. It is pure: the caller assembles the data, the package writes
// bytes, and nothing is read from the network or the file system.
package export

import (
	"strconv"
	"strings"
	"time"

	"fenghuo/internal/fenghuo"
)

// ReportForm is everything the report form shows, assembled by the caller
// from the incident, the report and the governing plan. Empty fields are
// printed as blanks to fill by hand, never omitted, so the form keeps the
// layout a regulator expects.
type ReportForm struct {
	IncidentID    int64
	IncidentTitle string
	// UnitName is the unit where the incident happened (发生单位).
	UnitName string
	Systems  []System
	// CategoryCode and CategoryName are the incident's category in the
	// plan's taxonomy, e.g. "NA09" 网页篡改事件.
	CategoryCode string
	CategoryName string
	// CategoryOptions are the taxonomy's top classes, one checkbox each; the
	// one whose code prefixes CategoryCode is ticked. Empty means the
	// classes of GB/T 20986-2023.
	CategoryOptions []Category
	Grade           fenghuo.Grade
	// GradeName overrides Grade.NameZH() when the plan names grades its own way.
	GradeName string
	// Times are printed in China Standard Time (Asia/Shanghai).
	OccurredAt   time.Time
	DiscoveredAt time.Time
	EndedAt      time.Time
	Description  string
	Impact       string // 影响范围
	Measures     string // 处置措施
	Result       string // 处置结果

	// Kind is fenghuo.ReportInitial, ReportFollowUp or ReportFinal.
	Kind     string
	Number   int // counts follow-ups: 续报(第2次)
	Revision int // corrections of the same report: 修订第2版
	// Items are the eight items of Art. 7 of the 2025 reporting measures,
	// keyed by the Item* constants.
	Items map[string]string

	// PlanFormTitle and PlanFormClause name the governing plan's own form,
	// e.g. 辽宁省广电网络安全事件报告单, 附件2.
	PlanFormTitle  string
	PlanFormClause string
	// PlanFields are the plan form's fields with their values. A field
	// whose ID is one of the standard rows (see standardRowIDs) sets that
	// row's label, options and value; the others are added as rows.
	PlanFields []FormValue

	Signer        string // 签发人
	Reporter      string // 报告人
	Phone         string // 联系电话
	ReportingUnit string // 报告单位
	SubmittedAt   time.Time
	Recipients    []string // 报送单位, e.g. 乌审旗委网信办
}

// System is an affected information system with its 等保 level (1–5, 0 when
// not graded).
type System struct {
	Name  string
	Level int
}

// Category is one class of a taxonomy.
type Category struct {
	Code string
	Name string
}

// FormValue is one field of the plan's own report form and its value.
type FormValue struct {
	ID    string
	Label string
	// Options, when set, are printed as checkboxes; Value ticks the ones it
	// names (several separated by "、" or ",").
	Options []string
	Value   string
}

// The eight items of 《国家网络安全事件报告管理办法》 Art. 7; an initial
// report may carry the first two only.
const (
	ItemUnitAndSystem    = "unit_and_system"
	ItemEventDetails     = "event_details"
	ItemDevelopment      = "development"
	ItemPreliminaryCause = "preliminary_cause"
	ItemTracingLeads     = "tracing_leads"
	ItemFurtherMeasures  = "further_measures"
	ItemSceneProtection  = "scene_protection"
	ItemOther            = "other"
)

// reportItem is an Art. 7 item with its heading.
type reportItem struct{ key, heading string }

var reportItems = []reportItem{
	{ItemUnitAndSystem, "（一）事发单位名称及发生事件的设施、系统、平台的基本情况"},
	{ItemEventDetails, "（二）事件发现或发生时间、地点、事件类型、级别、已造成的影响和危害，已采取的措施及效果；勒索软件攻击事件还应包括赎金金额、支付方式、日期等"},
	{ItemDevelopment, "（三）事态发展趋势及可能进一步造成的影响和危害"},
	{ItemPreliminaryCause, "（四）初步分析的事件原因"},
	{ItemTracingLeads, "（五）进一步调查分析所需的线索，包括可能的攻击者信息、攻击路径、存在的漏洞等"},
	{ItemFurtherMeasures, "（六）拟进一步采取的应对措施以及请求支援事项"},
	{ItemSceneProtection, "（七）事件现场保护情况"},
	{ItemOther, "（八）其他应当报告的情况"},
}

// defaultCategories are the top classes of GB/T 20986-2023.
var defaultCategories = []Category{
	{"MP", "恶意程序事件"}, {"NA", "网络攻击事件"}, {"DS", "数据安全事件"},
	{"IC", "信息内容安全事件"}, {"DE", "设备设施故障事件"}, {"RO", "违规操作事件"},
	{"SHE", "安全隐患事件"}, {"AB", "异常行为事件"}, {"FOC", "不可抗力事件"}, {"OTH", "其他事件"},
}

const (
	docTitle   = "网络安全事件报告"
	itemsTitle = "《国家网络安全事件报告管理办法》第七条 报告内容"
	emptyItem  = "（未填写）"
	boxEmpty   = "☐"
	boxTicked  = "☑"
)

var levelNames = []string{"第一级", "第二级", "第三级", "第四级", "第五级"}

// China has kept UTC+8 without daylight saving since 1991, so a fixed zone
// is exact for every incident and needs no tz database.
var chinaTime = time.FixedZone("CST", 8*3600)

// formatTime prints t as 2025年11月03日 14:20 in China Standard Time.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(chinaTime).Format("2006年01月02日 15:04")
}

// kindName is the report's kind as printed under the title.
func (f *ReportForm) kindName() string {
	var s string
	switch f.Kind {
	case fenghuo.ReportInitial:
		s = "初报"
	case fenghuo.ReportFollowUp:
		s = "续报"
		if f.Number > 0 {
			s += "（第" + strconv.Itoa(f.Number) + "次）"
		}
	case fenghuo.ReportFinal:
		s = "终报"
	default:
		s = f.Kind
	}
	if f.Revision > 1 {
		s += " 修订第" + strconv.Itoa(f.Revision) + "版"
	}
	return s
}

// subtitle is the line under the title: kind, plan form, incident number.
func (f *ReportForm) subtitle() string {
	parts := []string{}
	if k := f.kindName(); k != "" {
		parts = append(parts, k)
	}
	if f.PlanFormTitle != "" {
		p := "依据《" + f.PlanFormTitle + "》"
		if f.PlanFormClause != "" {
			p += f.PlanFormClause
		}
		parts = append(parts, p)
	}
	if f.IncidentID > 0 {
		parts = append(parts, "事件编号 "+strconv.FormatInt(f.IncidentID, 10))
	}
	return strings.Join(parts, "　")
}

// footerLines are printed after the eight items: who signed, who to call,
// when and to whom it went.
func (f *ReportForm) footerLines() [][2]string {
	return [][2]string{
		{"签发人", f.Signer},
		{"报告人", f.Reporter},
		{"联系电话", f.Phone},
		{"报告单位", f.ReportingUnit},
		{"报送时间", formatTime(f.SubmittedAt)},
		{"报送单位", strings.Join(f.Recipients, "、")},
	}
}
