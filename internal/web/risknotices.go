package web

// Risk notices (风险通报, issue 12 P3): the office's list, form (with a
// preview of the units it would reach) and progress board; a targeted
// unit's answer.

import (
	"net/http"
	"strconv"
	"strings"

	"fenghuo/internal/app/risknotice"
	"fenghuo/internal/fenghuo"
)

func init() {
	for k, v := range riskNoticeMessages {
		messages[k] = v
	}
	pages = append(pages, "risk_notices", "risk_notice")
}

var riskNoticeMessages = map[string][2]string{
	"nav.risk_notices":            {"风险通报", "Risk notices"},
	"obligation.kind.risk_notice": {"风险通报答复", "risk notice answer"},
	"risk.title":                  {"风险通报", "Risk notices"},
	"risk.new":                    {"发布风险通报", "Issue a risk notice"},
	"risk.intro":                  {"按组件和受影响版本自动确定通报对象：只发给辖区内登记的系统运行受影响版本的单位。各单位须在整改时限内答复是否受影响；受影响的自动记为隐患。", "The notice goes only to the units whose registered systems run an affected version. Each must answer by the deadline; an affected answer becomes a finding."},
	"risk.field.title":            {"通报标题", "Title"},
	"risk.vendor":                 {"厂商", "Vendor"},
	"risk.product":                {"产品（组件）", "Product (component)"},
	"risk.ranges":                 {"受影响版本", "Affected versions"},
	"risk.ranges.hint":            {"每行一个范围，如 12.2.1.3 - 12.2.1.4、[2.5.0, 2.5.13)、<=1.0.2k、2.5.x 或单个版本", "One range a line, e.g. 12.2.1.3 - 12.2.1.4, [2.5.0, 2.5.13), <=1.0.2k, 2.5.x or one version"},
	"risk.refs":                   {"漏洞编号（CVE/CNVD，可选）", "CVE / CNVD ids (optional)"},
	"risk.refs.hint":              {"多个编号用空格或逗号分隔", "Separate several ids with spaces or commas"},
	"risk.description":            {"风险情况", "Description"},
	"risk.measures":               {"处置措施", "Measures"},
	"risk.severity":               {"隐患严重程度", "Finding severity"},
	"risk.rectify_days":           {"答复和整改时限（天）", "Days to answer and rectify"},
	"risk.rectify_days.hint":      {"默认7天：收到通报后7日内报送整改情况", "Default 7: report the rectification within 7 days of the notice"},
	"risk.preview":                {"预览通报对象", "Preview who receives it"},
	"risk.preview.title":          {"将通报以下单位", "It will go to these units"},
	"risk.preview.none":           {"辖区内没有单位登记的系统运行受影响版本。", "No unit below runs an affected version."},
	"risk.issue":                  {"发布通报", "Issue the notice"},
	"risk.issuer":                 {"发布单位", "Issued by"},
	"risk.issued_at":              {"发布时间", "Issued"},
	"risk.due":                    {"答复时限", "Answer by"},
	"risk.status":                 {"状态", "Status"},
	"risk.status.active":          {"进行中", "Active"},
	"risk.status.closed":          {"已关闭", "Closed"},
	"risk.board":                  {"通报进度", "Progress"},
	"risk.count.targets":          {"通报单位", "Units"},
	"risk.count.affected":         {"受影响", "Affected"},
	"risk.count.not_affected":     {"不受影响", "Not affected"},
	"risk.count.unanswered":       {"未答复", "Not answered"},
	"risk.count.overdue":          {"逾期未答复", "Overdue"},
	"risk.count.findings_open":    {"隐患未清零", "Findings open"},
	"risk.count.findings_closed":  {"隐患已销号", "Findings closed"},
	"risk.target":                 {"单位", "Unit"},
	"risk.reason":                 {"受影响系统及版本", "Affected systems and versions"},
	"risk.answer":                 {"答复", "Answer"},
	"risk.answer.affected":        {"受影响", "Affected"},
	"risk.answer.not_affected":    {"不受影响", "Not affected"},
	"risk.answer.none":            {"未答复", "Not answered"},
	"risk.answer.note":            {"说明（不受影响时必填：如已升级至14.1.1、组件已停用）", "Note (required when not affected: e.g. upgraded to 14.1.1, component retired)"},
	"risk.answer.submit":          {"提交答复", "Send the answer"},
	"risk.answer.yours":           {"请答复本单位是否受影响", "Say whether your unit is affected"},
	"risk.escalated":              {"已督办", "Escalated"},
	"risk.findings":               {"隐患", "Findings"},
	"risk.notice":                 {"通报文书", "Notice"},
	"risk.close":                  {"关闭通报", "Close the notice"},
	"risk.close.reason":           {"关闭原因", "Why it is closed"},
	"risk.close.confirm":          {"关闭后未答复的单位不再催办，确定关闭？", "Units that have not answered will no longer be chased. Close it?"},
	"risk.refs.label":             {"漏洞编号", "Vulnerability ids"},
	"risk.none":                   {"暂无风险通报。", "No risk notices yet."},
	"risk.product.normalised":     {"识别为", "Recognised as"},
	"severity.critical":           {"严重", "Critical"},
	"severity.high":               {"高", "High"},
	"severity.medium":             {"中", "Medium"},
	"severity.low":                {"低", "Low"},
}

