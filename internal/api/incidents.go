package api

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

func (h *Handler) listIncidents(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	q := r.URL.Query()
	f := store.IncidentFilter{Grade: fenghuo.Grade(q.Get("grade")), Category: q.Get("category"), Status: fenghuo.IncidentStatus(q.Get("status")),
		Open: q.Get("open") == "true", Overdue: q.Get("overdue") == "true", Query: q.Get("q")}
	if s := q.Get("unit_id"); s != "" {
		if f.UnitID, err = strconv.ParseInt(s, 10, 64); err != nil {
			h.error(w, r, fenghuo.FieldErrorf("unit_id", "unit_id must be a number. / unit_id应为数字。"))
			return
		}
	}
	res, err := h.app.Incidents(r.Context(), actor(r), f, p)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, pageOf(res, p, toIncident))
}

type incidentRequest struct {
	OrgID        int64           `json:"org_id"`
	Title        string          `json:"title"`
	Category     string          `json:"category"`
	SystemIDs    []int64         `json:"system_ids"`
	OccurredAt   *time.Time      `json:"occurred_at"`
	DiscoveredAt *time.Time      `json:"discovered_at"`
	Facts        json.RawMessage `json:"facts"`
	Description  string          `json:"description"`
	Impact       string          `json:"impact"`
	Measures     string          `json:"measures"`
	Channel      string          `json:"channel"`
	Caller       string          `json:"caller"`
}

func parseFacts(raw json.RawMessage) (plan.Facts, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return plan.Facts{}, nil
	}
	return plan.ParseFacts(raw)
}

func (h *Handler) createIncident(w http.ResponseWriter, r *http.Request) {
	var in incidentRequest
	if err := decode(r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	facts, err := parseFacts(in.Facts)
	if err != nil {
		h.error(w, r, err)
		return
	}
	input := app.IncidentInput{OrgID: in.OrgID, Title: in.Title, Category: in.Category, SystemIDs: in.SystemIDs, Facts: facts,
		Description: in.Description, Impact: in.Impact, Measures: in.Measures, Channel: in.Channel, Caller: in.Caller}
	if in.OccurredAt != nil {
		input.OccurredAt = *in.OccurredAt
	}
	if in.DiscoveredAt != nil {
		input.DiscoveredAt = *in.DiscoveredAt
	}
	inc, err := h.app.CreateIncident(r.Context(), actor(r), input)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, incidentDetail(*inc))
}

type incidentDetailJSON struct {
	incidentJSON
	Grading []app.PlanGrading `json:"grading"`
}

func incidentDetail(i fenghuo.Incident) incidentDetailJSON {
	g := app.ParseGrading(i.Grading)
	if g == nil {
		g = []app.PlanGrading{}
	}
	return incidentDetailJSON{incidentJSON: toIncident(i), Grading: g}
}

func (h *Handler) getIncident(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		var inc *fenghuo.Incident
		if inc, err = h.app.Incident(r.Context(), actor(r), id); err == nil {
			writeJSON(w, http.StatusOK, incidentDetail(*inc))
			return
		}
	}
	h.error(w, r, err)
}

func (h *Handler) updateFacts(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in struct {
		Version   int             `json:"version"`
		Facts     json.RawMessage `json:"facts"`
		Category  string          `json:"category"`
		SystemIDs []int64         `json:"system_ids"`
	}
	if err := decode(r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	facts, err := parseFacts(in.Facts)
	if err != nil {
		h.error(w, r, err)
		return
	}
	inc, err := h.app.UpdateFacts(r.Context(), actor(r), id, in.Version, facts, in.Category, in.SystemIDs)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, incidentDetail(*inc))
}

func (h *Handler) overrideGrade(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in struct {
		Grade  string `json:"grade"`
		Reason string `json:"reason"`
	}
	if err := decode(r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	inc, err := h.app.OverrideGrade(r.Context(), actor(r), id, fenghuo.Grade(in.Grade), in.Reason)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, incidentDetail(*inc))
}

func (h *Handler) transition(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in struct {
		Status string `json:"status"`
		Reason string `json:"reason"`
	}
	if err := decode(r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	inc, err := h.app.Transition(r.Context(), actor(r), id, fenghuo.IncidentStatus(in.Status), in.Reason)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, incidentDetail(*inc))
}

