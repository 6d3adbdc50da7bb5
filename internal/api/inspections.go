package api

// Inspection checklists and campaigns (issue 12, P2): checklists as data
// with numbered uploads, campaigns sent to a scope, each unit's answers.

import (
	"bytes"
	"errors"
	"fenghuo/internal/phrase"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"fenghuo/internal/app/inspection"
	"fenghuo/internal/checklist"
	"fenghuo/internal/fenghuo"
)

type checklistRowJSON struct {
	ID         string `json:"id"`
	Title      string `json:"title"`
	TitleEN    string `json:"title_en,omitempty"`
	Label      string `json:"label"`
	Items      int    `json:"items"`
	Builtin    bool   `json:"builtin"`
	Version    int    `json:"version"`
	OrgName    string `json:"org_name,omitempty"`
	UploadedAt string `json:"uploaded_at,omitempty"`
}

func (h *Handler) listChecklists(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	rows, err := h.app.Inspections.Checklists(r.Context(), actor(r))
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, pageSlice(rows, p, func(c inspection.ChecklistRow) checklistRowJSON {
		return checklistRowJSON{ID: c.ID, Title: c.Title.ZH, TitleEN: c.Title.EN, Label: c.Label, Items: c.Items,
			Builtin: c.Builtin, Version: c.Version, OrgName: c.OrgName, UploadedAt: c.UploadedAt}
	}))
}

type checklistJSON struct {
	*checklist.Checklist
	Label   string `json:"label"`
	Builtin bool   `json:"builtin"`
	// UploadVersion is the upload's number (0 for a built-in checklist).
	UploadVersion int `json:"upload_version"`
}

func (h *Handler) getChecklist(w http.ResponseWriter, r *http.Request) {
	version := 0
	if s := r.URL.Query().Get("version"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			h.error(w, r, fenghuo.FieldErrorf("version", "version must be a whole number from 1. / version应为正整数。"))
			return
		}
		version = n
	}
	c, v, err := h.app.Inspections.Checklist(r.Context(), actor(r), r.PathValue("id"), version)
	if err != nil {
		h.error(w, r, err)
		return
	}
	out := checklistJSON{Checklist: c, Label: c.FullVersion(), Builtin: v == nil}
	if v != nil {
		out.UploadVersion = v.Version
	}
	writeJSON(w, http.StatusOK, out)
}

type checklistVersionJSON struct {
	ID          int64     `json:"id"`
	ChecklistID string    `json:"checklist_id"`
	Version     int       `json:"version"`
	Label       string    `json:"label"`
	Title       string    `json:"title"`
	SM3         string    `json:"sm3"`
	OrgID       int64     `json:"org_id"`
	UploadedBy  int64     `json:"uploaded_by"`
	UploadedAt  time.Time `json:"uploaded_at"`
	Note        string    `json:"note"`
}

// maxChecklistBody bounds an uploaded checklist (checklist.Parse refuses
// more than 1 MB).
const maxChecklistBody = 1<<20 + 1

func (h *Handler) uploadChecklist(w http.ResponseWriter, r *http.Request) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain":
	default:
		h.error(w, r, fenghuo.Errorf(fenghuo.EINVALID, "Send the checklist as YAML with \"Content-Type: application/yaml\". / 请以YAML格式提交检查表（Content-Type: application/yaml）。"))
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxChecklistBody))
	if err != nil {
		h.error(w, r, fenghuo.Errorf(fenghuo.EINVALID, "The checklist is larger than 1 MB. / 检查表文件过大。"))
		return
	}
	v, err := h.app.Inspections.UploadChecklist(r.Context(), actor(r), data, r.URL.Query().Get("note"))
	var ve *checklist.ValidationError
	if errors.As(err, &ve) {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]any{"code": fenghuo.EINVALID,
			"message":  phrase.InLang("Nothing was stored: mend the lines listed and send the checklist again. / 未保存，请修改所列行后重新提交。", answerLang(r)),
			"problems": planProblems(ve.Problems, answerLang(r))}})
		return
	}
	if err != nil {
		h.error(w, r, err)
		return
	}
	created(w, "/api/v1/checklists/"+v.ChecklistID+"?version="+strconv.Itoa(v.Version), checklistVersionJSON{ID: v.ID,
		ChecklistID: v.ChecklistID, Version: v.Version, Label: v.Label, Title: v.Title, SM3: v.SM3, OrgID: v.OrgID,
		UploadedBy: v.UploadedBy, UploadedAt: v.UploadedAt, Note: v.Note})
}