// riskForm is the new-notice form's state, kept on a preview or an error.
type riskForm struct {
	Title, Vendor, Product, Ranges, RefIDs, Description, Measures, Severity string
	RectifyDays                                                             int
}

func (f riskForm) input() risknotice.Input {
	refs := strings.FieldsFunc(f.RefIDs, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ' ' || r == '\n' || r == '\r' })
	return risknotice.Input{Title: f.Title, Vendor: f.Vendor, Product: f.Product, Ranges: f.Ranges, RefIDs: refs,
		Description: f.Description, Measures: f.Measures, Severity: f.Severity, RectifyDays: f.RectifyDays}
}

func (h *Handler) riskNotices(w http.ResponseWriter, r *http.Request) {
	h.renderRiskNotices(w, r, http.StatusOK, riskForm{Severity: fenghuo.SeverityHigh, RectifyDays: fenghuo.DefaultRectifyDays}, nil, nil)
}

func (h *Handler) renderRiskNotices(w http.ResponseWriter, r *http.Request, status int, form riskForm, preview []fenghuo.RiskNoticeTarget, formErr error) {
	ac := actor(r)
	page, n := readPage(r)
	list, err := h.app.RiskNotices.List(r.Context(), ac, page)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	names := map[int64]string{}
	for _, rn := range list.Items {
		if _, ok := names[rn.OrgID]; !ok {
			if o, err := h.app.Core.DB().Org(r.Context(), rn.OrgID); err == nil {
				names[rn.OrgID] = o.Name
			}
		}
	}
	v := &view{Actor: ac, Title: "risk.title", Nav: "risk_notices", Data: map[string]any{"List": list.Items,
		"Pager": newPager(r, n, list.Total), "Issuers": names, "Form": form, "Preview": preview, "Previewed": preview != nil,
		"Severities": fenghuo.FindingSeverities}}
	if formErr != nil {
		v.Errors, v.Error = fieldErrors(formErr)
	}
	h.render(w, r, status, "risk_notices", v)
}

func (h *Handler) createRiskNotice(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	r.ParseForm()
	days, _ := strconv.Atoi(strings.TrimSpace(r.FormValue("rectify_days")))
	form := riskForm{Title: r.FormValue("title"), Vendor: r.FormValue("vendor"), Product: r.FormValue("product"),
		Ranges: r.FormValue("ranges"), RefIDs: r.FormValue("ref_ids"), Description: r.FormValue("description"),
		Measures: r.FormValue("measures"), Severity: r.FormValue("severity"), RectifyDays: days}
	if r.FormValue("preview") == "1" {
		targets, err := h.app.RiskNotices.Preview(r.Context(), ac, form.input())
		if err != nil {
			if accessError(err) {
				h.fail(w, r, ac, err)
				return
			}
			h.renderRiskNotices(w, r, http.StatusBadRequest, form, nil, err)
			return
		}
		if targets == nil {
			targets = []fenghuo.RiskNoticeTarget{}
		}
		h.renderRiskNotices(w, r, http.StatusOK, form, targets, nil)
		return
	}
	n, _, err := h.app.RiskNotices.Issue(r.Context(), ac, form.input())
	if err != nil {
		if accessError(err) {
			h.fail(w, r, ac, err)
			return
		}
		h.renderRiskNotices(w, r, http.StatusBadRequest, form, nil, err)
		return
	}
	http.Redirect(w, r, "/risk-notices/"+strconv.FormatInt(n.ID, 10), http.StatusSeeOther)
}

func (h *Handler) riskNoticePage(w http.ResponseWriter, r *http.Request) {
	h.renderRiskNotice(w, r, http.StatusOK, nil)
}

func (h *Handler) renderRiskNotice(w http.ResponseWriter, r *http.Request, status int, actionErr error) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	d, err := h.app.RiskNotices.Notice(r.Context(), ac, id)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	var mine []risknotice.TargetRow
	for _, t := range d.Targets {
		if t.CanAnswer && t.OrgID == ac.Org.ID {
			mine = append(mine, t)
		}
	}
	v := &view{Actor: ac, Title: "risk.title", Nav: "risk_notices", Data: map[string]any{"D": d, "Mine": mine,
		"Ranges": strings.Split(d.Notice.Ranges, "\n")}}
	if actionErr != nil {
		v.Errors, v.Error = fieldErrors(actionErr)
	}
	h.render(w, r, status, "risk_notice", v)
}

func (h *Handler) riskNoticeAction(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	r.ParseForm()
	var err error
	switch r.PathValue("action") {
	case "answer":
		_, err = h.app.RiskNotices.AnswerNotice(r.Context(), ac, formInt(r, "target_id"),
			risknotice.Answer{Answer: r.FormValue("answer"), Note: r.FormValue("note")})
	case "close":
		err = h.app.RiskNotices.Close(r.Context(), ac, id, r.FormValue("reason"))
	default:
		http.NotFound(w, r)
		return
	}
	h.finishAction(w, r, err, "/risk-notices/"+strconv.FormatInt(id, 10), func(err error) {
		h.renderRiskNotice(w, r, http.StatusBadRequest, err)
	})
}

// riskNoticeDocument downloads the notice in the official layout.
func (h *Handler) riskNoticeDocument(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	format := r.PathValue("format")
	buf := new(bytesBuffer)
	name, err := h.app.RiskNotices.Document(r.Context(), ac, id, format, buf)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	sendDocument(w, name, format, buf.b)
}
