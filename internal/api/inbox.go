package api

import (
	"net/http"
)

func (h *Handler) inbox(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	res, err := h.app.Inbox(r.Context(), actor(r), p)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, pageOf(res, p, toDelivery))
}

func (h *Handler) receive(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		if err = h.app.ReceiveReport(r.Context(), actor(r), id); err == nil {
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	h.error(w, r, err)
}

func (h *Handler) forward(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in struct {
		ToOrgID int64  `json:"to_org_id"`
		Note    string `json:"note"`
	}
	if err := decode(r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	to, err := h.app.ForwardReport(r.Context(), actor(r), id, in.ToOrgID, in.Note)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"forwarded_to": to})
}

func (h *Handler) completeObligation(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in struct {
		Note string `json:"note"`
	}
	if err := decode(r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	if err := h.app.CompleteObligation(r.Context(), actor(r), id, in.Note); err != nil {
		h.error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) reportingRecords(w http.ResponseWriter, r *http.Request) {
	recs, err := h.app.ReportingRecords(r.Context(), actor(r))
	if err != nil {
		h.error(w, r, err)
		return
	}
	type recJSON struct {
		OrgID   int64  `json:"org_id"`
		OrgName string `json:"org_name"`
		OnTime  int    `json:"on_time"`
		Late    int    `json:"late"`
		Overdue int    `json:"overdue"`
		Missed  int    `json:"missed"`
		Open    int    `json:"open"`
	}
	out := []recJSON{}
	for _, rc := range recs {
		out = append(out, recJSON(rc))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
}
