package api

import (
	"time"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/pii"
)

// People's phones and e-mail addresses are masked in every answer (issue 15
// item 5); GET /api/v1/contacts/{kind}/{id} gives one record's in full,
// audited. A client that sends an answer back (PUT) with a masked value
// keeps the stored one (pii.Kept, as the console's edit forms).
func maskPhone(v string) string { return pii.Mask(pii.Phone, v) }
func maskEmail(v string) string { return pii.Mask(pii.Email, v) }

// The API's JSON shapes: snake_case, kept apart from the domain types so
// the wire format changes only on purpose. Requests carry only the fields a
// client may set; server-kept fields (id, path, timestamps) are answers.

type liaisonJSON struct {
	Name   string `json:"name"`
	Title  string `json:"title"`
	Mobile string `json:"mobile"`
}

// orgFields are the editable fields of an org.
type orgFields struct {
	Name         string      `json:"name"`
	ShortName    string      `json:"short_name"`
	Level        string      `json:"level"`
	Type         string      `json:"type"`
	Sector       string      `json:"sector"`
	OperatorType string      `json:"operator_type"`
	RegionCode   string      `json:"region_code"`
	PlanRoles    []string    `json:"plan_roles"`
	Liaison      liaisonJSON `json:"liaison"`
	DutyPhone    string      `json:"duty_phone"`
	Fax          string      `json:"fax"`
	ReportEmail  string      `json:"report_email"`
	Address      string      `json:"address"`
	PlanIDs      []string    `json:"plan_ids"`
	// SupervisorID is the declared supervising department (主管部门), 0 for
	// none (the plans' competent department then goes by sector).
	SupervisorID int64 `json:"supervisor_id"`
}

type orgJSON struct {
	ID       int64 `json:"id"`
	ParentID int64 `json:"parent_id"`
	orgFields
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int       `json:"version"`
}

type orgCreate struct {
	ParentID int64 `json:"parent_id"`
	orgFields
}

type orgUpdate struct {
	orgFields
	Version int `json:"version"`
}

func orgFieldsOf(o fenghuo.Org) orgFields {
	return orgFields{Name: o.Name, ShortName: o.ShortName, Level: string(o.Level), Type: string(o.Type), Sector: o.Sector,
		OperatorType: string(o.OperatorType), RegionCode: o.RegionCode, PlanRoles: nonNil(o.PlanRoles),
		Liaison: liaisonJSON(o.Liaison), DutyPhone: o.DutyPhone, Fax: o.Fax, ReportEmail: o.ReportEmail,
		Address: o.Address, PlanIDs: nonNil(o.PlanIDs), SupervisorID: o.SupervisorID}
}

func toOrg(o fenghuo.Org) orgJSON {
	f := orgFieldsOf(o)
	f.Liaison.Mobile, f.DutyPhone, f.Fax, f.ReportEmail = maskPhone(f.Liaison.Mobile), maskPhone(f.DutyPhone), maskPhone(f.Fax), maskEmail(f.ReportEmail)
	return orgJSON{ID: o.ID, ParentID: o.ParentID, orgFields: f, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt, Version: o.Version}
}