type inspectionJSON struct {
	ID               int64         `json:"id"`
	OrgID            int64         `json:"org_id"`
	IssuerName       string        `json:"issuer_name,omitempty"`
	Kind             string        `json:"kind"`
	Title            string        `json:"title"`
	ChecklistID      string        `json:"checklist_id"`
	ChecklistVersion string        `json:"checklist_version"`
	Scope            targetingJSON `json:"scope"`
	StartsAt         time.Time     `json:"starts_at"`
	DueAt            time.Time     `json:"due_at"`
	State            string        `json:"state"`
	CreatedBy        int64         `json:"created_by"`
	CreatedAt        time.Time     `json:"created_at"`
	ClosedAt         *time.Time    `json:"closed_at"`
	CloseReason      string        `json:"close_reason,omitempty"`
}

func toInspection(c *fenghuo.Campaign, issuer string) inspectionJSON {
	t := c.Scope
	return inspectionJSON{ID: c.ID, OrgID: c.OrgID, IssuerName: issuer, Kind: string(c.Kind), Title: c.Title,
		ChecklistID: c.ChecklistID, ChecklistVersion: c.ChecklistVersion,
		Scope:    targetingJSON{OrgIDs: nonNil(t.OrgIDs), Subtrees: nonNil(t.Subtrees), Sector: t.Sector, OrgType: t.OrgType, Component: t.Component},
		StartsAt: c.StartsAt, DueAt: c.DueAt, State: c.State, CreatedBy: c.CreatedBy, CreatedAt: c.CreatedAt,
		ClosedAt: timePtr(c.ClosedAt), CloseReason: c.CloseReason}
}

func (h *Handler) listInspections(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	res, err := h.app.Inspections.Campaigns(r.Context(), actor(r), p)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, pageOf(res, p, func(c inspection.CampaignRow) inspectionJSON { return toInspection(&c.Campaign, c.IssuerName) }))
}

type inspectionCreate struct {
	OrgID            int64         `json:"org_id"`
	Kind             string        `json:"kind"`
	Title            string        `json:"title"`
	ChecklistID      string        `json:"checklist_id"`
	ChecklistVersion int           `json:"checklist_version"`
	Scope            targetingJSON `json:"scope"`
	StartsAt         *time.Time    `json:"starts_at"`
	DueAt            time.Time     `json:"due_at"`
}

type targetJSON struct {
	OrgID        int64      `json:"org_id"`
	OrgName      string     `json:"org_name"`
	Reason       string     `json:"reason"`
	ObligationID int64      `json:"obligation_id"`
	Items        int        `json:"items"`
	Answered     int        `json:"answered"`
	NonCompliant int        `json:"non_compliant"`
	Findings     int        `json:"findings"`
	SubmittedAt  *time.Time `json:"submitted_at"`
	Overdue      bool       `json:"overdue"`
	Late         bool       `json:"late"`
	EscalatedAt  *time.Time `json:"escalated_at"`
	CanAnswer    bool       `json:"can_answer"`
	Unfinished   bool       `json:"unfinished"`
	ReturnedAt   *time.Time `json:"returned_at"`
	ReturnNote   string     `json:"return_note,omitempty"`
}

