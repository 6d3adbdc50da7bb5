package api

import (
	"fenghuo/internal/app/incident"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
	"time"
)

// Wire shapes of incidents and their reporting: reports, deliveries along
// the reporting chain and obligations with due times.

type incidentJSON struct {
	ID             int64          `json:"id"`
	OrgID          int64          `json:"org_id"`
	Title          string         `json:"title"`
	Category       string         `json:"category"`
	Taxonomy       string         `json:"taxonomy"`
	Status         string         `json:"status"`
	SystemIDs      []int64        `json:"system_ids"`
	OccurredAt     *time.Time     `json:"occurred_at"`
	DiscoveredAt   time.Time      `json:"discovered_at"`
	ReportedAt     *time.Time     `json:"reported_at"`
	Facts          map[string]any `json:"facts"`
	Description    string         `json:"description"`
	Impact         string         `json:"impact"`
	Measures       string         `json:"measures"`
	Grade          string         `json:"grade"`
	ComputedGrade  string         `json:"computed_grade"`
	GradeOverride  string         `json:"grade_override,omitempty"`
	OverrideReason string         `json:"override_reason,omitempty"`
	Channel        string         `json:"channel"`
	Caller         string         `json:"caller,omitempty"`
	Version        int            `json:"version"`
}

func toIncident(i fenghuo.Incident) incidentJSON {
	facts := i.Facts
	if facts == nil {
		facts = map[string]any{}
	}
	return incidentJSON{ID: i.ID, OrgID: i.OrgID, Title: i.Title, Category: i.Category, Taxonomy: i.Taxonomy, Status: string(i.Status),
		SystemIDs: nonNil(i.SystemIDs), OccurredAt: timePtr(i.OccurredAt), DiscoveredAt: i.DiscoveredAt, ReportedAt: timePtr(i.ReportedAt),
		Facts: facts, Description: i.Description, Impact: i.Impact, Measures: i.Measures, Grade: string(i.Grade),
		ComputedGrade: string(i.ComputedGrade), GradeOverride: string(i.GradeOverride), OverrideReason: i.OverrideReason,
		Channel: i.Channel, Caller: i.Caller, Version: i.Version}
}

// incidentSummaryJSON is an incident as the list gives it; facts, texts and
// the grading record come with GET /api/v1/incidents/{id}.
type incidentSummaryJSON struct {
	ID            int64      `json:"id"`
	OrgID         int64      `json:"org_id"`
	Title         string     `json:"title"`
	Category      string     `json:"category"`
	Taxonomy      string     `json:"taxonomy"`
	Status        string     `json:"status"`
	OccurredAt    *time.Time `json:"occurred_at"`
	DiscoveredAt  time.Time  `json:"discovered_at"`
	ReportedAt    *time.Time `json:"reported_at"`
	Grade         string     `json:"grade"`
	ComputedGrade string     `json:"computed_grade"`
	GradeOverride string     `json:"grade_override"`
	Channel       string     `json:"channel"`
	Caller        string     `json:"caller,omitempty"`
	Version       int        `json:"version"`
}

func toIncidentSummary(i store.IncidentRow) incidentSummaryJSON {
	return incidentSummaryJSON{ID: i.ID, OrgID: i.OrgID, Title: i.Title, Category: i.Category, Taxonomy: i.Taxonomy,
		Status: string(i.Status), OccurredAt: timePtr(i.OccurredAt), DiscoveredAt: i.DiscoveredAt, ReportedAt: timePtr(i.ReportedAt),
		Grade: string(i.Grade), ComputedGrade: string(i.ComputedGrade), GradeOverride: string(i.GradeOverride),
		Channel: i.Channel, Caller: i.Caller, Version: i.Version}
}

