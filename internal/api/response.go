package api

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"fenghuo/internal/app/response"
	"fenghuo/internal/export"
	"fenghuo/internal/fenghuo"
)

// Response levels (R1): request, activate, change and end an incident's
// emergency response, read its state and history, download the end notice.

type responseRequest struct {
	Action       string `json:"action"`
	Level        string `json:"level"`
	Reason       string `json:"reason"`
	Approval     string `json:"approval"`
	Commander    string `json:"commander"`
	Phone        string `json:"phone"`
	Liaison      string `json:"liaison"`
	OnSite       string `json:"on_site"`
	Situation    string `json:"situation"`
	Requirements string `json:"requirements"`
}

type activationJSON struct {
	ID             int64      `json:"id"`
	IncidentID     int64      `json:"incident_id"`
	PlanID         string     `json:"plan_id"`
	Level          string     `json:"level"`
	State          string     `json:"state"`
	RequestedOrgID int64      `json:"requested_org_id"`
	RequestedAt    *time.Time `json:"requested_at"`
	DecidedOrgID   int64      `json:"decided_org_id"`
	DecidedAt      *time.Time `json:"decided_at"`
	HandUpOrgID    int64      `json:"hand_up_org_id"`
	PreviousID     int64      `json:"previous_id"`
	Clause         string     `json:"clause"`
	Reason         string     `json:"reason"`
	ActivatedAt    *time.Time `json:"activated_at"`
	EndedAt        *time.Time `json:"ended_at"`
	EndClause      string     `json:"end_clause"`
	EndNotice      string     `json:"end_notice"`
}

func activationOut(a fenghuo.ResponseActivation) activationJSON {
	return activationJSON{ID: a.ID, IncidentID: a.IncidentID, PlanID: a.PlanID, Level: string(a.Level), State: a.State,
		RequestedOrgID: a.RequestedOrgID, RequestedAt: timePtr(a.RequestedAt), DecidedOrgID: a.DecidedOrgID, DecidedAt: timePtr(a.DecidedAt),
		HandUpOrgID: a.HandUpOrgID, PreviousID: a.PreviousID, Clause: a.Clause, Reason: a.Reason, ActivatedAt: timePtr(a.ActivatedAt),
		EndedAt: timePtr(a.EndedAt), EndClause: a.EndClause, EndNotice: a.EndNotice}
}

type responseResult struct {
	Activation activationJSON `json:"activation"`
	HandedUpTo int64          `json:"handed_up_to,omitempty"`
	Message    string         `json:"message"`
}

func (h *Handler) actOnResponse(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in responseRequest
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	var level fenghuo.Grade
	if in.Level != "" {
		if level, err = fenghuo.ParseGrade(in.Level); err != nil {
			h.error(w, r, fenghuo.FieldErrorf("level", "Level %q is unknown: use I, II, III or IV. / 未知响应级别。", in.Level))
			return
		}
	}
	res, err := h.app.Response.Act(r.Context(), actor(r), id, response.Input{Action: in.Action, Level: level, Reason: in.Reason,
		Approval: in.Approval, Commander: in.Commander, Phone: in.Phone, Liaison: in.Liaison, OnSite: in.OnSite,
		Situation: in.Situation, Requirements: in.Requirements})
	if err != nil {
		h.error(w, r, err)
		return
	}
	out := responseResult{Activation: activationOut(*res.Activation), Message: res.Message}
	if res.HandedUpTo != nil {
		out.HandedUpTo = res.HandedUpTo.ID
	}
	writeJSON(w, http.StatusOK, out)
}

type responseView struct {
	Current    *activationJSON  `json:"current"`
	History    []activationJSON `json:"history"`
	Command    []map[string]any `json:"command"`
	Switches   []map[string]any `json:"switches"`
	Recipients []map[string]any `json:"recipients"`
	Approvals  []map[string]any `json:"approvals"`
	Duties     []map[string]any `json:"duties"`
	Levels     []string         `json:"levels"`
	Action     string           `json:"action"`
	CanChange  bool             `json:"can_change"`
	Refusal    string           `json:"refusal,omitempty"`
	// OpenAfterEnd are the playbook tasks still open once the response
	// ended (the page's "响应结束后仍在办理的任务").
	OpenAfterEnd []taskJSON `json:"open_after_end"`
	// EndSignature checks the end notice of an ended current response:
	// who signed it and whether it is as sent (null otherwise).
	EndSignature *signatureJSON `json:"end_signature"`
}