func (h *Handler) createInspection(w http.ResponseWriter, r *http.Request) {
	var in inspectionCreate
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	ci := inspection.CampaignInput{OrgID: in.OrgID, Kind: fenghuo.CampaignKind(in.Kind), Title: in.Title, ChecklistID: in.ChecklistID,
		ChecklistVersion: in.ChecklistVersion, Scope: in.Scope.domain(), DueAt: in.DueAt}
	if in.StartsAt != nil {
		ci.StartsAt = *in.StartsAt
	}
	c, targets, err := h.app.Inspections.Issue(r.Context(), actor(r), ci)
	if err != nil {
		h.error(w, r, err)
		return
	}
	out := struct {
		inspectionJSON
		Targets []targetJSON `json:"targets"`
	}{inspectionJSON: toInspection(c, "")}
	for _, t := range targets {
		out.Targets = append(out.Targets, targetJSON{OrgID: t.OrgID, OrgName: t.OrgName, Reason: t.Reason, ObligationID: t.ObligationID})
	}
	created(w, "/api/v1/inspections/"+itoa(c.ID), out)
}

type inspectionBoardJSON struct {
	inspectionJSON
	IssuerView bool         `json:"issuer_view"`
	Items      int          `json:"items"`
	Submitted  int          `json:"submitted"`
	Overdue    int          `json:"overdue"`
	Findings   int          `json:"findings"`
	Units      []targetJSON `json:"units"`
}