type obligationJSON struct {
	ID             int64      `json:"id"`
	Kind           string     `json:"kind"`
	IncidentID     int64      `json:"incident_id"`
	OwnerOrgID     int64      `json:"owner_org_id"`
	RecipientOrgID int64      `json:"recipient_org_id"`
	RecipientName  string     `json:"recipient_name"`
	PlanID         string     `json:"plan_id"`
	Rule           string     `json:"rule"`
	Clause         string     `json:"clause"`
	Title          string     `json:"title"`
	DueAt          *time.Time `json:"due_at"`
	Urgency        string     `json:"urgency,omitempty"`
	State          string     `json:"state"`
	Overdue        bool       `json:"overdue"`
	DoneAt         *time.Time `json:"done_at"`
	// CalendarEstimated: the due date counts working days into a year whose
	// State Council holiday notice is not held; CalendarNote says so.
	CalendarEstimated bool   `json:"calendar_estimated,omitempty"`
	CalendarNote      string `json:"calendar_note,omitempty"`
}

// obligation is toObligation with the working-day calendar's caveat.
func (h *Handler) obligation(o fenghuo.Obligation, now time.Time) obligationJSON {
	j := toObligation(o, now)
	if est, note := h.app.Incidents.CalendarEstimate(o); est {
		j.CalendarEstimated, j.CalendarNote = true, note.ZH
	}
	return j
}

func toObligation(o fenghuo.Obligation, now time.Time) obligationJSON {
	return obligationJSON{ID: o.ID, Kind: o.Kind, IncidentID: o.IncidentID, OwnerOrgID: o.OwnerOrgID, RecipientOrgID: o.RecipientOrgID,
		RecipientName: o.RecipientName, PlanID: o.PlanID, Rule: o.RuleID, Clause: o.Clause, Title: o.Title, DueAt: timePtr(o.DueAt),
		Urgency: o.Urgency, State: o.State, Overdue: o.Overdue(now), DoneAt: timePtr(o.DoneAt)}
}

type reportJSON struct {
	ID            int64             `json:"id"`
	Kind          string            `json:"kind"`
	Number        int               `json:"number"`
	Revision      int               `json:"revision"`
	Content       map[string]string `json:"content"`
	Signer        string            `json:"signer"`
	ReporterName  string            `json:"reporter_name"`
	ReporterPhone string            `json:"reporter_phone"`
	SubmittedAt   time.Time         `json:"submitted_at"`
}

func toReport(r fenghuo.Report) reportJSON {
	return reportJSON{ID: r.ID, Kind: r.Kind, Number: r.Number, Revision: r.Revision, Content: r.Content, Signer: r.Signer,
		ReporterName: r.ReporterName, ReporterPhone: maskPhone(r.ReporterPhone), SubmittedAt: r.SubmittedAt}
}

type deliveryJSON struct {
	ID            int64      `json:"id"`
	ReportID      int64      `json:"report_id"`
	IncidentID    int64      `json:"incident_id"`
	FromOrgID     int64      `json:"from_org_id"`
	ToOrgID       int64      `json:"to_org_id"`
	PlanID        string     `json:"plan_id"`
	RouteID       string     `json:"route_id"`
	ForwardedFrom int64      `json:"forwarded_from"`
	SentAt        time.Time  `json:"sent_at"`
	ReceivedAt    *time.Time `json:"received_at"`
	// Signature is the sending office's SM2 signature, checked (reports
	// listed with their incident only).
	Signature *signatureJSON `json:"signature,omitempty"`
}

func toDelivery(d store.Delivery) deliveryJSON {
	return deliveryJSON{ID: d.ID, ReportID: d.ReportID, IncidentID: d.IncidentID, FromOrgID: d.FromOrgID, ToOrgID: d.ToOrgID,
		PlanID: d.PlanID, RouteID: d.RouteID, ForwardedFrom: d.ForwardedFrom, SentAt: d.SentAt, ReceivedAt: timePtr(d.ReceivedAt)}
}

type incidentDetailJSON struct {
	incidentJSON
	// Grading is the result under each governing plan.
	Grading []incident.PlanGrading `json:"grading"`
}

func incidentDetail(i fenghuo.Incident) incidentDetailJSON {
	g := incident.ParseGrading(i.Grading)
	if g == nil {
		g = []incident.PlanGrading{}
	}
	return incidentDetailJSON{incidentJSON: toIncident(i), Grading: g}
}
