package api

// Risk notices (风险通报, issue 12 P3): issued by an office about a component
// and its affected versions, sent to the units whose registered systems run
// one; each unit answers affected or not affected.

import (
	"bytes"
	"net/http"
	"strings"
	"time"

	"fenghuo/internal/app/risknotice"
	"fenghuo/internal/fenghuo"
)

type riskNoticeJSON struct {
	ID          int64      `json:"id"`
	OrgID       int64      `json:"org_id"`
	Title       string     `json:"title"`
	Vendor      string     `json:"vendor"`
	Product     string     `json:"product"`
	ProductKey  string     `json:"product_key"`
	Ranges      []string   `json:"ranges"`
	RefIDs      []string   `json:"ref_ids"`
	Description string     `json:"description"`
	Measures    string     `json:"measures"`
	Severity    string     `json:"severity"`
	RectifyDays int        `json:"rectify_days"`
	DueAt       time.Time  `json:"due_at"`
	Status      string     `json:"status"`
	CreatedAt   time.Time  `json:"created_at"`
	Issuer      *orgRefDTO `json:"issuer,omitempty"`
}

type orgRefDTO struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type riskTargetJSON struct {
	ID          int64                     `json:"id"`
	NoticeID    int64                     `json:"notice_id"`
	OrgID       int64                     `json:"org_id"`
	OrgName     string                    `json:"org_name"`
	Reason      string                    `json:"reason"`
	Matches     []fenghuo.RiskNoticeMatch `json:"matches"`
	Answer      string                    `json:"answer"`
	AnswerNote  string                    `json:"answer_note"`
	AnsweredBy  string                    `json:"answered_by"`
	AnsweredAt  *time.Time                `json:"answered_at"`
	FindingIDs  []int64                   `json:"finding_ids"`
	Overdue     bool                      `json:"overdue"`
	EscalatedAt *time.Time                `json:"escalated_at"`
	CanAnswer   bool                      `json:"can_answer"`
}

func toRiskNotice(n *fenghuo.RiskNotice) riskNoticeJSON {
	refs := n.RefIDs
	if refs == nil {
		refs = []string{}
	}
	return riskNoticeJSON{ID: n.ID, OrgID: n.OrgID, Title: n.Title, Vendor: n.Vendor, Product: n.Product, ProductKey: n.ProductKey,
		Ranges: strings.Split(n.Ranges, "\n"), RefIDs: refs, Description: n.Description, Measures: n.Measures, Severity: n.Severity,
		RectifyDays: n.RectifyDays, DueAt: n.DueAt, Status: n.Status, CreatedAt: n.CreatedAt}
}

func toRiskTarget(t fenghuo.RiskNoticeTarget) riskTargetJSON {
	m, f := t.Matches, t.FindingIDs
	if m == nil {
		m = []fenghuo.RiskNoticeMatch{}
	}
	if f == nil {
		f = []int64{}
	}
	return riskTargetJSON{ID: t.ID, NoticeID: t.NoticeID, OrgID: t.OrgID, OrgName: t.OrgName, Reason: t.Reason(), Matches: m,
		Answer: t.Answer, AnswerNote: t.AnswerNote, AnsweredBy: t.AnsweredBy, AnsweredAt: timePtr(t.AnsweredAt), FindingIDs: f}
}

type riskNoticeCreate struct {
	OrgID       int64    `json:"org_id"`
	Title       string   `json:"title"`
	Vendor      string   `json:"vendor"`
	Product     string   `json:"product"`
	Ranges      []string `json:"ranges"`
	RefIDs      []string `json:"ref_ids"`
	Description string   `json:"description"`
	Measures    string   `json:"measures"`
	Severity    string   `json:"severity"`
	RectifyDays int      `json:"rectify_days"`
}

func (in riskNoticeCreate) input() risknotice.Input {
	return risknotice.Input{OrgID: in.OrgID, Title: in.Title, Vendor: in.Vendor, Product: in.Product,
		Ranges: strings.Join(in.Ranges, "\n"), RefIDs: in.RefIDs, Description: in.Description, Measures: in.Measures,
		Severity: in.Severity, RectifyDays: in.RectifyDays}
}

