package api

import (
	"time"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// The API's JSON shapes: snake_case, kept apart from the domain types so
// the wire format changes only on purpose.

type orgJSON struct {
	ID           int64    `json:"id"`
	ParentID     int64    `json:"parent_id"`
	Name         string   `json:"name"`
	ShortName    string   `json:"short_name"`
	Level        string   `json:"level"`
	Type         string   `json:"type"`
	Sector       string   `json:"sector"`
	OperatorType string   `json:"operator_type"`
	RegionCode   string   `json:"region_code"`
	PlanRoles    []string `json:"plan_roles"`
	LiaisonName  string   `json:"liaison_name"`
	LiaisonTitle string   `json:"liaison_title"`
	LiaisonPhone string   `json:"liaison_mobile"`
	DutyPhone    string   `json:"duty_phone"`
	Fax          string   `json:"fax"`
	ReportEmail  string   `json:"report_email"`
	Address      string   `json:"address"`
	PlanIDs      []string `json:"plan_ids"`
	Version      int      `json:"version"`
}

func toOrg(o fenghuo.Org) orgJSON {
	return orgJSON{ID: o.ID, ParentID: o.ParentID, Name: o.Name, ShortName: o.ShortName, Level: string(o.Level),
		Type: string(o.Type), Sector: o.Sector, OperatorType: string(o.OperatorType), RegionCode: o.RegionCode,
		PlanRoles: nonNil(o.PlanRoles), LiaisonName: o.Liaison.Name, LiaisonTitle: o.Liaison.Title, LiaisonPhone: o.Liaison.Mobile,
		DutyPhone: o.DutyPhone, Fax: o.Fax, ReportEmail: o.ReportEmail, Address: o.Address, PlanIDs: nonNil(o.PlanIDs), Version: o.Version}
}

func (j orgJSON) domain() fenghuo.Org {
	return fenghuo.Org{ID: j.ID, ParentID: j.ParentID, Name: j.Name, ShortName: j.ShortName, Level: fenghuo.OrgLevel(j.Level),
		Type: fenghuo.OrgType(j.Type), Sector: j.Sector, OperatorType: fenghuo.OperatorType(j.OperatorType), RegionCode: j.RegionCode,
		PlanRoles: j.PlanRoles, Liaison: fenghuo.Liaison{Name: j.LiaisonName, Title: j.LiaisonTitle, Mobile: j.LiaisonPhone},
		DutyPhone: j.DutyPhone, Fax: j.Fax, ReportEmail: j.ReportEmail, Address: j.Address, PlanIDs: j.PlanIDs, Version: j.Version}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

type exposureJSON struct {
	Kind  string `json:"kind"`
	Value string `json:"value"`
	Note  string `json:"note,omitempty"`
}

type componentJSON struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
	Vendor  string `json:"vendor,omitempty"`
}

type systemJSON struct {
	ID                int64           `json:"id"`
	OrgID             int64           `json:"org_id"`
	Name              string          `json:"name"`
	Department        string          `json:"department"`
	ResponsiblePerson string          `json:"responsible_person"`
	ResponsiblePhone  string          `json:"responsible_phone"`
	ProtectionLevel   int             `json:"protection_level"`
	CII               bool            `json:"cii"`
	KeyKinds          []string        `json:"key_kinds"`
	Exposure          []exposureJSON  `json:"exposure"`
	Components        []componentJSON `json:"components"`
	Description       string          `json:"description"`
	Status            string          `json:"status"`
	Version           int             `json:"version"`
}

func toSystem(s fenghuo.System) systemJSON {
	j := systemJSON{ID: s.ID, OrgID: s.OrgID, Name: s.Name, Department: s.Department, ResponsiblePerson: s.ResponsiblePerson,
		ResponsiblePhone: s.ResponsiblePhone, ProtectionLevel: s.ProtectionLevel, CII: s.CII, KeyKinds: []string{},
		Exposure: []exposureJSON{}, Components: []componentJSON{}, Description: s.Description, Status: s.Status, Version: s.Version}
	for _, k := range s.KeyKinds {
		j.KeyKinds = append(j.KeyKinds, string(k))
	}
	for _, e := range s.Exposure {
		j.Exposure = append(j.Exposure, exposureJSON(e))
	}
	for _, c := range s.Components {
		j.Components = append(j.Components, componentJSON(c))
	}
	return j
}

func (j systemJSON) domain() fenghuo.System {
	s := fenghuo.System{ID: j.ID, OrgID: j.OrgID, Name: j.Name, Department: j.Department, ResponsiblePerson: j.ResponsiblePerson,
		ResponsiblePhone: j.ResponsiblePhone, ProtectionLevel: j.ProtectionLevel, CII: j.CII, Description: j.Description,
		Status: j.Status, Version: j.Version}
	for _, k := range j.KeyKinds {
		s.KeyKinds = append(s.KeyKinds, fenghuo.KeyKind(k))
	}
	for _, e := range j.Exposure {
		s.Exposure = append(s.Exposure, fenghuo.Exposure(e))
	}
	for _, c := range j.Components {
		s.Components = append(s.Components, fenghuo.Component(c))
	}
	return s
}

type userJSON struct {
	ID          int64    `json:"id"`
	OrgID       int64    `json:"org_id"`
	Username    string   `json:"username"`
	DisplayName string   `json:"display_name"`
	Email       string   `json:"email"`
	Mobile      string   `json:"mobile"`
	Roles       []string `json:"roles"`
	Disabled    bool     `json:"disabled"`
	TOTPEnabled bool     `json:"totp_enabled"`
	Locale      string   `json:"locale"`
	Version     int      `json:"version"`
}

func toUser(u fenghuo.User) userJSON {
	j := userJSON{ID: u.ID, OrgID: u.OrgID, Username: u.Username, DisplayName: u.DisplayName, Email: u.Email, Mobile: u.Mobile,
		Roles: []string{}, Disabled: u.Disabled, TOTPEnabled: u.TOTPEnabled, Locale: u.Locale, Version: u.Version}
	for _, r := range u.Roles {
		j.Roles = append(j.Roles, string(r))
	}
	return j
}

func (j userJSON) domain() fenghuo.User {
	u := fenghuo.User{ID: j.ID, OrgID: j.OrgID, Username: j.Username, DisplayName: j.DisplayName, Email: j.Email,
		Mobile: j.Mobile, Disabled: j.Disabled, Locale: j.Locale, Version: j.Version}
	for _, r := range j.Roles {
		u.Roles = append(u.Roles, fenghuo.Role(r))
	}
	return u
}

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

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
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
		ReporterName: r.ReporterName, ReporterPhone: r.ReporterPhone, SubmittedAt: r.SubmittedAt}
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
}

func toDelivery(d store.Delivery) deliveryJSON {
	return deliveryJSON{ID: d.ID, ReportID: d.ReportID, IncidentID: d.IncidentID, FromOrgID: d.FromOrgID, ToOrgID: d.ToOrgID,
		PlanID: d.PlanID, RouteID: d.RouteID, ForwardedFrom: d.ForwardedFrom, SentAt: d.SentAt, ReceivedAt: timePtr(d.ReceivedAt)}
}
