package api

import (
	"encoding/json"
	"fenghuo/internal/app/incident"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/phrase"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"time"
)

type reportsJSON struct {
	Reports    []reportJSON   `json:"reports"`
	Deliveries []deliveryJSON `json:"deliveries"`
}

func (h *Handler) listReports(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	reports, deliveries, err := h.app.Incidents.ViewReports(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	sigs, err := h.app.Incidents.DeliverySignatures(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	out := reportsJSON{Reports: []reportJSON{}, Deliveries: []deliveryJSON{}}
	for _, rep := range reports {
		out.Reports = append(out.Reports, toReport(rep))
	}
	for _, d := range deliveries {
		dj := toDelivery(d)
		dj.Signature = recordSignature(sigs[d.ID], answerLang(r))
		out.Deliveries = append(out.Deliveries, dj)
	}
	writeJSON(w, http.StatusOK, out)
}

func (h *Handler) reportForm(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		var fields []plan.FormField
		if fields, err = h.app.Incidents.ReportForm(r.Context(), actor(r), id); err == nil {
			writeJSON(w, http.StatusOK, map[string]any{"fields": nonNil(fields)})
			return
		}
	}
	h.error(w, r, err)
}

type reportSubmit struct {
	Kind          string            `json:"kind"`
	Content       map[string]string `json:"content"`
	Signer        string            `json:"signer"`
	ReporterName  string            `json:"reporter_name"`
	ReporterPhone string            `json:"reporter_phone"`
	// CompetentDepartmentID answers "which competent department?" when the
	// platform cannot tell (the error lists the candidates).
	CompetentDepartmentID int64 `json:"competent_department_id"`
}

func (h *Handler) submitReport(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in reportSubmit
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	rep, err := h.app.Incidents.SubmitReport(r.Context(), actor(r), id, incident.ReportInput{Kind: in.Kind, Content: in.Content,
		Signer: in.Signer, ReporterName: in.ReporterName, ReporterPhone: in.ReporterPhone, CompetentDepartmentID: in.CompetentDepartmentID})
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toReport(*rep))
}