// apply copies the editable fields onto o, leaving the server-kept ones.
func (f orgFields) apply(o *fenghuo.Org) {
	o.Name, o.ShortName, o.Level, o.Type = f.Name, f.ShortName, fenghuo.OrgLevel(f.Level), fenghuo.OrgType(f.Type)
	o.Sector, o.OperatorType, o.RegionCode, o.PlanRoles = f.Sector, fenghuo.OperatorType(f.OperatorType), f.RegionCode, f.PlanRoles
	mobile := pii.Kept(pii.Phone, o.Liaison.Mobile, f.Liaison.Mobile)
	o.Liaison = fenghuo.Liaison(f.Liaison)
	o.Liaison.Mobile = mobile
	o.DutyPhone, o.Fax = pii.Kept(pii.Phone, o.DutyPhone, f.DutyPhone), pii.Kept(pii.Phone, o.Fax, f.Fax)
	o.ReportEmail, o.Address, o.PlanIDs = pii.Kept(pii.Email, o.ReportEmail, f.ReportEmail), f.Address, f.PlanIDs
	o.SupervisorID = f.SupervisorID
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

// systemFields are the editable fields of a system.
type systemFields struct {
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
}

type systemJSON struct {
	ID int64 `json:"id"`
	systemFields
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int       `json:"version"`
}

type systemUpdate struct {
	systemFields
	Version int `json:"version"`
}

func systemFieldsOf(s fenghuo.System) systemFields {
	f := systemFields{OrgID: s.OrgID, Name: s.Name, Department: s.Department, ResponsiblePerson: s.ResponsiblePerson,
		ResponsiblePhone: s.ResponsiblePhone, ProtectionLevel: s.ProtectionLevel, CII: s.CII, KeyKinds: []string{},
		Exposure: []exposureJSON{}, Components: []componentJSON{}, Description: s.Description, Status: s.Status}
	for _, k := range s.KeyKinds {
		f.KeyKinds = append(f.KeyKinds, string(k))
	}
	for _, e := range s.Exposure {
		f.Exposure = append(f.Exposure, exposureJSON(e))
	}
	for _, c := range s.Components {
		f.Components = append(f.Components, componentJSON(c))
	}
	return f
}

func toSystem(s fenghuo.System) systemJSON {
	f := systemFieldsOf(s)
	f.ResponsiblePhone = maskPhone(f.ResponsiblePhone)
	return systemJSON{ID: s.ID, systemFields: f, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt, Version: s.Version}
}

func (f systemFields) apply(s *fenghuo.System) {
	s.OrgID, s.Name, s.Department, s.ResponsiblePerson = f.OrgID, f.Name, f.Department, f.ResponsiblePerson
	s.ResponsiblePhone, s.ProtectionLevel, s.CII = pii.Kept(pii.Phone, s.ResponsiblePhone, f.ResponsiblePhone), f.ProtectionLevel, f.CII
	s.Description, s.Status = f.Description, f.Status
	s.KeyKinds, s.Exposure, s.Components = nil, nil, nil
	for _, k := range f.KeyKinds {
		s.KeyKinds = append(s.KeyKinds, fenghuo.KeyKind(k))
	}
	for _, e := range f.Exposure {
		s.Exposure = append(s.Exposure, fenghuo.Exposure(e))
	}
	for _, c := range f.Components {
		s.Components = append(s.Components, fenghuo.Component(c))
	}
}

// userFields are the editable fields of an account.
type userFields struct {
	OrgID       int64    `json:"org_id"`
	Username    string   `json:"username"`
	DisplayName string   `json:"display_name"`
	Email       string   `json:"email"`
	Mobile      string   `json:"mobile"`
	Roles       []string `json:"roles"`
	Disabled    bool     `json:"disabled"`
	Locale      string   `json:"locale"`
	// AllowedAddresses binds the account to client addresses (IPs or CIDR
	// prefixes); empty is anywhere, a display account needs one at least.
	AllowedAddresses []string `json:"allowed_addresses"`
}

type userJSON struct {
	ID int64 `json:"id"`
	userFields
	TOTPEnabled       bool       `json:"totp_enabled"`
	MustEnrollTOTP    bool       `json:"must_enroll_totp"`
	PasswordChangedAt *time.Time `json:"password_changed_at"`
	CreatedAt         time.Time  `json:"created_at"`
	UpdatedAt         time.Time  `json:"updated_at"`
	Version           int        `json:"version"`
}

type userCreate struct {
	userFields
	Password string `json:"password"`
}

type userUpdate struct {
	userFields
	Version int `json:"version"`
}

func userFieldsOf(u fenghuo.User) userFields {
	f := userFields{OrgID: u.OrgID, Username: u.Username, DisplayName: u.DisplayName, Email: u.Email, Mobile: u.Mobile,
		Roles: []string{}, Disabled: u.Disabled, Locale: u.Locale, AllowedAddresses: append([]string{}, u.AllowedAddresses...)}
	for _, r := range u.Roles {
		f.Roles = append(f.Roles, string(r))
	}
	return f
}

func toUser(u fenghuo.User) userJSON {
	f := userFieldsOf(u)
	f.Email, f.Mobile = maskEmail(f.Email), maskPhone(f.Mobile)
	return userJSON{ID: u.ID, userFields: f, TOTPEnabled: u.TOTPEnabled, MustEnrollTOTP: u.MustEnrollTOTP,
		PasswordChangedAt: timePtr(u.PasswordChangedAt), CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt, Version: u.Version}
}

func (f userFields) apply(u *fenghuo.User) {
	u.OrgID, u.Username, u.DisplayName = f.OrgID, f.Username, f.DisplayName
	u.Email, u.Mobile = pii.Kept(pii.Email, u.Email, f.Email), pii.Kept(pii.Phone, u.Mobile, f.Mobile)
	u.Disabled, u.Locale, u.Roles, u.AllowedAddresses = f.Disabled, f.Locale, nil, f.AllowedAddresses
	for _, r := range f.Roles {
		u.Roles = append(u.Roles, fenghuo.Role(r))
	}
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