func (h *Handler) getInspection(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	b, err := h.app.Inspections.Campaign(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	out := inspectionBoardJSON{inspectionJSON: toInspection(b.Campaign, b.Issuer.Name), IssuerView: b.IssuerView,
		Items: len(b.Checklist.Items), Submitted: b.Submitted, Overdue: b.Overdue, Findings: b.Findings, Units: []targetJSON{}}
	for _, u := range b.Units {
		out.Units = append(out.Units, targetJSON{OrgID: u.OrgID, OrgName: u.OrgName, Reason: u.Reason, ObligationID: u.ObligationID,
			Items: u.Items, Answered: u.Answered, NonCompliant: u.NonCompliant, Findings: u.Findings, SubmittedAt: timePtr(u.SubmittedAt),
			Overdue: u.Overdue, Late: u.Late, EscalatedAt: timePtr(u.EscalatedAt), CanAnswer: u.CanAnswer, Unfinished: u.Unfinished,
			ReturnedAt: timePtr(u.ReturnedAt), ReturnNote: u.ReturnNote})
	}
	writeJSON(w, http.StatusOK, out)
}

type answerJSON struct {
	ItemID     string                   `json:"item_id"`
	Text       string                   `json:"text"`
	Category   string                   `json:"category"`
	Severity   string                   `json:"severity"`
	Verify     string                   `json:"verify"`
	Evidence   string                   `json:"evidence_required"`
	NeedsFile  bool                     `json:"evidence_file"`
	Clause     string                   `json:"clause,omitempty"`
	Answer     string                   `json:"answer"`
	Reason     string                   `json:"reason"`
	Note       string                   `json:"evidence"`
	SystemID   int64                    `json:"system_id"`
	FindingID  int64                    `json:"finding_id"`
	AnsweredAt *time.Time               `json:"answered_at"`
	Files      []inspectionEvidenceJSON `json:"files"`
}

type inspectionEvidenceJSON struct {
	ID          int64     `json:"id"`
	ItemID      string    `json:"item_id"`
	Filename    string    `json:"filename"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SM3         string    `json:"sm3"`
	Note        string    `json:"note"`
	UploadedBy  int64     `json:"uploaded_by"`
	UploadedAt  time.Time `json:"uploaded_at"`
}

func toInspectionEvidence(e fenghuo.InspectionEvidence) inspectionEvidenceJSON {
	return inspectionEvidenceJSON{ID: e.ID, ItemID: e.ItemID, Filename: e.Filename, ContentType: e.ContentType, Size: e.Size,
		SM3: e.SM3, Note: e.Note, UploadedBy: e.UploadedBy, UploadedAt: e.UploadedAt}
}

type inspectionFormJSON struct {
	InspectionID int64        `json:"inspection_id"`
	OrgID        int64        `json:"org_id"`
	OrgName      string       `json:"org_name"`
	Answered     int          `json:"answered"`
	SubmittedAt  *time.Time   `json:"submitted_at"`
	ReturnedAt   *time.Time   `json:"returned_at"`
	ReturnNote   string       `json:"return_note,omitempty"`
	CanAnswer    bool         `json:"can_answer"`
	Why          string       `json:"why,omitempty"`
	Items        []answerJSON `json:"items"`
}

func toForm(f *inspection.Form) inspectionFormJSON {
	out := inspectionFormJSON{InspectionID: f.Campaign.ID, OrgID: f.Unit.ID, OrgName: f.Unit.Name, Answered: f.Answered,
		SubmittedAt: timePtr(f.Target.SubmittedAt), ReturnedAt: timePtr(f.Target.ReturnedAt), ReturnNote: f.Target.ReturnNote,
		CanAnswer: f.CanAnswer, Why: f.Why, Items: []answerJSON{}}
	for _, it := range f.Items {
		a := answerJSON{ItemID: it.ID, Text: it.Text.ZH, Category: it.Category, Severity: it.Severity, Verify: it.Verify.ZH,
			Evidence: it.Evidence.ZH, NeedsFile: it.EvidenceFile, Clause: it.Clause, Files: []inspectionEvidenceJSON{}}
		for _, e := range it.Files {
			a.Files = append(a.Files, toInspectionEvidence(e))
		}
		if it.Answer != nil {
			a.Answer, a.Reason, a.Note, a.SystemID, a.FindingID = it.Answer.Answer, it.Answer.Reason, it.Answer.Evidence, it.Answer.SystemID, it.Answer.FindingID
			a.AnsweredAt = timePtr(it.Answer.AnsweredAt)
		}
		out.Items = append(out.Items, a)
	}
	return out
}

func (h *Handler) getInspectionUnit(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	org, err := pathID(r, "org")
	if err != nil {
		h.error(w, r, err)
		return
	}
	f, err := h.app.Inspections.Form(r.Context(), actor(r), id, org)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toForm(f))
}

type inspectionAnswers struct {
	Answers []inspection.AnswerInput `json:"answers"`
	Submit  bool                     `json:"submit"`
}

func (h *Handler) answerInspection(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	org, err := pathID(r, "org")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in inspectionAnswers
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	f, err := h.app.Inspections.Answer(r.Context(), actor(r), id, org, in.Answers, in.Submit)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toForm(f))
}

// unitPath reads the campaign and unit of /inspections/{id}/units/{org}.
func unitPath(r *http.Request) (int64, int64, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, 0, err
	}
	org, err := pathID(r, "org")
	return id, org, err
}

func (h *Handler) uploadInspectionEvidence(w http.ResponseWriter, r *http.Request) {
	id, org, err := unitPath(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	f, hdr, ok := h.evidenceFile(w, r)
	if !ok {
		return
	}
	defer f.Close()
	ev, err := h.app.Inspections.AddEvidence(r.Context(), actor(r), id, org, inspection.Upload{ItemID: r.PathValue("item"),
		Filename: hdr.Filename, Body: f, Note: r.FormValue("note")})
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toInspectionEvidence(*ev))
}

func (h *Handler) downloadInspectionEvidence(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	ev, f, err := h.app.Inspections.OpenEvidence(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	defer f.Close()
	writeEvidenceFile(w, ev.Filename, ev.SM3, f)
}

type inspectionSummaryJSON struct {
	inspectionJSON
	Items      int               `json:"items"`
	OnTime     int               `json:"on_time"`
	Late       int               `json:"late"`
	Unfinished int               `json:"unfinished"`
	Overdue    int               `json:"overdue"`
	Findings   int               `json:"findings"`
	BySeverity map[string]int    `json:"findings_by_severity"`
	Units      []summaryUnitJSON `json:"units"`
}

type summaryUnitJSON struct {
	OrgID        int64          `json:"org_id"`
	OrgName      string         `json:"org_name"`
	State        string         `json:"state"`
	Answered     int            `json:"answered"`
	NonCompliant int            `json:"non_compliant"`
	SubmittedAt  *time.Time     `json:"submitted_at"`
	Overdue      bool           `json:"overdue"`
	BySeverity   map[string]int `json:"findings_by_severity"`
}

func bySeverity(n [4]int) map[string]int {
	out := map[string]int{}
	for i, s := range checklist.Severities {
		out[s] = n[i]
	}
	return out
}

func toSummary(s *inspection.Summary) inspectionSummaryJSON {
	out := inspectionSummaryJSON{inspectionJSON: toInspection(s.Campaign, s.Issuer.Name), Items: len(s.Checklist.Items), OnTime: s.OnTime,
		Late: s.Late, Unfinished: s.Unfinished, Overdue: s.Overdue, Findings: s.Findings, BySeverity: bySeverity(s.BySeverity),
		Units: []summaryUnitJSON{}}
	for _, u := range s.Units {
		out.Units = append(out.Units, summaryUnitJSON{OrgID: u.OrgID, OrgName: u.OrgName, State: u.State, Answered: u.Answered,
			NonCompliant: u.NonCompliant, SubmittedAt: timePtr(u.SubmittedAt), Overdue: u.Overdue, BySeverity: bySeverity(u.BySeverity)})
	}
	return out
}

func (h *Handler) getInspectionSummary(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	s, err := h.app.Inspections.Summary(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toSummary(s))
}

func (h *Handler) exportInspectionSummary(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := h.app.Inspections.WriteSummaryXLSX(r.Context(), actor(r), id, &buf, r.URL.Query().Get("lang")); err != nil {
		h.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="inspection-%d.xlsx"`, id))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}