func (h *Handler) listRiskNotices(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	res, err := h.app.RiskNotices.List(r.Context(), actor(r), p)
	if err != nil {
		h.error(w, r, err)
		return
	}
	items := []riskNoticeJSON{}
	for i := range res.Items {
		items = append(items, toRiskNotice(&res.Items[i]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": res.Total, "limit": p.Limit, "offset": p.Offset})
}

func (h *Handler) previewRiskNotice(w http.ResponseWriter, r *http.Request) {
	var in riskNoticeCreate
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	targets, err := h.app.RiskNotices.Preview(r.Context(), actor(r), in.input())
	if err != nil {
		h.error(w, r, err)
		return
	}
	items := []riskTargetJSON{}
	for _, t := range targets {
		items = append(items, toRiskTarget(t))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

func (h *Handler) issueRiskNotice(w http.ResponseWriter, r *http.Request) {
	var in riskNoticeCreate
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	n, targets, err := h.app.RiskNotices.Issue(r.Context(), actor(r), in.input())
	if err != nil {
		h.error(w, r, err)
		return
	}
	items := []riskTargetJSON{}
	for _, t := range targets {
		items = append(items, toRiskTarget(t))
	}
	created(w, "/api/v1/risk-notices/"+itoa(n.ID), map[string]any{"notice": toRiskNotice(n), "targets": items})
}

func (h *Handler) getRiskNotice(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	d, err := h.app.RiskNotices.Notice(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	n := toRiskNotice(d.Notice)
	n.Issuer = &orgRefDTO{ID: d.Issuer.ID, Name: d.Issuer.Name}
	targets := []riskTargetJSON{}
	for _, row := range d.Targets {
		t := toRiskTarget(row.RiskNoticeTarget)
		t.Overdue, t.CanAnswer = row.Overdue, row.CanAnswer
		if row.Obligation != nil {
			t.EscalatedAt = timePtr(row.Obligation.EscalatedAt)
		}
		targets = append(targets, t)
	}
	p := d.Progress
	writeJSON(w, http.StatusOK, map[string]any{"notice": n, "targets": targets, "can_manage": d.CanManage,
		"signature": recordSignature(d.Signature, answerLang(r)),
		"progress": map[string]int{"targets": p.Targets, "affected": p.Affected, "not_affected": p.NotAffected,
			"unanswered": p.Unanswered, "overdue": p.Overdue, "findings_open": p.FindingsOpen, "findings_closed": p.FindingsClosed}})
}

func (h *Handler) downloadRiskNotice(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	format := r.PathValue("format")
	var buf bytes.Buffer
	name, err := h.app.RiskNotices.Document(r.Context(), actor(r), id, format, &buf)
	if err != nil {
		h.error(w, r, err)
		return
	}
	sendDocument(w, name, format, buf.Bytes())
}

func (h *Handler) closeRiskNotice(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	if err := h.app.RiskNotices.Close(r.Context(), actor(r), id, in.Reason); err != nil {
		h.error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) answerRiskNotice(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in struct {
		Answer string `json:"answer"`
		Note   string `json:"note"`
	}
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	t, err := h.app.RiskNotices.AnswerNotice(r.Context(), actor(r), id, risknotice.Answer{Answer: in.Answer, Note: in.Note})
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toRiskTarget(*t))
}

func riskNoticeSchemas() obj {
	rangesProp := obj{"type": "array", "items": str, "description": "Affected versions, one range an item: 12.2.1.3 - 12.2.1.4 (both included), [2.5.0, 2.5.13), >=2.5.0, <2.5.13, 2.5.x, or one version"}
	severity := enum("critical", "high", "medium", "low")
	match := object(obj{"system_id": integer, "system_name": str, "component": str, "version": str})
	target := object(obj{"id": integer, "notice_id": integer, "org_id": integer, "org_name": str,
		"reason":  obj{"type": "string", "description": "Why the unit was chosen: system:component version; …"},
		"matches": arrayOf(match), "answer": enum("", "affected", "not_affected"), "answer_note": str, "answered_by": str,
		"answered_at": whenNil, "finding_ids": ids, "overdue": boolean, "escalated_at": whenNil, "can_answer": boolean})
	notice := object(obj{"id": integer, "org_id": integer, "title": str, "vendor": str, "product": str,
		"product_key": obj{"type": "string", "description": "The normalised product, vendor/product, e.g. oracle/weblogic_server"},
		"ranges":      strs, "ref_ids": strs, "description": str, "measures": str, "severity": severity,
		"rectify_days": integer, "due_at": when, "status": enum("active", "closed"), "created_at": when, "issuer": orgRefProp})
	return obj{
		"RiskNotice":       notice,
		"RiskNoticeTarget": target,
		"RiskNoticeList":   object(obj{"items": arrayOf(ref("RiskNotice")), "total": integer, "limit": integer, "offset": integer}, "items"),
		"RiskNoticeCreate": object(obj{"org_id": obj{"type": "integer", "description": "The issuing office (default the caller's org)"},
			"title": str, "vendor": str, "product": str, "ranges": rangesProp,
			"ref_ids":     obj{"type": "array", "items": str, "description": "CVE or CNVD ids, e.g. CVE-2020-14882"},
			"description": str, "measures": str, "severity": severity,
			"rectify_days": obj{"type": "integer", "minimum": 1, "maximum": 90, "description": "Days to answer and rectify; default 7 (seed 001 附件4 五)"}},
			"title", "product", "ranges", "description", "measures"),
		"RiskNoticePreview": object(obj{"items": arrayOf(ref("RiskNoticeTarget"))}, "items"),
		"RiskNoticeIssued":  object(obj{"notice": ref("RiskNotice"), "targets": arrayOf(ref("RiskNoticeTarget"))}, "notice", "targets"),
		"RiskNoticeDetail": object(obj{"notice": ref("RiskNotice"), "targets": arrayOf(ref("RiskNoticeTarget")), "can_manage": boolean,
			"signature": ref("Signature"),
			"progress": object(obj{"targets": integer, "affected": integer, "not_affected": integer, "unanswered": integer,
				"overdue": integer, "findings_open": integer, "findings_closed": integer})}, "notice", "targets", "progress"),
		"RiskNoticeAnswer": object(obj{"answer": enum("affected", "not_affected"),
			"note": obj{"type": "string", "description": "Required for not_affected: why (upgraded, component retired, …)"}}, "answer"),
	}
}
