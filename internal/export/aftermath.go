package export

import (
	"strings"
	"time"
)

// The documents of a response's end and aftermath (seed 001 §4.3, §5.1–§5.3),
// each a structured type that renders in the official layout of Chinese
// government documents (GB/T 9704-2012, see official.go) with
// WriteOfficialDOCX and WriteOfficialPDF.

// OfficialDocument is one of RecoveryPlan, InvestigationReport,
// SummaryReport and EndNotice.
type OfficialDocument interface {
	official() officialDoc
}

// DocumentHeader is what every official document carries besides its
// content: who issues it, its number, to whom, when, which version, and its
// approval chain.
type DocumentHeader struct {
	IssuerOffice string // 发文机关: signs the document (落款) and, unless Masthead is set, heads it
	Masthead     string // 发文机关标志; empty: IssuerOffice + "文件"
	Number       string // 文号, e.g. 乌网信〔2026〕12号
	Recipients   []string
	CopyTo       []string  // 抄送机关, printed in the 版记
	Date         time.Time // 成文日期, printed in China Standard Time; zero: a blank to fill by hand
	Version      int       // printed 第N版 at the top left when > 0
	Title        string    // overrides the title composed from the incident
	// Approvals is the chain unit → competent department → 网信办. Empty:
	// the three stages are printed blank, to be filled by hand.
	Approvals []Approval
}

// ApprovalStage is a step of the approval chain of an aftermath document.
type ApprovalStage int

const (
	ApprovalUnit      ApprovalStage = iota + 1 // 事发单位
	ApprovalCompetent                          // 主管部门 (§5.1: the competent department reviews)
	ApprovalCAC                                // 网信办
)

// Decision is an approver's decision; the zero value is pending.
type Decision string

const (
	DecisionPending  Decision = ""
	DecisionApproved Decision = "approved" // 同意
	DecisionReturned Decision = "returned" // 退回修改
)

// Approval is one step of the chain: the body, its decision and opinion,
// who decided and when.
type Approval struct {
	Stage    ApprovalStage
	Body     string // the unit, department or office
	Decision Decision
	Opinion  string
	Person   string
	Date     time.Time
}

// Measure is an improvement, rectification or recovery measure with its
// owner and deadline (§5.2 改进措施; the app tracks each as an item).
type Measure struct {
	Text     string
	Owner    string // 责任单位或责任人
	Deadline time.Time
}

// RecoveryPlan is the unit's 恢复重建方案 (seed 001 §5.1: drawn up by the
// unit where the incident occurred, "谁主管谁负责，谁运行谁负责", reviewed by
// its competent department).
type RecoveryPlan struct {
	DocumentHeader
	IncidentTitle       string
	Unit                string // 事发单位
	CompetentDepartment string // 主管部门
	Situation           string // 事件及损失情况
	Goals               string // 恢复目标
	Measures            []Measure
	Safeguards          string // 保障措施
}

// InvestigationReport is the 调查评估报告 of seed 001 §5.2: an analysis of
// the incident's cause, nature, impact and responsibility, a handling
// opinion and improvement measures, due 30 days after the response ends.
type InvestigationReport struct {
	DocumentHeader
	IncidentTitle   string
	Unit            string    // 事发单位
	Investigators   string    // 组织调查评估的单位
	ResponseEndedAt time.Time // 应急响应结束时间
	Overview        string    // 事件概况
	Cause           string    // 起因
	Nature          string    // 性质
	Impact          string    // 影响
	Responsibility  string    // 责任
	HandlingOpinion string    // 处理意见
	Improvements    []Measure // 改进措施
}

// SummaryReport is the 应急总结报告 of seed 001 §5.3: the lessons of the
// response and proposals to improve it, due 20 working days after it ends.
type SummaryReport struct {
	DocumentHeader
	IncidentTitle   string
	Unit            string // 事发单位
	ResponseEndedAt time.Time
	Overview        string    // 应急处置工作概况
	Experience      string    // 经验做法 (for exchange and promotion, §5.3)
	Lessons         string    // 存在的问题和教训
	Suggestions     string    // 改进应急处置工作的建议
	Improvements    []Measure // optional tracked measures
}

// EndNotice is the 结束通知 of seed 001 §4.3: the office that proposed the
// end, the body that approved it, and the notice to everyone notified when
// the response was activated.
type EndNotice struct {
	DocumentHeader
	IncidentTitle    string
	Unit             string // 事发单位
	ResponseLevel    string // e.g. Ⅱ级
	ActivatedAt      time.Time
	EndedAt          time.Time
	ProposedBy       string // 提出建议 (§4.3.2: the county office)
	ApprovedBy       string // 批准 (§4.3.2: the county command)
	Situation        string // 事件处置情况
	Requirements     string // 后续工作要求
	InvestigationDue time.Time
	SummaryDue       time.Time
	// SummaryDueEstimate, when set, says why the summary's due date is an
	// estimate (counted in working days into a year whose holiday notice
	// is not published); the notice prints it beside the date.
	SummaryDueEstimate string
}