type inspectionClose struct {
	Reason string `json:"reason"`
}

func (h *Handler) closeInspection(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in inspectionClose
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	s, err := h.app.Inspections.Close(r.Context(), actor(r), id, in.Reason)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toSummary(s))
}

type inspectionReturn struct {
	Note string `json:"note"`
}

func (h *Handler) returnInspectionUnit(w http.ResponseWriter, r *http.Request) {
	id, org, err := unitPath(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in inspectionReturn
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	f, err := h.app.Inspections.Return(r.Context(), actor(r), id, org, in.Note)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toForm(f))
}

func inspectionSchemas() obj {
	text := object(obj{"zh": str, "en": str}, "zh")
	item := object(obj{"id": str, "text": text, "category": enum("account", "asset", "vulnerability", "network", "access", "host", "data", "management", "awareness"),
		"severity": enum("critical", "high", "medium", "low"), "verify": text, "evidence": text,
		"evidence_file": obj{"type": "boolean", "description": "A compliant answer needs the evidence as an uploaded file"}, "clause": str, "quote": str},
		"id", "text", "category", "severity", "verify", "evidence")
	insp := obj{"id": integer, "org_id": integer, "issuer_name": str, "kind": enum("self", "office"), "title": str,
		"checklist_id": str, "checklist_version": obj{"type": "string", "description": "The checklist's version label with the digest of its text, as issued"},
		"scope": targeting, "starts_at": when, "due_at": when, "state": enum("open", "closed"), "created_by": integer, "created_at": when,
		"closed_at": whenNil, "close_reason": obj{"type": "string", "description": "Why the issuer closed it (required before the window ends)"}}
	target := object(obj{"org_id": integer, "org_name": str, "reason": str, "obligation_id": integer, "items": integer,
		"answered": integer, "non_compliant": integer, "findings": integer, "submitted_at": whenNil,
		"overdue": obj{"type": "boolean", "description": "Not submitted and the window has ended"}, "late": boolean,
		"escalated_at": whenNil, "can_answer": boolean,
		"unfinished":  obj{"type": "boolean", "description": "The campaign is closed and the unit never submitted (未完成)"},
		"returned_at": whenNil, "return_note": obj{"type": "string", "description": "The issuer's note when it last sent the answers back (退回重填)"}})
	evidence := object(obj{"id": integer, "item_id": str, "filename": str, "content_type": str, "size": integer,
		"sm3": obj{"type": "string", "description": "SM3 digest of the file, hex"}, "note": str, "uploaded_by": integer, "uploaded_at": when})
	severities := object(obj{"critical": integer, "high": integer, "medium": integer, "low": integer})
	answer := object(obj{"item_id": str, "answer": enum("compliant", "non_compliant", "not_applicable"),
		"reason":    obj{"type": "string", "description": "Required for not_applicable"},
		"evidence":  obj{"type": "string", "description": "What was checked and where the record is kept (required for compliant and non_compliant)"},
		"system_id": obj{"type": "integer", "description": "For non_compliant: the unit's system it is about (0: the unit)"}},
		"item_id", "answer")
	return obj{
		"ChecklistRow": object(obj{"id": str, "title": str, "title_en": str, "label": str, "items": integer, "builtin": boolean,
			"version": integer, "org_name": str, "uploaded_at": str}),
		"ChecklistList": listOf("ChecklistRow"),
		"Checklist": object(obj{"id": str, "version": obj{"type": "string", "description": "The document's own version label"},
			"title": text, "source": str, "description": text, "items": arrayOf(item), "file": str, "digest": str,
			"label": str, "builtin": boolean, "upload_version": integer}),
		"ChecklistVersion": object(obj{"id": integer, "checklist_id": str, "version": integer, "label": str, "title": str,
			"sm3": str, "org_id": integer, "uploaded_by": integer, "uploaded_at": when, "note": str}),
		"Inspection":     object(insp),
		"InspectionList": listOf("Inspection"),
		"InspectionCreate": object(obj{"org_id": obj{"type": "integer", "description": "The issuing office (default the caller's org)"},
			"kind": enum("self", "office"), "title": str, "checklist_id": str,
			"checklist_version": obj{"type": "integer", "description": "An uploaded checklist's version (0: the newest)"},
			"scope":             obj{"allOf": []obj{targeting}, "description": "Named units, subtrees, a sector, a unit type (default: operators) or the units running a component"},
			"starts_at":         whenNil, "due_at": when}, "kind", "title", "checklist_id", "due_at"),
		"InspectionIssued": object(merge(insp, obj{"targets": arrayOf(target)})),
		"InspectionBoard": object(merge(insp, obj{"issuer_view": boolean, "items": integer, "submitted": integer,
			"overdue": integer, "findings": integer, "units": arrayOf(target)})),
		"InspectionForm": object(obj{"inspection_id": integer, "org_id": integer, "org_name": str, "answered": integer,
			"submitted_at": whenNil, "returned_at": whenNil, "return_note": str, "can_answer": boolean, "why": str,
			"items": arrayOf(object(obj{"item_id": str, "text": str, "category": str, "severity": str, "verify": str,
				"evidence_required": str, "evidence_file": obj{"type": "boolean", "description": "A compliant answer needs an uploaded file (POST …/items/{item}/evidence first)"},
				"clause": str, "answer": enum("", "compliant", "non_compliant", "not_applicable"),
				"reason": str, "evidence": str, "system_id": integer, "finding_id": integer, "answered_at": whenNil,
				"files": arrayOf(evidence)}))}),
		"InspectionEvidence": evidence,
		"InspectionSummary": object(merge(insp, obj{"items": integer, "on_time": integer, "late": integer,
			"unfinished": obj{"type": "integer", "description": "Units that have not submitted (未完成 once closed)"},
			"overdue":    obj{"type": "integer", "description": "Units whose window ended before they submitted (late or unfinished)"},
			"findings":   integer, "findings_by_severity": severities,
			"units": arrayOf(object(obj{"org_id": integer, "org_name": str, "state": enum("on_time", "late", "unfinished"),
				"answered": integer, "non_compliant": integer, "submitted_at": whenNil, "overdue": boolean, "findings_by_severity": severities}))})),
		"InspectionClose":  object(obj{"reason": obj{"type": "string", "description": "Required when closing before the window ends"}}),
		"InspectionReturn": object(obj{"note": obj{"type": "string", "description": "What the unit must fill in again"}}, "note"),
		"InspectionAnswers": object(obj{"answers": arrayOf(answer),
			"submit": obj{"type": "boolean", "description": "Send the answers: every item must be answered; each non_compliant answer becomes a finding"}}),
	}
}