func (h *Handler) getResponse(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	v, err := h.app.Response.View(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	out := responseView{History: []activationJSON{}, Command: []map[string]any{}, Switches: []map[string]any{},
		Recipients: []map[string]any{}, Approvals: []map[string]any{}, Duties: []map[string]any{}, Levels: []string{},
		Action: v.Primary, CanChange: v.CanChange, OpenAfterEnd: []taskJSON{}}
	now := h.app.Core.Now()
	for _, t := range v.OpenAfterEnd {
		out.OpenAfterEnd = append(out.OpenAfterEnd, h.toTask(t, now))
	}
	if v.Blocked.ZH != "" {
		out.Refusal = v.Blocked.ZH + " / " + v.Blocked.EN
	}
	if v.Current != nil {
		c := activationOut(*v.Current)
		out.Current = &c
		if v.Current.State == fenghuo.ResponseEnded {
			out.EndSignature = recordSignature(v.EndSignature, answerLang(r))
		}
	}
	for _, a := range v.History {
		out.History = append(out.History, activationOut(a))
	}
	for _, m := range v.Members {
		out.Command = append(out.Command, map[string]any{"role": m.Role, "name": m.Name, "org_id": m.OrgID, "phone": maskPhone(m.Phone), "id": m.ID})
	}
	for _, s := range v.Switches {
		out.Switches = append(out.Switches, map[string]any{"key": s.Key, "applied_at": s.AppliedAt, "detail": s.Detail})
	}
	for _, rc := range v.Recipients {
		out.Recipients = append(out.Recipients, map[string]any{"org_id": rc.OrgID, "name": rc.Name, "notified_at": rc.NotifiedAt,
			"end_sent_at": timePtr(rc.EndSentAt), "delivery": rc.Delivery, "delivery_note": rc.DeliveryNote})
	}
	for _, ap := range v.Approvals {
		out.Approvals = append(out.Approvals, map[string]any{"body": ap.Body, "reference": ap.Reference, "approved_at": ap.ApprovedAt})
	}
	for _, d := range v.Duties {
		var gaps []map[string]any
		for _, g := range d.Gaps {
			gaps = append(gaps, map[string]any{"from": g.From, "to": g.To})
		}
		out.Duties = append(out.Duties, map[string]any{"org_id": d.Duty.OrgID, "org_name": d.OrgName, "hours_per_day": d.Duty.HoursPerDay,
			"starts_at": d.Duty.StartsAt, "ends_at": timePtr(d.Duty.EndsAt), "uncovered_now": d.UncoveredNow, "gaps": gaps})
	}
	for _, g := range v.Levels {
		out.Levels = append(out.Levels, string(g))
	}
	writeJSON(w, http.StatusOK, out)
}

func (h *Handler) downloadEndNotice(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	format := r.PathValue("format")
	if format != "docx" && format != "pdf" {
		h.error(w, r, fenghuo.Errorf(fenghuo.ENOTFOUND, "Formats are docx and pdf. / 格式为docx或pdf。"))
		return
	}
	activation, _ := strconv.ParseInt(r.URL.Query().Get("activation"), 10, 64)
	n, err := h.app.Response.EndNotice(r.Context(), actor(r), id, activation)
	if err != nil {
		h.error(w, r, err)
		return
	}
	var buf bytes.Buffer
	if format == "docx" {
		err = export.WriteOfficialDOCX(&buf, n)
	} else {
		err = export.WriteOfficialPDF(&buf, n)
	}
	if err != nil {
		h.error(w, r, err)
		return
	}
	sendDocument(w, fmt.Sprintf("end-notice-%d.%s", id, format), format, buf.Bytes())
}