func (h DocumentHeader) base(title string) officialDoc {
	if h.Title != "" {
		title = h.Title
	}
	masthead := h.Masthead
	if masthead == "" && h.IssuerOffice != "" {
		masthead = h.IssuerOffice + "文件"
	}
	approvals := h.Approvals
	if len(approvals) == 0 {
		approvals = []Approval{{Stage: ApprovalUnit}, {Stage: ApprovalCompetent}, {Stage: ApprovalCAC}}
	}
	return officialDoc{
		masthead: masthead, number: h.Number, version: h.Version, title: title,
		recipients: h.Recipients, copyTo: h.CopyTo, issuer: h.IssuerOffice, date: h.Date,
		approvals: approvals,
	}
}

// aboutTitle is the usual title of a document about an incident:
// 关于……的……; with no incident title, the kind alone.
func aboutTitle(incident, kind string) string {
	if strings.TrimSpace(incident) == "" {
		return kind
	}
	return "关于" + incident + "的" + kind
}

func (r RecoveryPlan) official() officialDoc {
	d := r.base(aboutTitle(r.IncidentTitle, "恢复重建方案"))
	d.para(joinNonEmpty("", "按照“谁主管谁负责，谁运行谁负责”的原则，", r.Unit, "制定本恢复重建方案，报",
		orBlank(r.CompetentDepartment, "主管部门"), "审核后实施。"))
	d.section("事件及损失情况", r.Situation)
	d.section("恢复目标", r.Goals)
	d.heading(1, "恢复、整改和重建措施")
	d.measures(r.Measures)
	d.section("保障措施", r.Safeguards)
	return d
}

func (r InvestigationReport) official() officialDoc {
	d := r.base(aboutTitle(r.IncidentTitle, "调查评估报告"))
	intro := joinNonEmpty("", officialDateOr(r.ResponseEndedAt, ""), optional(!r.ResponseEndedAt.IsZero(), "应急响应结束后，"),
		orBlank(r.Investigators, "我单位"), "对", optional(r.Unit != "", r.Unit+"发生的"), orBlank(r.IncidentTitle, "本次网络安全事件"),
		"的起因、性质、影响、责任等进行了调查评估。现将有关情况报告如下：")
	d.para(intro)
	d.section("事件概况", r.Overview)
	d.section("事件起因", r.Cause)
	d.section("事件性质", r.Nature)
	d.section("影响评估", r.Impact)
	d.section("责任认定", r.Responsibility)
	d.section("处理意见", r.HandlingOpinion)
	d.heading(1, "改进措施")
	d.measures(r.Improvements)
	return d
}

func (r SummaryReport) official() officialDoc {
	d := r.base(aboutTitle(r.IncidentTitle, "应急处置工作总结报告"))
	d.para(joinNonEmpty("", officialDateOr(r.ResponseEndedAt, ""), optional(!r.ResponseEndedAt.IsZero(), "应急响应结束。"),
		"现将", optional(r.Unit != "", r.Unit+"发生的"), orBlank(r.IncidentTitle, "本次网络安全事件"), "应急处置工作总结如下："))
	d.section("应急处置工作概况", r.Overview)
	d.section("经验做法", r.Experience)
	d.section("存在的问题和教训", r.Lessons)
	d.section("改进应急处置工作的建议", r.Suggestions)
	if len(r.Improvements) > 0 {
		d.heading(1, "改进措施")
		d.measures(r.Improvements)
	}
	return d
}

func (n EndNotice) official() officialDoc {
	level := orBlank(n.ResponseLevel, "")
	d := n.base("关于结束" + orBlank(n.IncidentTitle, "网络安全事件") + level + "应急响应的通知")
	d.noApprovals = true
	d.para(joinNonEmpty("", officialDateOr(n.ActivatedAt, ""), optional(!n.ActivatedAt.IsZero(), "，"),
		"针对", optional(n.Unit != "", n.Unit+"发生的"), orBlank(n.IncidentTitle, "网络安全事件"), "，启动网络安全事件", level, "应急响应。",
		optional(n.ProposedBy != "", "经"+n.ProposedBy+"提出建议，"), optional(n.ApprovedBy != "", n.ApprovedBy+"批准，"),
		"决定自", officialDateOr(n.EndedAt, "　　年　月　日"), "起结束", level, "应急响应。现将有关事项通知如下："))
	d.section("事件处置情况", n.Situation)
	d.heading(1, "后续工作要求")
	wrote := false
	if t := strings.TrimSpace(normalizeNewlines(n.Requirements)); t != "" {
		for _, line := range strings.Split(t, "\n") {
			d.para(line)
		}
		wrote = true
	}
	if !n.InvestigationDue.IsZero() {
		d.para("请于" + officialDue(n.InvestigationDue) + "前完成事件调查评估，报送调查评估报告（应急响应结束后30日内）。")
		wrote = true
	}
	if !n.SummaryDue.IsZero() {
		est := ""
		if n.SummaryDueEstimate != "" {
			est = "（估算：" + n.SummaryDueEstimate + "）"
		}
		d.para("请于" + officialDue(n.SummaryDue) + est + "前完成应急总结报告（应急响应结束后20个工作日内）。")
		wrote = true
	}
	if !wrote {
		d.para(notFilled)
	}
	d.para("特此通知。")
	return d
}

func orBlank(s, fallback string) string {
	if strings.TrimSpace(s) == "" {
		return fallback
	}
	return s
}

func optional(ok bool, s string) string {
	if ok {
		return s
	}
	return ""
}
