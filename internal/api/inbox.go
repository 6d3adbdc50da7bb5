package api

import (
	"net/http"

	"fenghuo/internal/app/incident"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// The inbox is an office's own: receiving (签收) and forwarding are acts of
// the org a report was delivered to, not of the offices above it.

func (h *Handler) inbox(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	res, err := h.app.Incidents.Inbox(r.Context(), actor(r), p)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, pageOf(res, p, toDelivery))
}

func (h *Handler) receive(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		if err = h.app.Incidents.ReceiveReport(r.Context(), actor(r), id); err == nil {
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	h.error(w, r, err)
}

type forwardRequest struct {
	ToOrgID int64  `json:"to_org_id"`
	Note    string `json:"note"`
}

type forwardedJSON struct {
	ForwardedTo []string `json:"forwarded_to"`
}

func (h *Handler) forward(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in forwardRequest
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	to, err := h.app.Incidents.ForwardReport(r.Context(), actor(r), id, in.ToOrgID, in.Note)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, forwardedJSON{ForwardedTo: nonNil(to)})
}

type completeRequest struct {
	Note string `json:"note"`
}

func (h *Handler) completeObligation(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in completeRequest
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	if err := h.app.Incidents.CompleteObligation(r.Context(), actor(r), id, in.Note); err != nil {
		h.error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type reportingRecordJSON struct {
	OrgID   int64  `json:"org_id"`
	OrgName string `json:"org_name"`
	OnTime  int    `json:"on_time"`
	Late    int    `json:"late"`
	Overdue int    `json:"overdue"`
	Missed  int    `json:"missed"`
	Open    int    `json:"open"`
}

func (h *Handler) reportingRecords(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	recs, err := h.app.Incidents.ReportingRecords(r.Context(), actor(r))
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, pageSlice(recs, p, func(rc store.ReportingRecord) reportingRecordJSON { return reportingRecordJSON(rc) }))
}

// signals: late (迟报), missed (漏报) and suspected concealment (瞒报) per
// unit over a period.

type reportingSignalsJSON struct {
	OrgID   int64  `json:"org_id"`
	OrgName string `json:"org_name"`
	Late    int    `json:"late"`
	Missed  int    `json:"missed"`
	Conceal int    `json:"concealment"`
}

func (h *Handler) reportingSignals(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	from, to, err := incident.SignalsWindow(r.URL.Query().Get("from"), r.URL.Query().Get("to"), h.app.Core.Now())
	if err != nil {
		h.error(w, r, err)
		return
	}
	sig, err := h.app.Incidents.ReportingSignals(r.Context(), actor(r), from, to)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, pageSlice(sig, p, func(s fenghuo.ReportingSignals) reportingSignalsJSON { return reportingSignalsJSON(s) }))
}