func (h *Handler) listReports(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	reports, deliveries, err := h.app.Reports(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	rs, ds := []reportJSON{}, []deliveryJSON{}
	for _, rep := range reports {
		rs = append(rs, toReport(rep))
	}
	for _, d := range deliveries {
		ds = append(ds, toDelivery(d))
	}
	writeJSON(w, http.StatusOK, map[string]any{"reports": rs, "deliveries": ds})
}

func (h *Handler) reportForm(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		var fields []plan.FormField
		if fields, err = h.app.ReportForm(r.Context(), actor(r), id); err == nil {
			writeJSON(w, http.StatusOK, map[string]any{"fields": nonNil(fields)})
			return
		}
	}
	h.error(w, r, err)
}

func (h *Handler) submitReport(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in struct {
		Kind          string            `json:"kind"`
		Content       map[string]string `json:"content"`
		Signer        string            `json:"signer"`
		ReporterName  string            `json:"reporter_name"`
		ReporterPhone string            `json:"reporter_phone"`
	}
	if err := decode(r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	rep, err := h.app.SubmitReport(r.Context(), actor(r), id, app.ReportInput{Kind: in.Kind, Content: in.Content,
		Signer: in.Signer, ReporterName: in.ReporterName, ReporterPhone: in.ReporterPhone})
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toReport(*rep))
}

func (h *Handler) listObligations(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	obs, err := h.app.IncidentObligations(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	now := h.app.Now()
	out := []obligationJSON{}
	for _, o := range obs {
		out = append(out, toObligation(o, now))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out, "now": now})
}

func (h *Handler) timeline(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	entries, broken, err := h.app.Timeline(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	type entryJSON struct {
		Seq   int             `json:"seq"`
		At    time.Time       `json:"at"`
		Actor string          `json:"actor"`
		Kind  string          `json:"kind"`
		Body  string          `json:"body"`
		Data  json.RawMessage `json:"data"`
		Hash  string          `json:"hash"`
	}
	out := []entryJSON{}
	for _, e := range entries {
		out = append(out, entryJSON{e.Seq, e.At, e.ActorName, e.Kind, e.Body, json.RawMessage(e.Data), e.Hash})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out, "intact": broken == 0, "first_broken": broken})
}

func (h *Handler) gradeHistory(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	hist, err := h.app.GradeHistory(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	type gradeJSON struct {
		At            time.Time       `json:"at"`
		Grade         string          `json:"grade"`
		ComputedGrade string          `json:"computed_grade"`
		Override      string          `json:"override,omitempty"`
		Reason        string          `json:"reason"`
		Facts         json.RawMessage `json:"facts"`
		Actor         string          `json:"actor"`
	}
	out := []gradeJSON{}
	for _, g := range hist {
		out = append(out, gradeJSON{g.At, string(g.Grade), string(g.ComputedGrade), string(g.OverrideGrade), g.Reason, json.RawMessage(g.Facts), g.ActorName})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
}

func (h *Handler) addNote(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in struct {
		Text string `json:"text"`
	}
	if err := decode(r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	if err := h.app.AddNote(r.Context(), actor(r), id, in.Text); err != nil {
		h.error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// uploadEvidence takes one file as multipart/form-data field "file".
func (h *Handler) uploadEvidence(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		h.error(w, r, fenghuo.FieldErrorf("file", "Upload the file as multipart/form-data in the field \"file\". / 请以multipart/form-data上传。"))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, app.MaxEvidenceBytes+1<<20)
	f, hdr, err := r.FormFile("file")
	if err != nil {
		h.error(w, r, fenghuo.FieldErrorf("file", "No file in the field \"file\", or it is larger than 20 MB. / 未找到文件或文件超过20MB。"))
		return
	}
	defer f.Close()
	ev, err := h.app.AddEvidence(r.Context(), actor(r), id, hdr.Filename, f, r.FormValue("note"))
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": ev.ID, "filename": ev.Filename, "size": ev.Size, "sm3": ev.SM3})
}

func (h *Handler) downloadEvidence(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	ev, f, err := h.app.OpenEvidence(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": ev.Filename}))
	w.Header().Set("X-Content-SM3", ev.SM3)
	w.Header().Set("Cache-Control", "no-store")
	io.Copy(w, f)
}
