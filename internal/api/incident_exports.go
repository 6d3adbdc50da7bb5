package api

import (
	"bytes"
	"mime"
	"net/http"
	"strconv"
)

// downloadReport returns one report as the regulator's form, DOCX or PDF,
// as an attachment (audited as an export).
func (h *Handler) downloadReport(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	rid, err := pathID(r, "rid")
	if err != nil {
		h.error(w, r, err)
		return
	}
	format := r.PathValue("format")
	var buf bytes.Buffer
	name, err := h.app.Incidents.ReportDocument(r.Context(), actor(r), id, rid, format, &buf)
	if err != nil {
		h.error(w, r, err)
		return
	}
	sendDocument(w, name, format, buf.Bytes())
}

// sendDocument answers with a DOCX or PDF export as an attachment.
func sendDocument(w http.ResponseWriter, name, format string, data []byte) {
	ctype := "application/pdf"
	if format == "docx" {
		ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(data)
}

// downloadWarningNotice returns a warning as a notice, DOCX or PDF.
func (h *Handler) downloadWarningNotice(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	format := r.PathValue("format")
	var buf bytes.Buffer
	name, err := h.app.Warnings.WarningNotice(r.Context(), actor(r), id, format, &buf)
	if err != nil {
		h.error(w, r, err)
		return
	}
	sendDocument(w, name, format, buf.Bytes())
}

// exportIncidents returns the incidents the caller may see, with the
// list's filters, as XLSX (audited as an export).
func (h *Handler) exportIncidents(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, err := incidentFilterOf(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := h.app.Incidents.IncidentsXLSX(r.Context(), actor(r), f, q.Get("lang"), &buf); err != nil {
		h.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", `attachment; filename="incidents.xlsx"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}