func (h *Handler) listObligations(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	obs, err := h.app.Incidents.IncidentObligations(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	now := h.app.Core.Now()
	writeJSON(w, http.StatusOK, pageSlice(obs, p, func(o fenghuo.Obligation) obligationJSON { return h.obligation(o, now) }))
}

type timelineEntryJSON struct {
	Seq   int       `json:"seq"`
	At    time.Time `json:"at"`
	Actor string    `json:"actor"`
	Kind  string    `json:"kind"`
	Body  string    `json:"body"`
	// BodyEN is the body in English when the platform wrote it (the data's
	// phrase); empty for text a person typed and for older entries.
	BodyEN string          `json:"body_en,omitempty"`
	Data   json.RawMessage `json:"data"`
	Hash   string          `json:"hash"`
}

type timelineJSON struct {
	list[timelineEntryJSON]
	// Intact says the timeline's hash chain holds; FirstBroken names the
	// first bad entry otherwise.
	Intact      bool `json:"intact"`
	FirstBroken int  `json:"first_broken"`
}

func (h *Handler) timeline(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	entries, broken, err := h.app.Incidents.ViewTimeline(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	items := pageSlice(entries, p, func(e store.TimelineEntry) timelineEntryJSON {
		j := timelineEntryJSON{Seq: e.Seq, At: e.At, Actor: e.ActorName, Kind: e.Kind, Body: e.Body, Data: rawJSON(e.Data), Hash: e.Hash}
		if ph, ok := phrase.FromData(e.Data); ok {
			j.BodyEN = ph.Render(phrase.EN)
		}
		return j
	})
	writeJSON(w, http.StatusOK, timelineJSON{list: items, Intact: broken == 0, FirstBroken: broken})
}

// rawJSON passes stored JSON text through as JSON, and anything else as null.
func rawJSON(s string) json.RawMessage {
	if !json.Valid([]byte(s)) {
		return json.RawMessage("null")
	}
	return json.RawMessage(s)
}

type gradeRecordJSON struct {
	At            time.Time       `json:"at"`
	Grade         string          `json:"grade"`
	ComputedGrade string          `json:"computed_grade"`
	Override      string          `json:"override,omitempty"`
	Reason        string          `json:"reason"`
	Facts         json.RawMessage `json:"facts"`
	// Actor is the person's display name, ActorUsername their account.
	Actor         string `json:"actor"`
	ActorUsername string `json:"actor_username,omitempty"`
}

func (h *Handler) gradeHistory(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	hist, err := h.app.Incidents.GradeHistory(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, pageSlice(hist, p, func(g store.GradeRecord) gradeRecordJSON {
		return gradeRecordJSON{g.At, string(g.Grade), string(g.ComputedGrade), string(g.OverrideGrade), g.Reason, rawJSON(g.Facts), g.ActorName, g.ActorUsername}
	}))
}

type noteRequest struct {
	Text string `json:"text"`
}

func (h *Handler) addNote(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in noteRequest
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	if err := h.app.Incidents.AddNote(r.Context(), actor(r), id, in.Text); err != nil {
		h.error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type evidenceJSON struct {
	ID       int64  `json:"id"`
	Filename string `json:"filename"`
	Size     int64  `json:"size"`
	SM3      string `json:"sm3"`
}

// evidenceItemJSON is one file of an incident's evidence list.
type evidenceItemJSON struct {
	evidenceJSON
	ContentType string    `json:"content_type"`
	Note        string    `json:"note"`
	UploadedBy  int64     `json:"uploaded_by"`
	UploadedAt  time.Time `json:"uploaded_at"`
}

// listEvidence lists an incident's evidence files; the list is a read of
// the incident, audited as the console's evidence tab is (incident.read).
func (h *Handler) listEvidence(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	files, err := h.app.Incidents.ViewEvidence(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	items := make([]evidenceItemJSON, 0, len(files))
	for _, ev := range files {
		items = append(items, evidenceItemJSON{evidenceJSON{ev.ID, ev.Filename, ev.Size, ev.SM3}, ev.ContentType, ev.Note, ev.UploadedBy, ev.UploadedAt})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

// evidenceFile reads the one file of an upload (multipart/form-data field
// "file", at most incident.MaxEvidenceBytes), answering the error itself
// when there is none: evidence of incidents, findings, inspections and
// drills is taken the same way.
func (h *Handler) evidenceFile(w http.ResponseWriter, r *http.Request) (multipart.File, *multipart.FileHeader, bool) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		h.error(w, r, fenghuo.FieldErrorf("file", "Upload the file as multipart/form-data in the field \"file\". / 请以multipart/form-data上传。"))
		return nil, nil, false
	}
	r.Body = http.MaxBytesReader(w, r.Body, incident.MaxEvidenceBytes+1<<20)
	f, hdr, err := r.FormFile("file")
	if err != nil {
		h.error(w, r, fenghuo.FieldErrorf("file", "No file in the field \"file\", or it is larger than %d MB. / 未找到文件或文件过大。", incident.MaxEvidenceBytes>>20))
		return nil, nil, false
	}
	return f, hdr, true
}

// writeEvidenceFile sends a stored file: always an attachment of an opaque
// type (evidence may be a hostile HTML page or script and must never
// render in our origin), with its SM3 digest.
func writeEvidenceFile(w http.ResponseWriter, name, sm3 string, f io.Reader) {
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("X-Content-SM3", sm3)
	io.Copy(w, f)
}

// uploadEvidence takes one file as multipart/form-data field "file" (the
// one request body that is not JSON).
func (h *Handler) uploadEvidence(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	f, hdr, ok := h.evidenceFile(w, r)
	if !ok {
		return
	}
	defer f.Close()
	ev, err := h.app.Incidents.AddEvidence(r.Context(), actor(r), id, hdr.Filename, f, r.FormValue("note"))
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, evidenceJSON{ev.ID, ev.Filename, ev.Size, ev.SM3})
}

func (h *Handler) downloadEvidence(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	ev, f, err := h.app.Incidents.OpenEvidence(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	defer f.Close()
	writeEvidenceFile(w, ev.Filename, ev.SM3, f)
}
