package api

import (
	"encoding/json"
	"fenghuo/internal/app/incident"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
	"net/http"
	"time"
)

// Incidents are visible to the unit's subtree and to every office a report
// of theirs was delivered to (app.incidentAccess): they travel up the
// reporting chain.

func (h *Handler) listIncidents(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	f, err := incidentFilterOf(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	res, err := h.app.Incidents.ListIncidents(r.Context(), actor(r), f, p)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, pageOf(res, p, toIncidentSummary))
}

// incidentFilterOf reads the incident list's filters from the query.
func incidentFilterOf(r *http.Request) (store.IncidentFilter, error) {
	q := r.URL.Query()
	f := store.IncidentFilter{Grade: fenghuo.Grade(q.Get("grade")), Category: q.Get("category"),
		Status: fenghuo.IncidentStatus(q.Get("status")), Query: q.Get("q")}
	var err error
	if f.UnitID, err = queryInt(r, "unit_id", 1, 1<<62); err == nil {
		if f.Open, err = queryBool(r, "open"); err == nil {
			f.Overdue, err = queryBool(r, "overdue")
		}
	}
	return f, err
}

type incidentCreate struct {
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

// parseFacts reads the facts of a request; an error names "facts.<key>".
func parseFacts(raw json.RawMessage) (plan.Facts, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return plan.Facts{}, nil
	}
	f, err := plan.ParseFacts(raw)
	return f, factsField(err)
}

func (h *Handler) createIncident(w http.ResponseWriter, r *http.Request) {
	var in incidentCreate
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	facts, err := parseFacts(in.Facts)
	if err != nil {
		h.error(w, r, err)
		return
	}
	input := incident.IncidentInput{OrgID: in.OrgID, Title: in.Title, Category: in.Category, SystemIDs: in.SystemIDs, Facts: facts,
		Description: in.Description, Impact: in.Impact, Measures: in.Measures, Channel: in.Channel, Caller: in.Caller}
	if in.OccurredAt != nil {
		input.OccurredAt = *in.OccurredAt
	}
	if in.DiscoveredAt != nil {
		input.DiscoveredAt = *in.DiscoveredAt
	}
	inc, err := h.app.Incidents.CreateIncident(r.Context(), actor(r), input)
	if err != nil {
		h.error(w, r, err)
		return
	}
	created(w, Prefix+"/incidents/"+itoa(inc.ID), incidentDetail(*inc))
}

func (h *Handler) getIncident(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		var inc *fenghuo.Incident
		if inc, err = h.app.Incidents.ViewIncident(r.Context(), actor(r), id); err == nil {
			writeJSON(w, http.StatusOK, incidentDetail(*inc))
			return
		}
	}
	h.error(w, r, err)
}

type factsUpdate struct {
	Version   int             `json:"version"`
	Facts     json.RawMessage `json:"facts"`
	Category  string          `json:"category"`
	SystemIDs []int64         `json:"system_ids"`
}

// updateFacts replaces the facts, category and systems and re-grades.
func (h *Handler) updateFacts(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in factsUpdate
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	if err := requireVersion(in.Version); err != nil {
		h.error(w, r, err)
		return
	}
	facts, err := parseFacts(in.Facts)
	if err != nil {
		h.error(w, r, err)
		return
	}
	inc, err := h.app.Incidents.UpdateFacts(r.Context(), actor(r), id, in.Version, facts, in.Category, in.SystemIDs)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, incidentDetail(*inc))
}

type gradeOverride struct {
	Grade  string `json:"grade"`
	Reason string `json:"reason"`
}

func (h *Handler) overrideGrade(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in gradeOverride
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	inc, err := h.app.Incidents.OverrideGrade(r.Context(), actor(r), id, fenghuo.Grade(in.Grade), in.Reason)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, incidentDetail(*inc))
}

type transitionRequest struct {
	Status string `json:"status"`
	Reason string `json:"reason"`
}

func (h *Handler) transition(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in transitionRequest
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	inc, err := h.app.Incidents.Transition(r.Context(), actor(r), id, fenghuo.IncidentStatus(in.Status), in.Reason)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, incidentDetail(*inc))
}
